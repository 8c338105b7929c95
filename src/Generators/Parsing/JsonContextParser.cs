using System;
using System.Collections.Immutable;
using System.Linq;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>Reads which types a JsonSerializerContext of the app declares with [JsonSerializable].</summary>
internal static class JsonContextParser
{
    /// <summary>The context's declared types, or null when the class is not a usable JsonSerializerContext.</summary>
    public static JsonContextSpec? Parse(GeneratorAttributeSyntaxContext context)
    {
        try
        {
            return ParseContext(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // a context we cannot read declares nothing; the JSON types it has then get CGI011
        }
    }

    private static JsonContextSpec? ParseContext(GeneratorAttributeSyntaxContext context)
    {
        var baseType = KnownTypes.For(context.SemanticModel.Compilation).JsonSerializerContext;
        if (context.TargetSymbol is not INamedTypeSymbol type || !DerivesFrom(type, baseType))
            return null;
        // System.Text.Json writes the context's Default, which the dispatcher uses, only into a partial class that only
        // partial types contain (otherwise it reports SYSLIB1032, and the context lacks its abstract members).
        if (!CSharp.HasName(type))
            return null;
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal) || t.IsGenericType
                || !IsPartial(t))
                return null;
        }
        var declared = context.Attributes
            .Select(a => a.ConstructorArguments.FirstOrDefault().Value as ITypeSymbol)
            .Where(t => t is not null)
            .Select(t => t!)
            .ToList();
        var types = declared.Select(Json.JsonShapeParser.NameOf).ToEquatableArray();
        // JSON writers: the options and type shapes the generated writers are proven against.
        var (options, shapes) = Json.JsonShapeParser.Parse(type, declared, context.SemanticModel.Compilation);
        return new JsonContextSpec(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), types) { Options = options, Shapes = shapes };
    }

    private static bool IsPartial(INamedTypeSymbol type) => type.DeclaringSyntaxReferences.All(r =>
        r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>
    /// One spec per context: a partial context whose [JsonSerializable] attributes are spread over several declarations
    /// is found once for each, with the types that declaration names.
    /// </summary>
    public static EquatableArray<JsonContextSpec> Merge(ImmutableArray<JsonContextSpec> found) =>
        found.GroupBy(c => c.TypeName, StringComparer.Ordinal)
            .Select(g => g.Skip(1).Any()
                ? g.First() with
                {
                    Types = g.SelectMany(c => c.Types).Distinct(StringComparer.Ordinal).ToEquatableArray(),
                    Shapes = g.SelectMany(c => c.Shapes).GroupBy(s => s.TypeName, StringComparer.Ordinal).Select(s => s.First())
                        .OrderBy(s => s.TypeName, StringComparer.Ordinal).ToEquatableArray(),
                }
                : g.First())
            .ToEquatableArray();

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
    {
        for (var b = type.BaseType; b is not null; b = b.BaseType)
        {
            if (KnownTypes.Is(b, baseType))
                return true;
        }
        return false;
    }
}
