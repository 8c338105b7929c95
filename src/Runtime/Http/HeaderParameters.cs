using System;
using System.Collections.Generic;
using System.Text;

namespace CgiRouting;

/// <summary>
/// A <c>Content-Type</c> or <c>Content-Disposition</c> value: its type and its <c>;</c>-separated parameters
/// (RFC 9110 §5.6.6), for <see cref="FormData.ReadMultipart"/>'s boundary and each part's name and file name. It
/// reads them exactly as ASP.NET Core's <c>MediaTypeHeaderValue</c> and <c>ContentDispositionHeaderValue</c> did
/// before (obs-fold whitespace, quoted-pairs, a parameter without <c>=</c>, quotes removed but quoted-pairs not
/// unescaped, RFC 5987 <c>filename*</c>, RFC 2047 base64 words): MultipartDifferentialTests holds this code to theirs,
/// with one difference on purpose (UTF-16 and UTF-32 charsets, <see cref="CharsetNamed"/>). Ours, because theirs
/// linked every encoding .NET knows through <c>Encoding.GetEncoding</c>: with ASP.NET Core's multipart reader, they
/// cost every start of every app with a form 50,000 instructions (bench/notes.md).
/// </summary>
internal sealed class HeaderParameters
{
    private readonly List<KeyValuePair<string, string?>> _parameters = [];

    private HeaderParameters(string type) => Type = type;

    /// <summary>The disposition type (<c>form-data</c>), or the media type's <c>type/subtype</c> as written.</summary>
    public string Type { get; }

    /// <summary>A media type with its parameters (<c>multipart/form-data; boundary=x</c>), or null if malformed.</summary>
    public static HeaderParameters? ParseMediaType(string value) => Parse(value, mediaType: true);

    /// <summary>A disposition type with its parameters (<c>form-data; name="q"</c>), or null if malformed.</summary>
    public static HeaderParameters? ParseContentDisposition(string value) => Parse(value, mediaType: false);

    /// <summary>
    /// The first parameter named <paramref name="name"/> (any case): true and its value as written (quotes kept; null
    /// for a parameter without <c>=</c>), or false if there is none.
    /// </summary>
    public bool TryGet(string name, out string? value)
    {
        foreach (var (key, written) in _parameters)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = written;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>
    /// The parameter <paramref name="name"/> decoded: an RFC 2047 base64 word (<c>"=?utf-8?B?w6k=?="</c>) decoded, any
    /// other value as written (quotes kept); null if there is none or it has no value.
    /// </summary>
    public string? Decoded(string name)
    {
        if (!TryGet(name, out var value) || value is null)
            return null;
        return DecodeWord(value) ?? value;
    }

    /// <summary>
    /// The RFC 5987 parameter <paramref name="name"/> (<c>filename*=UTF-8''%C3%A9.txt</c>) decoded; null if there is
    /// none, if it is not <c>charset'language'text</c>, or if the charset is not one .NET knows. A parameter without a
    /// value, or a charset this reader does not decode (<see cref="CharsetNamed"/>), throws
    /// <see cref="FormatException"/>: the part is answered 400.
    /// </summary>
    public string? DecodedExtended(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value is null)
            throw new FormatException("The parameter has no value.");
        var parts = value.Split('\'');
        if (parts.Length != 3 || CharsetNamed(parts[0]) is not { } charset)
            return null;
        var decoded = new StringBuilder();
        var bytes = new byte[parts[2].Length];
        int pending = 0;
        var text = parts[2];
        for (int i = 0; i < text.Length; i++)
        {
            if (PercentEncoding.TryReadEscape(text, i, out bytes[pending]))
            {
                pending++;
                i += 2;
                continue;
            }
            if (pending > 0)
            {
                decoded.Append(Decode(charset, bytes.AsSpan(0, pending)));
                pending = 0;
            }
            decoded.Append(text[i]);
        }
        if (pending > 0)
            decoded.Append(Decode(charset, bytes.AsSpan(0, pending)));
        return decoded.ToString();
    }

    /// <summary><paramref name="value"/> without the double quotes around it, if it has them (quoted-pairs are kept).</summary>
    public static string RemoveQuotes(string value)
        => value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    /// <summary>An RFC 2047 word <c>"=?charset?B?base64?="</c> (quotes included) decoded, or null if it is not one.</summary>
    private static string? DecodeWord(string value)
    {
        if (value.Length < 10 || value[0] != '"' || value[^1] != '"')
            return null;
        var parts = value.Split('?');
        if (parts.Length != 5 || parts[0] != "\"=" || parts[4] != "=\"" || !parts[2].Equals("b", StringComparison.OrdinalIgnoreCase)
            || CharsetNamed(parts[1]) is not { } charset)
            return null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return null;
        }
        return Decode(charset, bytes);
    }

    private enum Charset
    {
        Utf8,
        Latin1,
        Ascii,
    }

    /// <summary>
    /// The charset <paramref name="name"/> names, by the names <c>Encoding.GetEncoding</c> knows for UTF-8, ISO-8859-1
    /// and US-ASCII (matched ignoring ASCII case only, as there), or null for a name .NET does not know either.
    /// UTF-16, UTF-32 and UTF-7 names throw <see cref="FormatException"/> (a 400): .NET refuses UTF-7 as unsafe, and no
    /// browser sends the others in a form, while decoding them here would link .NET's encoding table and four
    /// encodings into every app with a form (7 static bases, bench/notes.md). RFC 5987 asks recipients for UTF-8 and
    /// ISO-8859-1.
    /// </summary>
    private static Charset? CharsetNamed(string name)
    {
        Span<char> lower = stackalloc char[24];
        if (name.Length > lower.Length || !Ascii.IsValid(name))
            return null;
        Ascii.ToLower(name, lower, out int length);
        return lower[..length] switch
        {
            "utf-8" or "unicode-1-1-utf-8" or "unicode-2-0-utf-8" or "x-unicode-1-1-utf-8" or "x-unicode-2-0-utf-8" => Charset.Utf8,
            "iso-8859-1" or "latin1" or "l1" or "iso8859-1" or "iso_8859-1" or "iso_8859-1:1987" or "cp819" or "ibm819"
                or "csisolatin1" or "iso-ir-100" => Charset.Latin1,
            "us-ascii" or "ascii" or "us" or "ansi_x3.4-1968" or "ansi_x3.4-1986" or "cp367" or "csascii" or "ibm367"
                or "iso-ir-6" or "iso646-us" or "iso_646.irv:1991" => Charset.Ascii,
            "utf-16" or "utf-16le" or "unicode" or "ucs-2" or "iso-10646-ucs-2" or "utf-16be" or "unicodefffe"
                or "utf-32" or "utf-32le" or "utf-32be"
                or "utf-7" or "unicode-1-1-utf-7" or "unicode-2-0-utf-7" or "csunicode11utf7" or "x-unicode-1-1-utf-7"
                or "x-unicode-2-0-utf-7" => throw new FormatException($"The charset {name} is not decoded."),
            _ => null,
        };
    }

    /// <summary><paramref name="bytes"/> as text in <paramref name="charset"/>, what cannot be decoded replaced as .NET does.</summary>
    private static string Decode(Charset? charset, ReadOnlySpan<byte> bytes)
    {
        if (charset == Charset.Utf8)
            return Encoding.UTF8.GetString(bytes);
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
            text.Append(charset == Charset.Latin1 || b < 0x80 ? (char)b : '?');
        return text.ToString();
    }

    private static HeaderParameters? Parse(string input, bool mediaType)
    {
        int i = Whitespace(input, 0);
        int start = i;
        int length = TokenLength(input, i);
        if (length == 0)
            return null;
        i += length;
        if (mediaType)
        {
            i = Whitespace(input, i);
            if (i == input.Length || input[i] != '/')
                return null;
            i = Whitespace(input, i + 1);
            length = TokenLength(input, i);
            if (length == 0)
                return null;
            i += length;
        }
        var result = new HeaderParameters(input[start..i]);
        i = Whitespace(input, i);
        if (i < input.Length && input[i] == ';')
            i = Parameters(input, i + 1, result._parameters);
        // One value, and nothing after it but whitespace (a comma would start a second value).
        return Whitespace(input, i) == input.Length ? result : null;
    }

    /// <summary>Reads <c>name[=value]</c> pairs separated by <c>;</c> from <paramref name="i"/>; where they end.</summary>
    private static int Parameters(string input, int i, List<KeyValuePair<string, string?>> parameters)
    {
        i = Whitespace(input, i);
        while (true)
        {
            int nameLength = TokenLength(input, i);
            if (nameLength == 0)
                return i;
            string name = input.Substring(i, nameLength);
            i = Whitespace(input, i + nameLength);
            string? value = null;
            if (i < input.Length && input[i] == '=')
            {
                i = Whitespace(input, i + 1);
                // A token or a quoted string; anything else leaves an empty value, and the text after it fails the parse.
                int valueLength = TokenLength(input, i);
                if (valueLength == 0)
                    valueLength = QuotedStringLength(input, i);
                value = input.Substring(i, valueLength);
                i = Whitespace(input, i + valueLength);
            }
            parameters.Add(new(name, value));
            if (i == input.Length || input[i] != ';')
                return i;
            i = Whitespace(input, i + 1);
        }
    }

    private static int TokenLength(string input, int i)
    {
        int start = i;
        while (i < input.Length && HttpToken.IsTokenChar(input[i]))
            i++;
        return i - start;
    }

    /// <summary>
    /// The length of the quoted string at <paramref name="start"/>, quotes included, or 0 if there is none or it is not
    /// closed. A backslash and the ASCII character after it are a pair, unless they are the last two characters.
    /// </summary>
    private static int QuotedStringLength(string input, int start)
    {
        if (start >= input.Length || input[start] != '"')
            return 0;
        for (int i = start + 1; i < input.Length; i++)
        {
            if (i + 2 < input.Length && input[i] == '\\' && input[i + 1] <= 127)
                i++;
            else if (input[i] == '"')
                return i - start + 1;
        }
        return 0;
    }

    /// <summary>Where spaces and tabs from <paramref name="i"/> end; a CRLF followed by one is folded whitespace.</summary>
    private static int Whitespace(string input, int i)
    {
        while (i < input.Length)
        {
            if (input[i] is ' ' or '\t')
                i++;
            else if (input[i] == '\r' && i + 2 < input.Length && input[i + 1] == '\n' && input[i + 2] is ' ' or '\t')
                i += 3;
            else
                break;
        }
        return i;
    }
}
