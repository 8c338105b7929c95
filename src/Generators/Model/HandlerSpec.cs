namespace CgiRouting.Generators.Model;

/// <summary>
/// A handler method with its routes, as plain values: no symbols, syntax or locations, so that it compares equal
/// across compilations when the handler's signature and attributes have not changed.
/// </summary>
internal sealed record HandlerSpec
{
    /// <summary>Identifies the handler method (its documentation ID).</summary>
    public required string Key { get; init; }

    /// <summary>The fully qualified containing type.</summary>
    public required string ContainingType { get; init; }

    public required string MethodName { get; init; }

    /// <summary>Type.Method, for messages and comments.</summary>
    public required string DisplayName { get; init; }

    public required EquatableArray<ParameterSpec> Parameters { get; init; }

    public required ReturnSpec Return { get; init; }

    public required EquatableArray<RouteSpec> Routes { get; init; }

    /// <summary>[AllowCrossOrigin] is on the handler or its class: unsafe requests from other sites are served.</summary>
    public required bool AllowCrossOrigin { get; init; }

    /// <summary>Whether the dispatcher answers 401 before binding when the request has no <c>REMOTE_USER</c>.</summary>
    public required Authorization Authorization { get; init; }

    /// <summary>The <c>[Filter]</c>s of its class, then its own, outermost first.</summary>
    public EquatableArray<FilterSpec> Filters { get; init; }
}
