using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace CgiRouting;

/// <summary>
/// Writes a <see cref="Response"/> as a CGI response (RFC 3875 §6.3): <c>Status</c>, <c>Content-Type</c>,
/// <c>Content-Length</c>, the other headers, a blank line and the body, with CRLF line ends.
/// </summary>
internal static class CgiResponseWriter
{
    private const int SingleWriteLimit = 64 * 1024;

    /// <summary>
    /// The header block of <paramref name="response"/> for a client that came over HTTPS (<paramref name="https"/>) or
    /// not, or <see langword="null"/> with the reason in <paramref name="error"/> when a header could split the
    /// response or is the server's to set.
    /// </summary>
    public static byte[]? FormatHead(Response response, bool https, out string? error)
    {
        var head = new HeadText(stackalloc char[HeadText.StackLength]);
        return TryFormatHead(response, https, ref head, out error) ? Encoding.UTF8.GetBytes(head.Text.ToArray()) : null;
    }

    private static bool TryFormatHead(Response response, bool https, ref HeadText head, out string? error)
    {
        int status = response.StatusCode;
        head.Append("Status: ");
        head.Append(status);
        head.Append(" ");
        head.Append(HttpStatus.ReasonPhrase(status));
        head.Append("\r\n");
        if (response.ContentType is { } contentType)
        {
            if ((error = CheckValue("Content-Type", contentType)) is not null)
                return false;
            head.Append("Content-Type: ");
            head.Append(contentType);
            head.Append("\r\n");
        }
        if (response.BodyLength < 0)
            head.Append("X-Accel-Buffering: no\r\n"); // no Content-Length: the server chunks the body or closes at its end
        else if (MayHaveBody(status))
        {
            head.Append("Content-Length: ");
            head.Append(response.BodyLength);
            head.Append("\r\n");
        }
        // By index: a foreach over the interface would allocate an enumerator for every response.
        var headers = response.HeadersFor(https);
        for (int i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            if ((error = CheckName(name) ?? CheckValue(name, value)) is not null)
                return false;
            head.Append(name);
            head.Append(": ");
            head.Append(value);
            head.Append("\r\n");
        }
        head.Append("\r\n");
        error = null;
        return true;
    }

    /// <summary>
    /// Writes <paramref name="response"/> to <paramref name="output"/>; for <c>HEAD</c> requests
    /// (<paramref name="omitBody"/>) the headers are those of the full response and the body is left out.
    /// A response whose headers cannot be written safely is replaced by a 500, and the reason goes to
    /// <paramref name="errorLog"/>. A streamed body (<see cref="Response.BodyStream"/>) is copied as it is read, and
    /// disposed.
    /// </summary>
    public static void Write(Response response, bool omitBody, bool https, Stream output, TextWriter errorLog)
    {
        using var streamed = response.BodyStream;
        // The head is text on the stack until it is encoded into the bytes that are written: one allocation a response.
        var head = new HeadText(stackalloc char[HeadText.StackLength]);
        if (!TryFormatHead(response, https, ref head, out string? error))
        {
            errorLog.WriteLine("CgiRouting: response not sent, " + error);
            response = Response.Text("Internal Server Error", 500);
            head.Clear();
            TryFormatHead(response, https, ref head, out _);
        }
        var body = response.BodyStream is not null || omitBody || !MayHaveBody(response.StatusCode)
            ? ReadOnlySpan<byte>.Empty : response.Body.Span;
        // One write when the head and the body together are small, so the response usually leaves in one system call.
        int headLength = Encoding.UTF8.GetByteCount(head.Text);
        bool together = response.BodyStream is null && headLength + body.Length <= SingleWriteLimit;
        byte[] bytes = new byte[headLength + (together ? body.Length : 0)];
        Encoding.UTF8.GetBytes(head.Text, bytes);
        if (together)
            body.CopyTo(bytes.AsSpan(headLength));
        output.Write(bytes);
        if (response.BodyStream is { } stream)
        {
            output.Flush();
            if (!omitBody && MayHaveBody(response.StatusCode))
                CopyAsRead(stream, response.BodyLength, output, errorLog);
            return;
        }
        if (!together)
            output.Write(body);
        // Not flushed here: whoever owns the stream ends the response. A FastCGI response's last STDOUT record leaves
        // with END_REQUEST in one write (FastCgiOutputStream.Complete); standard output is not buffered; CgiApp.Run
        // flushes the stream it was given.
    }

    /// <summary>
    /// The text of a header block: on the stack while it fits (<see cref="StackLength"/> characters, most heads),
    /// else in an array that grows. Numbers are written digit by digit: <c>int.ToString</c> first builds a cache of
    /// the strings of all numbers under 300 (10,000 instructions in every request).
    /// </summary>
    private ref struct HeadText(Span<char> stack)
    {
        public const int StackLength = 512;
        private Span<char> _chars = stack;
        private int _length;

        public readonly ReadOnlySpan<char> Text => _chars[.._length];

        public void Clear() => _length = 0;

        public void Append(scoped ReadOnlySpan<char> text)
        {
            if (_length + text.Length > _chars.Length)
            {
                var grown = new char[Math.Max(_chars.Length * 2, _length + text.Length)];
                _chars[.._length].CopyTo(grown);
                _chars = grown;
            }
            text.CopyTo(_chars[_length..]);
            _length += text.Length;
        }

        public void Append(long value)
        {
            Span<char> digits = stackalloc char[20];
            int start = digits.Length;
            ulong rest = (ulong)Math.Abs(value);
            do
            {
                digits[--start] = (char)('0' + (int)(rest % 10));
                rest /= 10;
            }
            while (rest != 0);
            if (value < 0)
                digits[--start] = '-';
            Append(digits[start..]);
        }
    }

    /// <summary>
    /// Copies <paramref name="body"/> to <paramref name="output"/>, passing on each read at once: to its end, or when
    /// its <paramref name="length"/> was sent as <c>Content-Length</c> (-1 when not), that many bytes, which a file
    /// that grows meanwhile must not overrun. The head is out, so a failure to read, or a file that shrank, can only end
    /// the body early: it is logged, and the server sees the response end.
    /// </summary>
    private static void CopyAsRead(Stream body, long length, Stream output, TextWriter errorLog)
    {
        var buffer = new byte[16 * 1024];
        long left = length;
        while (true)
        {
            int wanted = left == -1 ? buffer.Length : (int)Math.Min(buffer.Length, left);
            if (wanted == 0)
                return;
            int read;
            try
            {
                read = body.Read(buffer, 0, wanted);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errorLog.WriteLine("CgiRouting: the streamed response body failed after its headers were sent; it ends early: " + PrintableText.EscapeLines(e.ToString()));
                return;
            }
            if (read == 0)
            {
                if (left != -1)
                {
                    errorLog.WriteLine("CgiRouting: the response body ended " + left.ToString(CultureInfo.InvariantCulture)
                        + " bytes short of its Content-Length (the file shrank while it was sent).");
                }
                return;
            }
            output.Write(buffer, 0, read);
            output.Flush();
            if (left != -1)
                left -= read;
        }
    }

    /// <summary>1xx, 204 and 304 responses have no body and no Content-Length (RFC 9110 §6.4.1, §8.6).</summary>
    private static bool MayHaveBody(int status) => status >= 200 && status != 204 && status != 304;

    private static string? CheckName(string name)
    {
        if (name.Length == 0)
            return "a header has an empty name.";
        if (!HttpToken.IsToken(name))
            return $"the header name '{PrintableText.Escape(name)}' has a character that is not allowed in a header name.";
        if (name.Equals("Status", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase)
            || name.Equals("TE", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase))
            return $"the header '{name}' is set by CgiRouting or the web server, not by a handler.";
        return null;
    }

    private static string? CheckValue(string name, string value)
    {
        foreach (char c in value)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
                return $"the value of header '{PrintableText.Escape(name)}' has a control character (CR, LF or another) that could split the response.";
        }
        return null;
    }
}
