using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// A handler's <see cref="CancellationToken"/> (CgiRequest.RequestAborted) through real servers: a client that goes away
/// makes the web server give up on the request, and the handler, waiting on <c>Task.Delay(…, token)</c>, stops at once
/// instead of running to its end. tests/Apps/Sandboxed's <c>/wait/&lt;seconds&gt;</c>; the pipeline logs
/// "was abandoned; its handler stopped." only when the handler ended for the token.
/// </summary>
public sealed class CancellationTests(SandboxFixture app) : IClassFixture<SandboxFixture>
{
    private const string Stopped = "CgiRouting: GET /wait/30 was abandoned; its handler stopped.";

    /// <summary>Sends a GET for <paramref name="path"/> to <paramref name="port"/> and hangs up after <paramref name="after"/>, unanswered.</summary>
    private static async Task GoAway(int port, string path, TimeSpan after)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        await Task.Delay(after);
        client.Client.Close(0); // a reset, as a browser tab closed
    }

    private static bool Within(TimeSpan time, Func<bool> condition) => SpinWait.SpinUntil(condition, time);

    [Fact]
    public async Task Through_nginx_a_client_that_goes_away_stops_a_FastCGI_worker_s_handler()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var worker = new FastCgiWorkerProcess(app.Binary, ["--fastcgi", address], app.Environment);
        using var site = new PrintedServer("nginx", app.Binary, ["--fastcgi", address]);
        var clock = Stopwatch.StartNew();
        await GoAway(site.Port, "/wait/30", TimeSpan.FromSeconds(1));
        Assert.True(Within(TimeSpan.FromSeconds(10), () => worker.Stderr.Contains(Stopped)),
            "the handler did not stop when nginx closed the connection: " + worker.Stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopped after {clock.Elapsed.TotalSeconds:F1} s");
        // The worker serves on.
        using var client = site.Client();
        Assert.Equal("waited 0 s", await client.GetStringAsync("/wait/0"));
    }

    [Fact]
    public async Task A_CGI_process_whose_standard_output_is_closed_stops_its_handler()
    {
        // What a web server does when it gives up on a CGI request without ending the process: it closes its end of
        // the process's standard output (poll(2) then reports POLLERR on the pipe).
        var start = new ProcessStartInfo(app.Binary) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.Environment.Clear();
        foreach (var (name, value) in app.Environment)
            start.Environment[name] = value;
        start.Environment["GATEWAY_INTERFACE"] = "CGI/1.1";
        start.Environment["REQUEST_METHOD"] = "GET";
        start.Environment["PATH_INFO"] = "/wait/30";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await Task.Delay(1000); // the handler waits, with the token
        Assert.False(process.HasExited);
        var clock = Stopwatch.StartNew();
        process.StandardOutput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "the handler did not stop when its standard output was closed");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopped after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(0, process.ExitCode);
        Assert.Contains(Stopped, await error);
    }

    [Fact]
    public void A_CGI_request_that_watches_its_connection_looks_up_no_library_by_name()
    {
        // The watch polls the process's standard output (poll(2), bound at start with read and write: CgiRouting.props
        // and InteropBindingTests); bound at its first call, it would make the request probe for "libc" by name.
        Repository.Install("strace:strace");
        var environment = app.Environment.Select(v => $"{v.Key}={v.Value}").ToList();
        string trace = Repository.Run(Repository.Root, "env", [.. environment, "GATEWAY_INTERFACE=CGI/1.1", "REQUEST_METHOD=GET",
            "PATH_INFO=/wait/1", "strace", "-f", "-e", "trace=%file,poll", app.Binary], includeError: true);
        Assert.Contains("waited 1 s", trace); // the response, then strace's report
        Assert.Contains("poll(", trace); // the watch ran while the handler waited
        Assert.DoesNotContain("libc.so\"", trace);
        Assert.DoesNotContain("liblibc", trace);
    }
}
