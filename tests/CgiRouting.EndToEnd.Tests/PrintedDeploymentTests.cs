using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// A deployment made of exactly what <c>app --config SERVER</c> prints (issue 25): the configuration saved where its
/// first line says, and every command of its comments run as written, as root, in a fresh folder: the server runs as
/// its unprivileged user, and so does the app (started by the server, by fcgiwrap, or as the FastCGI worker the
/// comments start), with its database where <c>--env TODO_DB=...</c> says. Before, nothing printed fcgiwrap's or the
/// worker's command, no option set the app's environment, and the worker's unix socket refused nginx's user.
/// </summary>
public sealed class PrintedDeployment : WebServer
{
    private readonly string _serverRoot;
    private readonly string? _fastCgi;

    /// <param name="server">lighttpd, apache or nginx.</param>
    /// <param name="fastCgi">
    /// Null for a process per request; else how the worker is reached: lighttpd starts it on a unix socket in its root,
    /// Apache passes to it on a loopback port, nginx on a unix socket in a folder of the worker's.
    /// </param>
    /// <param name="options">More options of <c>--config</c> (<c>--ping-path</c>, say).</param>
    public PrintedDeployment(string server, bool fastCgi, IReadOnlyList<HostedApp> apps, IReadOnlyDictionary<string, string> environment,
        string prefix = "/", IReadOnlyList<string>? options = null)
        : base($"{server}-printed", apps, new Dictionary<string, string>())
    {
        Repository.Install("lighttpd:lighttpd", "apache2:apache2-bin", "/etc/mime.types:media-types", "nginx:nginx-light",
            "fcgiwrap:fcgiwrap", "spawn-fcgi:spawn-fcgi");
        string binary = Apps[0][(Apps[0].IndexOf('=') + 1)..];
        _serverRoot = Path.Combine(Root, "server"); // made by the printed commands
        _fastCgi = !fastCgi ? null : server switch
        {
            "lighttpd" => "unix:" + Path.Combine(_serverRoot, "app.sock"),
            "apache" => NginxFastCgiServer.FreeTcpAddress(),
            _ => "unix:" + Path.Combine(Root, "run", "app.sock"),
        };
        var arguments = new List<string> { "--config", server, "--root", _serverRoot, "--prefix", prefix,
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (name, value) in environment)
            arguments.AddRange(["--env", name + "=" + value]);
        if (_fastCgi is not null)
            arguments.AddRange(["--fastcgi", _fastCgi]);
        arguments.AddRange(options ?? []);
        Printed = Repository.Run(binary, [.. arguments]);

        string first = Printed[..Printed.IndexOf('\n')];
        string file = first[(first.IndexOf("Save it as ", StringComparison.Ordinal) + "Save it as ".Length)..first.IndexOf(", where", StringComparison.Ordinal)];
        File.WriteAllText(file, Printed);
        Commands = Printed.Split('\n').Skip(1).TakeWhile(l => l.StartsWith("#   ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        for (int i = 0; i < Commands.Count; i++)
        {
            string command = Commands[i];
            if (command.EndsWith(" &", StringComparison.Ordinal)) // the worker: in the background, and ready before the server starts
            {
                Start("bash", "-c", "exec " + command[..^2]);
                WaitForWorker();
            }
            else if (i == Commands.Count - 1) // the server, in the foreground as printed
                Start("bash", "-c", "exec " + command);
            else
                Repository.Run("bash", "-c", command);
        }
        WaitUntilListening(Path.Combine("server", "error.log"));
    }

    /// <summary>Everything <c>--config</c> printed.</summary>
    public string Printed { get; }

    /// <summary>The commands of its comments, as run.</summary>
    public IReadOnlyList<string> Commands { get; }

    public override string AppErrorLog => ReadLog(Path.Combine("server", "error.log")) + ReadLog(Path.Combine("server", "app-stderr.log"));

    private void WaitForWorker()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var socket = _fastCgi!.StartsWith("unix:", StringComparison.Ordinal)
                    ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) : new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Connect(_fastCgi.StartsWith("unix:", StringComparison.Ordinal) ? new UnixDomainSocketEndPoint(_fastCgi[5..])
                    : IPEndPoint.Parse(_fastCgi));
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"The worker did not listen on {_fastCgi}.");
    }

    /// <summary>fcgiwrap, which spawn-fcgi started in a session of its own: its whole process group, by its pid file.</summary>
    protected override void StopOthers()
    {
        string pidFile = Path.Combine(_serverRoot, "fcgiwrap.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid))
            Repository.Run("bash", "-c", $"kill -TERM -- -{pid} 2>/dev/null; true");
    }
}

public abstract class PrintedTodoHost(string server, bool fastCgi)
    : TodoHost((apps, env) => new PrintedDeployment(server, fastCgi, apps, env), Repository.CopyAlone(Repository.PublishedSample("Todo", "todo")), new TodoDatabase());

public sealed class PrintedLighttpdTodoHost() : PrintedTodoHost("lighttpd", false);

public sealed class PrintedApacheTodoHost() : PrintedTodoHost("apache", false);

public sealed class PrintedNginxTodoHost() : PrintedTodoHost("nginx", false);

public sealed class PrintedLighttpdFastCgiTodoHost() : PrintedTodoHost("lighttpd", true);

public sealed class PrintedApacheFastCgiTodoHost() : PrintedTodoHost("apache", true);

public sealed class PrintedNginxFastCgiTodoHost() : PrintedTodoHost("nginx", true);

public sealed class TodoOnPrintedLighttpdTests(PrintedLighttpdTodoHost host) : TodoScenario(host), IClassFixture<PrintedLighttpdTodoHost>;

public sealed class TodoOnPrintedApacheTests(PrintedApacheTodoHost host) : TodoScenario(host), IClassFixture<PrintedApacheTodoHost>;

public sealed class TodoOnPrintedNginxTests(PrintedNginxTodoHost host) : TodoScenario(host), IClassFixture<PrintedNginxTodoHost>;

public sealed class TodoOnPrintedLighttpdFastCgiTests(PrintedLighttpdFastCgiTodoHost host) : TodoScenario(host), IClassFixture<PrintedLighttpdFastCgiTodoHost>;

public sealed class TodoOnPrintedApacheFastCgiTests(PrintedApacheFastCgiTodoHost host) : TodoScenario(host), IClassFixture<PrintedApacheFastCgiTodoHost>;

public sealed class TodoOnPrintedNginxFastCgiTests(PrintedNginxFastCgiTodoHost host) : TodoScenario(host), IClassFixture<PrintedNginxFastCgiTodoHost>;

/// <summary>
/// What the printed configurations serve besides the app: nothing (issue 24). An audit fetched the server's own
/// error log (with a handler's stack trace), its pid file and Apache's configuration from the folder that was the
/// document root, and had lighttpd run an executable placed there, as root.
/// </summary>
public sealed class PrintedConfigurationExposureTests
{
    [Theory]
    [InlineData("lighttpd", false)]
    [InlineData("apache", false)]
    [InlineData("nginx", false)]
    [InlineData("lighttpd", true)]
    [InlineData("apache", true)]
    [InlineData("nginx", true)]
    public async Task Only_the_app_is_served_and_no_other_file_runs(string server, bool fastCgi)
    {
        using var site = new PrintedDeployment(server, fastCgi, [new HostedApp("/app/", Repository.PublishedSample("Hello", "hello"))],
            new Dictionary<string, string>(), prefix: "/app/");
        string root = Path.Combine(site.Root, "server");
        string executable = Path.Combine(root, "x");
        File.WriteAllText(executable, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nran'\ntouch " + root + "/ran\n");
        File.SetUnixFileMode(executable, (UnixFileMode)0b111_101_101);
        using var client = site.Client();
        Assert.Equal("Hello, world!", await client.GetStringAsync("/app/hello/world"));
        foreach (string path in new[] { "/error.log", "/app-stderr.log", "/lighttpd.pid", "/nginx.pid", "/httpd.pid", "/x", "/server/error.log", "/" })
            Assert.Equal((path, HttpStatusCode.NotFound), (path, (await client.GetAsync(path)).StatusCode));
        Assert.False(File.Exists(Path.Combine(root, "ran")), "an executable in the server's folder ran");
        // The server's processes that serve requests run as nobody (nginx's and Apache's masters stay root to start them).
        string pids = string.Join(',', site.ServerProcessIds);
        Assert.Contains("nobody", Repository.Run("bash", "-c", $"ps -o user= -p {pids}; ps -o user= --ppid {pids}; true"));
    }
}

/// <summary>
/// Issue 21: <c>--ping-path</c> and <c>--status-path</c> given to <c>--config</c> are answered by the worker through the
/// printed configuration to this machine only: from 127.0.0.1 they answer, from another address of this machine (the
/// server listens on 127.0.0.1, and the client binds its connection to a non-loopback address) the server answers 403
/// while the app's own paths are still served.
/// </summary>
public sealed class PrintedLocalPathsTests
{
    [Theory]
    [InlineData("lighttpd")]
    [InlineData("apache")]
    [InlineData("nginx")]
    public async Task Ping_and_status_answer_loopback_clients_only(string server)
    {
        var other = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.True(other is not null, "this test needs an IPv4 address of this machine other than loopback, to connect from");
        using var site = new PrintedDeployment(server, true, [new HostedApp("/app/", Repository.PublishedSample("Hello", "hello"))],
            new Dictionary<string, string>(), prefix: "/app/", options: ["--ping-path", "/app/ping", "--status-path", "/app/status"]);
        using var local = site.Client();
        Assert.Equal("pong\n", await local.GetStringAsync("/app/ping"));
        using (var status = await local.GetAsync("/app/status"))
        {
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            Assert.Equal("application/json", status.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"requests\":", await status.Content.ReadAsStringAsync());
        }
        using var remote = From(other!, site.BaseAddress); // this machine's other address, to the server's 127.0.0.1
        Assert.Equal("Hello, world!", await remote.GetStringAsync("/app/hello/world")); // it reaches the server, and the app
        foreach (string path in new[] { "/app/ping", "/app/status", "/app/status?full" })
            Assert.Equal((path, HttpStatusCode.Forbidden), (path, (await remote.GetAsync(path)).StatusCode));
        // Another loopback address: Apache's Require local takes all of 127.0.0.0/8; nginx and lighttpd allow 127.0.0.1 alone.
        using var loopback = From(IPAddress.Parse("127.0.0.2"), site.BaseAddress);
        Assert.Equal(server == "apache" ? HttpStatusCode.OK : HttpStatusCode.Forbidden, (await loopback.GetAsync("/app/ping")).StatusCode);
    }

    /// <summary>An HTTP client whose connections come from <paramref name="source"/>.</summary>
    private static System.Net.Http.HttpClient From(IPAddress source, Uri server) => new(new System.Net.Http.SocketsHttpHandler
    {
        ConnectCallback = async (context, cancel) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancel);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = server };
}
