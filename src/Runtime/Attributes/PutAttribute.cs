using System;

namespace CgiRouting;

/// <summary>Routes <c>PUT</c> requests whose path matches the template to this <c>static</c> method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class PutAttribute : RouteAttribute
{
    /// <summary>Routes <c>PUT</c> requests whose path matches <paramref name="template"/>.</summary>
    public PutAttribute(string template) : base("PUT", template) { }
}
