using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators.Json;

/// <summary>
/// Reads a JsonSerializerContext's options and the shapes of the types its [JsonSerializable] types reach, for the
/// generated JSON writers. It proves rather than guesses: any attribute, option or type whose effect on
/// System.Text.Json's output it does not reproduce exactly makes the type (and every type reaching it) fall back.
/// </summary>
internal sealed class JsonShapeParser
{
    /// <summary>Deeper than this, a type is left to System.Text.Json (whose MaxDepth is 64).</summary>
    private const int MaxNesting = 32;

    private readonly KnownTypes _known;
    private readonly Compilation _compilation;
    private readonly JsonContextOptionsSpec _options;
    private readonly Dictionary<string, JsonShapeSpec> _shapes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    private JsonShapeParser(KnownTypes known, JsonContextOptionsSpec options, Compilation compilation)
    {
        _known = known;
        _compilation = compilation;
        _options = options;
    }

    /// <summary>The context's options and the shapes of every type its <paramref name="declared"/> types reach.</summary>
    public static (JsonContextOptionsSpec Options, EquatableArray<JsonShapeSpec> Shapes) Parse(
        INamedTypeSymbol context, IEnumerable<ITypeSymbol> declared, Compilation compilation)
    {
        try
        {
            var known = KnownTypes.For(compilation);
            var options = ParseOptions(context, known);
            var parser = new JsonShapeParser(known, options, compilation);
            foreach (var type in declared)
                parser.Shape(type, 0);
            return (options, parser._shapes.Values.OrderBy(s => s.TypeName, StringComparer.Ordinal).ToEquatableArray());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A generator bug must not cost the app its context: its types are then written by System.Text.Json.
            return (new JsonContextOptionsSpec { Unsupported = "the generator could not analyse the context (" + e.GetType().Name + ")" }, default);
        }
    }

    /// <summary>The name a type has in the models: fully qualified, reference types without annotation.</summary>
    public static string NameOf(ITypeSymbol type) =>
        (type.IsReferenceType ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : type)
            .ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static JsonContextOptionsSpec ParseOptions(INamedTypeSymbol context, KnownTypes known)
    {
        var options = new JsonContextOptionsSpec();
        var attribute = context.GetAttributes().FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, known.JsonSourceGenerationOptionsAttribute));
        if (attribute is null)
            return options;
        // JsonSerializerDefaults.Web (1): camelCase names; its other settings only change reading.
        if (attribute.ConstructorArguments.FirstOrDefault().Value is int defaults && defaults != 0)
        {
            options = defaults == 1 ? options with { PropertyNamingPolicy = 1 } : options with { Unsupported = "JsonSerializerDefaults " + defaults };
            options = options with { ReadUnsupported = "JsonSerializerDefaults " + (defaults == 1 ? "Web (names of any case, numbers from strings)" : defaults) };
        }
        foreach (var argument in attribute.NamedArguments)
        {
            // Options that change what is read; the reader models only their defaults (MaxDepth 0 is 64).
            object? value = argument.Value.Kind == TypedConstantKind.Array ? argument.Value.Values.Length : argument.Value.Value;
            bool changesReading = (argument.Key, value) switch
            {
                ("PropertyNameCaseInsensitive" or "AllowTrailingCommas" or "RespectRequiredConstructorParameters"
                    or "RespectNullableAnnotations" or "AllowOutOfOrderMetadataProperties", bool on) => on,
                ("AllowDuplicateProperties", bool on) => !on,
                ("ReadCommentHandling" or "UnmappedMemberHandling" or "PreferredObjectCreationHandling" or "NumberHandling"
                    or "UnknownTypeHandling" or "MaxDepth" or "Converters" or "ReferenceHandler", int n) => n != 0,
                ("GenerationMode" or "DefaultBufferSize" or "WriteIndented" or "IndentCharacter" or "IndentSize" or "NewLine"
                    or "PropertyNamingPolicy" or "DictionaryKeyPolicy" or "DefaultIgnoreCondition" or "IgnoreReadOnlyFields"
                    or "IgnoreReadOnlyProperties" or "IncludeFields" or "UseStringEnumConverter", _) => false,
                _ => true,
            };
            if (changesReading)
                options = options with { ReadUnsupported = options.ReadUnsupported ?? $"option {argument.Key} = {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}" };
        }
        foreach (var argument in attribute.NamedArguments)
        {
            object? value = argument.Value.Kind == TypedConstantKind.Array ? argument.Value.Values.Length : argument.Value.Value;
            options = (argument.Key, value) switch
            {
                ("PropertyNamingPolicy", int policy) when policy is >= 0 and <= 5 => options with { PropertyNamingPolicy = policy },
                ("DefaultIgnoreCondition", 0) => options with { DefaultOmission = JsonOmission.Never },
                ("DefaultIgnoreCondition", 2) => options with { DefaultOmission = JsonOmission.WhenDefault },
                ("DefaultIgnoreCondition", 3) => options with { DefaultOmission = JsonOmission.WhenNull },
                ("UseStringEnumConverter", bool on) => options with { UseStringEnumConverter = on },
                ("DictionaryKeyPolicy", int policy) => options with { HasDictionaryKeyPolicy = policy != 0 },
                ("NumberHandling", int handling) when (handling & ~1) == 0 => options, // AllowReadingFromString only reads
                ("WriteIndented" or "IncludeFields" or "IgnoreReadOnlyProperties" or "RespectNullableAnnotations", false) => options,
                ("Converters", 0) or ("MaxDepth", 0) or ("ReferenceHandler", 0) => options,
                // Reading, indentation that is not written, and buffering: no effect on the bytes written here.
                ("GenerationMode" or "PropertyNameCaseInsensitive" or "AllowTrailingCommas" or "ReadCommentHandling"
                    or "UnmappedMemberHandling" or "PreferredObjectCreationHandling" or "RespectRequiredConstructorParameters"
                    or "AllowOutOfOrderMetadataProperties" or "AllowDuplicateProperties" or "DefaultBufferSize"
                    or "UnknownTypeHandling" or "IgnoreReadOnlyFields" or "NewLine" or "IndentCharacter" or "IndentSize", _) => options,
                _ => options with { Unsupported = options.Unsupported ?? $"option {argument.Key} = {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}" },
            };
        }
        return options;
    }

    /// <summary>Makes sure <paramref name="type"/> has a shape; returns why it falls back, or null.</summary>
    private string? Shape(ITypeSymbol type, int depth)
    {
        string name = NameOf(type);
        if (_shapes.TryGetValue(name, out var known))
            return known.Fallback;
        if (_inProgress.Contains(name))
            return $"{type.Name} is recursive";
        if (depth > MaxNesting)
            return "types are nested too deeply";
        _inProgress.Add(name);
        var shape = Build(type, depth) with { TypeName = name, CanBeNull = type.IsReferenceType || IsNullable(type) };
        _inProgress.Remove(name);
        _shapes[name] = shape;
        return shape.Fallback;
    }

    private static JsonShapeSpec Simple(JsonShapeKind kind) => new() { Kind = kind };

    private static JsonShapeSpec Unsupported(string reason) => new() { Kind = JsonShapeKind.Object, Fallback = reason };

    private JsonShapeSpec Build(ITypeSymbol type, int depth)
    {
        // The dispatcher, a type of the app, must be able to name the type: one that only the context's containing
        // type can see (a private record beside a nested context) stays with System.Text.Json.
        if (!_compilation.IsSymbolAccessibleWithin(type, _compilation.Assembly))
            return Unsupported($"{type.ToDisplayString()} is not accessible outside its containing type");
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = nullable.TypeArguments[0];
            return new JsonShapeSpec { Kind = JsonShapeKind.Nullable, ElementTypeName = NameOf(inner), Fallback = Shape(inner, depth + 1) };
        }
        if (type.GetAttributes().FirstOrDefault(IsJsonAttribute) is { } typeAttribute)
        {
            return type.TypeKind == TypeKind.Enum && KnownTypes.Is(typeAttribute.AttributeClass, _known.JsonConverterAttribute)
                && typeAttribute.ConstructorArguments.FirstOrDefault().Value is INamedTypeSymbol converter && IsStringEnumConverter(converter, type)
                ? EnumAsStrings((INamedTypeSymbol)type)
                : Unsupported($"{type.Name} has [{typeAttribute.AttributeClass!.Name}]");
        }
        switch (type.SpecialType)
        {
            case SpecialType.System_String: return Simple(JsonShapeKind.String);
            case SpecialType.System_Boolean: return Simple(JsonShapeKind.Boolean);
            case SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
                or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64:
                return Simple(JsonShapeKind.Integer);
            case SpecialType.System_UInt64: return Simple(JsonShapeKind.UnsignedInteger);
            case SpecialType.System_Double: return Simple(JsonShapeKind.Double);
            case SpecialType.System_Single: return Simple(JsonShapeKind.Single);
            case SpecialType.System_Decimal: return Simple(JsonShapeKind.Decimal);
            case SpecialType.System_DateTime: return Simple(JsonShapeKind.DateTime);
        }
        if (KnownTypes.Is(type, _known.DateTimeOffset))
            return Simple(JsonShapeKind.DateTimeOffset);
        if (KnownTypes.Is(type, _known.Guid))
            return Simple(JsonShapeKind.Guid);
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
        {
            if (_options.UseStringEnumConverter)
                return EnumAsStrings(enumType);
            return Simple(enumType.EnumUnderlyingType?.SpecialType == SpecialType.System_UInt64 ? JsonShapeKind.UnsignedInteger : JsonShapeKind.Integer);
        }
        if (type is IArrayTypeSymbol array)
        {
            if (array.Rank != 1)
                return Unsupported("multi-dimensional arrays are not covered");
            if (array.ElementType.SpecialType == SpecialType.System_Byte)
                return Unsupported("byte[] is written as base64");
            return Sequence(array.ElementType, depth);
        }
        if (type is INamedTypeSymbol named && named.IsGenericType)
        {
            var definition = named.OriginalDefinition;
            if (_known.JsonSequences.Any(s => KnownTypes.Is(definition, s)))
                return Sequence(named.TypeArguments[0], depth);
            if (KnownTypes.Is(definition, _known.DictionaryOfT))
            {
                if (named.TypeArguments[0].SpecialType != SpecialType.System_String)
                    return Unsupported("only dictionaries with string keys are covered");
                if (_options.HasDictionaryKeyPolicy)
                    return Unsupported("the context has a DictionaryKeyPolicy");
                var value = named.TypeArguments[1];
                return new JsonShapeSpec { Kind = JsonShapeKind.Dictionary, ElementTypeName = NameOf(value), Fallback = Shape(value, depth + 1) };
            }
        }
        if (type.SpecialType == SpecialType.System_Object)
            return Unsupported("object is written by its run-time type");
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Class } objectType)
            return Object(objectType, depth);
        return Unsupported($"{type.ToDisplayString()} is not covered");
    }

    private JsonShapeSpec Sequence(ITypeSymbol element, int depth) =>
        new() { Kind = JsonShapeKind.Sequence, ElementTypeName = NameOf(element), Fallback = Shape(element, depth + 1) };

    private JsonShapeSpec EnumAsStrings(INamedTypeSymbol type)
    {
        if (type.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, _known.FlagsAttribute)))
            return Unsupported($"{type.Name} is a [Flags] enum written as strings");
        var members = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();
        if (members.Select(m => Bits(m.ConstantValue!)).Distinct().Count() != members.Count)
            return Unsupported($"{type.Name} has members with the same value");
        // Names that the compiler reports (CS0102, CS1001) and the writer could not spell.
        if (members.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != members.Count || members.Any(m => !m.CanBeReferencedByName))
            return Unsupported($"{type.Name} declares a member twice, or one without a name");
        if (members.Any(m => m.GetAttributes().Any(IsJsonAttribute)))
            return Unsupported($"a member of {type.Name} has a System.Text.Json attribute");
        return new JsonShapeSpec
        {
            Kind = JsonShapeKind.EnumString,
            ElementTypeName = type.EnumUnderlyingType?.SpecialType == SpecialType.System_UInt64 ? "ulong" : "long",
            EnumMembers = members.Select(m => new JsonEnumMemberSpec(m.Name, JsonNaming.Escape(m.Name))).ToEquatableArray(),
        };
    }

    /// <summary>An enum member's value as 64 bits, to find members with the same value.</summary>
    private static ulong Bits(object value) => value switch
    {
        sbyte v => unchecked((ulong)v),
        short v => unchecked((ulong)v),
        int v => unchecked((ulong)v),
        long v => unchecked((ulong)v),
        _ => Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private JsonShapeSpec Object(INamedTypeSymbol type, int depth)
    {
        if (type.IsAbstract || type.IsStatic)
            return Unsupported($"{type.Name} is abstract");
        if (type.DeclaringSyntaxReferences.Length == 0)
            return Unsupported($"{type.ToDisplayString()} is not declared in this app (it may have its own converter)");
        if (type.BaseType is { SpecialType: not SpecialType.System_Object })
            return Unsupported($"{type.Name} derives from {type.BaseType.Name}");
        if (type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable))
            return Unsupported($"{type.Name} is enumerable");

        var properties = new List<(JsonPropertySpec Spec, int Order)>();
        string? readFallback = null;
        var initOnly = new List<string>();
        foreach (var member in type.GetMembers())
        {
            if (member.IsStatic || member is not (IPropertySymbol or IFieldSymbol))
                continue;
            var attributes = member.GetAttributes();
            bool included = attributes.Any(a => KnownTypes.Is(a.AttributeClass, _known.JsonIncludeAttribute));
            if (member is IFieldSymbol)
            {
                if (included)
                    return Unsupported($"{type.Name}.{member.Name} is a field with [JsonInclude]");
                continue;
            }
            var property = (IPropertySymbol)member;
            if (property.IsIndexer)
                continue;
            if (property.DeclaredAccessibility == Accessibility.Public && property.GetMethod is not { DeclaredAccessibility: Accessibility.Public }
                && property.SetMethod is { DeclaredAccessibility: Accessibility.Public })
                readFallback ??= $"{type.Name}.{member.Name} is read but not written";
            if (property.DeclaredAccessibility != Accessibility.Public || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public })
            {
                if (included)
                    return Unsupported($"{type.Name}.{member.Name} is not public but has [JsonInclude]");
                continue;
            }
            if (property.ReturnsByRef || property.ReturnsByRefReadonly)
                return Unsupported($"{type.Name}.{member.Name} returns by reference");
            // Syntax errors the compiler reports (CS1001, CS0102), which would make the writer's member access fail.
            if (!property.CanBeReferencedByName)
                return Unsupported($"{type.Name} has a property whose name a syntax error lost");
            if (type.GetMembers(property.Name).Length > 1)
                return Unsupported($"{type.Name} declares {member.Name} twice");

            var omission = _options.DefaultOmission;
            var ignore = attributes.FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, _known.JsonIgnoreAttribute));
            if (ignore is not null)
            {
                object? condition = ignore.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value.Value ?? 1;
                switch (condition)
                {
                    case 1: continue; // Always
                    case 0: omission = JsonOmission.Never; break;
                    case 2: omission = JsonOmission.WhenDefault; break;
                    case 3 when property.Type.IsReferenceType || IsNullable(property.Type): omission = JsonOmission.WhenNull; break;
                    default: return Unsupported($"{type.Name}.{member.Name} has [JsonIgnore(Condition = {condition})]");
                }
            }
            if (omission == JsonOmission.WhenNull && !property.Type.IsReferenceType && !IsNullable(property.Type))
                omission = JsonOmission.Never;
            if (attributes.FirstOrDefault(a => IsJsonAttribute(a) && !KnownTypes.Is(a.AttributeClass, _known.JsonIncludeAttribute)
                    && !KnownTypes.Is(a.AttributeClass, _known.JsonIgnoreAttribute) && !KnownTypes.Is(a.AttributeClass, _known.JsonPropertyNameAttribute) && !KnownTypes.Is(a.AttributeClass, _known.JsonPropertyOrderAttribute)) is { } other)
                return Unsupported($"{type.Name}.{member.Name} has [{other.AttributeClass!.Name}]");

            string jsonName = attributes.FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, _known.JsonPropertyNameAttribute))?.ConstructorArguments.FirstOrDefault().Value as string
                ?? JsonNaming.Apply(_options.PropertyNamingPolicy, property.Name);
            int order = attributes.FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, _known.JsonPropertyOrderAttribute))?.ConstructorArguments.FirstOrDefault().Value as int? ?? 0;
            if (Shape(property.Type, depth + 1) is { } reason)
                return Unsupported($"{type.Name}.{member.Name}: {reason}");
            bool settable = property.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false };
            if (property.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: true })
                initOnly.Add(property.Name); // read only if a constructor parameter reads it
            if (attributes.FirstOrDefault(a => _known.JsonReadingAttributes.Any(r => KnownTypes.Is(a.AttributeClass, r))) is { } reading)
                readFallback ??= $"{type.Name}.{member.Name} has [{reading.AttributeClass!.Name}]";
            if (IsRequired(property))
                readFallback ??= $"{type.Name}.{member.Name} is required";
            properties.Add((new JsonPropertySpec(property.Name, JsonNaming.Escape(jsonName), NameOf(property.Type), omission)
            {
                JsonName = jsonName,
                IsSettable = settable,
                IsNullable = IsNullable(property.Type) || (property.Type.IsReferenceType && property.NullableAnnotation != NullableAnnotation.NotAnnotated),
                IsRequired = IsRequired(property) || attributes.Any(a => KnownTypes.Is(a.AttributeClass, _known.JsonRequiredAttribute)),
                Validation = ValidationParser.ForSchemaProperty(property, type, _known),
            }, order));
        }
        if (properties.GroupBy(p => p.Spec.EncodedName).FirstOrDefault(g => g.Count() > 1) is { } clash)
            return Unsupported($"{type.Name} has two properties named \"{clash.Key}\"");
        var parameters = Constructor(type, properties.Select(p => p.Spec).ToList(), ref readFallback);
        if (initOnly.FirstOrDefault(name => !parameters.Any(p => p.MemberName == name)) is { } unbound)
            readFallback ??= $"{type.Name}.{unbound} is init-only";
        return new JsonShapeSpec
        {
            Kind = JsonShapeKind.Object,
            Properties = properties.OrderBy(p => p.Order).Select(p => p.Spec).ToEquatableArray(), // stable, as System.Text.Json sorts
            ReadFallback = readFallback,
            ConstructorParameters = parameters,
        };
    }

    /// <summary>
    /// The constructor System.Text.Json builds <paramref name="type"/> with: the public parameterless one if there is
    /// one (no parameters), else the only public one, whose parameters each bind to the one property of the same
    /// name (in any case) and type. Anything else (<c>[JsonConstructor]</c>, several candidates, a parameter without
    /// its property, a default value the reader does not write) sets <paramref name="readFallback"/>.
    /// </summary>
    private EquatableArray<JsonParameterSpec> Constructor(INamedTypeSymbol type, List<JsonPropertySpec> properties, ref string? readFallback)
    {
        if (type.GetAttributes().FirstOrDefault(a => _known.JsonReadingAttributes.Any(r => KnownTypes.Is(a.AttributeClass, r))) is { } typeAttribute)
            readFallback ??= $"{type.Name} has [{typeAttribute.AttributeClass!.Name}]";
        if (type.InstanceConstructors.Any(c => c.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, _known.JsonConstructorAttribute))))
        {
            readFallback ??= $"{type.Name} has a [JsonConstructor]";
            return default;
        }
        var candidates = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
        if (candidates.Any(c => c.Parameters.Length == 0))
            return default;
        if (candidates.Count != 1)
        {
            readFallback ??= $"{type.Name} has no constructor the reader knows System.Text.Json to choose";
            return default;
        }
        var result = new List<JsonParameterSpec>();
        foreach (var parameter in candidates[0].Parameters)
        {
            var matches = properties.Where(p => string.Equals(p.MemberName, parameter.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            string? defaultValue = !parameter.HasExplicitDefaultValue ? "default" : parameter.ExplicitDefaultValue switch
            {
                null => "default",
                bool or int or long or short or byte or sbyte or ushort or uint or string =>
                    CSharp.Primitive(parameter.ExplicitDefaultValue),
                _ => null,
            };
            if (parameter.RefKind != RefKind.None || parameter.IsParams || matches.Count != 1 || matches[0].TypeName != NameOf(parameter.Type) || defaultValue is null)
            {
                readFallback ??= $"{type.Name}'s constructor parameter {parameter.Name} is not one the reader binds";
                return default;
            }
            result.Add(new JsonParameterSpec(matches[0].MemberName, defaultValue));
        }
        return result.ToEquatableArray();
    }

    /// <summary>A <c>required</c> member (from its syntax: Roslyn 4.3 has no IsRequired).</summary>
    private static bool IsRequired(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax p
            && p.Modifiers.Any(m => m.Text == "required"));

    /// <summary>
    /// JsonStringEnumConverter&lt;TEnum&gt; of this enum, made by its parameterless constructor. (The non-generic
    /// JsonStringEnumConverter is not covered: under Native AOT System.Text.Json may fail where a writer would not.)
    /// </summary>
    private bool IsStringEnumConverter(INamedTypeSymbol converter, ITypeSymbol enumType) =>
        KnownTypes.Is(converter.OriginalDefinition, _known.JsonStringEnumConverterOfT) && SymbolEqualityComparer.Default.Equals(converter.TypeArguments[0], enumType);

    /// <summary>
    /// An attribute System.Text.Json reads (all derive from JsonAttribute, including custom JsonConverterAttributes),
    /// other than those that change only how JSON is read.
    /// </summary>
    private bool IsJsonAttribute(AttributeData attribute)
    {
        if (_known.JsonReadingAttributes.Any(a => KnownTypes.Is(attribute.AttributeClass, a)))
            return false;
        for (var c = attribute.AttributeClass; c is not null; c = c.BaseType)
        {
            if (KnownTypes.Is(c, _known.JsonAttribute))
                return true;
        }
        return false;
    }

    private static bool IsNullable(ITypeSymbol type) => type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
}
