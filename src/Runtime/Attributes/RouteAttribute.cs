using System;

namespace CgiRouting;

/// <summary>
/// Marks a <c>static</c> method as the handler of requests with the given HTTP method whose path matches
/// the template. The verb attributes (<see cref="GetAttribute"/>, <see cref="PostAttribute"/>, ...)
/// are shorthands; use this one for any other method, such as <c>PROPFIND</c>.
/// </summary>
/// <remarks>
/// Templates start with <c>/</c>. A literal segment matches itself exactly (ordinal); <c>&lt;name&gt;</c> matches one
/// non-empty segment whose text parses as the type of the handler parameter <c>name</c>; <c>&lt;name...&gt;</c>, only
/// as the last segment, matches the rest of the path. The CgiRouting generator reads these attributes at build time.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public class RouteAttribute : Attribute
{
    /// <summary>Routes <paramref name="method"/> requests whose path matches <paramref name="template"/>.</summary>
    public RouteAttribute(string method, string template)
    {
        Method = method;
        Template = template;
    }

    /// <summary>The HTTP method, case-sensitive as in RFC 9110 (<c>GET</c>, not <c>get</c>).</summary>
    public string Method { get; }

    /// <summary>The route template, such as <c>/users/&lt;id&gt;</c>.</summary>
    public string Template { get; }
}
