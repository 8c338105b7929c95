using System;

namespace CgiRouting;

/// <summary>What a <c>Range</c> field asks of a body (RFC 9110 §14).</summary>
internal enum ByteRangeKind
{
    /// <summary>The whole body, a 200: no range the server answers (none, malformed, another unit, or several).</summary>
    Whole,

    /// <summary>One range of it, a 206.</summary>
    Part,

    /// <summary>A range that starts past its end, a 416.</summary>
    NotSatisfiable,
}

/// <summary>
/// The <c>Range</c> field of a GET: <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> (the last n bytes). Only one
/// range is answered: a request for several gets the whole body, which RFC 9110 §14.2 allows ("a server MAY ignore the
/// Range header field") and which clients handle, where <c>multipart/byteranges</c> would be code on every binary's
/// request path that browsers (which ask for one range at a time, to resume or to seek) never use.
/// </summary>
internal static class ByteRange
{
    /// <summary>
    /// What <paramref name="field"/> asks of a body of <paramref name="length"/> bytes (more than 0), and for a
    /// <see cref="ByteRangeKind.Part"/> its first byte and how many. A malformed field is ignored: the whole body.
    /// </summary>
    public static ByteRangeKind Select(ReadOnlySpan<char> field, long length, out long start, out long count)
    {
        start = 0;
        count = length;
        field = field.Trim(" \t");
        // The unit is case-insensitive (§14.1); an unknown unit must be ignored (§14.2).
        if (field.Length < 6 || !field[..6].Equals("bytes=", StringComparison.OrdinalIgnoreCase))
            return ByteRangeKind.Whole;
        var set = field[6..].Trim(" \t,");
        int comma = set.IndexOf(',');
        // A list may hold empty members (§5.6.1.2): "bytes=0-9," is one range, "bytes=0-9, 20-29" is two.
        if (comma >= 0 && !set[(comma + 1)..].Trim(" \t,").IsEmpty)
            return ByteRangeKind.Whole;
        var spec = (comma < 0 ? set : set[..comma]).Trim(" \t");
        int dash = spec.IndexOf('-');
        if (dash < 0)
            return ByteRangeKind.Whole;
        bool hasFirst = TryNumber(spec[..dash], out long first), hasLast = TryNumber(spec[(dash + 1)..], out long last);
        if (!hasFirst)
        {
            // "-n": the last n bytes, all of them when n is more; "-0" asks for nothing and is unsatisfiable (§14.1.3).
            if (!hasLast || dash != 0)
                return ByteRangeKind.Whole;
            if (last == 0)
                return ByteRangeKind.NotSatisfiable;
            count = Math.Min(last, length);
            start = length - count;
            return ByteRangeKind.Part;
        }
        if (dash + 1 < spec.Length && (!hasLast || last < first))
            return ByteRangeKind.Whole; // "a-b" with b before a, or not a number: invalid, so ignored (§14.1.1)
        if (first >= length)
            return ByteRangeKind.NotSatisfiable;
        start = first;
        count = (hasLast ? Math.Min(last, length - 1) : length - 1) - first + 1;
        return ByteRangeKind.Part;
    }

    /// <summary>1*DIGIT, held at <see cref="long.MaxValue"/> when longer: a position past any body is past this one.</summary>
    private static bool TryNumber(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
                return false;
            value = value > (long.MaxValue - 9) / 10 ? long.MaxValue : value * 10 + (c - '0');
        }
        return text.Length > 0;
    }
}
