using System;
using System.Globalization;
using System.Linq;
using CgiRouting.Generators.Json;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>
/// A parameter's default value: as the C# expression the invoker initialises its local with, and as the JSON literal
/// the OpenAPI document gives as the parameter's <c>default</c>.
/// </summary>
internal static class DefaultValue
{
    /// <summary>
    /// The C# expression of a parameter's default value, typed by the local it initialises: a literal of the
    /// parameter's type, an enum member, or <c>default</c>.
    /// </summary>
    public static string CSharpLiteral(IParameterSymbol parameter)
    {
        object? value = parameter.ExplicitDefaultValue;
        var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n
            ? n.TypeArguments[0] : parameter.Type;
        if (value is null)
            return "default";
        if (type.TypeKind == TypeKind.Enum)
        {
            string typeName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var member = type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
            return member is not null ? typeName + "." + CSharp.Escape(member.Name)
                : $"({typeName})({CSharp.Primitive(value)})";
        }
        return value switch
        {
            string s => CSharp.Literal(s),
            char c => CSharp.Literal(c),
            bool b => b ? "true" : "false",
            float f when float.IsNaN(f) || float.IsInfinity(f) => "float." + (float.IsNaN(f) ? "NaN" : f > 0 ? "PositiveInfinity" : "NegativeInfinity"),
            double d when double.IsNaN(d) || double.IsInfinity(d) => "double." + (double.IsNaN(d) ? "NaN" : d > 0 ? "PositiveInfinity" : "NegativeInfinity"),
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "F",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
            // An integer literal converts implicitly to the local's integer type (a constant in range).
            _ => CSharp.Primitive(value),
        };
    }

    /// <summary>A parameter's default value as a JSON literal (an enum's as its member's name), or null for none or null.</summary>
    public static string? JsonLiteral(object? value, ITypeSymbol type)
    {
        if (value is null)
            return null;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            type = nullable.TypeArguments[0];
        if (type.TypeKind == TypeKind.Enum)
        {
            var member = type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
            return member is null ? null : "\"" + JsonNaming.Escape(member.Name) + "\"";
        }
        return value switch
        {
            string text => "\"" + JsonNaming.Escape(text) + "\"",
            char c => "\"" + JsonNaming.Escape(c.ToString()) + "\"",
            bool b => b ? "true" : "false",
            float f when float.IsNaN(f) || float.IsInfinity(f) => null,
            double d when double.IsNaN(d) || double.IsInfinity(d) => null,
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
