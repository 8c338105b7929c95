namespace CgiRouting.Generators.Model;

/// <summary>
/// The app itself, for the OpenAPI document's <c>info</c>: its assembly name and version, and the project's own
/// metadata where it sets it (<c>Description</c>, <c>Authors</c>, <c>PackageLicenseExpression</c>, <c>PackageProjectUrl</c>).
/// </summary>
internal sealed record AppSpec(string Name, string Version)
{
    public string? Description { get; init; }
    public string? Authors { get; init; }
    public string? License { get; init; }
    public string? ProjectUrl { get; init; }
}
