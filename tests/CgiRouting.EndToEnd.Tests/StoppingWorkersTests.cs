using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// Workers that stop lose nothing (issue 25): samples/Todo as <c>--prefork</c> FastCGI workers that exit after their
/// <c>--max-requests</c>, or one of two managers stopped with SIGTERM mid-load, behind nginx configured by exactly what
/// <c>todo --config nginx --fastcgi ...</c> prints. Before, a worker at its quota closed connections on which nginx
/// had already sent a request (nginx never sends a POST again: 502), and a one-request worker's kept connection was
/// closed under nginx's next request. Every POST must be answered 2xx and stored once; Apache's printed configuration too. The load is
/// <c>CGIROUTING_LOAD_POSTS</c> POSTs (2,000 in ./test.sh; the issue's 10,000 with scripts/reliability.sh) from 16 clients.
/// </summary>
public sealed class StoppingWorkersTests
{
    private static string Todo => Repository.PublishedSample("Todo", "todo");

    private static int Posts => int.TryParse(Environment.GetEnvironmentVariable("CGIROUTING_LOAD_POSTS"), out int posts) ? posts : ConcurrentPosts.Posts;

    [Theory]
    [InlineData("nginx", "1", true)] // the configuration printed for the workers: a connection per request
    [InlineData("nginx", "1", false)] // printed without --max-requests: nginx keeps connections, which the workers serve until nginx closes them
    [InlineData("nginx", "100", false)]
    [InlineData("apache", "1", true)]
    [InlineData("apache", "100", true)]
    public async Task Prefork_workers_at_their_quota_lose_no_POST_behind_the_printed_configuration(string server, string maxRequests, bool printedWithIt)
    {
        using var database = new TodoDatabase();
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(Todo, ["--fastcgi", address, "--prefork", "4", "--max-requests", maxRequests],
            new Dictionary<string, string> { ["TODO_DB"] = database.Location });
        using var site = new PrintedServer(server, Todo, printedWithIt ? ["--fastcgi", address, "--max-requests", maxRequests] : ["--fastcgi", address]);
        await AllAreStored(site, database, $"prefork 4, --max-requests {maxRequests}, {server} printed {(printedWithIt ? "with" : "without")} it");
        Assert.DoesNotContain("exited with", manager.Stderr);
    }

    [Fact]
    public async Task Two_managers_behind_one_printed_upstream_lose_no_POST_when_one_is_stopped_mid_load()
    {
        using var database = new TodoDatabase();
        string a = NginxFastCgiServer.FreeTcpAddress(), b = NginxFastCgiServer.FreeTcpAddress();
        var environment = new Dictionary<string, string> { ["TODO_DB"] = database.Location };
        using var managerA = new FastCgiWorkerProcess(Todo, ["--fastcgi", a, "--prefork", "2", "--max-requests", "100"], environment);
        using var managerB = new FastCgiWorkerProcess(Todo, ["--fastcgi", b, "--prefork", "2", "--max-requests", "100"], environment);
        using var nginx = new PrintedServer("nginx", Todo, ["--fastcgi", a, "--fastcgi", b]);
        int posts = Posts;
        await AllAreStored(nginx, database, "two managers (prefork 2, --max-requests 100) in one upstream, one stopped mid-load", answered =>
        {
            if (answered == posts / 3)
                managerB.Terminate();
        });
        Assert.True(managerB.WaitForExit(TimeSpan.FromSeconds(30)), "the stopped manager exits");
        Assert.Equal(0, managerB.ExitCode);
        Assert.DoesNotContain("no live upstreams", nginx.AppErrorLog);
    }

    private static async Task AllAreStored(PrintedServer site, TodoDatabase database, string what, Action<int>? answered = null)
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        int posts = Posts;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = await ConcurrentPosts.Send(site.BaseAddress, run, posts, answered);
        var failed = outcomes.Where(o => !o.Succeeded).Select(o => $"{o.Index}: {o.Status}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} failed ({string.Join(", ", failed.Take(10))}); the server's error log:\n"
            + string.Join('\n', site.AppErrorLog.Split('\n').Where(l => l.Contains("error]")).Take(10)));
        using var client = site.Client();
        using var list = JsonDocument.Parse(await client.GetStringAsync("/todos"));
        var titles = list.RootElement.EnumerateArray().Select(t => t.GetProperty("title").GetString()!)
            .Where(t => t.StartsWith($"load {run} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, posts).Select(i => ConcurrentPosts.Title(run, i)).Order(), titles.Order()); // each once
        Assert.Equal("ok", database.IntegrityCheck());
        CgiRouting.Testing.ReliabilityReport.Write($"stopping workers, {what}: {posts} POSTs from {ConcurrentPosts.Clients} clients "
            + $"in {stopwatch.Elapsed.TotalSeconds:F0} s, every one answered 2xx and stored once");
    }
}
