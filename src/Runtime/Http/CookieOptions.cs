using System;

namespace CgiRouting;

/// <summary>
/// The attributes of a cookie set with <see cref="Response.WithCookie"/> (RFC 6265 §4.1). The defaults are the safe
/// ones: <c>Path=/</c>, <c>HttpOnly</c>, <c>SameSite=Lax</c>, and <c>Secure</c> when the request came over HTTPS.
/// </summary>
public sealed class CookieOptions
{
    /// <summary>The <c>Path</c> attribute; <c>/</c> when <see langword="null"/>.</summary>
    public string? Path { get; set; }

    /// <summary>The <c>Domain</c> attribute; none (this host only) when <see langword="null"/>.</summary>
    public string? Domain { get; set; }

    /// <summary>The <c>Max-Age</c> attribute, in whole seconds; a session cookie when neither it nor <see cref="Expires"/> is set.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>The <c>Expires</c> attribute.</summary>
    public DateTimeOffset? Expires { get; set; }

    /// <summary>
    /// The <c>Secure</c> attribute: <see langword="true"/> always, <see langword="false"/> never (unless
    /// <see cref="SameSite"/> is <see cref="SameSiteMode.None"/>), <see langword="null"/> (the default) when the
    /// request came over HTTPS (<c>HTTPS=on</c>).
    /// </summary>
    public bool? Secure { get; set; }

    /// <summary>The <c>HttpOnly</c> attribute, which hides the cookie from scripts: <see langword="true"/> by default.</summary>
    public bool HttpOnly { get; set; } = true;

    /// <summary>The <c>SameSite</c> attribute: <see cref="SameSiteMode.Lax"/> by default.</summary>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;
}
