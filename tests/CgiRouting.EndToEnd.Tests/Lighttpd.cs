using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>A real lighttpd on a free loopback port, configured by hosting/lighttpd.conf.in to run one app.</summary>
public sealed class Lighttpd : IDisposable
{
    private readonly Process _process;

    public Lighttpd(string app)
    {
        Repository.Run("bash", "-c", "source scripts/common.sh && ensure_packages lighttpd:lighttpd");
        Root = Directory.CreateTempSubdirectory("cgirouting-lighttpd-").FullName;
        Port = FreePort();
        string template = File.ReadAllText(Path.Combine(Repository.Root, "hosting", "lighttpd.conf.in"));
        string config = Path.Combine(Root, "lighttpd.conf");
        File.WriteAllText(config, template.Replace("@PORT@", Port.ToString()).Replace("@ROOT@", Root).Replace("@APP@", app));
        _process = Process.Start(new ProcessStartInfo("lighttpd", $"-D -f {config}"))!;
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
        WaitUntilListening();
    }

    public string Root { get; }
    public int Port { get; }
    public Uri BaseAddress { get; }

    /// <summary>What the app wrote to stderr, as lighttpd logged it.</summary>
    public string AppErrorLog => Read("app-stderr.log");

    private string ErrorLog => Read("error.log");

    private string Read(string name) => File.Exists(Path.Combine(Root, name)) ? File.ReadAllText(Path.Combine(Root, name)) : "";

    public HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException("lighttpd exited: " + ErrorLog);
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
        throw new TimeoutException("lighttpd did not start listening on port " + Port);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
