namespace CgiRouting.Generators.Model;

/// <summary>
/// One route's typed link, <c>CgiRouting.Generated.Links.Class.Method(...)</c>: what the link needs of the route and
/// its handler and nothing more, so that an edit that changes no link (a handler's return type, a validation rule, a
/// filter) leaves the links' file cached.
/// </summary>
internal sealed record LinkSpec
{
    /// <summary>The handler's class, fully qualified: the links of one class are the methods of one class of <c>Links</c>.</summary>
    public required string ContainingType { get; init; }

    /// <summary>The handler method's name, which the link takes (numbered <c>_2</c>, <c>_3</c> for its later routes).</summary>
    public required string MethodName { get; init; }

    /// <summary>The route's method and whole template (its <c>[RoutePrefix]</c> included), for the link's comment.</summary>
    public required string Route { get; init; }

    /// <summary>The template's segments; a parameter segment names one of <see cref="Parameters"/>.</summary>
    public required EquatableArray<RouteSegment> Segments { get; init; }

    /// <summary>The link method's parameters: the template's in template order, then the handler's query parameters, required first.</summary>
    public required EquatableArray<LinkParameterSpec> Parameters { get; init; }
}

/// <summary>A parameter of a link method: a value of the path, or of the query string.</summary>
internal sealed record LinkParameterSpec
{
    /// <summary>The handler's parameter name.</summary>
    public required string Name { get; init; }

    /// <summary>The simple type, fully qualified and not nullable (of the elements, for an array).</summary>
    public required string TypeName { get; init; }

    public required ValueKind Kind { get; init; }

    /// <summary>The query key it is sent as; null for a value of the path.</summary>
    public string? QueryKey { get; init; }

    /// <summary>A query parameter that takes every value of a repeated key.</summary>
    public bool IsArray { get; init; }

    /// <summary>A query parameter the handler does without (nullable, with a default, or an array): an optional argument, sent when given.</summary>
    public bool IsOptional { get; init; }
}
