using System;
using System.Runtime.InteropServices;

namespace CgiRouting.FastCgi;

/// <summary>
/// A listening unix socket's accept queue, read as <c>ss -xl</c> reads it: Linux tells it only through netlink's
/// sock_diag. One <c>SOCK_DIAG_BY_FAMILY</c> request names the socket by its inode and asks for
/// <c>UDIAG_SHOW_RQLEN</c>; the answer's <c>UNIX_DIAG_RQLEN</c> attribute gives a listener's connections waiting for
/// accept(2) (<c>udiag_rqueue</c>) and its backlog (<c>udiag_wqueue</c>). The structures are those of linux/netlink.h,
/// sock_diag.h and unix_diag.h, laid out alike on every architecture. A netlink socket is opened for each question and
/// closed after it (six system calls), so that threads that ask at once never read each other's answers. The kernel finds
/// the socket by walking the unix sockets of the network namespace: a question took 16 µs with a few of them and 90 µs
/// with 8,000 (measured in C on the same calls), against the manager's sample every 20 ms. A listener made in another
/// network namespace (systemd's socket for a service with PrivateNetwork=) is not found there: null.
/// </summary>
internal static unsafe partial class UnixSocketDiagnostics
{
    private const int AF_UNIX = 1, AF_NETLINK = 16, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000, NETLINK_SOCK_DIAG = 4;
    private const int MSG_DONTWAIT = 0x40;
    private const ushort SOCK_DIAG_BY_FAMILY = 20, NLM_F_REQUEST = 1;
    private const ushort UNIX_DIAG_RQLEN = 4, NLA_TYPE_MASK = 0x3fff; // the attribute's type without NLA_F_NESTED and NLA_F_NET_BYTEORDER
    private const uint UDIAG_SHOW_RQLEN = 0x10;
    private const byte TCP_LISTEN = 10;
    private const int AnswerSize = 512; // the answer: nlmsghdr, unix_diag_msg and one attribute, 44 bytes

    /// <summary>
    /// How long the answer is waited for, in milliseconds. Linux answers while it takes the request (in sendto(2)), so
    /// the wait ends at once; the bound is for a system that emulates netlink and never answers.
    /// </summary>
    private const int AnswerWait = 50;

    /// <summary>
    /// The queue of the listening unix socket <paramref name="listener"/>: the connections waiting for accept(2) now and
    /// its backlog; <see langword="null"/> when it is not one, or when netlink does not answer (no sock_diag, a sandbox
    /// that forbids it).
    /// </summary>
    public static (int Queued, int Limit)? ListenQueue(int listener)
    {
        // The inode of a socket's descriptor is the one sock_diag knows it by (sock_i_ino), 32 bits there.
        if (FileStatus.Of(listener) is not { Type: FileStatus.Socket } status || status.Inode > uint.MaxValue)
            return null;
        int netlink = SocketDescriptor.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        if (netlink < 0)
            return null;
        var queue = Ask(netlink, (uint)status.Inode);
        SocketDescriptor.Close(netlink);
        return queue;
    }

    private static (int Queued, int Limit)? Ask(int netlink, uint inode)
    {
        var request = new Request
        {
            Header = new NetlinkHeader { Length = (uint)sizeof(Request), Type = SOCK_DIAG_BY_FAMILY, Flags = NLM_F_REQUEST, Sequence = inode },
            Family = AF_UNIX,
            States = 1u << TCP_LISTEN,
            Inode = inode,
            Show = UDIAG_SHOW_RQLEN,
            Cookie0 = uint.MaxValue, // INET_DIAG_NOCOOKIE: whichever socket has this inode
            Cookie1 = uint.MaxValue,
        };
        var kernel = new NetlinkAddress { Family = AF_NETLINK }; // port 0: the kernel
        if (sendto(netlink, &request, sizeof(Request), 0, &kernel, sizeof(NetlinkAddress)) != sizeof(Request))
            return null;
        var poll = new PollDescriptor { Descriptor = netlink, Events = PollDescriptor.POLLIN };
        if (PollDescriptor.Poll(&poll, 1, AnswerWait) != 1)
            return null;
        byte* answer = stackalloc byte[AnswerSize];
        nint received = recv(netlink, answer, AnswerSize, MSG_DONTWAIT);
        return received < sizeof(NetlinkHeader) + sizeof(Message) ? null : Read(answer, (int)received, inode);
    }

    /// <summary>The queue in the <paramref name="length"/> bytes at <paramref name="answer"/>, if they are the answer about <paramref name="inode"/>.</summary>
    private static (int Queued, int Limit)? Read(byte* answer, int length, uint inode)
    {
        var header = (NetlinkHeader*)answer;
        // NLMSG_ERROR carries the errno of a request refused (ENOENT: no such socket); anything else is not our answer.
        if (header->Type != SOCK_DIAG_BY_FAMILY || header->Sequence != inode || header->Length > length
            || header->Length < sizeof(NetlinkHeader) + sizeof(Message))
            return null;
        var message = (Message*)(answer + sizeof(NetlinkHeader));
        if (message->Family != AF_UNIX || message->State != TCP_LISTEN || message->Inode != inode)
            return null; // rqueue and wqueue mean the bytes queued for a socket that does not listen
        byte* end = answer + header->Length;
        for (byte* attribute = (byte*)(message + 1); attribute + 4 <= end;)
        {
            ushort size = *(ushort*)attribute, type = *(ushort*)(attribute + 2); // struct nlattr
            if (size < 4 || attribute + size > end)
                return null;
            if ((type & NLA_TYPE_MASK) == UNIX_DIAG_RQLEN && size >= 4 + 8)
            {
                uint queued = *(uint*)(attribute + 4), limit = *(uint*)(attribute + 8); // struct unix_diag_rqlen
                return ((int)Math.Min(queued, int.MaxValue), (int)Math.Min(limit, int.MaxValue));
            }
            attribute += (size + 3) & ~3; // NLA_ALIGN
        }
        return null;
    }

    /// <summary><c>struct nlmsghdr</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NetlinkHeader
    {
        public uint Length;
        public ushort Type;
        public ushort Flags;
        public uint Sequence;
        public uint Port;
    }

    /// <summary><c>struct nlmsghdr</c> followed by <c>struct unix_diag_req</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Request
    {
        public NetlinkHeader Header;
        public byte Family;
        public byte Protocol;
        public ushort Pad;
        public uint States;
        public uint Inode;
        public uint Show;
        public uint Cookie0; // __u32 udiag_cookie[2]
        public uint Cookie1;
    }

    /// <summary><c>struct unix_diag_msg</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Message
    {
        public byte Family;
        public byte Type;
        public byte State;
        public byte Pad;
        public uint Inode;
        public uint Cookie0;
        public uint Cookie1;
    }

    /// <summary><c>struct sockaddr_nl</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NetlinkAddress
    {
        public ushort Family;
        public ushort Pad;
        public uint Port;
        public uint Groups;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendto(int fd, void* buffer, nint length, int flags, void* address, int addressLength);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, void* buffer, nint length, int flags);
}
