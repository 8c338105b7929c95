using System;
using System.IO;

namespace CgiRouting.FastCgi;

/// <summary>
/// The response of one request as STDOUT records: what the CGI response writer writes (the <c>Status:</c> line,
/// headers and body) is buffered and sent in records of up to 65,528 bytes; <see cref="Flush"/> sends what is
/// buffered (a streamed body flushes each read), and <see cref="Complete"/> ends the response with an empty STDOUT
/// record and END_REQUEST, in the same write as the last of the body. <see cref="WriteError"/> sends the request's
/// error log as STDERR records; their empty closing record goes out with END_REQUEST, and none after it.
/// </summary>
/// <param name="writer">The connection's writer.</param>
/// <param name="requestId">The request whose records these are.</param>
/// <param name="buffer">A buffer an earlier response on the connection left (<see cref="Buffer"/>), or null for a new one.</param>
internal sealed class FastCgiOutputStream(FastCgiRecordWriter writer, ushort requestId, byte[]? buffer = null) : Stream
{
    private const int MaxRecordContent = FastCgiRecord.MaxContentLength & ~7; // 65,528: no padding needed
    private const int EndLength = 24; // an empty STDOUT and END_REQUEST
    private const int EndRoom = FastCgiRecord.HeaderSize + EndLength; // and before them an empty STDERR, if any was sent

    // A record header, then the content; room for the padding and the closing records after it. 1 KiB of content to
    // start, grown as a response needs (EnsureCapacity): most responses are smaller. A connection lends the buffer of
    // its last response to the next (FastCgiConnectionTests.A_kept_connection_allocates_per_request_only_what_differs).
    private byte[] _buffer = buffer ?? new byte[FastCgiRecord.HeaderSize + 1024 + 7 + EndRoom];
    private int _length;
    private bool _completed, _errorSent;
    // STDERR may come from the deadline's thread or the handler's, whichever is not ending the request: taken by both
    // and by Complete, so that no STDERR record follows END_REQUEST.
    private readonly object _ending = new();

    /// <summary>The buffer, grown as the response needed: the connection keeps it for its next response, once this one is complete.</summary>
    internal byte[] Buffer => _buffer;

    /// <summary>Set when the request is aborted: nothing more is sent.</summary>
    public bool Discarded { get; set; }

    /// <summary>The bytes of the CGI response written so far (its header block and body), for the access log.</summary>
    public long BytesWritten { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_completed)
            throw new InvalidOperationException("The response is complete.");
        BytesWritten += buffer.Length;
        while (!buffer.IsEmpty)
        {
            if (_length == MaxRecordContent)
                SendBuffered(end: false);
            int room = MaxRecordContent - _length;
            int take = Math.Min(room, buffer.Length);
            EnsureCapacity(_length + take);
            buffer[..take].CopyTo(_buffer.AsSpan(FastCgiRecord.HeaderSize + _length));
            _length += take;
            buffer = buffer[take..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
        if (_length > 0 && !_completed)
            SendBuffered(end: false);
    }

    /// <summary>
    /// Ends an aborted request: what is buffered is dropped, and an empty STDOUT and END_REQUEST close what may
    /// already have been sent (the head of the response, when the abort came while the rest of the body was drained).
    /// </summary>
    public void CompleteAborted()
    {
        _length = 0;
        Discarded = false;
        Complete();
    }

    /// <summary>
    /// Sends what is left, the empty STDERR that closes the STDERR stream if any was sent, an empty STDOUT and
    /// END_REQUEST (complete); later writes throw.
    /// </summary>
    public void Complete()
    {
        lock (_ending)
        {
            if (_completed)
                return;
            SendBuffered(end: true);
            _completed = true;
        }
    }

    /// <summary>
    /// Sends <paramref name="content"/> at once as STDERR records of the request; nothing once the request has ended
    /// (END_REQUEST is out) or while its response is dropped.
    /// </summary>
    public void WriteError(ReadOnlySpan<byte> content)
    {
        lock (_ending)
        {
            if (_completed || Discarded)
                return;
            for (; !content.IsEmpty; content = content[Math.Min(content.Length, MaxRecordContent)..])
                writer.Send(FastCgiRecordType.Stderr, requestId, content[..Math.Min(content.Length, MaxRecordContent)]);
            _errorSent = true;
        }
    }

    private void SendBuffered(bool end)
    {
        int length = 0;
        if (_length > 0)
        {
            int padding = FastCgiRecord.WriteHeader(_buffer, FastCgiRecordType.Stdout, requestId, _length);
            length = FastCgiRecord.HeaderSize + _length + padding;
            _buffer.AsSpan(FastCgiRecord.HeaderSize + _length, padding).Clear();
        }
        if (end && _errorSent)
        {
            FastCgiRecord.WriteHeader(_buffer.AsSpan(length), FastCgiRecordType.Stderr, requestId, 0);
            length += FastCgiRecord.HeaderSize;
        }
        if (end)
            FastCgiRecordWriter.FormatEnd(_buffer.AsSpan(length), requestId);
        int total = length + (end ? EndLength : 0);
        _length = 0;
        if (!Discarded && total > 0)
            writer.Send(_buffer.AsSpan(0, total));
    }

    private void EnsureCapacity(int contentLength)
    {
        int needed = FastCgiRecord.HeaderSize + contentLength + 7 + EndRoom;
        if (needed > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(needed, Math.Min(_buffer.Length * 2, FastCgiRecord.HeaderSize + MaxRecordContent + 7 + EndRoom)));
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
