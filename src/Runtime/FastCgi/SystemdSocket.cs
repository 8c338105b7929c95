using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace CgiRouting.FastCgi;

/// <summary>
/// Socket activation: the listening socket a systemd socket unit (or <c>systemd-socket-activate</c>) hands this process
/// as descriptor 3, said by <c>LISTEN_PID</c> and <c>LISTEN_FDS</c>, read as sd_listen_fds(3) reads them and without
/// libsystemd. Only the command line (never a CGI request) looks, once, at start.
/// </summary>
internal static unsafe partial class SystemdSocket
{
    /// <summary>SD_LISTEN_FDS_START: the first descriptor systemd hands over.</summary>
    public const int FirstDescriptor = 3;

    /// <summary>What <see cref="Take"/> returns when no socket was handed to this process.</summary>
    public const int None = -1;

    /// <summary>What <see cref="Take"/> returns after a line on the error log that says why the sockets are refused.</summary>
    public const int Refused = -2;

    private const int F_DUPFD_CLOEXEC = 1030;

    /// <summary>
    /// The listening socket systemd handed this process, moved off descriptor 3 (a <c>--prefork</c> manager gives its
    /// workers their own descriptors 3 and 4) and closed on exec; <see cref="None"/> when there is none for this process
    /// (no <c>LISTEN_FDS</c>, or <c>LISTEN_PID</c> names another); <see cref="Refused"/> for more than one, or one that is
    /// not a listening stream socket. As sd_listen_fds(1) does, the variables are removed either way, so that the
    /// processes this one starts do not take them for theirs.
    /// </summary>
    public static int Take(TextWriter error)
    {
        string? pid = Environment.GetEnvironmentVariable("LISTEN_PID"), count = Environment.GetEnvironmentVariable("LISTEN_FDS");
        if (pid is null || count is null)
            return None;
        Environment.SetEnvironmentVariable("LISTEN_PID", null);
        Environment.SetEnvironmentVariable("LISTEN_FDS", null);
        Environment.SetEnvironmentVariable("LISTEN_FDNAMES", null);
        if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int owner) || owner != Environment.ProcessId
            || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int sockets) || sockets == 0)
            return None;
        if (sockets > 1)
        {
            error.WriteLine($"CgiRouting: systemd handed this process {sockets} sockets (LISTEN_FDS={sockets}); a FastCGI worker or manager "
                + "serves one: give its socket unit one ListenStream=.");
            return Refused;
        }
        if (!SocketDescriptor.IsListening(FirstDescriptor))
        {
            error.WriteLine("CgiRouting: descriptor 3, which systemd handed this process (LISTEN_FDS=1), is not a listening stream socket: "
                + "give its socket unit a ListenStream= (not ListenDatagram=, nor Accept=yes).");
            return Refused;
        }
        int moved = fcntl(FirstDescriptor, F_DUPFD_CLOEXEC, 10);
        if (moved < 0)
        {
            error.WriteLine($"CgiRouting: could not move the socket systemd handed over (fcntl: errno {Marshal.GetLastPInvokeError()}).");
            return Refused;
        }
        SocketDescriptor.Close(FirstDescriptor);
        return moved;
    }

    // fcntl is bound by the runtime already (a new libc symbol would be looked up at every start, a CGI request's too).
    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int descriptor, int command, int argument);
}
