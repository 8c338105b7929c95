using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// <c>--fastcgi ADDRESS --prefork N --max-requests 1</c>: a process per request, as in CGI, started before the request
/// arrives, behind nginx's <c>fastcgi_pass</c>. samples/Hello's <c>/count</c> counts in a static field.
/// </summary>
public sealed class PreforkTests
{
    private static string Hello => Repository.PublishedSample("Hello", "hello");

    [Fact]
    public async Task One_request_per_worker_shares_nothing_and_16_clients_get_no_error()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(Hello, address, "--prefork", "3", "--max-requests", "1");
        // Configured for workers with --max-requests: no connection kept, so that each worker serves exactly one request.
        using var nginx = new NginxFastCgiServer(["/=" + address, "--max-requests=1"]);
        using var client = nginx.Client();
        var answers = new ConcurrentBag<(int Status, string Body)>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 25; i++)
            {
                using var response = await client.GetAsync("/count");
                answers.Add(((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        })));
        Assert.Equal(400, answers.Count);
        Assert.All(answers, a => Assert.Equal((200, "1"), a)); // a fresh process each time: the static count is always 1
        Assert.DoesNotContain("exited with", manager.Stderr); // workers end normally, one request each
        Assert.Contains("3 workers started ahead", manager.Stderr);
    }

    [Fact]
    public async Task Without_max_requests_a_worker_keeps_its_static_state()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(Hello, address, "--prefork", "1");
        using var nginx = new NginxFastCgiServer(["/=" + address]);
        using var client = nginx.Client();
        var counts = new int[5];
        for (int i = 0; i < counts.Length; i++)
            counts[i] = int.Parse(await client.GetStringAsync("/count"));
        Assert.Equal([1, 2, 3, 4, 5], counts);
    }

    [Fact]
    public async Task A_worker_that_dies_is_replaced_and_SIGTERM_ends_them_all()
    {
        // On a unix socket, which the manager removes when it exits.
        string directory = WebServer.OpenToAll(System.IO.Directory.CreateTempSubdirectory("cgirouting-prefork-").FullName);
        string socket = System.IO.Path.Combine(directory, "hello.sock");
        using var manager = new FastCgiWorkerProcess(Hello, "unix:" + socket, "--prefork", "2");
        System.IO.File.SetUnixFileMode(socket, (System.IO.UnixFileMode)0b110_110_110); // for nginx's workers, as FastCgiTests does
        using var nginx = new NginxFastCgiServer(["/=unix:" + socket]);
        using var client = nginx.Client();
        Assert.Equal("Hello, world!", await client.GetStringAsync("/hello/world"));
        int[] workers = ProcessTable.ChildrenOf([manager.Id]).Select(c => c.Pid).ToArray();
        Assert.Equal(2, workers.Length);
        Repository.Run("kill", "-KILL", workers[0].ToString());
        await WaitUntil(() => manager.Stderr.Contains($"worker {workers[0]} was ended by signal 9; starting another"), TimeSpan.FromSeconds(10));
        await WaitUntil(() => ProcessTable.ChildrenOf([manager.Id]).Count(c => c.State != 'Z') == 2, TimeSpan.FromSeconds(10));
        for (int i = 0; i < 20; i++)
            Assert.Equal("Hello, world!", await client.GetStringAsync("/hello/world"));

        int[] now = ProcessTable.ChildrenOf([manager.Id]).Select(c => c.Pid).ToArray();
        manager.Terminate();
        Assert.True(manager.WaitForExit(TimeSpan.FromSeconds(15)), "the manager did not exit after SIGTERM");
        Assert.Equal(0, manager.ExitCode);
        Assert.All(now, pid => Assert.False(System.IO.Directory.Exists($"/proc/{pid}") && !IsZombie(pid), $"worker {pid} outlived its manager"));
        Assert.False(System.IO.File.Exists(socket), "the manager removes its socket file when it exits");
        System.IO.Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_worker_that_cannot_be_started_is_tried_again_and_the_manager_stays()
    {
        // Before, the slot stayed empty for good; with every slot empty, waitpid gave ECHILD and the manager exited 0.
        string directory = System.IO.Directory.CreateTempSubdirectory("cgirouting-prefork-").FullName;
        string binary = System.IO.Path.Combine(directory, "hello");
        System.IO.File.Copy(Hello, binary);
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(binary, address, "--prefork", "1");
        await WaitUntil(() => ProcessTable.ChildrenOf([manager.Id]).Count(c => c.State != 'Z') == 1, TimeSpan.FromSeconds(10));
        int worker = ProcessTable.ChildrenOf([manager.Id]).Single().Pid;
        System.IO.File.Move(binary, binary + ".away"); // the next start fails
        Repository.Run("kill", "-KILL", worker.ToString());
        await WaitUntil(() => manager.Stderr.Contains("could not be started"), TimeSpan.FromSeconds(10));
        await Task.Delay(1500);
        Assert.False(manager.HasExited, "the manager exited with no worker left");
        System.IO.File.Move(binary + ".away", binary);
        await WaitUntil(() => ProcessTable.ChildrenOf([manager.Id]).Count(c => c.State != 'Z') == 1, TimeSpan.FromSeconds(40));
        using var client = CgiRouting.Tests.FastCgiClient.Connect(address);
        client.SendRequest(1, "GET", "/hello/again");
        Assert.EndsWith("Hello, again!", client.ReadText(1));
        manager.Terminate();
        Assert.True(manager.WaitForExit(TimeSpan.FromSeconds(15)));
        System.IO.Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Workers_end_with_a_manager_killed_by_SIGKILL()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var manager = new FastCgiWorkerProcess(Hello, address, "--prefork", "2");
        await WaitUntil(() => ProcessTable.ChildrenOf([manager.Id]).Count(c => c.State != 'Z') == 2, TimeSpan.FromSeconds(10));
        int[] workers = ProcessTable.ChildrenOf([manager.Id]).Select(c => c.Pid).ToArray();
        manager.KillHard(); // the manager only: nothing is passed on to its workers
        // Re-parented to init, a worker would wait in accept for ever; each asked the kernel for SIGTERM instead.
        await WaitUntil(() => workers.All(pid => !System.IO.Directory.Exists($"/proc/{pid}") || IsZombie(pid)), TimeSpan.FromSeconds(10));
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return System.IO.File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].TrimStart().StartsWith('Z');
        }
        catch (System.IO.IOException)
        {
            return false; // gone between the caller's look and this one
        }
    }

    internal static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        for (var deadline = DateTime.UtcNow + timeout; !condition(); await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline, "timed out");
    }
}
