using System.Runtime.InteropServices;
using System.Threading;

namespace CgiRouting.FastCgi;

/// <summary>
/// A FastCGI request is abandoned when the web server closes its connection (nginx does when the client goes away) or
/// sends <c>FCGI_ABORT_REQUEST</c> for it. While the handler reads the body, the request's STDIN stream sees an
/// abort itself (<see cref="FastCgiInputStream"/>); once the body has been read, nothing reads the connection until
/// the handler returns, so the worker's <see cref="DescriptorWatch"/> waits on it: a hang-up is an abort, and so is
/// an ABORT_REQUEST record for this request at the front of what arrived, which is looked at with MSG_PEEK and left
/// for the connection to read (and drop) after the request. (The STDIN of a request without a body is read when the
/// token is asked for, so that the watch looks past it.) Any other record (the next request on a kept connection,
/// say) stops the watch for data, leaving only the hang-up.
/// </summary>
internal sealed unsafe partial class ConnectionWatch(FastCgiServer server, FastCgiConnection connection, int descriptor, ushort requestId,
    FastCgiInputStream input) : AbandonWatch
{
    private const int MSG_PEEK = 0x02, MSG_DONTWAIT = 0x40;

    /// <summary>The most STDIN of a request without a body read ahead for the watch; past it only a hang-up is watched for.</summary>
    private const long NoBodyLimit = 64 * 1024;

    private Entry? _entry;

    public override void Watch(CgiRequest request)
    {
        input.Request = request; // an ABORT_REQUEST met while the body is read aborts it from there
        // A request without a body leaves its (empty) STDIN unread until it is answered; read it now, so that what
        // arrives after it can be watched for. The web server sends it with the PARAMS, and nothing else reads the
        // connection while the handler runs.
        if (!input.Ended && !request.HasBody)
            input.DrainToEnd(NoBodyLimit);
        if (input.Aborted || (input.Ended && connection.HasBufferedAbort(requestId)))
        {
            request.Abort();
            return;
        }
        if (descriptor < 0)
            return; // a connection that is not a socket (in-process tests): only its STDIN stream can tell
        var entry = new Entry(descriptor, requestId, input, request);
        Volatile.Write(ref _entry, entry);
        server.Watch.Add(entry);
    }

    public override void Unwatch(CgiRequest request)
    {
        if (Interlocked.Exchange(ref _entry, null) is { } entry)
            server.Watch.Remove(entry);
    }

    private sealed class Entry(int descriptor, ushort requestId, FastCgiInputStream input, CgiRequest request) : DescriptorWatch.Entry
    {
        private bool _dataSeen;

        public override int Descriptor => descriptor;

        public override short Events => _dataSeen || !input.Ended
            ? PollDescriptor.POLLRDHUP // the body's own records are the handler's to read
            : (short)(PollDescriptor.POLLIN | PollDescriptor.POLLRDHUP);

        public override bool Ready(short returned)
        {
            if ((returned & (PollDescriptor.POLLRDHUP | PollDescriptor.POLLHUP | PollDescriptor.POLLERR)) != 0)
            {
                request.Abort();
                return true;
            }
            if ((returned & PollDescriptor.POLLIN) == 0 || !input.Ended)
                return false;
            byte* header = stackalloc byte[FastCgiRecord.HeaderSize];
            long peeked = recv(descriptor, header, FastCgiRecord.HeaderSize, MSG_PEEK | MSG_DONTWAIT);
            if (peeked == 0)
            {
                request.Abort(); // the web server closed the connection
                return true;
            }
            if (peeked == FastCgiRecord.HeaderSize && header[1] == (byte)FastCgiRecordType.AbortRequest
                && (header[2] << 8 | header[3]) == requestId)
            {
                input.Abort(); // the record stays for the connection to drop once the handler has returned
                return true;
            }
            _dataSeen = true;
            return false;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, byte* buffer, nuint length, int flags);
}
