using System.Net;

namespace CgiRouting;

/// <summary>Helpers for building HTML pages by hand.</summary>
public static class Html
{
    /// <summary>
    /// <paramref name="value"/> with the characters that mean something in HTML (<c>&amp; &lt; &gt; " '</c>) written as
    /// character references, safe to put between tags and inside quoted attribute values:
    /// <c>$"&lt;li&gt;{Html.Encode(todo.Title)}&lt;/li&gt;"</c>. <see langword="null"/> gives an empty string.
    /// (<see cref="WebUtility.HtmlEncode(string)"/> does the work; it also writes characters U+00A0 to U+00FF as
    /// numeric references, which browsers read back as the same characters.)
    /// </summary>
    public static string Encode(string? value) => value is null ? "" : WebUtility.HtmlEncode(value);
}
