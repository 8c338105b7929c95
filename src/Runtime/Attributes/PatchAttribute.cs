using System;

namespace CgiRouting;

/// <summary>Routes <c>PATCH</c> requests whose path matches the template to this <c>static</c> method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class PatchAttribute : RouteAttribute
{
    /// <summary>Routes <c>PATCH</c> requests whose path matches <paramref name="template"/>.</summary>
    public PatchAttribute(string template) : base("PATCH", template) { }
}
