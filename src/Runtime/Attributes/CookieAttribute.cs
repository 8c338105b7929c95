using System;

namespace CgiRouting;

/// <summary>
/// Binds a handler parameter to the request cookie <see cref="Name"/> (case-sensitive), as a string or a simple type
/// such as int; the parameter is optional when it is nullable or has a default, and its absence is 400 otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class CookieAttribute : Attribute
{
    /// <summary>Binds the parameter to the cookie <paramref name="name"/>.</summary>
    public CookieAttribute(string name) => Name = name;

    /// <summary>The cookie name.</summary>
    public string Name { get; }
}
