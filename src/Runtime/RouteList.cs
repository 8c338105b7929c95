using System;
using System.Collections;
using System.Collections.Generic;

namespace CgiRouting;

/// <summary>
/// The routes of an app as the generator found them at build time (<see cref="CgiApp.Routes"/>), with the OpenAPI
/// document it wrote from them: what <c>--routes</c> and <c>--openapi</c> print. Both are data in the binary until
/// one of them is asked for; nothing is built at start-up.
/// </summary>
public sealed class RouteList : IReadOnlyList<RouteInfo>
{
    private readonly RouteInfo[] _routes;

    internal RouteList(RouteInfo[] routes, string? openApiDocument)
    {
        _routes = routes;
        OpenApiDocument = openApiDocument;
    }

    /// <summary>The app's OpenAPI 3.1 document, as JSON; null for an app built by a generator that wrote none.</summary>
    public string? OpenApiDocument { get; }

    /// <inheritdoc/>
    public RouteInfo this[int index] => _routes[index];

    /// <inheritdoc/>
    public int Count => _routes.Length;

    /// <inheritdoc/>
    public IEnumerator<RouteInfo> GetEnumerator() => ((IEnumerable<RouteInfo>)_routes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _routes.GetEnumerator();
}
