namespace CgiRouting.Generators.Model;

/// <summary>
/// What <see cref="SimpleType.Classify"/> found: the simple type a value parses into, looking through <c>T?</c>
/// and <c>T[]</c>.
/// </summary>
internal sealed record SimpleTypeInfo
{
    public static readonly SimpleTypeInfo None = new() { Kind = ValueKind.None, ElementTypeName = "" };

    /// <summary>The simple type, or <see cref="ValueKind.None"/>.</summary>
    public required ValueKind Kind { get; init; }

    /// <summary>The simple type's fully qualified name (the enum's, for enums).</summary>
    public required string ElementTypeName { get; init; }

    /// <summary>A T[] bound to every value of a repeated query key.</summary>
    public bool IsArray { get; init; }

    /// <summary>A Nullable&lt;T&gt;.</summary>
    public bool IsNullableValue { get; init; }

    /// <summary>The member names, for enums.</summary>
    public EquatableArray<string> EnumMembers { get; init; }

    /// <summary>Whether two values of these types take the same branch of a route: same kind and same type.</summary>
    public bool SameBranchAs(SimpleTypeInfo other) => Kind == other.Kind && ElementTypeName == other.ElementTypeName;
}
