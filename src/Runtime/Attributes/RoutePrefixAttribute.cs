using System;

namespace CgiRouting;

/// <summary>
/// Prefixes the template of every route of this class: with <c>[RoutePrefix("/api/v1")]</c>, <c>[Get("/todos")]</c>
/// is <c>GET /api/v1/todos</c>, and <c>[Get("/")]</c> is <c>GET /api/v1</c>. The route table, its conflict check,
/// <c>--routes</c> and the diagnostics all see the full template.
/// </summary>
/// <remarks>
/// A prefix is a template of one segment or more: it starts with <c>/</c>, does not end with one, and may have
/// <c>&lt;name&gt;</c> parameters (bound to each handler's parameter of that name) but no catch-all. Only the
/// handler's own class counts: the prefix of a class that contains it does not.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RoutePrefixAttribute : Attribute
{
    /// <summary>Prefixes the routes of this class with <paramref name="prefix"/>.</summary>
    public RoutePrefixAttribute(string prefix) => Prefix = prefix;

    /// <summary>The prefix, such as <c>/api/v1</c>.</summary>
    public string Prefix { get; }
}
