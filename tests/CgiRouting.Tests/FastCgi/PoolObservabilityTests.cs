using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CgiRouting.FastCgi;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// Issue 21's status, metrics and logs in a worker of this process: <c>--status-path</c>'s JSON and OpenMetrics with
/// per-route counts (the generated dispatcher's <see cref="CgiRequest.RouteIndex"/>), <c>--access-log</c>'s lines and
/// <c>--slow-log</c>, over real FastCGI connections; and the formats alone.
/// </summary>
public sealed class PoolObservabilityTests
{
    /// <summary>A worker on a unix socket, with the options under test.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly int _listener;
        private readonly string _directory;

        public Worker(AccessLog? accessLog = null, TimeSpan slowLog = default, StringWriter? log = null)
        {
            _directory = Directory.CreateTempSubdirectory("cgirouting-metrics-").FullName;
            _listener = SocketDescriptor.Listen("unix:" + Path.Combine(_directory, "worker.sock"), 64);
            Address = SocketDescriptor.Describe(_listener);
            Server = new FastCgiServer(_listener, ownsListener: true, 4, 0, new CgiOptions { ErrorLog = TextWriter.Null }, TextWriter.Synchronized(log ?? new StringWriter()))
            {
                StatusPath = "/status",
                Scoreboard = Scoreboard.CreateOwn(4, CgiApp.Routes.Count),
                Routes = CgiApp.Routes,
                AccessLog = accessLog,
                SlowLogThreshold = slowLog,
            };
            Server.Start();
        }

        public string Address { get; }
        public FastCgiServer Server { get; }

        public string Get(string path, string query = "")
        {
            using var client = FastCgiClient.Connect(Address);
            client.SendRequest(1, "GET", path, extra: ("QUERY_STRING", query));
            return client.ReadText(1);
        }

        public void Dispose()
        {
            Server.RequestStop("test over");
            Server.Stop(TimeSpan.FromSeconds(5));
            if (Server.WaitForThreads(TimeSpan.FromSeconds(5)))
                SocketDescriptor.Close(_listener);
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>
    /// Waits for <paramref name="condition"/>: a request is counted and logged once its answer is written, which the
    /// client may read first.
    /// </summary>
    private static void Eventually(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(5))
            Thread.Sleep(10);
    }

    private static int RouteIndex(string method, string template) =>
        CgiApp.Routes.Select((r, i) => (r, i)).Single(p => p.r.Method == method && p.r.Template == template).i;

    [Fact]
    public async Task The_generated_dispatcher_stores_the_row_of_the_route_it_matched()
    {
        var matched = CgiRequest.Create("GET", "/n/5");
        await CgiApp.DispatchAsync(matched);
        Assert.Equal(RouteIndex("GET", "/n/<id>"), matched.RouteIndex);
        var head = CgiRequest.Create("HEAD", "/n/5"); // HEAD is answered by the GET route: its row
        await CgiApp.DispatchAsync(head);
        Assert.Equal(RouteIndex("GET", "/n/<id>"), head.RouteIndex);
        var unmatched = CgiRequest.Create("GET", "/no/such/route/here");
        await CgiApp.DispatchAsync(unmatched);
        Assert.Equal(-1, unmatched.RouteIndex);
    }

    [Fact]
    public void OpenMetrics_counts_the_pools_requests_by_route_and_status_class()
    {
        using var worker = new Worker();
        for (int i = 0; i < 3; i++)
            Assert.EndsWith("int 5", worker.Get("/n/5"));
        Assert.StartsWith("Status: 404", worker.Get("/no/such/route/here"));
        string answer = "";
        // A request is counted once its answer is written, which the client may read first: wait for all four.
        Eventually(() => (answer = worker.Get("/status", "openmetrics")).Contains("(unmatched)\",status=\"4xx\"} 1")
            && answer.Contains("route=\"/n/<id>\",status=\"2xx\"} 3"));
        Assert.Contains("Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\n", answer);
        string text = answer.Split("\r\n\r\n", 2)[1];
        Assert.EndsWith("\n# EOF\n", text);
        string[] lines = text.Split('\n');
        Assert.Contains("cgirouting_route_requests_total{method=\"GET\",route=\"/n/<id>\",status=\"2xx\"} 3", lines);
        Assert.Contains("cgirouting_route_requests_total{method=\"GET\",route=\"/n/<id>\",status=\"4xx\"} 0", lines);
        Assert.Contains("cgirouting_route_requests_total{method=\"(unmatched)\",route=\"(unmatched)\",status=\"4xx\"} 1", lines);
        Assert.Contains("cgirouting_route_request_duration_seconds_count{method=\"GET\",route=\"/n/<id>\"} 3", lines);
        Assert.Contains("cgirouting_route_request_duration_seconds_bucket{method=\"GET\",route=\"/n/<id>\",le=\"+Inf\"} 3", lines);
        Assert.Contains("cgirouting_route_request_duration_seconds_bucket{method=\"GET\",route=\"/n/<id>\",le=\"10.0\"} 3", lines);
        // Accepted: the four requests and the status requests; these are no route's.
        int accepted = int.Parse(lines.Single(l => l.StartsWith("cgirouting_accepted_connections_total ", StringComparison.Ordinal)).Split(' ')[1]);
        Assert.True(accepted >= 5);
        Assert.Contains("# TYPE cgirouting_accepted_connections counter", lines);
        Assert.Contains("# UNIT cgirouting_route_request_duration_seconds seconds", lines);
        Assert.Equal(CgiApp.Routes.Count + 1, lines.Count(l => l.StartsWith("cgirouting_route_request_duration_seconds_count{", StringComparison.Ordinal)));
        // JSON: the fields of before, and php-fpm's others.
        using var json = JsonDocument.Parse(worker.Get("/status").Split("\r\n\r\n", 2)[1]);
        var root = json.RootElement;
        Assert.Equal(accepted + 1, root.GetProperty("accepted_conn").GetInt64());
        Assert.Equal(0, root.GetProperty("slow_requests").GetInt64());
        Assert.Equal(0, root.GetProperty("max_children_reached").GetInt64());
        // A unix socket's queue (netlink's sock_diag): nothing waits while the status is read; the backlog the worker listened with.
        Assert.Equal(0, root.GetProperty("listen_queue").GetInt32());
        Assert.Equal(64, root.GetProperty("listen_queue_len").GetInt32());
        Assert.Equal(0, root.GetProperty("max_listen_queue").GetInt64());
        Assert.Equal(1, root.GetProperty("total_processes").GetInt32());
    }

    [Fact]
    public async Task Full_status_shows_each_workers_current_request_and_its_duration()
    {
        using var worker = new Worker();
        var slow = Task.Factory.StartNew(() => worker.Get("/filters/slow/1500"), TaskCreationOptions.LongRunning);
        // Asked until the slow request has run 400 ms: on a loaded run its thread may start late (a fixed 600 ms wait
        // once saw the status request itself as the current one).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JsonElement process;
        do
        {
            Thread.Sleep(100);
            using var json = JsonDocument.Parse(worker.Get("/status", "full").Split("\r\n\r\n", 2)[1]);
            process = Assert.Single(json.RootElement.GetProperty("processes").EnumerateArray()).Clone();
        }
        while (!(process.GetProperty("request").GetString() == "GET /filters/slow/1500" && process.GetProperty("request_duration_us").GetInt64() >= 400_000)
            && clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal("active", process.GetProperty("state").GetString());
        Assert.Equal("GET /filters/slow/1500", process.GetProperty("request").GetString());
        Assert.InRange(process.GetProperty("request_duration_us").GetInt64(), 400_000, 1_500_000);
        await slow;
    }

    [Fact]
    public void The_access_log_has_a_line_per_request_with_its_fields()
    {
        string path = Path.GetTempFileName();
        try
        {
            using (var worker = new Worker(AccessLog.Open(path, "%m %r%Q%q %w %s %b %p", TextWriter.Null)))
            {
                string found = worker.Get("/n/7", "x=1");
                string missing = worker.Get("/nowhere");
                Eventually(() => File.ReadAllLines(path).Length == 2);
                var lines = File.ReadAllLines(path);
                int pid = Environment.ProcessId;
                Assert.Equal([$"GET /n/7?x=1 /n/<id> 200 {found.Length} {pid}", $"GET /nowhere - 404 {missing.Length} {pid}"], lines);
            }
            using (var worker = new Worker(AccessLog.Open(path, "json", TextWriter.Null)))
            {
                worker.Get("/n/8");
                Eventually(() => File.ReadAllLines(path).Length == 3);
                using var line = JsonDocument.Parse(File.ReadAllLines(path)[^1]);
                Assert.Equal("/n/<id>", line.RootElement.GetProperty("route").GetString());
                Assert.Equal(200, line.RootElement.GetProperty("status").GetInt32());
                Assert.True(line.RootElement.GetProperty("peak_rss_bytes").GetInt64() > 1 << 20);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_slow_log_writes_a_request_past_its_threshold_once_with_route_and_handler()
    {
        var log = new StringWriter();
        using var worker = new Worker(slowLog: TimeSpan.FromMilliseconds(300), log: log);
        worker.Get("/filters/slow/1200");
        worker.Get("/filters/slow/10");
        string text;
        lock (log)
            text = log.ToString();
        var line = Assert.Single(text.Split('\n'), l => l.Contains("slow request"));
        Assert.Contains("CgiRouting: slow request (--slow-log 0.3 s): GET /filters/slow/1200, route GET /filters/slow/<ms>, handler FilterRoutes.Slow, running for 0.", line);
        Assert.Contains($"in worker {Environment.ProcessId}, thread ", line);
        using var json = JsonDocument.Parse(worker.Get("/status").Split("\r\n\r\n", 2)[1]);
        Assert.Equal(1, json.RootElement.GetProperty("slow_requests").GetInt64());
    }

    private static AccessLog.Entry Entry(string path = "/users/42", string query = "a=1") => new()
    {
        Start = new DateTime(2026, 12, 7, 15, 4, 5, 123, DateTimeKind.Utc),
        End = new DateTime(2026, 12, 7, 15, 4, 5, 126, DateTimeKind.Utc),
        RemoteAddress = "192.0.2.7",
        Method = "GET",
        Path = path,
        Query = query,
        Route = "/users/<id>",
        Status = 200,
        Bytes = 1234,
        Microseconds = 2500,
        Pid = 4321,
        PeakResidentBytes = 12 << 20,
    };

    [Fact]
    public void The_default_access_format_has_php_fpms_letters_and_the_route()
    {
        Assert.Equal("07/Dec/2026:15:04:05 +0000 192.0.2.7 \"GET /users/42?a=1\" /users/<id> 200 1234 2.500 4321 12288\n",
            AccessLog.ForFormat(null).Line(Entry()));
        Assert.Equal("0.003 2500 2.500 12 - 07/Dec/2026:15:04:05 +0000 100%\n",
            AccessLog.ForFormat("%d %{micro}d %{mili}d %{mega}M %u %T 100%%").Line(Entry()));
    }

    [Fact]
    public void Request_text_cannot_end_a_line_or_a_quoted_field()
    {
        string line = AccessLog.ForFormat("\"%r\" %q").Line(Entry(path: "/a\nforged \"line\"", query: "b=\r"));
        Assert.Equal("\"/a\\x0Aforged \\x22line\\x22\" b=\\x0D\n", line);
        using var json = JsonDocument.Parse(AccessLog.ForFormat("json").Line(Entry(path: "/a\n\"b\"")));
        Assert.Equal("/a\n\"b\"", json.RootElement.GetProperty("uri").GetString());
        Assert.Equal(2500, json.RootElement.GetProperty("duration_us").GetInt64());
        Assert.Equal("2026-12-07T15:04:05.123Z", json.RootElement.GetProperty("time").GetString());
    }

    [Fact]
    public void Under_load_lines_are_gathered_and_written_together_once_the_worker_is_idle()
    {
        string path = Path.GetTempFileName();
        try
        {
            var log = AccessLog.Open(path, "%r", TextWriter.Null);
            log.Write(Entry(path: "/first"), idle: false);
            log.Write(Entry(path: "/second"), idle: false);
            Assert.Equal("", File.ReadAllText(path)); // other requests were in flight
            log.Write(Entry(path: "/third"), idle: true);
            Assert.Equal("/first\n/second\n/third\n", File.ReadAllText(path));
            log.Write(Entry(path: "/fourth"), idle: false);
            log.Flush(); // as the worker stops
            Assert.EndsWith("/third\n/fourth\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("%x", "%x is not a field")]
    [InlineData("%{kilo}d", "%{kilo}d is not a field")]
    [InlineData("%s %", "ends with '%'")]
    [InlineData("%{mili", "without its '}'")]
    public void A_format_with_an_unknown_field_is_refused_with_the_letters(string format, string message)
    {
        var error = new StringWriter();
        Assert.False(AccessLog.IsValidFormat(format, error));
        Assert.Contains(message, error.ToString());
    }

    [Fact]
    public void Label_values_and_floats_are_written_as_OpenMetrics_reads_them()
    {
        Assert.Equal("a\\\\b\\\"c\\nd", PoolStatus.LabelValue("a\\b\"c\nd"));
        Assert.Equal("1.0", System.Text.Encoding.UTF8.GetString(PoolStatus.Bound(9)));
        Assert.Equal("0.0025", System.Text.Encoding.UTF8.GetString(PoolStatus.Bound(1)));
        Assert.Equal("+Inf", System.Text.Encoding.UTF8.GetString(PoolStatus.Bound(Scoreboard.BucketCount)));
        // Each bound is the one the scoreboard counts with.
        for (int bucket = 0; bucket < Scoreboard.BucketCount; bucket++)
            Assert.Equal(Scoreboard.BucketBounds[bucket], double.Parse(System.Text.Encoding.UTF8.GetString(PoolStatus.Bound(bucket)), System.Globalization.CultureInfo.InvariantCulture));
    }
}
