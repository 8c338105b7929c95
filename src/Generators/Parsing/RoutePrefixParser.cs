using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>
/// Reads the <c>[RoutePrefix]</c> of a class. The class is checked once, here, through its own
/// <c>ForAttributeWithMetadataName</c>, so that a malformed prefix is reported once on its argument rather than once
/// per handler; the handlers of such a class are left out of the route table silently.
/// </summary>
internal static class RoutePrefixParser
{
    /// <summary>A class's prefix, parsed: <see cref="Segments"/> is null when it is malformed (see <see cref="Error"/>).</summary>
    public sealed record Prefix(string? Text, List<RouteSegment>? Segments, string? Error, AttributeData Attribute);

    /// <summary>The <c>[RoutePrefix]</c> of <paramref name="type"/>, or null when it has none.</summary>
    public static Prefix? Of(INamedTypeSymbol type, KnownTypes known)
    {
        var attribute = type.GetAttributes().FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, known.RoutePrefixAttribute));
        if (attribute is null)
            return null;
        string? text = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        string? error = null;
        var segments = text is null ? null : RouteTemplate.ParsePrefix(text, out error);
        return new Prefix(text, segments, text is null ? "it is null" : error, attribute);
    }

    /// <summary>The diagnostics of the prefix of the class of <paramref name="context"/>: CGI020, CGI017.</summary>
    public static EquatableArray<DiagnosticInfo> Check(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return CheckPrefix(context, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new[]
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(context.TargetNode.GetLocation()),
                    context.TargetSymbol.Name, e.GetType().Name + ": " + e.Message),
            }.ToEquatableArray();
        }
    }

    private static EquatableArray<DiagnosticInfo> CheckPrefix(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || Of(type, KnownTypes.For(context.SemanticModel.Compilation)) is not { } prefix
            || prefix.Attribute.AttributeConstructor is null) // the compiler reports arguments that match no constructor
            return default;
        var syntax = prefix.Attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        // A partial class is found once per declaration; its attribute is reported from the declaration that has it.
        if (syntax is null || !context.TargetNode.SyntaxTree.Equals(syntax.SyntaxTree) || !context.TargetNode.Span.Contains(syntax.Span))
            return default;
        var location = LocationInfo.From(syntax.ArgumentList?.Arguments.FirstOrDefault()?.Expression.GetLocation() ?? syntax.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        if (prefix.Segments is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRoutePrefix, location, prefix.Text ?? "null", type.Name, prefix.Error!));
        }
        else
        {
            foreach (var literal in prefix.Segments.Where(s => s.Kind == SegmentKind.Literal))
            {
                if (RouteTemplate.PercentEscape(literal.Text) is { } escape)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PercentEncodedLiteral, location, literal.Text, prefix.Text!, escape));
            }
        }
        return diagnostics.ToEquatableArray();
    }
}
