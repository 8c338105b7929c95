using System;
using System.Linq;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>Reads which types a JsonSerializerContext of the app declares with [JsonSerializable].</summary>
internal static class JsonContextParser
{
    public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";

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
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal) || t.IsGenericType)
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
