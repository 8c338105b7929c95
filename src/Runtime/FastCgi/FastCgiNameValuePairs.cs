using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CgiRouting.FastCgi;

/// <summary>
/// The name-value pairs of PARAMS, GET_VALUES and GET_VALUES_RESULT (§3.4): each length in one byte when under 128,
/// else in four bytes, big-endian, with the top bit set; then the name and the value. Names and values are decoded
/// as UTF-8, invalid bytes becoming U+FFFD, as .NET decodes the environment of a CGI process.
/// </summary>
internal static class FastCgiNameValuePairs
{
    /// <summary>
    /// Adds the pairs of <paramref name="data"/> to <paramref name="pairs"/> (a repeated name: the last wins, as in an
    /// environment); <see langword="false"/> when a length runs past the end. The dictionary is sized once for all the
    /// pairs.
    /// </summary>
    /// <param name="data">The PARAMS (or GET_VALUES) content.</param>
    /// <param name="pairs">Where the pairs go.</param>
    /// <param name="recent">
    /// The names and values of the last request on this connection, in the order they came, and this request's after
    /// the call (null to start, and for one-off parses). A web server sends the same names in the same order with every
    /// request, and many of the same values (the server's name and software, the protocol, the client's address):
    /// a name or value equal to the one in its place last time is that string again, not a new one. As Kestrel reuses
    /// header strings on a connection; a table of known names would be static data every CGI process loads.
    /// </param>
    public static bool TryParse(ReadOnlySpan<byte> data, Dictionary<string, string> pairs, ref string[]? recent)
        => TryParse(data, pairs, ref recent, keep: true);

    /// <summary>Adds the pairs of <paramref name="data"/> to <paramref name="pairs"/>, as a one-off parse.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, Dictionary<string, string> pairs)
    {
        string[]? none = null;
        return TryParse(data, pairs, ref none, keep: false);
    }

    private static bool TryParse(ReadOnlySpan<byte> data, Dictionary<string, string> pairs, ref string[]? recent, bool keep)
    {
        int count = 0;
        for (var rest = data; !rest.IsEmpty; count++)
        {
            if (!TryReadLength(ref rest, out int nameLength) || !TryReadLength(ref rest, out int valueLength)
                || (long)nameLength + valueLength > rest.Length)
                return false;
            rest = rest[(nameLength + valueLength)..];
        }
        // Sized for the pairs, up to MaxRecentPairs: a name may repeat, and thousands of repeats must not size it.
        pairs.EnsureCapacity(pairs.Count + Math.Min(count, MaxRecentPairs));
        string[]? last = recent;
        // Kept for up to MaxRecentPairs pairs (a request with more keeps what the last one left); a longer array stays,
        // its slots past this request's pairs cleared, so that no string outlives its request there.
        string[]? next = !keep || count > MaxRecentPairs ? null
            : recent is not null && recent.Length >= 2 * count ? recent : new string[2 * count];
        for (int i = 0; !data.IsEmpty; i += 2)
        {
            TryReadLength(ref data, out int nameLength);
            TryReadLength(ref data, out int valueLength);
            string name = Reuse(data[..nameLength], last, i);
            string value = Reuse(data.Slice(nameLength, valueLength), last, i + 1);
            pairs[name] = value;
            if (next is not null)
                (next[i], next[i + 1]) = (name, value);
            data = data[(nameLength + valueLength)..];
        }
        if (next is not null)
        {
            Array.Clear(next, 2 * count, next.Length - 2 * count);
            recent = next;
        }
        return true;
    }

    /// <summary>How many pairs of a request are kept for the next (<see cref="TryParse(ReadOnlySpan{byte}, Dictionary{string, string}, ref string[])"/>).</summary>
    internal const int MaxRecentPairs = 128;

    /// <summary>The string of <paramref name="text"/>: <paramref name="last"/>'s at <paramref name="index"/> when it is the same ASCII text.</summary>
    private static string Reuse(ReadOnlySpan<byte> text, string[]? last, int index)
    {
        if (text.IsEmpty)
            return "";
        if (last is not null && index < last.Length && last[index] is { } candidate && candidate.Length == text.Length
            && System.Text.Ascii.Equals(text, candidate))
            return candidate;
        return Encoding.UTF8.GetString(text);
    }

    private static bool TryReadLength(ref ReadOnlySpan<byte> data, out int length)
    {
        length = 0;
        if (data.IsEmpty)
            return false;
        if (data[0] < 0x80)
        {
            length = data[0];
            data = data[1..];
            return true;
        }
        if (data.Length < 4)
            return false;
        length = (data[0] & 0x7F) << 24 | data[1] << 16 | data[2] << 8 | data[3];
        data = data[4..];
        return true;
    }

    /// <summary>Appends one pair to <paramref name="output"/>, with the shortest length encoding for each part.</summary>
    public static void Write(Stream output, string name, string value)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name), valueBytes = Encoding.UTF8.GetBytes(value);
        WriteLength(output, nameBytes.Length);
        WriteLength(output, valueBytes.Length);
        output.Write(nameBytes);
        output.Write(valueBytes);
    }

    private static void WriteLength(Stream output, int length)
    {
        if (length < 0x80)
        {
            output.WriteByte((byte)length);
            return;
        }
        output.WriteByte((byte)(length >> 24 | 0x80));
        output.WriteByte((byte)(length >> 16));
        output.WriteByte((byte)(length >> 8));
        output.WriteByte((byte)length);
    }
}
