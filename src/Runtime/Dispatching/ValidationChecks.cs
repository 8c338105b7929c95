using System;
using System.ComponentModel;

namespace CgiRouting.Dispatching;

/// <summary>
/// The checks of <c>[EmailAddress]</c> and <c>[Url]</c> that the generated validation calls, with the semantics of
/// System.ComponentModel.DataAnnotations (which is not referenced: its validator works by reflection).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValidationChecks
{
    /// <summary>As <c>EmailAddressAttribute</c>: exactly one '@', neither the first nor the last character.</summary>
    public static bool IsEmailAddress(string value)
    {
        int at = value.IndexOf('@');
        return at > 0 && at != value.Length - 1 && at == value.LastIndexOf('@');
    }

    /// <summary>As <c>UrlAttribute</c>: starts with <c>http://</c>, <c>https://</c> or <c>ftp://</c>, in any case.</summary>
    public static bool IsUrl(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase);
}
