using System;
using System.Text;
using System.Text.Unicode;

namespace CgiRouting;

/// <summary>
/// Percent-encoding (RFC 3986 §2.1: a byte of the text's UTF-8 as <c>%XX</c>) where the runtime writes text into
/// a header: a cookie's value (<see cref="Response.WithCookie"/>, read back by <see cref="CgiRequest.Cookies"/>) and
/// the app's own path (<see cref="CgiRequest.Url"/>). Only what may not appear there is encoded, so that the
/// usual text (a session id, <c>/cgi-bin/app</c>) is written as it is.
/// </summary>
internal static class PercentEncoding
{
    /// <summary>
    /// <paramref name="value"/> with every character outside RFC 6265's cookie-octet (a space, <c>" , ; \</c>, a
    /// control or non-ASCII character) and every <c>%</c> percent-encoded, as ASP.NET Core encodes cookie values
    /// (it encodes more: Uri.EscapeDataString), so that <see cref="DecodeCookieValue"/> gives back exactly
    /// <paramref name="value"/> (a lone surrogate, which UTF-8 cannot carry, comes back as U+FFFD).
    /// </summary>
    public static string EncodeCookieValue(string value) => Encode(value, path: false);

    /// <summary>
    /// <paramref name="path"/> (a decoded URL path, as <c>SCRIPT_NAME</c> is: RFC 3875 §4.1.13) with every character a
    /// path may not hold percent-encoded: all but RFC 3986's pchar and <c>/</c>, and <c>%</c> itself.
    /// </summary>
    public static string EncodePath(string path) => Encode(path, path: true);

    /// <summary>
    /// A cookie value percent-decoded as UTF-8; a value that is not valid percent-encoding (a <c>%</c> without two hex
    /// digits after it, bytes that are not UTF-8, a raw non-ASCII character beside an escape) is returned as it came,
    /// since it was not written by <see cref="EncodeCookieValue"/>.
    /// </summary>
    public static string DecodeCookieValue(string value)
    {
        if (!value.Contains('%'))
            return value;
        var bytes = new byte[value.Length];
        int count = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c >= 0x80)
                return value;
            if (c != '%')
            {
                bytes[count++] = (byte)c;
                continue;
            }
            if (!TryReadEscape(value, i, out bytes[count++]))
                return value;
            i += 2;
        }
        var chars = new char[count];
        return Utf8.ToUtf16(bytes.AsSpan(0, count), chars, out _, out int written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done
            ? new string(chars, 0, written)
            : value;
    }

    private static string Encode(string text, bool path)
    {
        int first = 0;
        while (first < text.Length && Keeps(text[first], path))
            first++;
        if (first == text.Length)
            return text;
        var encoded = new StringBuilder().Append(text, 0, first);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (Keeps(c, path))
            {
                encoded.Append(c);
                continue;
            }
            int length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            int count = Encoding.UTF8.GetBytes(text.AsSpan(i, length), utf8);
            i += length - 1;
            foreach (byte b in utf8[..count])
                encoded.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
        }
        return encoded.ToString();
    }

    /// <summary>
    /// Whether <paramref name="c"/> is written as it is: for a path, RFC 3986's unreserved and sub-delims, <c>: @ /</c>;
    /// for a cookie value, RFC 6265's cookie-octet (<c>%x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E</c>). <c>%</c>
    /// never, so that decoding gives the text back.
    /// </summary>
    private static bool Keeps(char c, bool path) => c != '%' && (path
        ? char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':' or '@' or '/'
        : c is '\x21' or (>= '\x23' and <= '\x2B') or (>= '\x2D' and <= '\x3A') or (>= '\x3C' and <= '\x5B') or (>= '\x5D' and <= '\x7E'));

    /// <summary>
    /// The byte of the escape <c>%XY</c> (two hex digits, either case) at <paramref name="i"/> of
    /// <paramref name="text"/>, if one is there: for cookie values, form-encoded components and RFC 5987 values.
    /// </summary>
    public static bool TryReadEscape(ReadOnlySpan<char> text, int i, out byte value)
    {
        if (text.Length - i < 3 || text[i] != '%' || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
        {
            value = 0;
            return false;
        }
        value = (byte)(HexValue(text[i + 1]) << 4 | HexValue(text[i + 2]));
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
