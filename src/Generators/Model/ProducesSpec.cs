namespace CgiRouting.Generators.Model;

/// <summary>
/// One <c>[Produces(status, type)]</c> of a handler: an answer it declares, with the JSON type of its body or null, and
/// the media type its <c>ContentType</c> names, or null.
/// </summary>
internal sealed record ProducesSpec(int Status, string? JsonTypeName)
{
    public string? ContentType { get; init; }
}
