namespace CgiRouting.Generators.Model;

/// <summary>What a validated value is, as far as its checks care.</summary>
internal enum ValidationShape
{
    /// <summary>A string: length rules read <c>Length</c>.</summary>
    String,

    /// <summary>A number (integer, floating point or decimal): <c>[Range]</c> applies.</summary>
    Number,

    /// <summary>An array (<c>Length</c>) or a collection (<c>Count</c>): <c>[MinLength]</c> and <c>[MaxLength]</c> apply.</summary>
    Collection,

    /// <summary>Anything else: only <c>[Required]</c> applies; a class or struct may have validated members.</summary>
    Other,
}

/// <summary>
/// A value that has validation rules, or members that have: a handler parameter, or a member (at any depth) of a
/// bound body. The generated invoker checks it after binding and before calling the handler.
/// </summary>
internal sealed record ValidationTargetSpec
{
    /// <summary>The C# member read from the containing object; empty for a handler parameter itself.</summary>
    public required string MemberName { get; init; }

    /// <summary>The key of its failures in the 400 (and in problem details' <c>errors</c>): <c>Title</c>, <c>Address.Street</c>, or a parameter's name.</summary>
    public required string Key { get; init; }

    public required ValidationShape Shape { get; init; }

    /// <summary>For <see cref="ValidationShape.Collection"/>: <c>Length</c> or <c>Count</c>.</summary>
    public string? LengthMember { get; init; }

    /// <summary>A reference type or <c>Nullable&lt;T&gt;</c>: only <c>[Required]</c> fails on null; the members of a null object are not checked.</summary>
    public required bool CanBeNull { get; init; }

    public required EquatableArray<ValidationRuleSpec> Rules { get; init; }

    /// <summary>For a class, record or struct: its members that are validated, in declaration order.</summary>
    public EquatableArray<ValidationTargetSpec> Members { get; init; }
}
