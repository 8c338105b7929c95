namespace CgiRouting.Generators.Model;

/// <summary>One route attribute: the method, the template and its parsed segments.</summary>
/// <param name="SiteKey">Names the attribute's template argument among the handler's <see cref="Site"/>s.</param>
internal sealed record RouteSpec(string Method, string Template, EquatableArray<RouteSegment> Segments, SiteKey SiteKey);
