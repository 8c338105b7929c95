using System;

namespace CgiRouting;

/// <summary>Routes <c>DELETE</c> requests whose path matches the template to this <c>static</c> method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class DeleteAttribute : RouteAttribute
{
    /// <summary>Routes <c>DELETE</c> requests whose path matches <paramref name="template"/>.</summary>
    public DeleteAttribute(string template) : base("DELETE", template) { }
}
