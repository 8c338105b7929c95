using System;

namespace CgiRouting.Dispatching;

/// <summary>
/// How System.Text.Json escapes a JSON string with its default options (no custom encoder): printable ASCII is
/// written as is except <c>" &amp; ' + &lt; &gt; \ `</c>; <c>\b \t \n \f \r \\</c> have short forms; everything else,
/// including every character above U+007E, is <c>\uXXXX</c> with upper-case hex, one escape per UTF-16 code unit, and
/// a lone surrogate is written as <c>\uFFFD</c>. Written once: the generator escapes property names with it at build
/// time, <see cref="JsonUtf8Builder"/> escapes values with it at run time.
/// </summary>
internal static class JsonEscaping
{
    /// <summary>Whether <paramref name="c"/> is written as itself.</summary>
    public static bool IsAllowed(char c) =>
        c >= ' ' && c < '\u007F' && c is not ('"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`');

    /// <summary>
    /// Writes <paramref name="value"/> escaped (without quotes) into <paramref name="destination"/>, which has room
    /// for six bytes per character; returns the number of bytes written.
    /// </summary>
    public static int Escape(string value, Span<byte> destination)
    {
        int n = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (IsAllowed(c))
            {
                destination[n++] = (byte)c;
                continue;
            }
            char brief = c switch
            {
                '\b' => 'b',
                '\t' => 't',
                '\n' => 'n',
                '\f' => 'f',
                '\r' => 'r',
                '\\' => '\\',
                _ => '\0',
            };
            if (brief != '\0')
            {
                destination[n++] = (byte)'\\';
                destination[n++] = (byte)brief;
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                n += UnicodeEscape(c, destination.Slice(n));
                c = value[++i];
            }
            else if (char.IsSurrogate(c))
            {
                c = '\uFFFD';
            }
            n += UnicodeEscape(c, destination.Slice(n));
        }
        return n;
    }

    private static int UnicodeEscape(char c, Span<byte> destination)
    {
        const string hex = "0123456789ABCDEF";
        destination[0] = (byte)'\\';
        destination[1] = (byte)'u';
        destination[2] = (byte)hex[(c >> 12) & 0xF];
        destination[3] = (byte)hex[(c >> 8) & 0xF];
        destination[4] = (byte)hex[(c >> 4) & 0xF];
        destination[5] = (byte)hex[c & 0xF];
        return 6;
    }
}
