using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// A published app started as a FastCGI worker (<c>app --fastcgi ADDRESS ...</c>), its stderr kept line by line;
/// started by the test, stopped by its own process id.
/// </summary>
public sealed class FastCgiWorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();

    public FastCgiWorkerProcess(string binary, string address, params string[] options)
        : this(binary, ["--fastcgi", address, .. options])
    {
    }

    /// <summary>
    /// A worker started by <paramref name="file"/>, which may be a spawner such as spawn-fcgi, with
    /// <paramref name="environment"/> added to the test's own (where a worker reads its configuration, such as TODO_DB).
    /// Without <paramref name="waitForStart"/>, returns at once: systemd-socket-activate starts the worker at the first connection.
    /// </summary>
    public FastCgiWorkerProcess(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        bool waitForStart = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        if (!waitForStart)
            return;
        if (!SpinWait.SpinUntil(() => _stderr.Any(l => l.Contains("FastCGI worker")) || _process.HasExited, 10_000))
            throw new TimeoutException("The worker did not start: " + Stderr);
        if (_process.HasExited)
            throw new InvalidOperationException($"The worker exited ({_process.ExitCode}): {Stderr}");
    }

    public int Id => _process.Id;
    public string Stderr => string.Join('\n', _stderr);
    public bool HasExited => _process.HasExited;

    /// <summary>Waits up to 10 s for <paramref name="text"/> on stderr; fails with what is there.</summary>
    public void WaitForStderr(string text)
    {
        if (!SpinWait.SpinUntil(() => Stderr.Contains(text, StringComparison.Ordinal), 10_000))
            throw new TimeoutException($"'{text}' is not on the worker's stderr: {Stderr}");
    }
    public int ExitCode => _process.ExitCode;

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            return false;
        // A timed wait returns at the exit, before the last lines of stderr have been read: wait for its end too.
        _process.WaitForExit();
        return true;
    }

    /// <summary>Sends SIGTERM, as a service manager stops a worker.</summary>
    public void Terminate() => Repository.Run("kill", "-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Sends SIGKILL, as a machine that dies takes its worker: nothing is finished, the kernel closes its sockets.</summary>
    public void KillHard()
    {
        Repository.Run("kill", "-KILL", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill();
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}

/// <summary>nginx passing every path to FastCGI workers with <c>fastcgi_pass</c> (hosting/nginx-fastcgi.sh).</summary>
public sealed class NginxFastCgiServer : WebServer
{
    /// <param name="apps">PREFIX=ADDRESS: the worker each prefix goes to.</param>
    public NginxFastCgiServer(IReadOnlyList<string> apps)
        : base("nginx-fastcgi", [], new Dictionary<string, string>())
    {
        Repository.Install("nginx:nginx-light");
        string config = Configure("nginx-fastcgi.sh", "nginx.conf", [Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Root, .. apps]);
        Start("nginx", "-p", Root + "/", "-e", Path.Combine(Root, "error.log"), "-c", config);
        WaitUntilListening("error.log");
    }

    public override string AppErrorLog => ReadLog("error.log");

    /// <summary>A free loopback TCP address for a worker.</summary>
    public static string FreeTcpAddress()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return "127.0.0.1:" + ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Apps as FastCGI workers, each on a unix socket of its own and started with the NAME=VALUE settings in its
/// environment (where a worker reads its configuration, such as TODO_DB), behind nginx's <c>fastcgi_pass</c>.
/// </summary>
public sealed class NginxFastCgiWorkersServer : WebServer
{
    public NginxFastCgiWorkersServer(IReadOnlyList<HostedApp> apps, IReadOnlyDictionary<string, string>? environment = null)
        : base("nginx-fastcgi-workers", apps, environment ?? new Dictionary<string, string>())
    {
        Repository.Install("nginx:nginx-light");
        var pass = new List<string>();
        foreach (var (arg, index) in Apps.Where(a => a.StartsWith('/')).Select((a, i) => (a, i)))
        {
            string socket = Path.Combine(Root, $"app{index}.sock");
            Start(arg[(arg.IndexOf('=') + 1)..], ["--fastcgi", "unix:" + socket], environment ?? new Dictionary<string, string>());
            if (!SpinWait.SpinUntil(() => File.Exists(socket), 10_000))
                throw new TimeoutException("The worker did not make " + socket);
            File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110); // for nginx's workers, as "nobody"
            pass.Add(arg[..arg.IndexOf('=')] + "=unix:" + socket);
        }
        string config = Configure("nginx-fastcgi.sh", "nginx.conf", [Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Root, .. pass]);
        Start("nginx", "-p", Root + "/", "-e", Path.Combine(Root, "error.log"), "-c", config);
        WaitUntilListening("error.log");
    }

    public override string AppErrorLog => ReadLog("error.log");
}

/// <summary>
/// lighttpd's mod_fastcgi with bin-path (hosting/lighttpd-fastcgi.sh): lighttpd starts each app itself, its listening
/// socket as standard input, with the NAME=VALUE settings in its environment (bin-environment).
/// </summary>
public sealed class LighttpdFastCgiServer : WebServer
{
    public LighttpdFastCgiServer(IReadOnlyList<HostedApp> apps, IReadOnlyDictionary<string, string>? environment = null)
        : base("lighttpd-fastcgi", apps, environment ?? new Dictionary<string, string>())
    {
        Repository.Install("lighttpd:lighttpd");
        string config = Configure("lighttpd-fastcgi.sh", "lighttpd.conf", [Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Root, .. Apps]);
        Start("lighttpd", "-D", "-f", config);
        WaitUntilListening("error.log");
    }

    public override string AppErrorLog => ReadLog("app-stderr.log");
}

/// <summary>
/// Apps as FastCGI workers on loopback ports of their own (<c>--fastcgi 127.0.0.1:PORT</c>), started by the test with
/// the NAME=VALUE settings in their environment, behind Apache httpd's mod_proxy_fcgi (hosting/apache-fastcgi.sh).
/// </summary>
public sealed class ApacheFastCgiServer : WebServer
{
    public ApacheFastCgiServer(IReadOnlyList<HostedApp> apps, IReadOnlyDictionary<string, string>? environment = null)
        : base("apache-fastcgi", apps, environment ?? new Dictionary<string, string>())
    {
        Repository.Install("apache2:apache2-bin", "/etc/mime.types:media-types");
        var pass = new List<string>();
        foreach (var arg in Apps.Where(a => a.StartsWith('/')))
        {
            string address = NginxFastCgiServer.FreeTcpAddress();
            Start(arg[(arg.IndexOf('=') + 1)..], ["--fastcgi", address], environment ?? new Dictionary<string, string>());
            WaitForWorker(address);
            pass.Add(arg[..arg.IndexOf('=')] + "=" + address);
        }
        string config = Configure("apache-fastcgi.sh", "httpd.conf", [Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Root, .. pass]);
        Start("apache2", "-f", config, "-DFOREGROUND");
        WaitUntilListening("error.log");
    }

    public override string AppErrorLog => ReadLog("error.log");

    /// <summary>Waits until a worker started on <paramref name="address"/> (127.0.0.1:PORT) accepts connections.</summary>
    internal static void WaitForWorker(string address)
    {
        int port = int.Parse(address[(address.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var socket = new System.Net.Sockets.TcpClient();
                socket.Connect(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }
}

/// <summary>
/// nginx or Apache on exactly what <c>BINARY --config SERVER ARGUMENTS</c> prints for a FastCGI worker the test starts
/// itself, checked with the server's own test first (<c>nginx -t</c>, <c>apache2 -t</c>).
/// </summary>
public sealed class PrintedServer : WebServer
{
    public PrintedServer(string server, string binary, string[] arguments)
        : base(server + "-printed", [], new Dictionary<string, string>())
    {
        Repository.Install("nginx:nginx-light", "apache2:apache2-bin", "/etc/mime.types:media-types");
        string config = Path.Combine(Root, server + ".conf");
        File.WriteAllText(config, Repository.Run(binary, ["--config", server, .. arguments,
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--root", Root]));
        if (server == "nginx")
        {
            Repository.Run("nginx", "-t", "-p", Root + "/", "-e", Path.Combine(Root, "error.log"), "-c", config);
            Start("nginx", "-p", Root + "/", "-e", Path.Combine(Root, "error.log"), "-c", config);
        }
        else
        {
            Repository.Run("apache2", "-t", "-f", config);
            Start("apache2", "-f", config, "-DFOREGROUND");
        }
        WaitUntilListening("error.log");
    }

    public override string AppErrorLog => ReadLog("error.log");
}
