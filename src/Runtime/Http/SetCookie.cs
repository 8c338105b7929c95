using System;
using System.Globalization;
using System.Text;

namespace CgiRouting;

/// <summary>The <c>Set-Cookie</c> header (RFC 6265 §4.1): checks a cookie's parts and writes the header value.</summary>
internal static class SetCookie
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> when the name is not an HTTP token, or the path or domain has a <c>;</c> or
    /// a control character: nothing of the kind may reach the header. In a handler, that is a 500 with the message on
    /// stderr, as for any handler exception. The value needs no check: it is percent-encoded
    /// (<see cref="PercentEncoding.EncodeCookieValue"/>), so that no character of it can end it or start an attribute.
    /// </summary>
    public static void Check(string name, string value, CookieOptions? options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!HttpToken.IsToken(name))
            throw new ArgumentException($"The cookie name '{PrintableText.Escape(name)}' is not an HTTP token (RFC 6265 §4.1.1).", nameof(name));
        CheckAttribute(name, "Path", options?.Path);
        CheckAttribute(name, "Domain", options?.Domain);
    }

    /// <summary>The header value; <c>Secure</c> follows <see cref="CookieOptions.Secure"/>, or <paramref name="https"/> when it is null.</summary>
    public static string Format(string name, string value, CookieOptions? options, bool https)
    {
        var header = new StringBuilder(name.Length + value.Length + 48);
        header.Append(name).Append('=').Append(value);
        header.Append("; Path=").Append(options?.Path ?? "/");
        if (options?.Domain is { } domain)
            header.Append("; Domain=").Append(domain);
        if (options?.Expires is { } expires)
            AppendHttpDate(header.Append("; Expires="), expires);
        if (options?.MaxAge is { } maxAge)
            header.Append("; Max-Age=").Append(Math.Max(0L, (long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        var sameSite = options?.SameSite ?? SameSiteMode.Lax;
        if ((options?.Secure ?? https) || sameSite == SameSiteMode.None)
            header.Append("; Secure");
        if (options?.HttpOnly ?? true)
            header.Append("; HttpOnly");
        header.Append("; SameSite=").Append(sameSite switch { SameSiteMode.None => "None", SameSiteMode.Strict => "Strict", _ => "Lax" });
        return header.ToString();
    }

    /// <summary>
    /// <paramref name="time"/> as an IMF-fixdate (RFC 9110 §5.6.7): <c>Sun, 06 Nov 1994 08:49:37 GMT</c>. Written by hand:
    /// <c>DateTime.ToString("r")</c> would bring the date formatting and time-zone code, about 100 KB, into every app.
    /// </summary>
    internal static void AppendHttpDate(StringBuilder text, DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        text.Append("SunMonTueWedThuFriSat", (int)utc.DayOfWeek * 3, 3).Append(", ");
        Two(text, utc.Day).Append(' ').Append("JanFebMarAprMayJunJulAugSepOctNovDec", (utc.Month - 1) * 3, 3).Append(' ');
        text.Append(utc.Year.ToString("0000", CultureInfo.InvariantCulture)).Append(' ');
        Two(Two(Two(text, utc.Hour).Append(':'), utc.Minute).Append(':'), utc.Second).Append(" GMT");

        static StringBuilder Two(StringBuilder text, int value) => text.Append((char)('0' + value / 10)).Append((char)('0' + value % 10));
    }

    private static void CheckAttribute(string cookie, string attribute, string? value)
    {
        if (value is null)
            return;
        foreach (char c in value)
        {
            if (c < 0x20 || c == 0x7F || c == ';' || c > 0x7E)
                throw new ArgumentException($"The {attribute} of cookie '{cookie}' has '{PrintableText.Escape(c.ToString())}', which may not appear in a Set-Cookie header.", attribute);
        }
    }
}
