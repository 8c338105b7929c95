using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>
/// Reads the <c>[Filter(typeof(T), nameof(T.M))]</c> attributes of a handler or a class and checks the methods they
/// name. A class's filters are reported once, through its own <c>ForAttributeWithMetadataName</c> (as
/// <see cref="RoutePrefixParser"/> does); a handler's own, by <see cref="HandlerParser"/>.
/// </summary>
internal static class FilterParser
{
    private const string Signatures = "a filter is 'static Response? M(CgiRequest request)' (before the handler; a response answers instead of it), "
        + "'static Response M(CgiRequest request, Response response)' or 'static Response M(CgiRequest request, Response response, TimeSpan elapsed)' (after it)";

    /// <summary>One <c>[Filter]</c>: its model, or why its method cannot be a filter.</summary>
    public sealed record Filter(AttributeData Attribute, string Name, FilterSpec? Spec, string? Problem);

    /// <summary>The <c>[Filter]</c>s of <paramref name="symbol"/>, in source order; those the compiler rejects are left out (<paramref name="broken"/>).</summary>
    public static List<Filter> Of(ISymbol symbol, KnownTypes known, out bool broken)
    {
        broken = false;
        var filters = new List<Filter>();
        foreach (var attribute in symbol.GetAttributes())
        {
            if (!KnownTypes.Is(attribute.AttributeClass, known.FilterAttribute))
                continue;
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 2)
            {
                broken = true; // the compiler reports the arguments
                continue;
            }
            filters.Add(Read(attribute, known));
        }
        return filters;
    }

    private static Filter Read(AttributeData attribute, KnownTypes known)
    {
        var type = attribute.ConstructorArguments[0].Value as INamedTypeSymbol;
        string? name = attribute.ConstructorArguments[1].Value as string;
        string display = (type?.Name ?? "null") + "." + (name ?? "null");
        Filter Problem(string problem) => new(attribute, display, null, problem);
        if (type is null || name is null)
            return Problem("its type and method name must not be null");
        var methods = type.GetMembers(name).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToList();
        if (methods.Count == 0)
            return Problem($"'{type.ToDisplayString()}' has no method '{name}'");
        if (methods.Count > 1)
            return Problem("the method is overloaded; a filter names one method");
        var method = methods[0];
        if (!method.IsStatic)
            return Problem("it must be static: CgiRouting creates no instances");
        if (method.IsGenericMethod || Containing(method).Any(t => t.IsGenericType))
            return Problem("it is generic or declared in a generic type");
        if (!IsCallable(method.DeclaredAccessibility) || Containing(method).Any(t => !IsCallable(t.DeclaredAccessibility)))
            return Problem("it and its containing types must be public or internal");
        var parameters = method.Parameters;
        bool returnsResponse = KnownTypes.Is(method.ReturnType, known.Response) && !method.ReturnsByRef && !method.ReturnsByRefReadonly;
        bool plain = parameters.All(p => p.RefKind == RefKind.None) && parameters.Length is >= 1 and <= 3
            && KnownTypes.Is(parameters[0].Type, known.CgiRequest)
            && (parameters.Length < 2 || KnownTypes.Is(parameters[1].Type, known.Response))
            && (parameters.Length < 3 || KnownTypes.Is(parameters[2].Type, known.TimeSpan));
        if (!returnsResponse || !plain)
            return Problem($"'{method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' does not fit; " + Signatures);
        var kind = parameters.Length switch { 1 => FilterKind.Before, 2 => FilterKind.After, _ => FilterKind.AfterTimed };
        return new Filter(attribute, display, new FilterSpec(kind, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), method.Name), null);
    }

    private static IEnumerable<INamedTypeSymbol> Containing(ISymbol symbol)
    {
        for (var t = symbol.ContainingType; t is not null; t = t.ContainingType)
            yield return t;
    }

    private static bool IsCallable(Accessibility accessibility) =>
        accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    /// <summary>The location of a <c>[Filter]</c> attribute.</summary>
    public static Location? LocationOf(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

    /// <summary>CGI027 for the class-level <c>[Filter]</c>s of the class of <paramref name="context"/>, once per class.</summary>
    public static EquatableArray<DiagnosticInfo> Check(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (context.TargetSymbol is not INamedTypeSymbol type)
                return default;
            var diagnostics = new List<DiagnosticInfo>();
            foreach (var filter in Of(type, KnownTypes.For(context.SemanticModel.Compilation), out _))
            {
                // A partial class is found once per declaration; an attribute is reported from the declaration that has it.
                if (filter.Problem is null || filter.Attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax
                    || !context.TargetNode.SyntaxTree.Equals(syntax.SyntaxTree) || !context.TargetNode.Span.Contains(syntax.Span))
                    continue;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidFilter, LocationInfo.From(syntax.GetLocation()),
                    filter.Name, "class " + type.Name, filter.Problem));
            }
            return diagnostics.ToEquatableArray();
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
}
