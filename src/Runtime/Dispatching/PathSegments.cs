using System;
using System.ComponentModel;

namespace CgiRouting.Dispatching;

/// <summary>Splits <c>PATH_INFO</c> into segments for the generated dispatcher, without allocating.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PathSegments
{
    /// <summary>
    /// Stores the ranges of the first <c>segments.Length</c> segments of <paramref name="path"/> and returns how many
    /// segments it has in all. <c>/</c> (or empty) has none; <c>/a/</c> has two, <c>a</c> and an empty one.
    /// </summary>
    public static int Split(ReadOnlySpan<char> path, Span<Range> segments)
    {
        if (path.IsEmpty || (path.Length == 1 && path[0] == '/'))
            return 0;
        int start = path[0] == '/' ? 1 : 0;
        int count = 0;
        while (true)
        {
            int slash = path[start..].IndexOf('/');
            int end = slash < 0 ? path.Length : start + slash;
            if (count < segments.Length)
                segments[count] = new Range(start, end);
            count++;
            if (slash < 0)
                return count;
            start = end + 1;
        }
    }
}
