using System;

namespace CgiRouting;

/// <summary>Routes <c>GET</c> requests whose path matches the template to this <c>static</c> method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class GetAttribute : RouteAttribute
{
    /// <summary>Routes <c>GET</c> requests whose path matches <paramref name="template"/>.</summary>
    public GetAttribute(string template) : base("GET", template) { }
}
