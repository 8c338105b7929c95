using System;
using System.Linq;

namespace CgiRouting.Generators.Model;

/// <summary>One route attribute: the method, the template and its parsed segments.</summary>
/// <param name="SiteKey">Names the attribute's template argument among the handler's <see cref="Site"/>s.</param>
internal sealed record RouteSpec(string Method, string Template, EquatableArray<RouteSegment> Segments, SiteKey SiteKey)
{
    /// <summary>The methods OpenAPI 3.1 has operations for; routes of other methods are left out of the document.</summary>
    private static readonly string[] OpenApiMethods = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

    /// <summary>Whether the OpenAPI document has an operation for this route: its method is one OpenAPI knows.</summary>
    public bool HasOpenApiOperation => Array.IndexOf(OpenApiMethods, Method) >= 0;

    /// <summary>The path as the OpenAPI document writes it: <c>/items/{id}</c> for <c>/items/&lt;id&gt;</c>.</summary>
    public string OpenApiPath => "/" + string.Join("/", Segments.Select(s => s.Kind == SegmentKind.Literal ? s.Text : "{" + s.Text + "}"));
}
