using System;
using System.IO;
using System.Text;

namespace CgiRouting;

/// <summary>
/// Reads a <c>multipart/form-data</c> body (RFC 7578, RFC 2046 §5.1) part by part, synchronously, from the request
/// body. It reads exactly as ASP.NET Core's <c>MultipartReader</c> did before it (MultipartDifferentialTests compares
/// the two on generated and fuzzed bodies): the text before the first <c>--boundary</c> is skipped (at most 16 KiB), a
/// part's content ends at the first <c>CRLF--boundary</c>, the rest of a boundary line is read up to 100 bytes and is
/// the final boundary if it is <c>--</c> with whitespace around it, a part's headers end at an empty line (at most 16
/// lines, 16 KiB), and the text after the final boundary is drained (at most 16 KiB). Ours, because ASP.NET Core's
/// reader, written for asynchronous reads, and its header parsers cost every start of every app with a form 50,000
/// instructions, for a body that a CGI request reads synchronously (bench/notes.md). Anything malformed is a 400
/// <see cref="CgiRequestException"/>.
/// </summary>
internal sealed class MultipartBodyReader
{
    private const int BufferSize = 4096;
    private const int HeadersLengthLimit = 16 * 1024;
    private const int HeadersCountLimit = 16;
    private const int BoundaryLineLimit = 100;

    private readonly Stream _body;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _offset;
    private int _count;
    private readonly string _boundary;

    /// <summary>What ends the current part: <c>--boundary</c> before the first part, <c>CRLF--boundary</c> after.</summary>
    private byte[] _delimiter;
    /// <summary>
    /// The bytes a read needs in front of it, or the body is cut short: the length of <c>CRLF--boundary</c> (ASP.NET
    /// Core's reader asks for the length of <c>--boundary--</c> as it was before the first part, and keeps it).
    /// </summary>
    private readonly int _lookahead;
    private bool _partFinished;
    private bool _finalBoundaryFound;
    /// <summary>The bytes before the first boundary read so far, held to <see cref="HeadersLengthLimit"/>.</summary>
    private long _preamble;
    private bool _beforeFirstPart = true;

    public MultipartBodyReader(string boundary, Stream body)
    {
        _boundary = boundary;
        _body = body;
        _delimiter = Encoding.UTF8.GetBytes("--" + boundary);
        _lookahead = _delimiter.Length + 2;
    }

    /// <summary>
    /// Moves to the next part, skipping what is left of the current one (the preamble, the first time): its
    /// <c>Content-Disposition</c> and <c>Content-Type</c> headers (several of one name joined with commas, null if
    /// absent), or false after the final boundary.
    /// </summary>
    public bool NextPart(out string? contentDisposition, out string? contentType)
    {
        contentDisposition = contentType = null;
        Span<byte> skip = stackalloc byte[1024];
        while (ReadPart(skip) > 0)
        {
        }
        if (_finalBoundaryFound)
        {
            long epilogue = 0;
            for (int read; (read = ReadBuffered(skip)) > 0;)
            {
                if ((epilogue += read) > HeadersLengthLimit)
                    throw Malformed($"the text after the final boundary is longer than {HeadersLengthLimit} bytes.");
            }
            return false;
        }
        ReadHeaders(out contentDisposition, out contentType);
        _delimiter = Encoding.UTF8.GetBytes("\r\n--" + _boundary);
        _partFinished = false;
        _beforeFirstPart = false;
        return true;
    }

    /// <summary>Reads the current part's content into <paramref name="destination"/>; 0 at its end.</summary>
    public int ReadPart(Span<byte> destination)
    {
        if (_partFinished)
            return 0;
        // A body with fewer bytes left than a delimiter and its line end never reaches its final boundary.
        if (!EnsureBuffered(_lookahead))
            throw Malformed("it ends before its final boundary.");
        var buffered = _buffer.AsSpan(_offset, _count);
        int match = DelimiterStart(buffered);
        if (match == 0)
        {
            Consume(_delimiter.Length);
            string rest = ReadLine(BoundaryLineLimit).Trim();
            _finalBoundaryFound = rest == "--";
            _partFinished = true;
            return 0;
        }
        int read = ReadBuffered(destination[..Math.Min(destination.Length, match < 0 ? _count : match)]);
        if (_beforeFirstPart && (_preamble += read) > HeadersLengthLimit)
            throw Malformed($"the text before the first boundary is longer than {HeadersLengthLimit} bytes.");
        return read;
    }

    /// <summary>Where the delimiter starts in <paramref name="buffered"/>, whole or as a prefix cut by its end; -1 if nowhere.</summary>
    private int DelimiterStart(ReadOnlySpan<byte> buffered)
    {
        int whole = buffered.IndexOf(_delimiter);
        if (whole >= 0)
            return whole;
        for (int i = Math.Max(0, buffered.Length - _delimiter.Length + 1); i < buffered.Length; i++)
        {
            if (_delimiter.AsSpan().StartsWith(buffered[i..]))
                return i;
        }
        return -1;
    }

    private void ReadHeaders(out string? contentDisposition, out string? contentType)
    {
        contentDisposition = contentType = null;
        int lines = 0, total = 0;
        for (string line = ReadLine(HeadersLengthLimit - total); line.Length > 0; line = ReadLine(HeadersLengthLimit - total))
        {
            if (HeadersLengthLimit - total < line.Length)
                throw Malformed($"a part's headers are longer than {HeadersLengthLimit} characters.");
            total += line.Length;
            int colon = line.IndexOf(':');
            if (colon <= 0)
                throw Malformed("a part's header line has no name and colon.");
            string name = line[..colon];
            string value = line[(colon + 1)..].Trim();
            if (++lines > HeadersCountLimit)
                throw Malformed($"a part has more than {HeadersCountLimit} header lines.");
            if (name.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase))
                contentDisposition = contentDisposition is null ? value : contentDisposition + "," + value;
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                contentType = contentType is null ? value : contentType + "," + value;
        }
    }

    /// <summary>
    /// The bytes up to the next CRLF (without it) or the end of the body, as UTF-8; longer than
    /// <paramref name="limit"/> bytes is malformed.
    /// </summary>
    private string ReadLine(int limit)
    {
        var line = new MemoryStream(200);
        bool cr = false;
        while (EnsureBuffered())
        {
            if (line.Length > limit)
                throw Malformed($"a line is longer than {limit} bytes.");
            byte b = _buffer[_offset];
            Consume(1);
            line.WriteByte(b);
            if (b == '\n' && cr)
                return Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length - 2);
            cr = b == '\r';
        }
        return Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length);
    }

    /// <summary>At least one byte buffered, unless the body has ended.</summary>
    private bool EnsureBuffered()
    {
        if (_count > 0)
            return true;
        _offset = 0;
        _count = _body.Read(_buffer, 0, _buffer.Length);
        return _count > 0;
    }

    /// <summary>At least <paramref name="count"/> bytes buffered, unless the body ends first.</summary>
    private bool EnsureBuffered(int count)
    {
        while (_count < count)
        {
            if (_offset > 0)
            {
                _buffer.AsSpan(_offset, _count).CopyTo(_buffer);
                _offset = 0;
            }
            int read = _body.Read(_buffer, _count, _buffer.Length - _count);
            _count += read;
            if (read == 0)
                return false;
        }
        return true;
    }

    /// <summary>Buffered bytes into <paramref name="destination"/>, or, with none buffered, straight from the body.</summary>
    private int ReadBuffered(Span<byte> destination)
    {
        if (_count == 0)
            return _body.Read(destination);
        int copied = Math.Min(_count, destination.Length);
        _buffer.AsSpan(_offset, copied).CopyTo(destination);
        Consume(copied);
        return copied;
    }

    private void Consume(int count)
    {
        _offset += count;
        _count -= count;
    }

    private static CgiRequestException Malformed(string detail) => new(400, "The multipart/form-data body is malformed: " + detail);
}
