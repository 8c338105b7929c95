using System;
using System.ComponentModel;
using System.Text.Unicode;

namespace CgiRouting.Dispatching;

/// <summary>
/// Compares a path segment with a literal that the generated dispatcher keeps as UTF-8 data (a <c>u8</c> literal)
/// rather than as a string. A string literal is an object in the binary's writable data, which the dynamic linker
/// relocates, and so touches, at every start; thousands of them make a large route table slow to start even when a
/// request uses none of them. UTF-8 data is read-only and touched only when compared.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LiteralSegment
{
    /// <summary>Whether <paramref name="segment"/> is the text whose UTF-8 encoding is <paramref name="utf8"/>.</summary>
    public static bool Equals(ReadOnlySpan<char> segment, ReadOnlySpan<byte> utf8)
    {
        // A UTF-16 text is never longer than its UTF-8 encoding, and at least a third of it.
        if (segment.Length > utf8.Length || segment.Length * 3 < utf8.Length)
            return false;
        Span<char> literal = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        Utf8.ToUtf16(utf8, literal, out _, out int written);
        return segment.SequenceEqual(literal[..written]);
    }
}
