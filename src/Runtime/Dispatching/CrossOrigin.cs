using System;
using System.ComponentModel;

namespace CgiRouting.Dispatching;

/// <summary>
/// Cross-origin protection against form posts from other sites (CSRF), stateless, as Go 1.25's
/// <c>http.CrossOriginProtection</c>: a request with a method other than GET, HEAD and OPTIONS is refused when the
/// browser marks it as sent by another site. <c>Sec-Fetch-Site</c> says so when present (all browsers since 2023);
/// otherwise an <c>Origin</c> whose host is not the request's <c>Host</c> does. A request with neither, such as
/// curl's, is not from a browser's page and passes; so does one from a trusted origin. The generated dispatcher calls
/// it for every route without <see cref="AllowCrossOriginAttribute"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CrossOrigin
{
    /// <summary>The 403 for a cross-site request, or <see langword="null"/> when the request may go on.</summary>
    public static Response? Refusal(CgiRequest request)
    {
        if (request.Method is "GET" or "HEAD" or "OPTIONS")
            return null;
        string? origin = request.Get("HTTP_ORIGIN");
        switch (request.Get("HTTP_SEC_FETCH_SITE"))
        {
            case null or "":
                break;
            case "same-origin" or "none":
                return null; // "none": typed in the address bar, a bookmark: the user's own doing
            default:
                return IsTrusted(request, origin) ? null
                    : Response.Error(403, "Cross-origin request refused: the browser says another site sent it (Sec-Fetch-Site).");
        }
        if (string.IsNullOrEmpty(origin))
            return null; // neither header: not sent from a page, or same-origin from an old browser
        if (Host(origin) is { } host && host.Equals(request.Get("HTTP_HOST"), StringComparison.OrdinalIgnoreCase))
            return null;
        return IsTrusted(request, origin) ? null
            : Response.Error(403, "Cross-origin request refused: its Origin is not this site's Host, and the browser did not send Sec-Fetch-Site.");
    }

    /// <summary>The host (and port) of an origin <c>scheme://host[:port]</c>, or <see langword="null"/>.</summary>
    private static string? Host(string origin)
    {
        int start = origin.IndexOf("://", StringComparison.Ordinal);
        if (start <= 0)
            return null;
        string host = origin[(start + 3)..];
        return host.Length == 0 || host.IndexOf('/') >= 0 ? null : host;
    }

    private static bool IsTrusted(CgiRequest request, string? origin)
    {
        if (string.IsNullOrEmpty(origin) || request.Options?.TrustedOrigins is not { Count: > 0 } trusted)
            return false;
        foreach (string candidate in trusted)
        {
            if (origin.Equals(candidate.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
