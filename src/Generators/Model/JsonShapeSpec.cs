using CgiRouting.Generators.Model;

namespace CgiRouting.Generators.Json;

/// <summary>What a type is to a JSON writer.</summary>
internal enum JsonShapeKind
{
    String,
    Boolean,
    /// <summary>Any integer type up to <c>long</c>, and enums written as numbers whose underlying type is not <c>ulong</c>.</summary>
    Integer,
    /// <summary><c>ulong</c>, and enums written as numbers whose underlying type is <c>ulong</c>.</summary>
    UnsignedInteger,
    Double,
    Single,
    Decimal,
    DateTime,
    DateTimeOffset,
    Guid,
    /// <summary>An enum written by <c>JsonStringEnumConverter</c>: member names, numbers for other values.</summary>
    EnumString,
    /// <summary><c>Nullable&lt;T&gt;</c>: null, or the shape of T.</summary>
    Nullable,
    /// <summary>An array, <c>List&lt;T&gt;</c> or a sequence interface: a JSON array.</summary>
    Sequence,
    /// <summary><c>Dictionary&lt;string, T&gt;</c>: a JSON object of its keys.</summary>
    Dictionary,
    /// <summary>A class of the app: a JSON object of its public properties.</summary>
    Object,
}

/// <summary>When a property is left out of the JSON object.</summary>
internal enum JsonOmission
{
    Never,
    WhenNull,
    WhenDefault,
}

/// <summary>
/// One type that a context's declared types reach, as the generated JSON writer sees it. Types refer to each
/// other by <see cref="TypeName"/>; <see cref="Fallback"/> says why System.Text.Json must write the type (its own
/// reason, or the first found in the types it reaches), or is null when the generated writer produces the same bytes.
/// </summary>
internal sealed record JsonShapeSpec
{
    /// <summary>The fully qualified type, without nullable reference annotations.</summary>
    public string TypeName { get; init; } = "";

    public JsonShapeKind Kind { get; init; }

    /// <summary>A reference type or <c>Nullable&lt;T&gt;</c>: JSON <c>null</c> is possible.</summary>
    public bool CanBeNull { get; init; }

    /// <summary>T, for nullable values, sequences and dictionaries.</summary>
    public string? ElementTypeName { get; init; }

    /// <summary>For an object, its properties in the order they are written.</summary>
    public EquatableArray<JsonPropertySpec> Properties { get; init; }

    /// <summary>For an enum written as strings, its members.</summary>
    public EquatableArray<JsonEnumMemberSpec> EnumMembers { get; init; }

    public string? Fallback { get; init; }

    /// <summary>
    /// For an object, why the generated JSON reader cannot build it (constructors, setters and attributes that only
    /// change reading), or null. The reader also needs <see cref="Fallback"/> to be null.
    /// </summary>
    public string? ReadFallback { get; init; }

    /// <summary>
    /// For an object that System.Text.Json builds through a constructor with parameters, those parameters in order;
    /// empty when it uses the public parameterless constructor and the properties' setters.
    /// </summary>
    public EquatableArray<JsonParameterSpec> ConstructorParameters { get; init; }
}

/// <summary>A constructor parameter, and the property it is read as.</summary>
/// <param name="MemberName">The C# name of the property whose JSON name fills the parameter.</param>
/// <param name="DefaultValue">The C# expression of its value when the JSON has none: its default value, or <c>default</c>.</param>
internal sealed record JsonParameterSpec(string MemberName, string DefaultValue);

/// <summary>A property of an object.</summary>
/// <param name="MemberName">The C# property name.</param>
/// <param name="EncodedName">The JSON name, escaped as System.Text.Json escapes it, without quotes.</param>
/// <param name="TypeName">The property's type, a <see cref="JsonShapeSpec.TypeName"/>.</param>
internal sealed record JsonPropertySpec(string MemberName, string EncodedName, string TypeName, JsonOmission Omission)
{
    /// <summary>The JSON name, unescaped (what a reader compares with).</summary>
    public string JsonName { get; init; } = "";

    /// <summary>It has a public <c>set</c> accessor (not <c>init</c>): System.Text.Json reads it after construction.</summary>
    public bool IsSettable { get; init; }

    /// <summary>Declared to hold null (<c>string?</c>, <c>int?</c>, or a reference type where nullable annotations are off).</summary>
    public bool IsNullable { get; init; }

    /// <summary>A <c>required</c> member, or one with <c>[JsonRequired]</c>: System.Text.Json refuses JSON without it.</summary>
    public bool IsRequired { get; init; }

    /// <summary>Its DataAnnotations rules (not its members'), for the OpenAPI schema, or null; writing and reading ignore them.</summary>
    public ValidationTargetSpec? Validation { get; init; }
}

/// <summary>An enum member written as a string.</summary>
/// <param name="EncodedName">The JSON string, escaped, without quotes.</param>
internal sealed record JsonEnumMemberSpec(string MemberName, string EncodedName);

/// <summary>The options of a JsonSerializerContext that change what it writes, from [JsonSourceGenerationOptions].</summary>
internal sealed record JsonContextOptionsSpec
{
    /// <summary>JsonKnownNamingPolicy: 0 none, 1 camelCase, 2 snake_case, 3 SNAKE_CASE, 4 kebab-case, 5 KEBAB-CASE.</summary>
    public int PropertyNamingPolicy { get; init; }

    /// <summary>The default of properties without [JsonIgnore].</summary>
    public JsonOmission DefaultOmission { get; init; }

    public bool UseStringEnumConverter { get; init; }

    /// <summary>A DictionaryKeyPolicy is set: the generated writer does not cover dictionaries.</summary>
    public bool HasDictionaryKeyPolicy { get; init; }

    /// <summary>Why the generated writer covers none of the context's types, or null.</summary>
    public string? Unsupported { get; init; }

    /// <summary>Why the generated reader covers none of the context's types (an option that changes reading), or null.</summary>
    public string? ReadUnsupported { get; init; }
}
