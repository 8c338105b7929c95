using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CgiRouting.Testing;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>Many CGI processes writing one SQLite file at once, and requests that die half-way: nothing is lost.</summary>
public class LoadAndFaultTests(LighttpdTodoHost host) : IClassFixture<LighttpdTodoHost>
{
    [Fact]
    public Task Concurrent_posts_through_lighttpd_are_all_stored() => ConcurrentPosts.AreAllStored(host, "lighttpd");

    [Fact]
    public async Task A_client_that_disconnects_mid_body_writes_nothing()
    {
        using (var client = host.Server.Client())
            (await client.GetAsync("/todos")).EnsureSuccessStatusCode();
        long before = host.Database.Count();
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(IPAddress.Loopback, host.Server.Port);
            var stream = socket.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                "POST /todos HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"title\":\"half"));
            await Task.Delay(300);
        } // closed with 86 bytes of the body never sent
        await Task.Delay(1000);
        Assert.Equal(before, host.Database.Count());
        Assert.Equal("ok", host.Database.IntegrityCheck());
    }

    [Fact]
    public async Task A_child_killed_while_reading_its_body_writes_nothing()
    {
        using (var client = host.Server.Client())
            (await client.GetAsync("/todos")).EnsureSuccessStatusCode();
        long before = host.Database.Count();
        var start = new ProcessStartInfo(host.Binary) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GATEWAY_INTERFACE"] = "CGI/1.1";
        start.Environment["REQUEST_METHOD"] = "POST";
        start.Environment["PATH_INFO"] = "/todos";
        start.Environment["CONTENT_TYPE"] = "application/json";
        start.Environment["CONTENT_LENGTH"] = "100";
        start.Environment["TODO_DB"] = host.Database.Path;
        using var process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync("{\"title\":\"half"u8.ToArray());
        await process.StandardInput.BaseStream.FlushAsync();
        await Task.Delay(300);
        Assert.False(process.HasExited, "the child should be waiting for the rest of its body");
        process.Kill(); // what a server does when the client goes away
        await process.WaitForExitAsync();
        Assert.Equal(before, host.Database.Count());
        Assert.Equal("ok", host.Database.IntegrityCheck());
    }
}

/// <summary>The load test of issue 14 through Apache httpd (mod_cgid, the child as nobody).</summary>
public class ApacheLoadTests(ApacheTodoHost host) : IClassFixture<ApacheTodoHost>
{
    [Fact]
    public Task Concurrent_posts_through_apache_are_all_stored() => ConcurrentPosts.AreAllStored(host, "Apache httpd");
}

/// <summary>The load test through nginx and fcgiwrap.</summary>
public class NginxLoadTests(NginxTodoHost host) : IClassFixture<NginxTodoHost>
{
    [Fact]
    public Task Concurrent_posts_through_nginx_are_all_stored() => ConcurrentPosts.AreAllStored(host, "nginx + fcgiwrap");
}

/// <summary>
/// 2,000 POSTs from 16 concurrent clients, bounded at five minutes: every one answered 2xx, every one stored once,
/// and the database's integrity check clean.
/// </summary>
internal static class ConcurrentPosts
{
    public const int Clients = 16;
    public const int Posts = 2000;

    /// <summary>What POST number <paramref name="Index"/> got: its status code and body, or 0 and the error when no response came.</summary>
    public sealed record Outcome(int Index, int Status, string Detail)
    {
        public bool Succeeded => Status is >= 200 and <= 299;
    }

    /// <summary>The title of POST number <paramref name="index"/> of the load <paramref name="run"/>.</summary>
    public static string Title(string run, int index) => $"load {run} {index}";

    public static async Task AreAllStored(TodoHost host, string server)
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        var stopwatch = Stopwatch.StartNew();
        var outcomes = await Send(host.Server.BaseAddress, run);
        Assert.Empty(outcomes.Where(o => !o.Succeeded).Select(o => $"{o.Index}: {o.Status} {o.Detail}"));

        using var client = host.Server.Client();
        using var list = JsonDocument.Parse(await client.GetStringAsync("/todos"));
        var titles = list.RootElement.EnumerateArray().Select(t => t.GetProperty("title").GetString()!)
            .Where(t => t.StartsWith($"load {run} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Posts, titles.Count);
        Assert.Equal(Enumerable.Range(0, Posts).Select(i => Title(run, i)).Order(), titles.Order());
        Assert.Equal("ok", host.Storage.IntegrityCheck());
        ReliabilityReport.Write($"load, {server}: {Posts} POSTs from {Clients} concurrent clients in {stopwatch.Elapsed.TotalSeconds:F0} s, "
            + "every one answered 2xx and stored exactly once; integrity ok");
    }

    /// <summary>
    /// Sends the <see cref="Posts"/> POSTs of <paramref name="run"/> from <see cref="Clients"/> concurrent clients, within ten
    /// minutes, and returns what each got; <paramref name="answered"/> is called with the number answered so far after each.
    /// </summary>
    public static Task<Outcome[]> Send(Uri baseAddress, string run, Action<int>? answered = null) => Send(baseAddress, run, Posts, answered);

    /// <summary>The same with <paramref name="posts"/> POSTs.</summary>
    public static async Task<Outcome[]> Send(Uri baseAddress, string run, int posts, Action<int>? answered = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // bounded in time as well as count
        var outcomes = new Outcome[posts];
        int next = -1, done = 0;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < posts && !deadline.IsCancellationRequested)
            {
                try
                {
                    var content = new StringContent($"{{\"title\":\"{Title(run, i)}\"}}", Encoding.UTF8, "application/json");
                    using var response = await client.PostAsync("/todos", content, deadline.Token);
                    outcomes[i] = new Outcome(i, (int)response.StatusCode, await response.Content.ReadAsStringAsync());
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    outcomes[i] = new Outcome(i, 0, e.Message);
                }
                answered?.Invoke(Interlocked.Increment(ref done));
            }
        })));
        Assert.False(deadline.IsCancellationRequested, $"the load did not finish in 10 minutes ({next} sent)");
        return outcomes;
    }
}

/// <summary>The load test on PostgreSQL (issue 12): 16 clients of CGI processes, each with its own connection.</summary>
public class PostgresLoadTests(PostgresTodoHost host) : IClassFixture<PostgresTodoHost>
{
    [Fact]
    public Task Concurrent_posts_through_lighttpd_to_postgresql_are_all_stored() => ConcurrentPosts.AreAllStored(host, "lighttpd, PostgreSQL");
}
