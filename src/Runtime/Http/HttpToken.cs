namespace CgiRouting;

/// <summary>
/// RFC 9110's token, the syntax of HTTP methods and header names. The generator links this file too, so that
/// build-time checks (CGI013, CGI015) and the run-time check of response headers agree.
/// </summary>
internal static class HttpToken
{
    public static bool IsToken(string text)
    {
        if (text.Length == 0)
            return false;
        foreach (char c in text)
        {
            if (!IsTokenChar(c))
                return false;
        }
        return true;
    }

    public static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
        or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
