using System;
using System.IO;

namespace CgiRouting.FastCgi;

/// <summary>
/// Reads FastCGI records from a connection through a buffer, so that the records a server sends in one write
/// (BEGIN_REQUEST, PARAMS, STDIN) usually cost one read. A record with a version other than 1, or a connection
/// that ends inside a record, is a <see cref="FastCgiProtocolException"/>.
/// </summary>
internal sealed class FastCgiRecordReader(Stream input, byte[]? buffer = null)
{
    /// <summary>The buffer's size: one whole record of the largest size fits, with room to read ahead.</summary>
    public const int BufferSize = 2 * (FastCgiRecord.HeaderSize + FastCgiRecord.MaxContentLength + 255);

    private readonly byte[] _buffer = buffer ?? new byte[BufferSize];
    private int _start, _end;

    /// <summary>The buffer, to be used again for another connection once this one is done with it.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>
    /// Reads the next record into <paramref name="record"/>, whose content stays valid until the next call; returns
    /// <see langword="false"/> when the connection ends between records.
    /// </summary>
    public bool TryRead(out FastCgiRecord record)
    {
        record = default;
        if (!Fill(FastCgiRecord.HeaderSize))
        {
            if (_end == _start)
                return false;
            throw new FastCgiProtocolException("the connection ended inside a record header.");
        }
        // Read out before Fill, which may move the buffered bytes to the front of the buffer.
        var header = _buffer.AsSpan(_start, FastCgiRecord.HeaderSize);
        if (header[0] != 1)
            throw new FastCgiProtocolException($"a record has version {header[0]}, not 1.");
        var type = (FastCgiRecordType)header[1];
        ushort requestId = (ushort)(header[2] << 8 | header[3]);
        int contentLength = header[4] << 8 | header[5];
        int length = FastCgiRecord.HeaderSize + contentLength + header[6];
        if (!Fill(length))
            throw new FastCgiProtocolException("the connection ended inside a record.");
        record = new FastCgiRecord(type, requestId, _buffer.AsMemory(_start + FastCgiRecord.HeaderSize, contentLength));
        _start += length;
        return true;
    }

    /// <summary>
    /// Whether the records read ahead into the buffer, not yet returned, hold an ABORT_REQUEST for
    /// <paramref name="requestId"/> (it came with the end of the request's STDIN, before anything watched the connection).
    /// </summary>
    public bool HasBufferedAbort(ushort requestId)
    {
        for (int at = _start; _end - at >= FastCgiRecord.HeaderSize; at += FastCgiRecord.HeaderSize + (_buffer[at + 4] << 8 | _buffer[at + 5]) + _buffer[at + 6])
        {
            if (_buffer[at + 1] == (byte)FastCgiRecordType.AbortRequest && (_buffer[at + 2] << 8 | _buffer[at + 3]) == requestId)
                return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="count"/> bytes are buffered after reading what it takes; false at the end of input.</summary>
    private bool Fill(int count)
    {
        if (_end - _start >= count)
            return true;
        if (_buffer.Length - _start < count)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
        {
            int read = input.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
                return false;
            _end += read;
        }
        return true;
    }
}
