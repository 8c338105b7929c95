namespace CgiRouting.Generators.Model;

/// <summary>The System.ComponentModel.DataAnnotations attributes that the generator turns into checks.</summary>
internal enum ValidationRuleKind
{
    /// <summary><c>[Required]</c>: not null, and for a string not empty or white space unless <see cref="ValidationRuleSpec.AllowEmptyStrings"/>.</summary>
    Required,

    /// <summary><c>[Range]</c>: from <see cref="ValidationRuleSpec.Minimum"/> to <see cref="ValidationRuleSpec.Maximum"/>.</summary>
    Range,

    /// <summary><c>[StringLength]</c>: a string of <see cref="ValidationRuleSpec.MinimumLength"/> to <see cref="ValidationRuleSpec.MaximumLength"/> characters.</summary>
    StringLength,

    /// <summary><c>[MinLength]</c>: a string or collection of at least <see cref="ValidationRuleSpec.MinimumLength"/>.</summary>
    MinLength,

    /// <summary><c>[MaxLength]</c>: a string or collection of at most <see cref="ValidationRuleSpec.MaximumLength"/> (-1: any).</summary>
    MaxLength,

    /// <summary><c>[RegularExpression]</c>: the whole string matches <see cref="ValidationRuleSpec.Pattern"/> (an empty string passes).</summary>
    RegularExpression,

    /// <summary><c>[EmailAddress]</c>: one '@', neither first nor last (OpenAPI <c>format: email</c>).</summary>
    EmailAddress,

    /// <summary><c>[Url]</c>: starts with http://, https:// or ftp:// (OpenAPI <c>format: uri</c>).</summary>
    Url,
}

/// <summary>
/// One validation attribute, as values: what the generated check tests and the message it reports. Bounds are kept as
/// invariant-culture numbers (not C# literals) so that a schema writer (OpenAPI's <c>minimum</c>, <c>maxLength</c>,
/// <c>pattern</c>, <c>format</c>) can read them as they are.
/// </summary>
internal sealed record ValidationRuleSpec
{
    public required ValidationRuleKind Kind { get; init; }

    /// <summary>The message of a failure: the attribute's <c>ErrorMessage</c> formatted as DataAnnotations does, or its default.</summary>
    public required string Message { get; init; }

    /// <summary><see cref="ValidationRuleKind.Range"/>: the bounds, in invariant culture ("1", "0.5", "-Infinity").</summary>
    public string? Minimum { get; init; }

    public string? Maximum { get; init; }

    /// <summary><see cref="ValidationRuleKind.Range"/>: the value is compared as a double (<c>[Range(double, double)]</c>, or a <c>ulong</c> value), else with the int bounds.</summary>
    public bool BoundsAreDouble { get; init; }

    public bool MinimumIsExclusive { get; init; }

    public bool MaximumIsExclusive { get; init; }

    /// <summary><see cref="ValidationRuleKind.StringLength"/> and <see cref="ValidationRuleKind.MinLength"/>: the least length (0: none).</summary>
    public int MinimumLength { get; init; }

    /// <summary><see cref="ValidationRuleKind.StringLength"/> and <see cref="ValidationRuleKind.MaxLength"/>: the greatest length (-1: none).</summary>
    public int MaximumLength { get; init; } = -1;

    /// <summary><see cref="ValidationRuleKind.RegularExpression"/>: the .NET pattern, and the match timeout (DataAnnotations' default 2000 ms).</summary>
    public string? Pattern { get; init; }

    public int MatchTimeoutMilliseconds { get; init; }

    /// <summary><see cref="ValidationRuleKind.Required"/> on a string: "" and white space pass.</summary>
    public bool AllowEmptyStrings { get; init; }
}
