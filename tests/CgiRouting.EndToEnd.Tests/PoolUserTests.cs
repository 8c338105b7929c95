using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// Issue 21, users: a <c>--prefork</c> manager started as root binds its unix socket, gives it to <c>--user</c>'s account
/// (so nginx's workers, as nobody, may connect) and runs its workers as that account; requests are served through nginx.
/// </summary>
public sealed class PoolUserTests
{
    private static string Hello => Repository.PublishedSample("Hello", "hello");

    [Fact]
    public async Task A_root_manager_runs_its_workers_as_user_and_nginx_reaches_them_through_the_socket_it_bound()
    {
        Assert.Equal("0", Repository.Run("id", "-u").Trim()); // this test starts the manager as root
        Repository.Install("nginx:nginx-light");
        string directory = WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-user-").FullName);
        string socket = Path.Combine(directory, "app.sock");
        using var manager = new FastCgiWorkerProcess(Hello, "unix:" + socket, "--prefork", "2", "--user", "nobody");
        Assert.Contains("2 workers started ahead, run as nobody", manager.Stderr);
        int[] workers = [];
        Assert.True(System.Threading.SpinWait.SpinUntil(() =>
            (workers = [.. ProcessTable.ChildrenOf([manager.Id]).Where(c => c.State != 'Z').Select(c => c.Pid)]).Length == 2
            && workers.All(w => File.ReadAllText($"/proc/{w}/cmdline").StartsWith(Hello + "\0", StringComparison.Ordinal)), 10_000),
            "two workers, each the binary itself once setpriv has executed it");
        foreach (int worker in workers)
        {
            string status = File.ReadAllText($"/proc/{worker}/status");
            Assert.Contains("\nUid:\t65534\t65534\t65534\t65534\n", status); // nobody: real, effective, saved, file system
            Assert.Contains("\nGid:\t65534\t65534\t65534\t65534\n", status); // nogroup, nobody's own group
            Assert.Contains("\nGroups:\t65534 \n", status); // its supplementary groups, none of root's
            Assert.Contains("\nCapEff:\t0000000000000000\n", status);
        }
        Assert.Contains("\nUid:\t0\t", File.ReadAllText($"/proc/{manager.Id}/status")); // the manager stays root
        Assert.Equal("nobody:nogroup 660", Repository.Run("stat", "-c", "%U:%G %a", socket).Trim()); // --user's, without --socket-owner
        using var nginx = new NginxFastCgiServer(["/=unix:" + socket]);
        using var client = nginx.Client();
        for (int i = 0; i < 10; i++)
            Assert.Equal($"Hello, u{i}!", await client.GetStringAsync($"/hello/u{i}"));
    }
}
