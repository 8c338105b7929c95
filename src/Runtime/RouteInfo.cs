namespace CgiRouting;

/// <summary>One route of an app, as the generator found it at build time: what <c>--routes</c> lists.</summary>
/// <param name="Method">The HTTP method, such as <c>GET</c>.</param>
/// <param name="Template">The route template, such as <c>/users/&lt;id&gt;</c>.</param>
/// <param name="Handler">The handler, as <c>Type.Method</c>.</param>
public sealed record RouteInfo(string Method, string Template, string Handler)
{
    /// <summary>
    /// For a route that returns JSON, how the response is written: <c>generated writer</c>, or
    /// <c>System.Text.Json</c> and the reason the generator's writer does not cover the type; otherwise null.
    /// </summary>
    public string? Json { get; init; }
}
