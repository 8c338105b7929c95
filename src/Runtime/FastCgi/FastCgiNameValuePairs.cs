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
    /// environment); <see langword="false"/> when a length runs past the end.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, Dictionary<string, string> pairs)
    {
        while (!data.IsEmpty)
        {
            if (!TryReadLength(ref data, out int nameLength) || !TryReadLength(ref data, out int valueLength)
                || (long)nameLength + valueLength > data.Length)
                return false;
            string name = Encoding.UTF8.GetString(data[..nameLength]);
            pairs[name] = Encoding.UTF8.GetString(data.Slice(nameLength, valueLength));
            data = data[(nameLength + valueLength)..];
        }
        return true;
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
