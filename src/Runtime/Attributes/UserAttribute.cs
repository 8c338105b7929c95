using System;

namespace CgiRouting;

/// <summary>
/// Binds a <c>string</c> parameter to the name the web server authenticated, the CGI variable <c>REMOTE_USER</c>:
/// <c>[Get("/me")] public static string Me([User] string user) => user;</c>. A <c>string</c> parameter requires a
/// user: without one (<c>REMOTE_USER</c> absent or empty) the handler answers 401, as with
/// <see cref="AuthorizeAttribute"/>. A <c>string?</c> parameter is <see langword="null"/> then. On any other type
/// it is a build error (CGI015).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class UserAttribute : Attribute
{
}
