using System;
using System.Runtime.InteropServices;
using System.Text;

namespace CgiRouting.FastCgi;

/// <summary>
/// Listening and accepting with the C library's socket calls (Linux), bound at link time like
/// <see cref="StandardDescriptorStream"/>'s read(2) and write(2): System.Net.Sockets would add its own event loop and
/// several hundred kilobytes to every app for what a FastCGI worker needs of it, a blocking accept(2). A connection
/// is a descriptor read and written by <see cref="StandardDescriptorStream"/>.
/// </summary>
internal static unsafe partial class SocketDescriptor
{
    private const int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    private const int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000;
    private const int IPPROTO_TCP = 6, TCP_NODELAY = 1, TCP_INFO = 11;
    private const int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_RCVTIMEO = 20, SO_ACCEPTCONN = 30;
    private const int SHUT_RD = 0, SHUT_RDWR = 2;
    private const int EINTR = 4, EAGAIN = 11, EADDRINUSE = 98, ECONNABORTED = 103, ECONNREFUSED = 111;

    /// <summary>
    /// Whether descriptor <paramref name="descriptor"/> is a listening socket: how a web server that spawns its
    /// FastCGI workers (lighttpd's bin-path, spawn-fcgi, mod_fcgid) hands them the socket. One system call.
    /// </summary>
    public static bool IsListening(int descriptor)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        int listening = 0, size = sizeof(int);
        return getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening != 0;
    }

    /// <summary>
    /// A socket listening on <paramref name="address"/>: <c>unix:/path</c> (a stale socket file at the path is
    /// replaced), <c>IPV4:PORT</c> or <c>[IPV6]:PORT</c>. Throws with the reason when it cannot.
    /// </summary>
    public static int Listen(string address, int backlog)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("FastCGI mode runs on Linux.");
        byte[] socketAddress = SocketAddress(address);
        int family = socketAddress[0] | socketAddress[1] << 8;
        int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw Error("socket", address);
        int one = 1;
        if (family != AF_UNIX)
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(int));
        fixed (byte* bytes = socketAddress)
        {
            bool bound = bind(fd, bytes, socketAddress.Length) == 0;
            int errno = Marshal.GetLastPInvokeError(); // read only when not bound
            if (!bound && family == AF_UNIX && errno == EADDRINUSE)
            {
                string path = address[5..];
                if (!IsSocketFile(path))
                {
                    _ = close(fd);
                    throw new InvalidOperationException($"Could not listen on {address}: a file that is not a socket is there, and it is left as it is.");
                }
                if (IsStale(bytes, socketAddress.Length))
                {
                    _ = unlink(path); // the socket file of a worker that is gone (killed, say)
                    bound = bind(fd, bytes, socketAddress.Length) == 0;
                    errno = Marshal.GetLastPInvokeError();
                }
            }
            if (bound && listen(fd, backlog) != 0)
            {
                bound = false;
                errno = Marshal.GetLastPInvokeError();
            }
            if (!bound)
            {
                _ = close(fd);
                throw Error("bind and listen", address, errno);
            }
        }
        return fd;
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a socket file (a symbolic link is not followed): only such a file may be
    /// replaced. A regular file there refuses a connection as a dead socket does, and must not be removed.
    /// </summary>
    private static bool IsSocketFile(string path) => FileStatus.Of(path)?.Type == FileStatus.Socket;

    /// <summary>Whether nothing listens on the unix socket file at <paramref name="address"/> (connect(2) is refused).</summary>
    private static bool IsStale(byte* address, int length)
    {
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (probe < 0)
            return false;
        bool refused = connect(probe, address, length) != 0 && Marshal.GetLastPInvokeError() == ECONNREFUSED;
        _ = close(probe);
        return refused;
    }

    /// <summary>
    /// The address in a <c>struct sockaddr</c>, or <see cref="FormatException"/> saying what is wrong with it.
    /// </summary>
    private static byte[] SocketAddress(string address)
    {
        if (address.StartsWith("unix:", StringComparison.Ordinal))
        {
            byte[] path = Encoding.UTF8.GetBytes(address[5..]);
            if (path.Length is 0 or > 107)
                throw new FormatException($"'{address}': a unix socket path must have 1 to 107 bytes.");
            var un = new byte[2 + 108];
            un[0] = AF_UNIX;
            path.CopyTo(un, 2);
            return un;
        }
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out ushort port))
            throw new FormatException($"'{address}' is not an address to listen on: write IP:PORT (127.0.0.1:9000, [::1]:9000) or unix:/path/to.sock.");
        string host = address[..colon];
        bool v6 = host.Length > 2 && host[0] == '[' && host[^1] == ']';
        if (v6)
            host = host[1..^1];
        var addr = new byte[16];
        int ok;
        fixed (byte* a = addr)
            ok = inet_pton(v6 ? AF_INET6 : AF_INET, host, a);
        if (ok != 1)
            throw new FormatException($"'{host}' in '{address}' is not an IP{(v6 ? "v6" : "v4")} address (host names are not resolved).");
        var socketAddress = new byte[v6 ? 28 : 16];
        socketAddress[0] = (byte)(v6 ? AF_INET6 : AF_INET);
        socketAddress[2] = (byte)(port >> 8);
        socketAddress[3] = (byte)port;
        addr.AsSpan(0, v6 ? 16 : 4).CopyTo(socketAddress.AsSpan(v6 ? 8 : 4));
        return socketAddress;
    }

    /// <summary>
    /// Waits for a connection and returns its descriptor, or -1: none came within about <see cref="AcceptWait"/>
    /// (<see cref="NothingToAccept"/>), the listener is shut down (<see cref="StopListening"/>) or it failed. A listener
    /// inherited non-blocking is waited on with poll(2).
    /// </summary>
    public static int Accept(int listener)
    {
        while (true)
        {
            int fd = accept4(listener, null, null, SOCK_CLOEXEC);
            if (fd >= 0)
            {
                // A response leaves as a few records written one after the other: with Nagle's algorithm on a TCP
                // connection the last waits for the web server's delayed ACK, 40 ms a request (measured through nginx:
                // 20 requests a second over TCP, thousands over a unix socket). On a unix socket this fails, harmlessly.
                int one = 1;
                _ = setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(int));
                return fd;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno is EINTR or ECONNABORTED)
                continue;
            if (errno != EAGAIN)
                return -1;
            // Nothing came within the listener's SO_RCVTIMEO (AcceptWait), or the listener is non-blocking: wait as long
            // in poll(2), then give the caller its turn to look whether it stops (-1, errno EAGAIN).
            var poll = new PollDescriptor { Descriptor = listener, Events = PollDescriptor.POLLIN };
            if (PollDescriptor.Poll(&poll, 1, (int)AcceptWait.TotalMilliseconds) == 0)
            {
                Marshal.SetLastPInvokeError(EAGAIN);
                return -1;
            }
        }
    }

    /// <summary>
    /// How long <see cref="Accept"/> waits for a connection before it returns (-1, errno EAGAIN), so that a worker's
    /// accepting threads see its stop: a thread left blocked in accept(2) on a listener other workers share could take
    /// a connection just as its process exits, and close it unanswered (nginx's 502 for a POST it never sends again).
    /// </summary>
    public static TimeSpan AcceptWait => TimeSpan.FromMilliseconds(250);

    /// <summary>Whether <paramref name="errno"/>, after <see cref="Accept"/> returned -1, says only that no connection came in time.</summary>
    public static bool NothingToAccept(int errno) => errno == EAGAIN;

    /// <summary>
    /// Lets no further connection queue on <paramref name="listener"/> beyond the one the kernel still admits (listen(2)
    /// with a backlog of 0), without touching those queued: a SYN that finds the queue full is dropped, and the client's
    /// retry a second later finds the listener shut down and is refused.
    /// </summary>
    public static void CapBacklog(int listener) => _ = listen(listener, 0);

    /// <summary>Whether a connection is queued on <paramref name="listener"/>, waiting for accept.</summary>
    public static bool HasPending(int listener)
    {
        var poll = new PollDescriptor { Descriptor = listener, Events = PollDescriptor.POLLIN };
        return PollDescriptor.Poll(&poll, 1, 0) == 1 && (poll.ReturnedEvents & PollDescriptor.POLLIN) != 0;
    }

    /// <summary>
    /// A listening socket's accept queue: the connections queued now and the most it holds. TCP_INFO gives a TCP
    /// listener's as <c>tcpi_unacked</c> and <c>tcpi_sacked</c> (php-fpm reads them so); a unix socket's is asked of
    /// netlink's sock_diag (<see cref="UnixSocketDiagnostics"/>). Null when neither can tell (netlink refused in a
    /// sandbox, say): the status then says null, and never fails for it.
    /// </summary>
    public static (int Queued, int Limit)? ListenQueue(int listener)
    {
        byte* info = stackalloc byte[256];
        int size = 256;
        if (getsockopt(listener, IPPROTO_TCP, TCP_INFO, info, &size) != 0 || size < 32)
            return UnixSocketDiagnostics.ListenQueue(listener); // not TCP (EOPNOTSUPP on a unix socket)
        return (*(int*)(info + 24), *(int*)(info + 28));
    }

    /// <summary>Makes a read of <paramref name="connection"/> fail once it has waited <paramref name="timeout"/> (SO_RCVTIMEO).</summary>
    public static void SetReadTimeout(int connection, TimeSpan timeout)
    {
        long microseconds = (long)(timeout.TotalMilliseconds * 1000);
        var value = stackalloc long[2] { microseconds / 1_000_000, microseconds % 1_000_000 }; // struct timeval
        _ = setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, value, 2 * sizeof(long));
    }

    /// <summary>
    /// The IP address of the peer of <paramref name="connection"/> as text (<c>127.0.0.1</c>, <c>::1</c>), or
    /// <see langword="null"/> for a unix socket.
    /// </summary>
    public static string? PeerAddress(int connection)
    {
        var address = new byte[128];
        int length = address.Length;
        fixed (byte* a = address)
        {
            if (getpeername(connection, a, &length) != 0)
                return null;
            int family = address[0] | address[1] << 8;
            if (family is not (AF_INET or AF_INET6))
                return null;
            byte* text = stackalloc byte[64];
            return inet_ntop(family, a + (family == AF_INET ? 4 : 8), text, 64) == null ? null
                : CanonicalAddress(Marshal.PtrToStringUTF8((nint)text)!);
        }
    }

    /// <summary>
    /// <paramref name="address"/> (an IPv4 or IPv6 address, brackets allowed) written as inet_ntop(3) writes it, an
    /// IPv4-mapped IPv6 address as its IPv4 one (how an IPv4 peer of an IPv6 listener appears); <see langword="null"/>
    /// for anything else.
    /// </summary>
    public static string? CanonicalAddress(string address)
    {
        string host = address.Length > 2 && address[0] == '[' && address[^1] == ']' ? address[1..^1] : address;
        byte* bytes = stackalloc byte[16];
        byte* text = stackalloc byte[64];
        if (inet_pton(AF_INET, host, bytes) == 1)
            return inet_ntop(AF_INET, bytes, text, 64) == null ? null : Marshal.PtrToStringUTF8((nint)text);
        if (inet_pton(AF_INET6, host, bytes) != 1)
            return null;
        bool mapped = new ReadOnlySpan<byte>(bytes, 12).SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);
        return inet_ntop(mapped ? AF_INET : AF_INET6, mapped ? bytes + 12 : bytes, text, 64) == null ? null : Marshal.PtrToStringUTF8((nint)text);
    }

    /// <summary>Whether <paramref name="address"/> (IP:PORT or [IPV6]:PORT) is on the loopback interface only.</summary>
    public static bool IsLoopback(string address)
    {
        if (address.StartsWith("unix:", StringComparison.Ordinal))
            return true;
        byte[] socketAddress = SocketAddress(address);
        return socketAddress[0] == AF_INET ? socketAddress[4] == 127 : socketAddress.AsSpan(8, 16).SequenceEqual(Ipv6Loopback);
    }

    private static ReadOnlySpan<byte> Ipv6Loopback => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

    /// <summary>Stops a listening socket of our own: new connections are refused and blocked accepts return.</summary>
    public static void StopListening(int listener) => _ = shutdown(listener, SHUT_RD);

    /// <summary>Ends a connection from another thread: a read blocked on it returns.</summary>
    public static void Shutdown(int descriptor) => _ = shutdown(descriptor, SHUT_RDWR);

    public static void Close(int descriptor) => _ = close(descriptor);

    /// <summary>
    /// The file at <paramref name="path"/> as the kernel knows it (device and inode), not following a symbolic link;
    /// <see langword="null"/> when there is none.
    /// </summary>
    public static (ulong Device, ulong Inode)? FileIdentity(string path) =>
        FileStatus.Of(path) is { } status ? (status.Device, status.Inode) : null;

    /// <summary>
    /// Removes the socket file this worker made when it exits, if the file at <paramref name="path"/> is still that one
    /// (<paramref name="identity"/>, taken when it was bound): a successor that replaced it while this worker finished its
    /// requests keeps its own.
    /// </summary>
    public static void Remove(string path, (ulong Device, ulong Inode)? identity)
    {
        if (identity is not null && FileIdentity(path) == identity)
            _ = unlink(path);
    }

    /// <summary>
    /// What the socket is bound to, for the start-up line: <c>unix:/path</c>, <c>127.0.0.1:9000</c>, <c>[::1]:9000</c>.
    /// </summary>
    public static string Describe(int descriptor)
    {
        var address = new byte[128];
        int length = address.Length;
        fixed (byte* a = address)
        {
            if (getsockname(descriptor, a, &length) != 0)
                return "descriptor " + descriptor;
        }
        int family = address[0] | address[1] << 8;
        if (family == AF_UNIX)
        {
            var path = address.AsSpan(2, Math.Max(0, Math.Min(length, address.Length) - 2));
            int end = path.IndexOf((byte)0);
            return "unix:" + Encoding.UTF8.GetString(end < 0 ? path : path[..end]);
        }
        if (family is not (AF_INET or AF_INET6))
            return "descriptor " + descriptor;
        int port = address[2] << 8 | address[3];
        byte* text = stackalloc byte[64];
        fixed (byte* a = address)
        {
            if (inet_ntop(family, a + (family == AF_INET ? 4 : 8), text, 64) == null)
                return "descriptor " + descriptor;
        }
        string host = Marshal.PtrToStringUTF8((nint)text) ?? "";
        return (family == AF_INET6 ? "[" + host + "]" : host) + ":" + port;
    }

    /// <summary>
    /// Sends <paramref name="message"/> as one datagram to the unix socket at <paramref name="address"/> (a
    /// <c>struct sockaddr_un</c> of <paramref name="length"/> bytes: an abstract one is not NUL-terminated); false when
    /// it could not be sent. For <see cref="SystemdNotifier"/>.
    /// </summary>
    public static bool SendDatagram(byte[] address, int length, ReadOnlySpan<byte> message)
    {
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return false;
        bool sent;
        fixed (byte* a = address)
        fixed (byte* m = message)
            sent = connect(fd, a, length) == 0 && write(fd, m, message.Length) == message.Length;
        _ = close(fd);
        return sent;
    }

    private static InvalidOperationException Error(string what, string address)
        => Error(what, address, Marshal.GetLastPInvokeError());

    private static InvalidOperationException Error(string what, string address, int errno)
        => new InvalidOperationException($"Could not {what} on {address}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockopt(int fd, int level, int name, void* value, int* length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol); // also UnixSocketDiagnostics' netlink socket

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int connect(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int listen(int fd, int backlog);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int accept4(int fd, byte* address, int* length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int shutdown(int fd, int how);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlink(string path);


    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockname(int fd, byte* address, int* length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpeername(int fd, byte* address, int* length);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int inet_pton(int family, string source, byte* destination);

    [LibraryImport("libc")]
    private static partial byte* inet_ntop(int family, byte* source, byte* destination, int size);
}
