using System;
using System.IO;
using System.Threading;

namespace CgiRouting.FastCgi;

/// <summary>
/// The STDIN records of one request as the stream its body is read from, read from the connection as the handler
/// asks for them. An empty STDIN record is the end; the end of the connection is too (the request body stream then
/// answers 400 if bytes are missing). Records that arrive meanwhile and are not this request's STDIN are handled as
/// between requests (GET_VALUES is answered; a second BEGIN_REQUEST is refused, this worker does not multiplex).
/// ABORT_REQUEST for this request, or a malformed record, makes reading fail as a body cut short does in CGI mode
/// (<see cref="CgiRequestException"/>, 400, which is not logged as a handler error), and drops the response.
/// </summary>
internal sealed class FastCgiInputStream(FastCgiConnection connection, ushort requestId, FastCgiOutputStream output) : Stream
{
    private ReadOnlyMemory<byte> _pending;
    private bool _ended;

    /// <summary>The web server sent ABORT_REQUEST for this request.</summary>
    public bool Aborted { get; private set; }

    /// <summary>
    /// The web server aborted the request (ABORT_REQUEST, read here or seen by <see cref="ConnectionWatch"/>): the
    /// response is dropped, and the handler's <see cref="CgiRequest.RequestAborted"/> cancelled if it asked for it.
    /// </summary>
    public void Abort()
    {
        Aborted = true;
        output.Discarded = true;
        Request?.Abort();
    }

    /// <summary>STDIN has ended (its empty record, or the connection's end): nothing of this request is read any more.</summary>
    public bool Ended => Volatile.Read(ref _ended);

    /// <summary>The request whose <see cref="CgiRequest.RequestAborted"/> was asked for: an ABORT_REQUEST aborts it.</summary>
    public CgiRequest? Request { get; set; }

    /// <summary>The connection ended before the end of STDIN.</summary>
    public bool ConnectionEnded { get; private set; }

    /// <summary>The malformed record met while reading the body: the response is dropped and the connection closes.</summary>
    public FastCgiProtocolException? Broken { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        if (Broken is not null)
            throw Cut();
        try
        {
            return ReadRecords(buffer);
        }
        catch (FastCgiProtocolException e)
        {
            Broken = e; // the connection closes with it, and its one line on the log
            _ended = true;
            output.Discarded = true;
            throw Cut();
        }
    }

    private int ReadRecords(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        while (_pending.IsEmpty)
        {
            if (Aborted)
                throw Cut();
            if (_ended)
                return 0;
            if (!connection.TryReadRecord(out var record))
            {
                _ended = ConnectionEnded = true;
                return 0;
            }
            if (record.RequestId != requestId)
            {
                connection.HandleOutsideRequest(record, requestId);
                continue;
            }
            switch (record.Type)
            {
                case FastCgiRecordType.Stdin:
                    if (record.Content.IsEmpty)
                        _ended = true;
                    _pending = record.Content;
                    break;
                case FastCgiRecordType.AbortRequest:
                    Abort();
                    break;
                case FastCgiRecordType.Params:
                    break; // more (empty) PARAMS after their end: nothing to add
                default:
                    connection.HandleOutsideRequest(record, requestId);
                    break;
            }
        }
        int count = Math.Min(buffer.Length, _pending.Length);
        _pending.Span[..count].CopyTo(buffer);
        _pending = _pending[count..];
        return count;
    }

    /// <summary>
    /// Reads and drops the rest of STDIN, up to its empty record, so that the web server is not still writing when the
    /// connection closes (which would reset it and could lose the response), as Go's child does; gives up, returning
    /// <see langword="false"/>, after <paramref name="limit"/> bytes or at the end of the connection.
    /// </summary>
    public bool DrainToEnd(long limit)
    {
        Span<byte> buffer = stackalloc byte[4096];
        long drained = 0;
        try
        {
            while (drained <= limit)
            {
                int read = Read(buffer);
                if (read == 0)
                    return !ConnectionEnded;
                drained += read;
            }
        }
        catch (Exception e) when (e is CgiRequestException or IOException)
        {
            return false;
        }
        return false;
    }

    private static CgiRequestException Cut() => new(400, "The request body ended before CONTENT_LENGTH bytes arrived.");

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
