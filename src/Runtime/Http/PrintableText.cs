using System.Text;

namespace CgiRouting;

/// <summary>
/// Text that may come from a request (a path, a header name, an exception about them) made safe for an error message or
/// a line of the error log: control characters are written as <c>\xNN</c>, so that a line feed in PATH_INFO (Apache
/// passes <c>%0A</c> decoded) cannot end a log line and forge the next. The runtime's one escaper: the response writer's
/// header errors, the cookie errors and the error log's lines all use it.
/// </summary>
internal static class PrintableText
{
    /// <summary>What each line after the first of a multi-line log entry begins with (<see cref="EscapeLines"/>).</summary>
    public const string ContinuationIndent = "    ";

    /// <summary>
    /// <paramref name="text"/> with C0 and C1 control characters and DEL as <c>\xNN</c>, and the Unicode line and
    /// paragraph separators as <c>\u2028</c>, <c>\u2029</c>. Text without any is returned as it is, with no allocation:
    /// every request escapes its method and path for the deadline's line.
    /// </summary>
    public static string Escape(string text) => EscapeText(text, keepLines: false);

    /// <summary>
    /// Multi-line text (an exception with its stack trace) as the rest of a log entry: each line break (LF or CRLF) is
    /// kept and followed by <see cref="ContinuationIndent"/>, so that every line after the first is indented under the
    /// entry it belongs to and none can pass for an entry of its own; other control characters are escaped as by
    /// <see cref="Escape"/>.
    /// </summary>
    public static string EscapeLines(string text) => EscapeText(text, keepLines: true);

    private static string EscapeText(string text, bool keepLines)
    {
        int first = 0;
        while (first < text.Length && !IsControl(text[first]))
            first++;
        if (first == text.Length)
            return text;
        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (keepLines && (c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')))
            {
                if (c == '\r')
                    i++;
                escaped.Append('\n').Append(ContinuationIndent);
            }
            else if (!IsControl(c))
            {
                escaped.Append(c);
            }
            else
            {
                // Hex digits by hand: number formatting sets up culture data first (11,000 instructions).
                escaped.Append(c <= 0xFF ? "\\x" : "\\u");
                for (int shift = c <= 0xFF ? 4 : 12; shift >= 0; shift -= 4)
                    escaped.Append("0123456789ABCDEF"[(c >> shift) & 0xF]);
            }
        }
        return escaped.ToString();
    }

    private static bool IsControl(char c) => c < 0x20 || c is >= '\x7F' and <= '\x9F' or '\u2028' or '\u2029';
}
