using System;
using System.Collections.Generic;
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
        string printed = WithoutCommands(Repository.Run(Hello, "--config", server, "--prefix", prefix, "--port", "8123", "--root", root));
        string script = server == "nginx"
            ? Repository.Run("bash", "hosting/nginx.sh", "8123", root, root + "/fcgiwrap.sock", prefix + "=" + Hello)
            : Repository.Run("bash", $"hosting/{server}.sh", "8123", root, prefix + "=" + Hello);
        Assert.Equal(script, printed);
    }

    [Theory]
    [InlineData("nginx", "/")]
    [InlineData("nginx", "/app/")]
    [InlineData("apache", "/")]
    [InlineData("apache", "/app/")]
    public void For_a_FastCGI_worker_the_binary_prints_what_the_hosting_fastcgi_script_prints(string server, string prefix)
    {
        string printed = WithoutCommands(Repository.Run(Hello, "--config", server, "--fastcgi", "127.0.0.1:9000", "--prefix", prefix, "--port", "8123", "--root", "/srv/root"));
        string script = Repository.Run("bash", $"hosting/{server}-fastcgi.sh", "8123", "/srv/root", prefix + "=127.0.0.1:9000");
        Assert.Equal(script, printed);
    }

    /// <summary>
    /// With the worker's --ping-path and --status-path, each server's configuration lets only this machine reach them
    /// (nginx's allow and deny, Apache's Require local, lighttpd's remote-ip condition; lighttpd's bin-path gets the options).
    /// </summary>
    [Theory]
    [InlineData("nginx", "/")]
    [InlineData("nginx", "/app/")]
    [InlineData("apache", "/")]
    [InlineData("apache", "/app/")]
    [InlineData("lighttpd", "/")]
    [InlineData("lighttpd", "/app/")]
    public void With_ping_and_status_paths_the_binary_prints_what_the_hosting_fastcgi_script_prints(string server, string prefix)
    {
        string address = server == "lighttpd" ? "unix:/srv/root/app0.sock" : "127.0.0.1:9000";
        string printed = WithoutCommands(Repository.Run(Hello, "--config", server, "--fastcgi", address, "--prefix", prefix, "--port", "8123",
            "--root", "/srv/root", "--status-path", prefix + "status", "--ping-path", prefix + "ping"));
        string script = Repository.Run("bash", $"hosting/{server}-fastcgi.sh", "8123", "/srv/root", prefix + "=" + (server == "lighttpd" ? Hello : address),
            $"--ping-path={prefix}ping", $"--status-path={prefix}status");
        Assert.Equal(script, printed);
        Assert.Contains(server switch { "nginx" => "deny all;", "apache" => "Require local", _ => "url.access-deny" }, printed);
    }

    [Theory]
    [InlineData("127.0.0.1:9000,127.0.0.1:9001", false)]
    [InlineData("127.0.0.1:9000", true)]
    [InlineData("127.0.0.1:9000,unix:/run/b.sock", true)]
    public void For_several_workers_or_workers_with_max_requests_the_binary_prints_what_hosting_nginx_fastcgi_prints(string addresses, bool maxRequests)
    {
        string[] quota = maxRequests ? ["--max-requests", "1"] : [];
        string printed = WithoutCommands(Repository.Run(Hello, ["--config", "nginx", "--fastcgi", addresses, "--prefix", "/app/", "--port", "8123", "--root", "/srv/root", .. quota]));
        string script = Repository.Run("bash", ["hosting/nginx-fastcgi.sh", "8123", "/srv/root", "/app/=" + addresses, .. maxRequests ? new[] { "--max-requests=1" } : []]);
        Assert.Equal(script, printed);
    }

    /// <summary>
    /// Two workers, one upstream: what <c>--config nginx --fastcgi A --fastcgi B</c> prints passes <c>nginx -t</c>, and
    /// nginx shares requests between both (before, it printed <c>server A,B;</c>, which nginx refuses).
    /// </summary>
    [Fact]
    public async Task The_printed_upstream_of_two_workers_passes_nginx_t_and_both_serve()
    {
        Repository.Install("nginx:nginx-light");
        string a = NginxFastCgiServer.FreeTcpAddress(), b = NginxFastCgiServer.FreeTcpAddress();
        using var workerA = new FastCgiWorkerProcess(Hello, a);
        using var workerB = new FastCgiWorkerProcess(Hello, b);
        using var nginx = new PrintedServer("nginx", Hello, ["--fastcgi", a, "--fastcgi", b]);
        using var client = nginx.Client();
        for (int i = 0; i < 10; i++)
            await client.GetStringAsync("/count");
        foreach (string address in new[] { a, b }) // each worker's own count: more than the one request made here
        {
            using var direct = CgiRouting.Tests.FastCgiClient.Connect(address);
            direct.SendRequest(1, "GET", "/count");
            Assert.True(int.Parse(direct.ReadText(1).Split("\r\n\r\n")[1], System.Globalization.CultureInfo.InvariantCulture) > 1,
                $"the worker at {address} served none of the requests through nginx");
        }
    }

    /// <summary>
    /// lighttpd starts the worker itself (bin-path): the script names its socket ROOT/app0.sock, and the binary the
    /// socket it is given.
    /// </summary>
    [Theory]
    [InlineData("/")]
    [InlineData("/hello/")]
    public void For_a_worker_lighttpd_starts_the_binary_prints_what_hosting_lighttpd_fastcgi_prints(string prefix)
    {
        string printed = WithoutCommands(Repository.Run(Hello, "--config", "lighttpd", "--fastcgi", "unix:/srv/root/app0.sock", "--prefix", prefix, "--port", "8123", "--root", "/srv/root"));
        string script = Repository.Run("bash", "hosting/lighttpd-fastcgi.sh", "8123", "/srv/root", prefix + "=" + Hello);
        Assert.Equal(script, printed);
    }

    /// <summary>
    /// The printed FastCGI configuration itself, run: lighttpd starts the worker on the socket it was given, Apache
    /// passes to a worker the test started; one worker answers them all (samples/Hello's /count counts in a static field).
    /// </summary>
    [Theory]
    [InlineData("lighttpd")]
    [InlineData("apache")]
    public async Task The_printed_FastCGI_configuration_serves_the_app_through_one_worker(string server)
    {
        using var host = new PrintedFastCgiServer(server);
        using var client = host.Client();
        Assert.Equal("Hello, world!", await client.GetStringAsync("/hello/hello/world"));
        int first = int.Parse(await client.GetStringAsync("/hello/count"), System.Globalization.CultureInfo.InvariantCulture);
        int second = int.Parse(await client.GetStringAsync("/hello/count"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(first + 1, second);
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
            // Ctrl-C: lighttpd stops, and the fresh folder --serve made for it (named on stderr) is removed.
            Repository.Run("kill", "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(process.WaitForExit(10_000), "--serve ends on SIGINT");
            string error = await process.StandardError.ReadToEndAsync();
            string folder = System.Text.RegularExpressions.Regex.Match(error, @"goes to (\S+)/app-stderr\.log").Groups[1].Value;
            Assert.StartsWith(Path.GetTempPath(), folder + "/");
            Assert.False(Directory.Exists(folder), $"--serve left {folder}");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>
    /// samples/Hello at /hello/ behind lighttpd or Apache, configured by what <c>hello --config SERVER --fastcgi ADDRESS</c>
    /// prints: for lighttpd a unix socket in the scratch directory, for Apache a worker on a free loopback port.
    /// </summary>
    private sealed class PrintedFastCgiServer : WebServer
    {
        public PrintedFastCgiServer(string server)
            : base(server + "-printed-fastcgi", [new HostedApp("/hello/", Hello)], new Dictionary<string, string>())
        {
            string binary = Apps[0][(Apps[0].IndexOf('=') + 1)..];
            string address;
            if (server == "lighttpd")
            {
                Repository.Install("lighttpd:lighttpd");
                address = "unix:" + Path.Combine(Root, "app.sock");
            }
            else
            {
                Repository.Install("apache2:apache2-bin", "/etc/mime.types:media-types");
                address = NginxFastCgiServer.FreeTcpAddress();
                Start(binary, "--fastcgi", address);
                ApacheFastCgiServer.WaitForWorker(address);
            }
            string config = Path.Combine(Root, server + ".conf");
            File.WriteAllText(config, Repository.Run(binary, "--config", server, "--fastcgi", address, "--prefix", "/hello/",
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--root", Root));
            if (server == "lighttpd")
                Start("lighttpd", "-D", "-f", config);
            else
                Start("apache2", "-f", config, "-DFOREGROUND");
            WaitUntilListening("error.log");
        }

        public override string AppErrorLog => ReadLog("error.log");
    }

    /// <summary>What <c>--config</c> prints after the commands at its top (comment lines and a blank line).</summary>
    private static string WithoutCommands(string printed)
    {
        Assert.StartsWith("# Printed by hello --config ", printed);
        return printed[(printed.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
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
