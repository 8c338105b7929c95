using System;
using System.IO;

namespace CgiRouting;

/// <summary>
/// Standard input cut to exactly <c>CONTENT_LENGTH</c> bytes. It never reads past them (a server may keep the
/// client socket open on stdin), and end of input before them is the client's fault: a 400, not a hang. A chunked body
/// without a length (<see cref="UntilEnd"/>) is read to the end of input instead, and refused (413) as soon as it grows
/// past the body limit.
/// </summary>
internal sealed class RequestBodyStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _length; // -1: until the end of input, at most _maxLength bytes
    private readonly long _maxLength;
    private long _position;

    public RequestBodyStream(Stream inner, long length)
    {
        _inner = inner;
        _length = length;
        _maxLength = length;
    }

    private RequestBodyStream(Stream inner, long length, long maxLength)
    {
        _inner = inner;
        _length = length;
        _maxLength = maxLength;
    }

    /// <summary>All of <paramref name="inner"/> up to its end, which may be no more than <paramref name="maxLength"/> bytes.</summary>
    public static RequestBodyStream UntilEnd(Stream inner, long maxLength) => new(inner, -1, maxLength);

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        if (_position > _maxLength)
            throw TooLarge();
        // Until the end: one byte over the limit is asked for, so that a body of exactly the limit is accepted.
        long wanted = Math.Min(buffer.Length, _maxLength - _position + (_length < 0 ? 1 : 0));
        if (wanted == 0)
            return 0;
        int n = _inner.Read(buffer[..(int)wanted]);
        if (n == 0 && _length >= 0)
            throw new CgiRequestException(400, "The request body ended before CONTENT_LENGTH bytes arrived.");
        _position += n;
        if (_position > _maxLength)
            throw TooLarge();
        return n;
    }

    /// <summary>The 413 message of a body over <see cref="CgiOptions.MaxRequestBodySize"/>, announced or read.</summary>
    internal const string TooLargeMessage = "The request body is larger than this app accepts.";

    private static CgiRequestException TooLarge() => new(413, TooLargeMessage);

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    /// <summary>CONTENT_LENGTH; a body read until the end of input has no length known in advance.</summary>
    public override long Length => _length >= 0 ? _length : throw new NotSupportedException("A chunked request body has no length known in advance.");

    /// <summary>The bytes read from input so far.</summary>
    public override long Position { get => _position; set => throw new NotSupportedException(); }
}
