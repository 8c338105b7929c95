namespace CgiRouting.Generators.Model;

/// <summary>
/// The simple types a path segment, query value or header binds to. The order is the documented precedence of
/// typed route parameters at the same position (docs/guide/routing.md): a segment is tried as each in this order,
/// string last.
/// </summary>
internal enum ValueKind
{
    None,
    Boolean,
    Enum,
    Guid,
    Byte,
    SByte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Decimal,
    DateOnly,
    TimeOnly,
    DateTime,
    DateTimeOffset,
    TimeSpan,
    String,
}
