using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using CgiRouting.Tests;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// Issue 21, systemd: socket activation (<c>LISTEN_FDS</c>) and sd_notify (<c>NOTIFY_SOCKET</c>), for a lone worker
/// and a <c>--prefork</c> manager, and the units <c>--config systemd</c> prints. systemd is not PID 1 here:
/// <c>systemd-socket-activate</c> binds the socket, sets <c>LISTEN_FDS</c> and <c>LISTEN_PID</c> and executes the
/// binary at the first connection, as a socket unit does; the notify socket is the test's own, read as systemd reads it.
/// </summary>
public sealed class SystemdTests
{
    private static string Hello => Repository.PublishedSample("Hello", "hello");

    [Fact]
    public void A_socket_activated_manager_serves_the_socket_it_is_handed_and_notifies_ready_reloading_stopping_and_the_watchdog()
    {
        using var scratch = new Scratch();
        using var notify = new NotifySocket(scratch.Path("notify"));
        string socket = scratch.Path("app.sock");
        using var activated = Activate(["-l", socket], [Hello, "--prefork", "2"], notify.Path, watchdogMicroseconds: 400_000);
        Assert.EndsWith("Hello, systemd!", Get("unix:" + socket, "/hello/systemd"));
        Assert.Equal("READY=1", notify.Next());
        activated.WaitForStderr("(from systemd, LISTEN_FDS): 2 workers started ahead");
        var workers = ProcessTable.ChildrenOf([activated.Id]).Where(c => c.State != 'Z').Select(c => c.Pid).ToList();
        Assert.Equal(2, workers.Count);
        foreach (int worker in workers) // neither the socket's variables nor the notify socket are the workers'
        {
            string environ = File.ReadAllText($"/proc/{worker}/environ");
            Assert.DoesNotContain("LISTEN_FDS=", environ);
            Assert.DoesNotContain("LISTEN_PID=", environ);
            Assert.DoesNotContain("NOTIFY_SOCKET=", environ);
        }
        Assert.Equal("WATCHDOG=1", notify.Next(m => m == "WATCHDOG=1")); // every 200 ms, half of WATCHDOG_USEC
        Repository.Run("kill", "-HUP", activated.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string reloading = notify.Next(m => m != "WATCHDOG=1");
        Assert.Matches(@"^RELOADING=1\nMONOTONIC_USEC=\d+$", reloading);
        long monotonic = long.Parse(reloading[(reloading.IndexOf('=', 12) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(monotonic, Stopwatch.GetTimestamp() / 1000 - 5_000_000, Stopwatch.GetTimestamp() / 1000); // CLOCK_MONOTONIC, in µs
        Assert.Equal("READY=1", notify.Next(m => m != "WATCHDOG=1"));
        Assert.EndsWith("Hello, reloaded!", Get("unix:" + socket, "/hello/reloaded"));
        Repository.Run("kill", "-TERM", activated.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("STOPPING=1", notify.Next(m => m != "WATCHDOG=1"));
        Assert.True(activated.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, activated.ExitCode);
    }

    [Fact]
    public void A_socket_activated_lone_worker_serves_and_notifies_ready_and_stopping()
    {
        using var scratch = new Scratch();
        using var notify = new NotifySocket(scratch.Path("notify"));
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var activated = Activate(["-l", address], [Hello], notify.Path);
        Assert.EndsWith("Hello, lone!", Get(address, "/hello/lone"));
        Assert.Equal("READY=1", notify.Next());
        activated.WaitForStderr($"FastCGI worker (pid {activated.Id}) listening on {address} (from systemd, LISTEN_FDS)");
        Repository.Run("kill", "-TERM", activated.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("STOPPING=1", notify.Next());
        Assert.True(activated.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, activated.ExitCode);
    }

    [Fact]
    public void Two_sockets_or_a_socket_and_fastcgi_address_are_refused_and_another_process_s_listen_fds_is_ignored()
    {
        using var scratch = new Scratch();
        string a = NginxFastCgiServer.FreeTcpAddress(), b = NginxFastCgiServer.FreeTcpAddress();
        using (var two = Activate(["-l", a, "-l", b], [Hello, "--prefork", "2"], notifySocket: null))
        {
            Connect(a).Dispose();
            Assert.True(two.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.Equal(1, two.ExitCode);
            Assert.Contains("systemd handed this process 2 sockets (LISTEN_FDS=2); a FastCGI worker or manager serves one", two.Stderr);
        }
        using (var both = Activate(["-l", a], [Hello, "--fastcgi", b], notifySocket: null))
        {
            Connect(a).Dispose();
            Assert.True(both.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.Equal(2, both.ExitCode);
            Assert.Contains($"systemd hands this process its listening socket (LISTEN_FDS), so --fastcgi {b} is not used", both.Stderr);
        }
        // LISTEN_PID names another process (the variables leaked from a parent): the binary is no worker, and says what it is.
        string usage = Repository.Run("env", "LISTEN_PID=1", "LISTEN_FDS=1", Hello);
        Assert.Contains("a CGI app built with CgiRouting", usage);
    }

    /// <summary>
    /// What <c>--config systemd</c> prints, run as systemd would run it: <c>systemd-analyze verify</c> accepts both units,
    /// and the service's ExecStart, started as its User= and Group= by socket activation on the socket unit's
    /// ListenStream=, says READY=1 (Type=notify), serves, and exits after its --max-requests (for Restart=always).
    /// </summary>
    [Fact]
    public void The_printed_units_pass_systemd_analyze_verify_and_their_service_serves_the_socket_its_socket_unit_hands_it()
    {
        using var scratch = new Scratch();
        string socket = scratch.Path("hello.sock");
        string units = Repository.Run(Hello, "--config", "systemd", "--fastcgi", "unix:" + socket, "--prefork", "1", "--max-requests", "2");
        string Value(string key) => units.Split('\n').Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
        Assert.Equal("notify", Value("Type"));
        Assert.DoesNotContain("StandardInput=", units);
        int service = units.IndexOf("# /etc/systemd/system/hello.service\n", StringComparison.Ordinal);
        File.WriteAllText(scratch.Path("hello.socket"), units[units.IndexOf("# /etc/systemd/system/hello.socket\n", StringComparison.Ordinal)..service]);
        File.WriteAllText(scratch.Path("hello.service"), units[service..]);
        string verified = Repository.Run(scratch.Root, "systemd-analyze", ["verify", scratch.Path("hello.socket"), scratch.Path("hello.service")], includeError: true);
        Assert.DoesNotContain("Failed", verified);
        Assert.DoesNotContain("Unknown", verified);
        Assert.DoesNotContain("ignoring", verified);

        using var notify = new NotifySocket(scratch.Path("notify"));
        string[] execStart = Value("ExecStart").Split(' ');
        using var activated = Activate(["-l", Value("ListenStream")],
            ["setpriv", $"--reuid={Value("User")}", $"--regid={Value("Group")}", "--clear-groups", "--", .. execStart], notify.Path);
        Assert.EndsWith("Hello, unit!", Get("unix:" + socket, "/hello/unit"));
        Assert.Equal("READY=1", notify.Next());
        Assert.Contains("Uid:\t65534\t", File.ReadAllText($"/proc/{activated.Id}/status")); // User=nobody
        Assert.EndsWith("Hello, again!", Get("unix:" + socket, "/hello/again"));
        Repository.Run("kill", "-TERM", activated.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("STOPPING=1", notify.Next(m => m != "READY=1")); // the worker that served 2 was replaced meanwhile
        Assert.True(activated.WaitForExit(TimeSpan.FromSeconds(20)));
    }

    /// <summary>A FastCGI request over a new connection; the response's text.</summary>
    private static string Get(string address, string path)
    {
        using var client = Connect(address);
        client.SendRequest(1, "GET", path);
        return client.ReadText(1);
    }

    /// <summary>Connects, waiting for systemd-socket-activate to bind.</summary>
    private static FastCgiClient Connect(string address)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; Thread.Sleep(50))
        {
            try
            {
                return FastCgiClient.Connect(address);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    /// <summary>systemd-socket-activate listening on <paramref name="listen"/> and executing <paramref name="command"/> at the first connection.</summary>
    private static FastCgiWorkerProcess Activate(string[] listen, string[] command, string? notifySocket, long watchdogMicroseconds = 0)
    {
        var arguments = new List<string>(listen);
        var environment = new Dictionary<string, string>();
        if (notifySocket is not null)
        {
            environment["NOTIFY_SOCKET"] = notifySocket;
            arguments.AddRange(["-E", "NOTIFY_SOCKET"]); // passed on from this environment
        }
        if (watchdogMicroseconds > 0)
        {
            environment["WATCHDOG_USEC"] = watchdogMicroseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            arguments.AddRange(["-E", "WATCHDOG_USEC"]);
        }
        arguments.AddRange(command);
        return new FastCgiWorkerProcess("systemd-socket-activate", arguments, environment, waitForStart: false);
    }

    /// <summary>A unix datagram socket bound where NOTIFY_SOCKET says, read as systemd reads its notify socket.</summary>
    private sealed class NotifySocket : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

        public NotifySocket(string path)
        {
            Path = path;
            _socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110); // a service's User= may write to it, as to systemd's
            _socket.ReceiveTimeout = 10_000;
        }

        public string Path { get; }

        /// <summary>The next message that <paramref name="wanted"/> accepts (any, without it); throws after 10 s.</summary>
        public string Next(Func<string, bool>? wanted = null)
        {
            var buffer = new byte[4096];
            while (true)
            {
                string message = Encoding.UTF8.GetString(buffer, 0, _socket.Receive(buffer));
                if (wanted is null || wanted(message))
                    return message;
            }
        }

        public void Dispose() => _socket.Dispose();
    }

    private sealed class Scratch : IDisposable
    {
        public string Root { get; } = WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-systemd-").FullName);

        public string Path(string name) => System.IO.Path.Combine(Root, name);

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
