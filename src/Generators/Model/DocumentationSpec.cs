namespace CgiRouting.Generators.Model;

/// <summary>A text of a handler's XML documentation that names something: a <c>&lt;param&gt;</c> or a <c>&lt;response&gt;</c>.</summary>
internal sealed record NamedText(string Name, string Text);

/// <summary>
/// What a handler's XML documentation comment says, as plain text (whitespace collapsed, <c>&lt;c&gt;</c> and
/// <c>&lt;see/&gt;</c> turned into their text), for the OpenAPI document.
/// </summary>
internal sealed record DocumentationSpec
{
    public static readonly DocumentationSpec None = new();

    public string? Summary { get; init; }

    public string? Remarks { get; init; }

    public string? Returns { get; init; }

    /// <summary><c>&lt;param name="..."&gt;</c>, by parameter name.</summary>
    public EquatableArray<NamedText> Parameters { get; init; }

    /// <summary><c>&lt;response code="..."&gt;</c>, by status code.</summary>
    public EquatableArray<NamedText> Responses { get; init; }
}
