using System;

namespace CgiRouting;

/// <summary>
/// Serves this handler to every request, with or without <c>REMOTE_USER</c>, although its class has
/// <see cref="AuthorizeAttribute"/>. It wins over <see cref="AuthorizeAttribute"/> on the method itself too.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AllowAnonymousAttribute : Attribute
{
}
