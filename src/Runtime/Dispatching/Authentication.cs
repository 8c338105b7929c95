using System.ComponentModel;

namespace CgiRouting.Dispatching;

/// <summary>
/// The check the generated dispatcher emits for <see cref="AuthorizeAttribute"/> and <see cref="UserAttribute"/>:
/// the web server authenticated the request when <c>REMOTE_USER</c> is set and not empty (RFC 3875 §4.1.11).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Authentication
{
    /// <summary>The authenticated user's name, or <see langword="null"/> when <c>REMOTE_USER</c> is absent or empty.</summary>
    public static string? User(CgiRequest request) => request.Get("REMOTE_USER") is { Length: > 0 } user ? user : null;

    /// <summary><see langword="null"/> when the request has a user; otherwise the 401 to answer with.</summary>
    public static Response? Challenge(CgiRequest request) => User(request) is null ? Unauthorized(request) : null;

    /// <summary>
    /// 401 Unauthorized, with <c>WWW-Authenticate: Basic realm="..."</c> when the app sets
    /// <see cref="CgiOptions.AuthenticationRealm"/>, so that a browser asks for a name and password.
    /// </summary>
    public static Response Unauthorized(CgiRequest request)
    {
        var response = Response.Error(401, "Authentication required.");
        if (request.Options?.AuthenticationRealm is { } realm)
            response.WithHeader("WWW-Authenticate", "Basic realm=\"" + realm.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"");
        return response;
    }
}
