namespace CgiRouting.Generators;

/// <summary>Names of the pipeline steps, so that tests can assert which ones stay cached.</summary>
public static class TrackingNames
{
    /// <summary>Each route attribute's method turned into a handler model and its diagnostics.</summary>
    public const string Handlers = nameof(Handlers);

    /// <summary>The handler models alone, without locations.</summary>
    public const string HandlerSpecs = nameof(HandlerSpecs);

    /// <summary>The diagnostics of each class's <c>[RoutePrefix]</c>.</summary>
    public const string RoutePrefixes = nameof(RoutePrefixes);

    /// <summary>The diagnostics of each class's <c>[Filter]</c>s.</summary>
    public const string ClassFilters = nameof(ClassFilters);

    /// <summary>The types each <c>JsonSerializerContext</c> declares.</summary>
    public const string JsonContexts = nameof(JsonContexts);

    /// <summary>The checked route table that the dispatcher is emitted from.</summary>
    public const string RouteTable = nameof(RouteTable);

    /// <summary>The typed links of the route table (<c>CgiRouting.Generated.Links</c>): one per route, with its values' types.</summary>
    public const string Links = nameof(Links);

    /// <summary>Each handler's XML documentation and [Produces], for the OpenAPI document only.</summary>
    public const string HandlerDescriptions = nameof(HandlerDescriptions);

    /// <summary>The app's name and version, for the OpenAPI document.</summary>
    public const string App = nameof(App);

    /// <summary>The app's [assembly: Sandbox] policy and its diagnostics.</summary>
    public const string Sandbox = nameof(Sandbox);
}
