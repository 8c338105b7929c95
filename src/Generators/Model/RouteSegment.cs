namespace CgiRouting.Generators;

/// <summary>What one segment of a route template is.</summary>
internal enum SegmentKind
{
    Literal,
    Parameter,
    CatchAll,
}

/// <summary>One segment of a route template: literal text, or a parameter name.</summary>
internal sealed record RouteSegment(SegmentKind Kind, string Text);
