using System.Runtime.InteropServices;

namespace CgiRouting;

/// <summary>
/// poll(2)'s <c>struct pollfd</c> and the call itself, declared once for every caller: <see cref="DescriptorWatch"/>
/// (requests whose client may go away) and <see cref="FastCgi.SocketDescriptor"/> (a listener's pending connections).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe partial struct PollDescriptor
{
    /// <summary>poll(2)'s events: data to read, an error, the peer hung up, the peer shut down its writing side.</summary>
    public const short POLLIN = 0x001, POLLERR = 0x008, POLLHUP = 0x010, POLLRDHUP = 0x2000;

    public int Descriptor;
    public short Events;
    public short ReturnedEvents;

    /// <summary>
    /// Waits up to <paramref name="timeout"/> milliseconds (-1: without end) for an event on one of the
    /// <paramref name="count"/> descriptors at <paramref name="descriptors"/>: how many have one, 0 when the time
    /// passed, -1 on an error (errno, EINTR among them).
    /// </summary>
    public static int Poll(PollDescriptor* descriptors, nuint count, int timeout) => poll(descriptors, count, timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(PollDescriptor* descriptors, nuint count, int timeout);
}
