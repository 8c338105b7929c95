using System;

namespace CgiRouting;

/// <summary>Routes <c>HEAD</c> requests whose path matches the template to this <c>static</c> method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class HeadAttribute : RouteAttribute
{
    /// <summary>Routes <c>HEAD</c> requests whose path matches <paramref name="template"/>.</summary>
    public HeadAttribute(string template) : base("HEAD", template) { }
}
