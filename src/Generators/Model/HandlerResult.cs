namespace CgiRouting.Generators.Model;

/// <summary>A named place in a handler's source (a template argument, a parameter, the return type).</summary>
internal sealed record Site(string Key, LocationInfo Location);

/// <summary>
/// What parsing one handler produced: the location-free model for the route table, the diagnostics found in the
/// handler alone, and the places that diagnostics found later (conflicts, missing JSON contexts) point at.
/// </summary>
internal sealed record HandlerResult(HandlerSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<Site> Sites);
