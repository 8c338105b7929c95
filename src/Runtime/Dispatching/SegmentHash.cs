using System;
using System.ComponentModel;

namespace CgiRouting.Dispatching;

/// <summary>
/// Spreads the literal segments of a large route table over buckets, so that the generated dispatcher is many
/// small switches instead of one huge method that takes the AOT compiler minutes. The generator links this very
/// file and computes the same buckets at build time: the two cannot disagree.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SegmentHash
{
    /// <summary>The bucket of <paramref name="segment"/>, from 0 to <paramref name="buckets"/> - 1 (FNV-1a).</summary>
    public static int Bucket(ReadOnlySpan<char> segment, int buckets)
    {
        uint hash = 2166136261;
        foreach (char c in segment)
            hash = (hash ^ c) * 16777619;
        return (int)(hash % (uint)buckets);
    }
}
