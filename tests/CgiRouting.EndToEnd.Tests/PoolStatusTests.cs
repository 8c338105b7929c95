using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// Issue 21's status, metrics and logs, measured end to end: samples/Hello as a <c>--prefork</c> pool behind nginx with
/// the configuration the binary prints, a known number of requests sent through nginx (some to no route, some made slow
/// on purpose: <c>/ticks/8</c> answers in 1.75 s), and then the pool's <c>--status-path</c> (JSON and OpenMetrics, which
/// promtool checks), <c>--access-log</c>'s lines and <c>--slow-log</c>'s compared with what was sent; and the listen
/// queue of a pool on a unix socket, with connections waiting in it.
/// </summary>
public sealed class PoolStatusTests
{
    private static string Hello => Repository.PublishedSample("Hello", "hello");

    private const string OpenMetricsType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    [Fact]
    public async Task Status_through_nginx_agrees_with_what_was_sent_the_access_and_slow_logs_have_each_request_and_promtool_accepts_the_OpenMetrics()
    {
        const int Hellos = 300, Missing = 20, Slow = 2;
        string directory = WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-status-").FullName);
        string accessLog = Path.Combine(directory, "access.log");
        string address = NginxFastCgiServer.FreeTcpAddress(); // TCP: its listen queue can be read
        using var manager = new FastCgiWorkerProcess(Hello, address, "--prefork", "2", "--status-path", "/status",
            "--access-log", accessLog, "--access-format", "%R %m %r%Q%q %w %s %p", "--slow-log", "1");
        using var site = new PrintedServer("nginx", Hello, ["--fastcgi", address]);
        await PreforkTests.WaitUntil(() => ProcessTable.ChildrenOf([manager.Id]).Count(c => c.State != 'Z') == 2, TimeSpan.FromSeconds(10));
        using var client = site.Client();

        // The load: the slow ones first (they run while the rest are sent), then the others from four clients at once.
        var slow = Enumerable.Range(0, Slow).Select(_ => client.GetStringAsync("/ticks/8")).ToArray();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Hellos + Missing), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            using var response = await client.GetAsync(i < Hellos ? $"/hello/w{i}" : $"/no/such/{i}");
            statuses.Add((int)response.StatusCode);
        });
        await Task.WhenAll(slow);
        Assert.Equal(Hellos, statuses.Count(s => s == 200));
        Assert.Equal(Missing, statuses.Count(s => s == 404));
        int sent = Hellos + Missing + Slow;

        // A request is counted once its answer is written, which the client may read first: the status is read until the
        // last of them is in. Each status request is accepted too.
        int statusRequests = 0;
        string metrics = "";
        string? contentType = null;
        var clock = Stopwatch.StartNew();
        do
        {
            using var response = await client.GetAsync("/status?openmetrics");
            statusRequests++;
            contentType = response.Content.Headers.ContentType?.ToString();
            metrics = await response.Content.ReadAsStringAsync();
        }
        while (!(Sample(metrics, "cgirouting_route_requests_total{method=\"GET\",route=\"/ticks/<count>\",status=\"2xx\"}") == Slow
            && Sample(metrics, "cgirouting_route_requests_total{method=\"GET\",route=\"/hello/<name>\",status=\"2xx\"}") == Hellos
            && Sample(metrics, "cgirouting_route_requests_total{method=\"(unmatched)\",route=\"(unmatched)\",status=\"4xx\"}") == Missing)
            && clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(OpenMetricsType, contentType);
        Assert.EndsWith("\n# EOF\n", metrics);
        Assert.Equal(Hellos, Sample(metrics, "cgirouting_route_requests_total{method=\"GET\",route=\"/hello/<name>\",status=\"2xx\"}"));
        Assert.Equal(Hellos, Sample(metrics, "cgirouting_route_request_duration_seconds_count{method=\"GET\",route=\"/hello/<name>\"}"));
        Assert.Equal(Slow, Sample(metrics, "cgirouting_route_requests_total{method=\"GET\",route=\"/ticks/<count>\",status=\"2xx\"}"));
        // The slow ones took 1.75 s: in the histogram's (1, 2.5] bucket, none at or below 1 s.
        Assert.Equal(0, Sample(metrics, "cgirouting_route_request_duration_seconds_bucket{method=\"GET\",route=\"/ticks/<count>\",le=\"1.0\"}"));
        Assert.Equal(Slow, Sample(metrics, "cgirouting_route_request_duration_seconds_bucket{method=\"GET\",route=\"/ticks/<count>\",le=\"2.5\"}"));
        Assert.Equal(Missing, Sample(metrics, "cgirouting_route_requests_total{method=\"(unmatched)\",route=\"(unmatched)\",status=\"4xx\"}"));
        long accepted = Sample(metrics, "cgirouting_accepted_connections_total");
        long slowRequests = Sample(metrics, "cgirouting_slow_requests_total");
        Assert.Equal(sent + statusRequests, accepted); // every request sent, and the status requests so far
        Assert.Equal(Slow, slowRequests);
        Assert.True(Sample(metrics, "cgirouting_listen_queue_length") > 0); // TCP_INFO's tcpi_sacked: the backlog

        // JSON: the same figures, under php-fpm's names (and the fields of before).
        using (var json = JsonDocument.Parse(await client.GetStringAsync("/status")))
        {
            var root = json.RootElement;
            Assert.Equal(accepted + 1, root.GetProperty("accepted_conn").GetInt64());
            Assert.Equal(Slow, root.GetProperty("slow_requests").GetInt64());
            Assert.Equal(2, root.GetProperty("total_processes").GetInt32());
            Assert.Equal(0, root.GetProperty("listen_queue").GetInt32());
            Assert.True(root.GetProperty("listen_queue_len").GetInt32() > 0);
            Assert.True(root.GetProperty("max_listen_queue").GetInt64() >= 0);
            Assert.Equal(0, root.GetProperty("max_children_reached").GetInt64()); // a fixed pool never wants to grow
        }

        // promtool: what it says of the OpenMetrics text, and of the same text as the Prometheus format names counters.
        var (promtoolExit, promtoolSays) = Promtool(metrics);
        var counters = Regex.Matches(metrics, "^# TYPE (\\S+) counter$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        var expected = counters.Select(c => $"{c}_total no help text").ToHashSet();
        var problems = promtoolSays.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        Assert.True(promtoolExit is 0 or 3, $"promtool could not parse the text (exit {promtoolExit}): {promtoolSays}");
        Assert.All(problems, p => Assert.Contains(p, expected)); // nothing but the counters' naming, which differs between the formats
        string prometheusText = counters.Aggregate(metrics, (text, c) => text.Replace($"# TYPE {c} counter\n", $"# TYPE {c}_total counter\n")
            .Replace($"# HELP {c} ", $"# HELP {c}_total "));
        var (prometheusExit, prometheusSays) = Promtool(prometheusText);
        Assert.True(prometheusExit == 0, $"promtool check metrics (exit {prometheusExit}): {prometheusSays}");

        // The access log: a line per request, its fields exact (the pid one of the pool's workers).
        var workers = ProcessTable.ChildrenOf([manager.Id]).Where(c => c.State != 'Z').Select(c => c.Pid.ToString()).ToHashSet();
        string[] lines = [];
        await PreforkTests.WaitUntil(() => (lines = File.ReadAllLines(accessLog)).Length >= sent + statusRequests + 1, TimeSpan.FromSeconds(5));
        Assert.Equal(sent + statusRequests + 1, lines.Length);
        for (int i = 0; i < Hellos + Missing; i++)
        {
            string expectedLine = i < Hellos ? $"127.0.0.1 GET /hello/w{i} /hello/<name> 200 " : $"127.0.0.1 GET /no/such/{i} - 404 ";
            string line = Assert.Single(lines, l => l.StartsWith(expectedLine, StringComparison.Ordinal));
            Assert.Contains(line[expectedLine.Length..], workers);
        }
        Assert.Equal(Slow, lines.Count(l => l.StartsWith("127.0.0.1 GET /ticks/8 /ticks/<count> 200 ", StringComparison.Ordinal)));
        Assert.Equal(statusRequests + 1, lines.Count(l => Regex.IsMatch(l, "^127\\.0\\.0\\.1 GET /status(\\?openmetrics)? - 200 \\d+$")));

        // The slow log: each slow request once, with its route and handler.
        var slowLines = manager.Stderr.Split('\n').Where(l => l.Contains("slow request")).ToList();
        Assert.Equal(Slow, slowLines.Count);
        Assert.All(slowLines, l => Assert.Matches(
            "^CgiRouting: slow request \\(--slow-log 1 s\\): GET /ticks/8, route GET /ticks/<count>, handler Greetings\\.Ticks, running for 1\\.\\d{3} s in worker \\d+, thread \\d+ ", l));

        CgiRouting.Testing.ReliabilityReport.Write($"status through nginx (--prefork 2, the printed configuration): {sent} requests sent ({Hellos} to /hello/<name>, "
            + $"{Missing} to no route, {Slow} to /ticks/8 that answer in 1.75 s) and {statusRequests} status requests; the pool reported accepted_conn {accepted} "
            + $"(= {sent} + {statusRequests}), slow_requests {slowRequests} with --slow-log 1 (= the {Slow} made slow), {Hellos} GET /hello/<name> 2xx, {Missing} unmatched 4xx; "
            + $"the access log had {lines.Length} lines, one per request, fields exact; the slow log {slowLines.Count} lines; promtool check metrics on the "
            + $"OpenMetrics text: exit {promtoolExit}, {(problems.Count == 0 ? "no problem" : $"only \"no help text\" for the {problems.Count} counters' _total samples (it reads the Prometheus format, where a counter's TYPE names its sample)")}; "
            + $"the same text with the counters' TYPE and HELP named as that format names them: exit {prometheusExit}");
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task On_a_unix_socket_the_status_reports_the_connections_waiting_in_the_listen_queue()
    {
        // A pool that holds its accepts while its workers are full (--prefork 1:2 --max-concurrency 1), so that what
        // comes while both are busy waits in the listener's queue, behind nginx with the printed configuration. Linux
        // tells a unix socket's queue only through netlink's sock_diag (before, these fields were null here).
        string directory = WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-status-unix-").FullName);
        string socket = Path.Combine(directory, "hello.sock");
        using var manager = new FastCgiWorkerProcess(Hello, "unix:" + socket, "--prefork", "1:2", "--max-concurrency", "1", "--status-path", "/status");
        File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110); // for nginx's workers, as PreforkTests does
        using var site = new PrintedServer("nginx", Hello, ["--fastcgi", "unix:" + socket]);
        using var client = site.Client();

        // Both workers busy for 3.75 s; then three slow requests that wait in the queue, the status request behind them
        // and three more behind it. Each group is sent 300 ms after the one before, so that nginx connects in that order:
        // when a worker gets to the status request, the three after it are still queued.
        var busy = Enumerable.Range(0, 2).Select(_ => client.GetStringAsync("/ticks/16")).ToArray();
        await PreforkTests.WaitUntil(() => ProcessTable.ChildrenOf([manager.Id]).Count(c => c.State != 'Z') == 2, TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        var queued = Enumerable.Range(0, 3).Select(_ => client.GetStringAsync("/ticks/4")).ToArray();
        await Task.Delay(300);
        var status = client.GetStringAsync("/status");
        await Task.Delay(300);
        var after = Enumerable.Range(0, 3).Select(i => client.GetStringAsync($"/hello/after{i}")).ToArray();

        int waiting, length;
        long most;
        using (var json = JsonDocument.Parse(await status))
        {
            var root = json.RootElement;
            waiting = root.GetProperty("listen_queue").GetInt32();
            Assert.InRange(waiting, 1, 3); // the requests sent after it, not yet accepted
            // The backlog the worker listened with (1024), as the kernel caps it.
            int backlog = Math.Min(1024, int.Parse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(backlog, length = root.GetProperty("listen_queue_len").GetInt32());
            // The manager samples the queue every 20 ms: it saw at least the status request and those around it waiting.
            most = root.GetProperty("max_listen_queue").GetInt64();
            Assert.True(most >= Math.Max(waiting, 4), root.ToString());
        }
        await Task.WhenAll(busy);
        await Task.WhenAll(queued);
        for (int i = 0; i < after.Length; i++)
            Assert.Equal($"Hello, after{i}!", await after[i]);
        // Once all are answered, nothing waits; the OpenMetrics text has the queue too.
        string metrics = await client.GetStringAsync("/status?openmetrics");
        Assert.Equal(0, Sample(metrics, "cgirouting_listen_queue"));
        Assert.True(Sample(metrics, "cgirouting_max_listen_queue") >= 4);
        Assert.Equal(length, Sample(metrics, "cgirouting_listen_queue_length"));
        CgiRouting.Testing.ReliabilityReport.Write($"status on a unix socket through nginx (--prefork 1:2 --max-concurrency 1, both workers busy, 3 requests queued "
            + $"before the status request and 3 after it): listen_queue {waiting}, max_listen_queue {most}, listen_queue_len {length} (netlink's sock_diag)");
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>The value of the sample <paramref name="series"/> (its name and labels) in <paramref name="text"/>, or -1.</summary>
    private static long Sample(string text, string series)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
                return (long)double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return -1;
    }

    /// <summary><c>promtool check metrics</c> on <paramref name="text"/>: its exit code and what it said.</summary>
    private static (int Exit, string Said) Promtool(string text)
    {
        Repository.Install("promtool:prometheus"); // as test.sh and scripts/operations.sh install it
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(text);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
