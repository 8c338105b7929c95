using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// <c>app --config SERVER</c> prints, for the binary itself, the configuration that the scripts in hosting/ print for
/// one app, which the other end-to-end tests run through each server; and <c>app --serve PORT</c> serves the app
/// through lighttpd.
/// </summary>
public sealed class ServerConfigurationTests
{
    private static string Hello => Repository.PublishedSample("Hello", "hello");

    [Theory]
    [InlineData("lighttpd", "/")]
    [InlineData("lighttpd", "/hello/")]
    [InlineData("apache", "/")]
    [InlineData("apache", "/app/")]
    [InlineData("nginx", "/")]
    [InlineData("nginx", "/app/")]
    public void The_binary_prints_what_the_hosting_script_prints(string server, string prefix)
    {
        const string root = "/srv/root";
        string printed = Repository.Run(Hello, "--config", server, "--prefix", prefix, "--port", "8123", "--root", root);
        string script = server == "nginx"
            ? Repository.Run("bash", "hosting/nginx.sh", "8123", root, root + "/fcgiwrap.sock", prefix + "=" + Hello)
            : Repository.Run("bash", $"hosting/{server}.sh", "8123", root, prefix + "=" + Hello);
        Assert.Equal(script, printed);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/app/")]
    public void For_a_FastCGI_worker_the_binary_prints_what_hosting_nginx_fastcgi_prints(string prefix)
    {
        string printed = Repository.Run(Hello, "--config", "nginx", "--fastcgi", "127.0.0.1:9000", "--prefix", prefix, "--port", "8123", "--root", "/srv/root");
        string script = Repository.Run("bash", "hosting/nginx-fastcgi.sh", "8123", "/srv/root", prefix + "=127.0.0.1:9000");
        Assert.Equal(script, printed);
    }

    [Theory]
    [InlineData("iis")]
    [InlineData("")]
    public void An_unknown_server_is_refused(string server)
    {
        var (exit, _, error) = RunProcess(Hello, "--config", server);
        Assert.Equal(2, exit);
        Assert.Contains("lighttpd, apache, nginx", error);
    }

    [Fact]
    public async Task Serve_runs_the_app_under_lighttpd()
    {
        Repository.Install("lighttpd:lighttpd");
        int port = FreePort();
        var start = new ProcessStartInfo(Hello) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--serve");
        start.ArgumentList.Add(port.ToString());
        using var process = Process.Start(start)!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
            string? body = null;
            for (var deadline = DateTime.UtcNow.AddSeconds(20); body is null && DateTime.UtcNow < deadline;)
            {
                try { body = await client.GetStringAsync("/hello/world"); }
                catch (HttpRequestException) { await Task.Delay(100); }
            }
            Assert.Equal("Hello, world!", body);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    private static (int Exit, string Output, string Error) RunProcess(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
