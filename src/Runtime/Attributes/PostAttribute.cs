using System;

namespace CgiRouting;

/// <summary>Routes <c>POST</c> requests whose path matches the template to this <c>static</c> method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class PostAttribute : RouteAttribute
{
    /// <summary>Routes <c>POST</c> requests whose path matches <paramref name="template"/>.</summary>
    public PostAttribute(string template) : base("POST", template) { }
}
