namespace CgiRouting;

/// <summary>The <c>SameSite</c> attribute of a cookie: when a browser sends it with requests from other sites.</summary>
public enum SameSiteMode
{
    /// <summary><c>SameSite=None</c>: sent with every request, also from other sites; requires <c>Secure</c>, which is then always set.</summary>
    None,

    /// <summary><c>SameSite=Lax</c> (the default): sent with requests from this site and top-level navigations to it.</summary>
    Lax,

    /// <summary><c>SameSite=Strict</c>: sent only with requests from this site.</summary>
    Strict,
}
