namespace CgiRouting.Generators.Model;

/// <summary>A named place in a handler's source (a template argument, a parameter, the return type).</summary>
internal sealed record Site(SiteKey Key, LocationInfo Location);

/// <summary>
/// What parsing one handler produced: the location-free model for the route table, the diagnostics found in the
/// handler alone, and the places that diagnostics found later (conflicts, missing JSON contexts) point at.
/// </summary>
internal sealed record HandlerResult(HandlerSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<Site> Sites)
{
    /// <summary>What only the OpenAPI document needs, apart from the spec, so that editing it leaves the route table cached.</summary>
    public HandlerDescription? Description { get; init; }
}

/// <summary>
/// What a handler's XML documentation and <c>[Produces]</c> say: only the OpenAPI document reads it, so a doc comment
/// edit changes the document and leaves the route table and the dispatcher cached.
/// </summary>
/// <param name="Key">The handler's <see cref="HandlerSpec.Key"/>.</param>
internal sealed record HandlerDescription(string Key, DocumentationSpec Documentation, EquatableArray<ProducesSpec> Produces)
{
    /// <summary>[ExcludeFromDescription] on the handler or its class: its routes are left out of the document.</summary>
    public bool Excluded { get; init; }
}
