using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CgiRouting.Tests;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// Issue 21, "operate it like php-fpm": <c>--prefork MIN:MAX</c> pools that grow while every worker is busy and shrink
/// after <c>--idle-timeout</c> (MIN 0: ondemand), <c>--max-rss</c>, <c>--restart-threshold</c>, and SIGHUP's graceful
/// reload from the binary on disk under load. samples/Hello's <c>/ticks/8</c> answers in 1.75 s, <c>/count</c> counts
/// in a static field.
/// </summary>
public sealed class PoolTests
{
    private static string Hello => Repository.PublishedSample("Hello", "hello");
    private static string Todo => Repository.PublishedSample("Todo", "todo");

    private static int Workers(FastCgiWorkerProcess manager) => ProcessTable.ChildrenOf([manager.Id]).Count(c => c.State != 'Z');

    [Fact]
    public async Task An_ondemand_pool_starts_a_worker_for_a_waiting_connection_grows_to_max_while_all_are_busy_and_falls_back_to_0()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(Hello, address, "--prefork", "0:3", "--idle-timeout", "1", "--max-concurrency", "1", "--status-path", "/status");
        Assert.Contains("up to 3 workers started on demand, each stopped after 1 s idle", manager.Stderr);
        await Task.Delay(300);
        Assert.Equal(0, Workers(manager)); // nothing before a request

        Assert.EndsWith("Hello, first!", Get(address, "/hello/first"));
        Assert.InRange(Workers(manager), 1, 2); // a second one may have started while the first served its one request at a time
        await WaitUntil(() => Workers(manager) == 0, TimeSpan.FromSeconds(5)); // stopped after 1 s idle

        // A burst of four slow requests at once: one worker serves one request at a time (--max-concurrency 1), so the
        // pool grows to its MAX of 3 while all are busy; the fourth waits for one of them, and is answered too. They
        // last 3.75 s (/ticks/16): the pool grows a worker at a time, and a test.sh run counted max_children_reached 0
        // with requests of 1.75 s, as if the three starts had taken longer than a request (the machine was loaded), so
        // that the first worker, free again, took the fourth before the pool was at its MAX.
        int most = 0;
        var burst = Enumerable.Range(0, 4).Select(i => Task.Run(() => Get(address, "/ticks/16"))).ToArray();
        while (!burst.All(t => t.IsCompleted))
        {
            most = Math.Max(most, Workers(manager));
            await Task.Delay(50);
        }
        Assert.All(burst, t => Assert.StartsWith("Status: 200 OK", t.Result));
        Assert.Equal(3, most);
        // The fourth request waited while the pool had its MAX: php-fpm's max children reached, once for the episode.
        long reached;
        using (var state = JsonDocument.Parse(Get(address, "/status").Split("\r\n\r\n")[1]))
            reached = state.RootElement.GetProperty("max_children_reached").GetInt64();
        Assert.Equal(1, reached);
        var idle = System.Diagnostics.Stopwatch.StartNew();
        await WaitUntil(() => Workers(manager) == 0, TimeSpan.FromSeconds(8)); // each stopped after 1 s idle
        double fellIn = idle.Elapsed.TotalSeconds;
        var next = System.Diagnostics.Stopwatch.StartNew();
        Assert.EndsWith("Hello, again!", Get(address, "/hello/again")); // and the next request is answered
        CgiRouting.Testing.ReliabilityReport.Write($"pool --prefork 0:3 --idle-timeout 1 --max-concurrency 1: 0 workers before a request; "
            + $"a burst of 4 requests of 3.75 s grew it to {most} workers, all answered 200 (max_children_reached {reached}: the fourth waited for one); 0 workers {fellIn:F1} s after the burst; "
            + $"the next request answered in {next.Elapsed.TotalMilliseconds:F0} ms from 0 workers");
        Assert.DoesNotContain("exited with", manager.Stderr);
        Assert.DoesNotContain("ended by signal", manager.Stderr);
    }

    [Fact]
    public async Task A_worker_over_max_rss_finishes_its_request_and_is_replaced()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(Hello, address, "--prefork", "1", "--max-rss", "1"); // every worker is over 1 MiB
        await WaitUntil(() => Workers(manager) == 1, TimeSpan.FromSeconds(10));
        var counts = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            int worker = ProcessTable.ChildrenOf([manager.Id]).Single(c => c.State != 'Z').Pid;
            counts.Add(int.Parse(Get(address, "/count").Split("\r\n\r\n")[^1]));
            // A worker over --max-rss after a request accepts no more connections; its accepting threads see that within
            // 0.5 s (one that takes a connection meanwhile serves it: what was accepted is served). Its successor is
            // started at once.
            await WaitUntil(() => ProcessTable.ChildrenOf([manager.Id]).Where(c => c.State != 'Z').Select(c => c.Pid).ToArray() is [int next] && next != worker,
                TimeSpan.FromSeconds(10));
        }
        Assert.Equal([1, 1, 1, 1], counts); // a fresh process each time
        CgiRouting.Testing.ReliabilityReport.Write($"--max-rss 1 (every worker is over it): 4 requests to /count answered {string.Join(", ", counts)}, "
            + "each worker replaced after its request");
        await WaitUntil(() => manager.Stderr.Split('\n').Count(l => l.Contains("over --max-rss 1: exiting after the requests in flight")) >= 3,
            TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("exited with", manager.Stderr);
    }

    [Fact]
    public async Task Workers_dying_past_the_restart_threshold_make_the_manager_back_off_and_say_so_once()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(Hello, address, "--prefork", "2", "--restart-threshold", "3/30");
        for (int killed = 0; killed < 3; killed++)
        {
            await WaitUntil(() => Workers(manager) == 2, TimeSpan.FromSeconds(10));
            int victim = ProcessTable.ChildrenOf([manager.Id]).First(c => c.State != 'Z').Pid;
            Repository.Run("kill", "-KILL", victim.ToString());
            // Gone (reaped, or a zombie until the manager reaps it): the manager may have started its successor already,
            // within milliseconds, so the count of workers need not be seen falling.
            await WaitUntil(() => !ProcessTable.ChildrenOf([manager.Id]).Any(c => c.Pid == victim && c.State != 'Z'), TimeSpan.FromSeconds(5));
        }
        await WaitUntil(() => manager.Stderr.Contains("(--restart-threshold 3/30): starting none for 1 s"), TimeSpan.FromSeconds(5));
        int during = Workers(manager);
        Assert.True(during < 2, "no worker is started during the back-off"); // it is 1 s, the test looks at once
        await WaitUntil(() => Workers(manager) == 2, TimeSpan.FromSeconds(10)); // and then the pool is whole again
        Assert.EndsWith("Hello, back!", Get(address, "/hello/back"));
        Assert.Single(manager.Stderr.Split('\n'), l => l.Contains("--restart-threshold"));
        CgiRouting.Testing.ReliabilityReport.Write($"--restart-threshold 3/30: 3 workers killed with SIGKILL; the manager said so once, "
            + $"had {during} of 2 workers during its 1 s back-off, and the pool was whole again after it");
    }

    [Fact]
    public async Task Ping_and_status_are_answered_by_the_pool_also_while_every_request_slot_is_taken()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(Hello, address, "--prefork", "1", "--max-concurrency", "1", "--ping-path", "/ping", "--status-path", "/status");
        await WaitUntil(() => Workers(manager) == 1, TimeSpan.FromSeconds(10));
        Assert.EndsWith("\r\n\r\npong\n", Get(address, "/ping"));
        var slow = Enumerable.Range(0, 2).Select(_ => Task.Run(() => Get(address, "/ticks/8"))).ToArray();
        await Task.Delay(500); // the worker's one slot taken, and a request waiting for it
        string busy = Get(address, "/status");
        Assert.Contains("Content-Type: application/json", busy);
        using (var state = JsonDocument.Parse(busy.Split("\r\n\r\n")[1]))
        {
            Assert.Equal(1, state.RootElement.GetProperty("total_processes").GetInt32());
            Assert.Equal(1, state.RootElement.GetProperty("active_processes").GetInt32());
            Assert.True(state.RootElement.GetProperty("start_time").GetInt64() > 1_700_000_000);
        }
        await Task.WhenAll(slow);
        // A request is counted once its answer is written: the client may read the last slow one's answer first.
        long Requests() { using var state = JsonDocument.Parse(Get(address, "/status").Split("\r\n\r\n")[1]); return state.RootElement.GetProperty("requests").GetInt64(); }
        await WaitUntil(() => Requests() >= 4, TimeSpan.FromSeconds(5)); // the ping, the two slow ones, the first status
        using var full = JsonDocument.Parse(Get(address, "/status", "full").Split("\r\n\r\n")[1]);
        Assert.True(full.RootElement.GetProperty("requests").GetInt64() >= 4);
        var processes = full.RootElement.GetProperty("processes").EnumerateArray().ToList();
        Assert.Equal(ProcessTable.ChildrenOf([manager.Id]).Where(c => c.State != 'Z').Select(c => c.Pid).Order(),
            processes.Select(p => p.GetProperty("pid").GetInt32()).Order());
        Assert.All(processes, p => Assert.True(p.GetProperty("rss_bytes").GetInt64() > 1 << 20));
        Assert.DoesNotContain("/status", Get(address, "/hello/status")); // the app's own paths are the app's
        CgiRouting.Testing.ReliabilityReport.Write($"--ping-path and --status-path on --prefork 1 --max-concurrency 1: pong, and the JSON status "
            + $"answered while the worker's one slot was taken and another request waited for it; ?full listed the worker's pid and RSS");
    }

    [Fact]
    public async Task SIGHUP_replaces_the_workers_from_the_binary_on_disk_and_loses_no_request_under_load()
    {
        const int Reloads = 5, Posts = 800;
        string directory = WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-reload-").FullName);
        string binary = Path.Combine(directory, "todo");
        File.Copy(Todo, binary);
        using var database = new TodoDatabase();
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(binary, ["--fastcgi", address, "--prefork", "1:4"],
            new Dictionary<string, string> { ["TODO_DB"] = database.Location });
        // As printed without --max-requests: nginx keeps its connections, which the old workers serve until nginx closes them.
        using var site = new PrintedServer("nginx", Todo, ["--fastcgi", address]);
        string run = Guid.NewGuid().ToString("N")[..8];
        int reloads = 0;
        using var stop = new CancellationTokenSource();
        var reads = new ConcurrentBag<int>();
        var reading = Task.Run(async () =>
        {
            using var client = site.Client();
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync("/todos");
                reads.Add((int)response.StatusCode);
            }
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = await ConcurrentPosts.Send(site.BaseAddress, run, Posts, answered =>
        {
            const int Step = Posts / (Reloads + 1);
            if (answered % Step != 0 || answered / Step > Reloads)
                return;
            lock (manager)
            {
                // A deploy: the new file copied beside the old one and renamed over it, then SIGHUP.
                File.Copy(Todo, binary + ".new", overwrite: true);
                File.Move(binary + ".new", binary, overwrite: true);
                Repository.Run("kill", "-HUP", manager.Id.ToString());
                reloads++;
            }
        });
        double seconds = clock.Elapsed.TotalSeconds;
        stop.Cancel();
        await reading;
        Assert.Equal(Reloads, reloads);
        Assert.Empty(outcomes.Where(o => !o.Succeeded).Select(o => $"{o.Index}: {o.Status} {o.Detail}"));
        Assert.All(reads, status => Assert.Equal(200, status));
        using var client = site.Client();
        using var list = JsonDocument.Parse(await client.GetStringAsync("/todos"));
        var titles = list.RootElement.EnumerateArray().Select(t => t.GetProperty("title").GetString()!)
            .Where(t => t.StartsWith($"load {run} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, Posts).Select(i => ConcurrentPosts.Title(run, i)).Order(), titles.Order()); // each once
        await WaitUntil(() => manager.Stderr.Split('\n').Count(l => l.Contains("SIGHUP received")) == Reloads, TimeSpan.FromSeconds(5));
        // Every worker now runs the last file copied in (its inode), none an older one.
        ulong inode = Inode(binary);
        await WaitUntil(() => ProcessTable.ChildrenOf([manager.Id]).Where(c => c.State != 'Z').All(c => Inode($"/proc/{c.Pid}/exe") is 0 || Inode($"/proc/{c.Pid}/exe") == inode),
            TimeSpan.FromSeconds(90)); // an old worker serves nginx's kept connections until nginx closes them
        Assert.DoesNotContain("exited with", manager.Stderr);
        CgiRouting.Testing.ReliabilityReport.Write($"graceful reload: {Reloads} SIGHUPs, each after a new binary was renamed over the old, during "
            + $"{Posts} POSTs from {ConcurrentPosts.Clients} clients and {reads.Count} GETs from one more through nginx in {seconds:F0} s: "
            + "every request 2xx, every POST stored once, every worker afterwards running the last binary");
        manager.Terminate();
        Assert.True(manager.WaitForExit(TimeSpan.FromSeconds(30)));
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>The inode of the file at <paramref name="path"/>, or 0 when it is gone (a worker that exited as it was looked at).</summary>
    private static ulong Inode(string path)
    {
        try
        {
            return ulong.Parse(Repository.Run("stat", "-L", "-c", "%i", path).Trim());
        }
        // A worker that has just exited is a zombie for a moment: its /proc/PID/exe link is still there (File.Exists
        // says so, as of any dangling link) but leads nowhere (a scripts/operations.sh run failed on it).
        catch (Exception) when (!File.Exists(path) || path.StartsWith("/proc/", StringComparison.Ordinal))
        {
            return 0;
        }
    }

    /// <summary>One request on a connection of its own, its whole response (headers and body) as text.</summary>
    private static string Get(string address, string path, string query = "")
    {
        using var client = FastCgiClient.Connect(address);
        client.SendRequest(1, "GET", path, extra: ("QUERY_STRING", query)); // the later of two equal names is taken
        return client.ReadText(1);
    }

    private static Task WaitUntil(Func<bool> condition, TimeSpan timeout) => PreforkTests.WaitUntil(condition, timeout);
}
