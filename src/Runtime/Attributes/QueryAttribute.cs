using System;

namespace CgiRouting;

/// <summary>
/// Binds a handler parameter to a query-string value. Simple parameters bind to the query by default;
/// use this attribute to bind a key whose name differs from the parameter's.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class QueryAttribute : Attribute
{
    /// <summary>Binds the parameter to the query key of the parameter's own name.</summary>
    public QueryAttribute() { }

    /// <summary>Binds the parameter to the query key <paramref name="name"/>.</summary>
    public QueryAttribute(string name) => Name = name;

    /// <summary>The query key, or <see langword="null"/> for the parameter's name.</summary>
    public string? Name { get; }
}
