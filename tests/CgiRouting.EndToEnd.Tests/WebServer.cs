using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>An app for a web server to run: the URL prefix it owns, and its published Native AOT binary.</summary>
public sealed record HostedApp(string Prefix, string Binary);

/// <summary>HTTP Basic authentication by the server on <paramref name="Path"/> and below, against an htpasswd file.</summary>
public sealed record BasicAuth(string Path, string UsersFile);

/// <summary>
/// A real web server on a free loopback port, configured by the scripts in hosting/ to run CgiRouting apps, started
/// by the test and stopped with every process it started. Its scratch directory is open to every user, and the
/// apps are copied into it, because Apache and fcgiwrap run CGI programs as "nobody".
/// </summary>
public abstract class WebServer : IDisposable
{
    private readonly List<Process> _processes = [];

    protected WebServer(string name, IReadOnlyList<HostedApp> apps, IReadOnlyDictionary<string, string> environment,
        BasicAuth? basicAuth = null)
    {
        Name = name;
        Root = Directory.CreateTempSubdirectory($"cgirouting-{name}-").FullName;
        OpenToAll(Root);
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
        var arguments = new List<string>();
        foreach (var (app, index) in apps.Select((a, i) => (a, i)))
        {
            string dir = Path.Combine(Root, "apps", index + "-" + Path.GetFileName(app.Binary));
            Directory.CreateDirectory(dir);
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(app.Binary)!))
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            OpenToAll(Path.Combine(Root, "apps"));
            OpenToAll(dir);
            arguments.Add(app.Prefix + "=" + Path.Combine(dir, Path.GetFileName(app.Binary)));
        }
        arguments.AddRange(environment.Select(e => e.Key + "=" + e.Value));
        if (basicAuth is not null)
            arguments.Add($"--basic-auth={basicAuth.Path}:{basicAuth.UsersFile}");
        Apps = arguments;
    }

    public string Name { get; }
    public string Root { get; }
    public int Port { get; }
    public Uri BaseAddress { get; }

    /// <summary>The PREFIX=BINARY, NAME=VALUE and --basic-auth arguments of the hosting/ scripts.</summary>
    protected IReadOnlyList<string> Apps { get; }

    /// <summary>The processes of the server itself (for fcgiwrap, the server and the wrapper).</summary>
    public IReadOnlyList<int> ServerProcessIds => _processes.Select(p => p.Id).ToList();

    /// <summary>The app processes running now: those whose executable is one of the apps this server hosts.</summary>
    public IReadOnlyList<int> AppProcessIds()
    {
        string apps = Path.Combine(Root, "apps") + "/";
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                if (File.ResolveLinkTarget(Path.Combine(dir, "exe"), returnFinalTarget: false)?.FullName is { } exe
                    && exe.StartsWith(apps, StringComparison.Ordinal))
                    found.Add(pid);
            }
            catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>What the apps wrote to stderr, in the server's log.</summary>
    public abstract string AppErrorLog { get; }

    public override string ToString() => Name;

    public HttpClient Client() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A directory any user may read, write and enter.</summary>
    public static string OpenToAll(string path)
    {
        File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
        return path;
    }

    protected string ReadLog(string name) => File.Exists(Path.Combine(Root, name)) ? File.ReadAllText(Path.Combine(Root, name)) : "";

    /// <summary>Writes the configuration that hosting/SCRIPT prints for <paramref name="arguments"/>.</summary>
    protected string Configure(string script, string file, params string[] arguments)
    {
        string path = Path.Combine(Root, file);
        File.WriteAllText(path, Repository.Run("bash", [Path.Combine("hosting", script), .. arguments]));
        return path;
    }

    protected void Start(string file, params string[] arguments) => Start(file, arguments, new Dictionary<string, string>());

    /// <summary>Starts a process of the server (stopped with it), with <paramref name="environment"/> added to its own.</summary>
    protected void Start(string file, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    protected void WaitUntilListening(string errorLog)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_processes.FirstOrDefault(p => p.HasExited) is { } exited)
                throw new InvalidOperationException($"{Name} exited ({exited.ExitCode}): {ReadLog(errorLog)}");
            try
            {
                using var socket = new TcpClient();
                socket.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"{Name} did not listen on port {Port}: {ReadLog(errorLog)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops what the server's own processes do not end with them (daemons started beside it); before they stop.</summary>
    protected virtual void StopOthers()
    {
    }

    public void Dispose()
    {
        StopOthers();
        foreach (var process in Enumerable.Reverse(_processes))
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }
}

/// <summary>lighttpd with mod_cgi (hosting/lighttpd.sh).</summary>
public sealed class LighttpdServer : WebServer
{
    public LighttpdServer(IReadOnlyList<HostedApp> apps, IReadOnlyDictionary<string, string>? environment = null,
        BasicAuth? basicAuth = null)
        : base("lighttpd", apps, environment ?? new Dictionary<string, string>(), basicAuth)
    {
        Repository.Install("lighttpd:lighttpd");
        string config = Configure("lighttpd.sh", "lighttpd.conf", [Port.ToString(), Root, .. Apps]);
        Start("lighttpd", "-D", "-f", config);
        WaitUntilListening("error.log");
    }

    public override string AppErrorLog => ReadLog("app-stderr.log");
}

/// <summary>Apache httpd with mod_cgid, started directly on a generated configuration (hosting/apache.sh).</summary>
public sealed class ApacheServer : WebServer
{
    public ApacheServer(IReadOnlyList<HostedApp> apps, IReadOnlyDictionary<string, string>? environment = null,
        BasicAuth? basicAuth = null)
        : base("apache", apps, environment ?? new Dictionary<string, string>(), basicAuth)
    {
        Repository.Install("apache2:apache2-bin", "/etc/mime.types:media-types");
        string config = Configure("apache.sh", "httpd.conf", [Port.ToString(), Root, .. Apps]);
        Start("apache2", "-f", config, "-DFOREGROUND");
        WaitUntilListening("error.log");
    }

    public override string AppErrorLog => ReadLog("error.log");
}

/// <summary>nginx with fcgiwrap (hosting/nginx.sh); fcgiwrap runs the apps as "nobody".</summary>
public sealed class NginxServer : WebServer
{
    public NginxServer(IReadOnlyList<HostedApp> apps, IReadOnlyDictionary<string, string>? environment = null,
        BasicAuth? basicAuth = null)
        : base("nginx", apps, environment ?? new Dictionary<string, string>(), basicAuth)
    {
        Repository.Install("nginx:nginx-light", "fcgiwrap:fcgiwrap", "spawn-fcgi:spawn-fcgi");
        string socket = Path.Combine(Root, "fcgiwrap.sock");
        string config = Configure("nginx.sh", "nginx.conf", [Port.ToString(), Root, socket, .. Apps]);
        // spawn-fcgi -n binds the socket, drops to nobody and becomes fcgiwrap in the foreground, so that stopping
        // its process tree stops every fcgiwrap worker.
        Start("spawn-fcgi", "-n", "-s", socket, "-M", "0660", "-u", "nobody", "-g", "nogroup", "-U", "nobody", "-G", "nogroup",
            "--", "/usr/sbin/fcgiwrap", "-c", "4");
        Start("nginx", "-p", Root + "/", "-e", Path.Combine(Root, "error.log"), "-c", config);
        WaitUntilListening("error.log");
    }

    public override string AppErrorLog => ReadLog("error.log");
}
