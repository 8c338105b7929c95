using System;
using System.Linq;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>Recognises the simple types that path segments, query values and headers parse into.</summary>
internal static class SimpleType
{
    /// <summary>
    /// The simple type of <paramref name="type"/>, looking through <c>T?</c> and <c>T[]</c>;
    /// <see cref="SimpleTypeInfo.None"/> when it is not one.
    /// </summary>
    public static SimpleTypeInfo Classify(ITypeSymbol type, KnownTypes known)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array && array.ElementType.SpecialType != SpecialType.System_Byte)
        {
            var element = Classify(array.ElementType, known);
            return element.Kind != ValueKind.None && !element.IsNullableValue && !element.IsArray
                ? element with { IsArray = true }
                : SimpleTypeInfo.None;
        }
        bool isNullableValue = false;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            isNullableValue = true;
            type = nullable.TypeArguments[0];
        }
        string elementName = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (type.TypeKind == TypeKind.Enum)
        {
            return new SimpleTypeInfo
            {
                Kind = ValueKind.Enum,
                ElementTypeName = elementName,
                IsNullableValue = isNullableValue,
                // A name that a syntax error lost (CS1001), or declared twice (CS0102), cannot be spelled: the compiler
                // reports either, and the member is left out.
                EnumMembers = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue && f.CanBeReferencedByName)
                    .GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() == 1).Select(g => g.Key).ToEquatableArray(),
            };
        }
        var kind = type.SpecialType switch
        {
            SpecialType.System_Boolean => ValueKind.Boolean,
            SpecialType.System_Byte => ValueKind.Byte,
            SpecialType.System_SByte => ValueKind.SByte,
            SpecialType.System_Int16 => ValueKind.Int16,
            SpecialType.System_UInt16 => ValueKind.UInt16,
            SpecialType.System_Int32 => ValueKind.Int32,
            SpecialType.System_UInt32 => ValueKind.UInt32,
            SpecialType.System_Int64 => ValueKind.Int64,
            SpecialType.System_UInt64 => ValueKind.UInt64,
            SpecialType.System_Single => ValueKind.Single,
            SpecialType.System_Double => ValueKind.Double,
            SpecialType.System_Decimal => ValueKind.Decimal,
            SpecialType.System_DateTime => ValueKind.DateTime,
            SpecialType.System_String => ValueKind.String,
            _ when KnownTypes.Is(type, known.Guid) => ValueKind.Guid,
            _ when KnownTypes.Is(type, known.DateOnly) => ValueKind.DateOnly,
            _ when KnownTypes.Is(type, known.TimeOnly) => ValueKind.TimeOnly,
            _ when KnownTypes.Is(type, known.DateTimeOffset) => ValueKind.DateTimeOffset,
            _ when KnownTypes.Is(type, known.TimeSpan) => ValueKind.TimeSpan,
            _ => ValueKind.None,
        };
        if (kind == ValueKind.None || (kind == ValueKind.String && isNullableValue))
            return SimpleTypeInfo.None;
        return new SimpleTypeInfo { Kind = kind, ElementTypeName = elementName, IsNullableValue = isNullableValue };
    }
}
