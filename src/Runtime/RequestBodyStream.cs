using System;
using System.IO;

namespace CgiRouting;

/// <summary>
/// Standard input cut to exactly <c>CONTENT_LENGTH</c> bytes. It never reads past them (a server may keep the
/// client socket open on stdin), and end of input before them is the client's fault: a 400, not a hang.
/// </summary>
internal sealed class RequestBodyStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private long _remaining;

    public RequestBodyStream(Stream inner, long length)
    {
        _inner = inner;
        _remaining = length;
        Length = length;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_remaining == 0 || buffer.IsEmpty)
            return 0;
        int n = _inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        if (n == 0)
            throw new CgiRequestException(400, "The request body ended before CONTENT_LENGTH bytes arrived.");
        _remaining -= n;
        return n;
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override long Length { get; }
    public override long Position { get => Length - _remaining; set => throw new NotSupportedException(); }
}
