namespace CgiRouting.Generators.Model;

/// <summary>
/// One handler parameter. <see cref="Source"/> is how it binds when the route's template does not name it.
/// </summary>
/// <param name="Name">The C# parameter name.</param>
/// <param name="Key">The query key or header name it binds to.</param>
/// <param name="TypeName">The fully qualified type, as the dispatcher declares the local.</param>
/// <param name="Kind">The simple type (of the element, for arrays; of T, for T?), or None.</param>
/// <param name="ElementTypeName">The simple type's fully qualified name (enum name for enums).</param>
/// <param name="IsArray">A T[] bound to every value of a repeated query key.</param>
/// <param name="IsNullableValue">A Nullable&lt;T&gt;.</param>
/// <param name="IsValueType">A struct, which is never null.</param>
/// <param name="IsOptional">Nullable or with a default: absent is not an error.</param>
/// <param name="DefaultValue">The C# literal of the default value, or null.</param>
/// <param name="EnumMembers">The member names, for enums.</param>
internal sealed record ParameterSpec(
    string Name,
    BindingSource Source,
    string Key,
    string TypeName,
    ValueKind Kind,
    string ElementTypeName,
    bool IsArray,
    bool IsNullableValue,
    bool IsValueType,
    bool IsOptional,
    string? DefaultValue,
    EquatableArray<string> EnumMembers);
