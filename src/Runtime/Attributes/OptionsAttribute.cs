using System;

namespace CgiRouting;

/// <summary>Routes <c>OPTIONS</c> requests whose path matches the template to this <c>static</c> method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OptionsAttribute : RouteAttribute
{
    /// <summary>Routes <c>OPTIONS</c> requests whose path matches <paramref name="template"/>.</summary>
    public OptionsAttribute(string template) : base("OPTIONS", template) { }
}
