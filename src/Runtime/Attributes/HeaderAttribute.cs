using System;

namespace CgiRouting;

/// <summary>Binds a handler parameter to the request header <see cref="Name"/> (case-insensitive).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class HeaderAttribute : Attribute
{
    /// <summary>Binds the parameter to the request header <paramref name="name"/>, such as <c>X-User</c>.</summary>
    public HeaderAttribute(string name) => Name = name;

    /// <summary>The header name.</summary>
    public string Name { get; }
}
