namespace CgiRouting.Generators.Model;

/// <summary>
/// What the parser found (Parsing/SimpleType.cs): the simple type a value parses into, looking through <c>T?</c>
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

    /// <summary>How a 400 message names what a value of this type must be.</summary>
    public string Expectation => Kind switch
    {
        ValueKind.Boolean => "true or false",
        ValueKind.Enum => "one of " + string.Join(", ", EnumMembers),
        ValueKind.Guid => "a GUID",
        ValueKind.Byte => "an integer from 0 to 255",
        ValueKind.SByte => "an integer from -128 to 127",
        ValueKind.Int16 => "an integer from -32768 to 32767",
        ValueKind.UInt16 => "an integer from 0 to 65535",
        ValueKind.Int32 => "an integer from -2147483648 to 2147483647",
        ValueKind.UInt32 => "an integer from 0 to 4294967295",
        ValueKind.Int64 => "a 64-bit integer",
        ValueKind.UInt64 => "a non-negative 64-bit integer",
        ValueKind.Single or ValueKind.Double or ValueKind.Decimal => "a number",
        ValueKind.DateOnly => "a date (yyyy-MM-dd)",
        ValueKind.TimeOnly => "a time of day (HH:mm:ss)",
        ValueKind.DateTime or ValueKind.DateTimeOffset => "an ISO 8601 date and time",
        ValueKind.TimeSpan => "a time span (d.hh:mm:ss)",
        _ => "text",
    };

    /// <summary>A value of this type for example paths in messages.</summary>
    public string Sample => Kind switch
    {
        ValueKind.Boolean => "true",
        ValueKind.Enum => EnumMembers.Count > 0 ? EnumMembers[0] : "x",
        ValueKind.Guid => "00000000-0000-0000-0000-000000000001",
        ValueKind.Single or ValueKind.Double or ValueKind.Decimal => "1.5",
        ValueKind.DateOnly => "2024-01-31",
        ValueKind.TimeOnly => "12:30",
        ValueKind.DateTime or ValueKind.DateTimeOffset => "2024-01-31T12:30:00Z",
        ValueKind.TimeSpan => "01:00:00",
        ValueKind.String => "x",
        _ => "1",
    };
}
