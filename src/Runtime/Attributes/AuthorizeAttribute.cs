using System;

namespace CgiRouting;

/// <summary>
/// Serves a handler, or every handler of a class, only to requests the web server authenticated: unless the CGI
/// variable <c>REMOTE_USER</c> is set and not empty, the answer is 401 Unauthorized (with <c>WWW-Authenticate</c>
/// when <see cref="CgiOptions.AuthenticationRealm"/> is set), before any parameter is bound and the handler runs.
/// The web server authenticates (Basic, client certificates, single sign-on); the generated dispatcher checks.
/// <see cref="AllowAnonymousAttribute"/> opts one handler of such a class out.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false)]
public sealed class AuthorizeAttribute : Attribute
{
}
