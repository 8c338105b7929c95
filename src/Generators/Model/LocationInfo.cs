using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CgiRouting.Generators.Model;

/// <summary>
/// Where a diagnostic goes: a tree and a span. It travels beside the models, never inside them, and becomes a
/// <see cref="Location"/> in the tree so that #pragma suppression works.
/// </summary>
internal sealed record LocationInfo(SyntaxTree Tree, TextSpan Span)
{
    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is { } tree ? new LocationInfo(tree, location.SourceSpan) : null;

    public Location ToLocation() => Location.Create(Tree, Span);
}
