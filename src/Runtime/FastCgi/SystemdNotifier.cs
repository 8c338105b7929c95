using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;

namespace CgiRouting.FastCgi;

/// <summary>
/// sd_notify(3) without libsystemd, for a service of <c>Type=notify</c>: a datagram to the unix socket named by
/// <c>NOTIFY_SOCKET</c> (a path, or <c>@</c> for an abstract one) saying <c>READY=1</c>, <c>RELOADING=1</c> (with
/// <c>MONOTONIC_USEC</c>, which systemd 253's <c>Type=notify-reload</c> wants; Debian 12's systemd 252 reads
/// <c>RELOADING=1</c> and ignores it), <c>STOPPING=1</c>, and <c>WATCHDOG=1</c> at half of <c>WATCHDOG_USEC</c>
/// when systemd asks for it (<c>WatchdogSec=</c>). Made only by a FastCGI worker or manager's command line, never in
/// a CGI request.
/// </summary>
internal sealed class SystemdNotifier
{
    private readonly byte[] _address;
    private readonly int _addressLength;
    private readonly long _watchdogTicks; // Stopwatch ticks between two WATCHDOG=1, 0 for none
    private long _nextWatchdog;

    private SystemdNotifier(byte[] address, int addressLength, long watchdogTicks)
    {
        (_address, _addressLength, _watchdogTicks) = (address, addressLength, watchdogTicks);
        _nextWatchdog = Stopwatch.GetTimestamp() + watchdogTicks;
    }

    /// <summary>
    /// The notifier <c>NOTIFY_SOCKET</c> asks for, or null. Takes <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and
    /// <c>WATCHDOG_PID</c> out of the environment (as sd_notify's unset_environment does): a <c>--prefork</c> manager's
    /// workers are not the service's main process, and must not speak for it.
    /// </summary>
    public static SystemdNotifier? FromEnvironment(TextWriter log)
    {
        string? socket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC"), pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
        Environment.SetEnvironmentVariable("WATCHDOG_PID", null);
        if (string.IsNullOrEmpty(socket))
            return null;
        byte[] path = Encoding.UTF8.GetBytes(socket);
        if (path[0] is not ((byte)'/' or (byte)'@') || path.Length > 107)
        {
            log.WriteLine($"CgiRouting: NOTIFY_SOCKET={socket} is not a unix socket path (/...) or abstract name (@...): systemd is not notified.");
            return null;
        }
        var address = new byte[2 + 108];
        address[0] = 1; // AF_UNIX
        path.CopyTo(address, 2);
        bool isAbstract = path[0] == (byte)'@';
        if (isAbstract)
            address[2] = 0;
        long watchdog = 0;
        if (long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) && microseconds > 0
            && (pid is null || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture)))
            watchdog = microseconds * Stopwatch.Frequency / 2_000_000;
        // An abstract address is as long as its name; a path is NUL-terminated.
        return new SystemdNotifier(address, 2 + path.Length + (isAbstract ? 0 : 1), watchdog);
    }

    /// <summary><c>READY=1</c>: the service is up (a manager's MIN workers are started, a worker listens).</summary>
    public void Ready() => Send("READY=1");

    /// <summary><c>RELOADING=1</c>, then <see cref="Ready"/> once the reload is done.</summary>
    public void Reloading()
    {
        long microseconds = (long)(Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency * 1_000_000); // CLOCK_MONOTONIC
        Send("RELOADING=1\nMONOTONIC_USEC=" + microseconds.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>STOPPING=1</c>: the service stops of itself, or was told to.</summary>
    public void Stopping() => Send("STOPPING=1");

    /// <summary>Whether systemd watches the service (<c>WatchdogSec=</c>) and wants <see cref="Watchdog"/> called.</summary>
    public bool HasWatchdog => _watchdogTicks > 0;

    /// <summary><c>WATCHDOG=1</c> when half of <c>WATCHDOG_USEC</c> has passed since the last; call it often.</summary>
    public void Watchdog()
    {
        if (_watchdogTicks == 0 || Stopwatch.GetTimestamp() < Volatile.Read(ref _nextWatchdog))
            return;
        Volatile.Write(ref _nextWatchdog, Stopwatch.GetTimestamp() + _watchdogTicks);
        Send("WATCHDOG=1");
    }

    /// <summary>Keeps calling <see cref="Watchdog"/> from a thread of its own (a lone worker, whose threads all serve).</summary>
    public void StartWatchdogThread()
    {
        if (!HasWatchdog)
            return;
        new Thread(() =>
        {
            while (true)
            {
                Watchdog();
                Thread.Sleep(250);
            }
        }) { IsBackground = true, Name = "systemd watchdog" }.Start();
    }

    private void Send(string message) => _ = SocketDescriptor.SendDatagram(_address, _addressLength, Encoding.UTF8.GetBytes(message));
}
