using System.Collections.Generic;
using System.Linq;

namespace CgiRouting.Generators;

/// <summary>
/// Parses route templates: <c>/</c>, then segments separated by <c>/</c>. A segment is literal text, <c>&lt;name&gt;</c>
/// (one segment bound to the handler parameter <c>name</c>) or, only last, <c>&lt;name...&gt;</c> (the rest of the path).
/// </summary>
internal static class RouteTemplate
{
    /// <summary>The segments of <paramref name="template"/>, or null with the reason in <paramref name="error"/>.</summary>
    public static List<RouteSegment>? Parse(string template, out string? error)
    {
        error = null;
        if (template.Length == 0 || template[0] != '/')
            return Fail("it must start with '/'", out error);
        var segments = new List<RouteSegment>();
        if (template == "/")
            return segments;
        var names = new HashSet<string>();
        string[] parts = template.Substring(1).Split('/');
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            if (part.Length == 0)
                return Fail(i == parts.Length - 1 ? "it must not end with '/'" : "it has an empty segment ('//')", out error);
            bool opens = part[0] == '<', closes = part[part.Length - 1] == '>';
            if (!(opens && closes) && part.IndexOf('<') >= 0 && part.IndexOf('>') > part.IndexOf('<'))
                return Fail($"segment '{part}' mixes text and a parameter; a parameter is a whole segment", out error);
            if (!opens && !closes)
            {
                if (part.IndexOf('<') >= 0 || part.IndexOf('>') >= 0)
                    return Fail($"segment '{part}' has unbalanced '<' and '>'", out error);
                if (part.Any(c => c < ' ' || c == '\x7F'))
                    return Fail($"segment '{part}' has a control character", out error);
                if (part.IndexOf('?') >= 0 || part.IndexOf('#') >= 0)
                    return Fail($"segment '{part}' has '?' or '#', which never reach PATH_INFO", out error);
                segments.Add(new RouteSegment(SegmentKind.Literal, part));
                continue;
            }
            if (!opens || !closes || part.Length < 2 || part.IndexOf('<', 1) >= 0 || part.IndexOf('>') < part.Length - 1)
                return Fail($"segment '{part}' has unbalanced '<' and '>'", out error);
            string name = part.Substring(1, part.Length - 2);
            bool catchAll = name.EndsWith("...", System.StringComparison.Ordinal);
            if (catchAll)
                name = name.Substring(0, name.Length - 3);
            if (name.Length == 0)
                return Fail("a parameter has no name ('<>')", out error);
            if (!IsIdentifier(name))
                return Fail($"parameter name '{name}' is not a C# identifier", out error);
            if (!names.Add(name))
                return Fail($"parameter '{name}' occurs twice", out error);
            if (catchAll && i != parts.Length - 1)
                return Fail($"catch-all parameter '<{name}...>' must be the last segment", out error);
            segments.Add(new RouteSegment(catchAll ? SegmentKind.CatchAll : SegmentKind.Parameter, name));
        }
        return segments;
    }

    /// <summary>
    /// The segments of a <c>[RoutePrefix]</c>: a template of one segment or more without a catch-all; or null with the
    /// reason in <paramref name="error"/>.
    /// </summary>
    public static List<RouteSegment>? ParsePrefix(string prefix, out string? error)
    {
        if (prefix == "/")
            return Fail("'/' prefixes nothing; remove [RoutePrefix], or give it a segment such as '/api'", out error);
        var segments = Parse(prefix, out error);
        if (segments?.FirstOrDefault(s => s.Kind == SegmentKind.CatchAll) is { } catchAll)
            return Fail($"a prefix cannot end in a catch-all ('<{catchAll.Text}...>'): the routes' own segments follow it", out error);
        return segments;
    }

    /// <summary>
    /// The full template of <paramref name="template"/> under <paramref name="prefix"/>: <c>/api</c> and <c>/todos</c>
    /// make <c>/api/todos</c>; the root, <c>/</c>, is the prefix itself (<c>/api</c>, not <c>/api/</c>).
    /// </summary>
    public static string Combine(string prefix, string template) => template == "/" ? prefix : prefix + template;

    /// <summary>The first <c>%XX</c> in <paramref name="text"/>, or null.</summary>
    public static string? PercentEscape(string text)
    {
        for (int i = 0; i + 2 < text.Length; i++)
        {
            if (text[i] == '%' && System.Uri.IsHexDigit(text[i + 1]) && System.Uri.IsHexDigit(text[i + 2]))
                return text.Substring(i, 3);
        }
        return null;
    }

    private static List<RouteSegment>? Fail(string reason, out string? error)
    {
        error = reason;
        return null;
    }

    private static bool IsIdentifier(string name)
    {
        if (!(char.IsLetter(name[0]) || name[0] == '_'))
            return false;
        foreach (char c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
                return false;
        }
        return true;
    }
}
