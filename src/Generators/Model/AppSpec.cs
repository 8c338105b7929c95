namespace CgiRouting.Generators.Model;

/// <summary>The app itself, for the OpenAPI document's <c>info</c>: its assembly name and version.</summary>
internal sealed record AppSpec(string Name, string Version);
