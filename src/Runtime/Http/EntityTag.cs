using System;

namespace CgiRouting;

/// <summary>
/// Entity tags (RFC 9110 §8.8.3): <c>"xyzzy"</c>, or <c>W/"xyzzy"</c> for a weak one, and the lists of them that
/// <c>If-Match</c>, <c>If-None-Match</c> and <c>If-Range</c> send.
/// </summary>
internal static class EntityTag
{
    /// <summary>
    /// <paramref name="tag"/> as an <c>ETag</c> field: in double quotes unless it is already, with a leading
    /// <c>W/</c> (weak) kept outside them.
    /// </summary>
    /// <exception cref="ArgumentException">A character that an entity tag cannot hold: a space, a double quote inside
    /// it, a control character.</exception>
    public static string Quote(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        bool weak = tag.StartsWith("W/", StringComparison.Ordinal);
        var opaque = weak ? tag.AsSpan(2) : tag.AsSpan();
        bool quoted = opaque.Length >= 2 && opaque[0] == '"' && opaque[^1] == '"';
        var inner = quoted ? opaque[1..^1] : opaque;
        foreach (char c in inner)
        {
            // etagc = %x21 / %x23-7E / obs-text: anything else could not be read back, or could end the tag early.
            if (c is not ('!' or (>= '#' and <= '~') or >= '\x80'))
                throw new ArgumentException("An entity tag may not hold a space, a double quote or a control character.", nameof(tag));
        }
        return quoted ? tag : string.Concat(weak ? "W/\"" : "\"", inner, "\"");
    }

    /// <summary>Whether <paramref name="field"/> is <c>*</c>: any current representation.</summary>
    public static bool IsAny(ReadOnlySpan<char> field) => field.Trim(" \t") is "*";

    /// <summary>
    /// Whether the list of entity tags <paramref name="field"/> names <paramref name="tag"/>: by the weak comparison
    /// (<paramref name="weak"/>: <c>W/"a"</c> matches <c>"a"</c>), as <c>If-None-Match</c> compares, or else by the
    /// strong one (neither tag weak), as <c>If-Match</c> and <c>If-Range</c> do. A list is read up to its first
    /// malformed member, which matches nothing: an <c>If-Match</c> the server cannot read fails rather than letting a
    /// change through that the client meant to guard.
    /// </summary>
    public static bool ListContains(ReadOnlySpan<char> field, string tag, bool weak)
    {
        if (!TryRead(tag, out bool tagWeak, out var opaque, out _) || (tagWeak && !weak))
            return false;
        while (true)
        {
            field = field.TrimStart(" \t,");
            if (field.IsEmpty || !TryRead(field, out bool memberWeak, out var member, out var rest))
                return false;
            if ((weak || !memberWeak) && member.SequenceEqual(opaque))
                return true;
            field = rest.TrimStart(" \t");
            if (!field.IsEmpty && field[0] != ',')
                return false;
        }
    }

    /// <summary>The entity tag at the start of <paramref name="text"/>: whether it is weak, its quoted part, and what follows it.</summary>
    private static bool TryRead(ReadOnlySpan<char> text, out bool weak, out ReadOnlySpan<char> opaque, out ReadOnlySpan<char> rest)
    {
        weak = text.StartsWith("W/", StringComparison.Ordinal);
        if (weak)
            text = text[2..];
        int close = text.Length > 0 && text[0] == '"' ? text[1..].IndexOf('"') + 1 : 0;
        opaque = close > 0 ? text[..(close + 1)] : default;
        rest = close > 0 ? text[(close + 1)..] : default;
        return close > 0;
    }
}
