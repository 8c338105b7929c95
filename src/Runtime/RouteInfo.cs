using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text;

namespace CgiRouting;

/// <summary>One route of an app, as the generator found it at build time: what <c>--routes</c> lists.</summary>
/// <param name="Method">The HTTP method, such as <c>GET</c>.</param>
/// <param name="Template">The route template, such as <c>/users/&lt;id&gt;</c>.</param>
/// <param name="Handler">The handler, as <c>Type.Method</c>.</param>
public sealed record RouteInfo(string Method, string Template, string Handler)
{
    /// <summary>
    /// For a route that returns JSON, how the response is written: <c>generated writer</c>, or
    /// <c>System.Text.Json</c> and the reason the generator's writer does not cover the type; for a route that reads
    /// a JSON body, how it is read (<c>body: generated reader</c> or <c>body: System.Text.Json</c>), after a
    /// <c>; </c> when there are both; otherwise null.
    /// </summary>
    public string? Json { get; init; }

    /// <summary>
    /// <c>authorize</c> for a route that answers 401 unless the web server authenticated the request
    /// (<see cref="AuthorizeAttribute"/>, or a required <see cref="UserAttribute"/> parameter); <c>anonymous</c> for a
    /// route that <see cref="AllowAnonymousAttribute"/> opted out of its class's <see cref="AuthorizeAttribute"/>;
    /// otherwise null.
    /// </summary>
    public string? Authorization { get; init; }

    /// <summary>The route's filters (<see cref="FilterAttribute"/>), in the order they run, or null for none.</summary>
    public string? Filters { get; init; }

    /// <summary>
    /// The routes of a table the generator wrote as UTF-8 text: one route a line, its fields (method, template, handler,
    /// how JSON is written or read, its authorization and its filters, trailing empty fields left out)
    /// separated by tabs, with
    /// <c>\\</c>, <c>\t</c> and <c>\n</c> escaped. The table is data in the binary, not string objects: an app with
    /// thousands of routes pays nothing for it at start-up (string literals would each need a relocation and a
    /// page of memory touched by the dynamic linker at every start), only when <c>--routes</c> asks for it.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static RouteInfo[] ParseTable(ReadOnlySpan<byte> table)
    {
        var routes = new List<RouteInfo>();
        var fields = new List<string>(6);
        foreach (string line in Encoding.UTF8.GetString(table).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            fields.Clear();
            foreach (string field in line.Split('\t'))
                fields.Add(Unescape(field));
            if (fields.Count is < 3 or > 6)
                throw new FormatException("A route table line has " + fields.Count + " fields, not 3 to 6: " + line);
            routes.Add(new RouteInfo(fields[0], fields[1], fields[2])
            {
                Json = fields.Count >= 4 && fields[3].Length > 0 ? fields[3] : null,
                Authorization = fields.Count >= 5 && fields[4].Length > 0 ? fields[4] : null,
                Filters = fields.Count == 6 && fields[5].Length > 0 ? fields[5] : null,
            });
        }
        return routes.ToArray();
    }

    /// <summary>
    /// The routes of <paramref name="table"/> (see <see cref="ParseTable(ReadOnlySpan{byte})"/>) with the app's OpenAPI
    /// document, UTF-8 JSON that the generator wrote at build time: what <c>--routes</c> and <c>--openapi</c> print.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static RouteList ParseTable(ReadOnlySpan<byte> table, ReadOnlySpan<byte> openApiDocument) =>
        new(ParseTable(table), Encoding.UTF8.GetString(openApiDocument));

    private static string Unescape(string field)
    {
        if (field.IndexOf('\\') < 0)
            return field;
        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            char c = field[i];
            if (c == '\\' && i + 1 < field.Length)
            {
                c = field[++i] switch { 't' => '\t', 'n' => '\n', var other => other };
            }
            text.Append(c);
        }
        return text.ToString();
    }
}
