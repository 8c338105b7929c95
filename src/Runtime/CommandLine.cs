using System;
using System.Collections.Generic;
using System.IO;
using System.Globalization;
using System.Text;

namespace CgiRouting;

/// <summary>
/// What the binary does when it is run by hand rather than by a web server: it explains itself, and lists the
/// route table that was generated at build time.
/// </summary>
internal static class CommandLine
{
    public static int Run(string[] arguments, IReadOnlyList<RouteInfo> routes, TextWriter output, TextWriter error)
    {
        bool listRoutes = false, json = false, openApi = false;
        foreach (string argument in arguments)
        {
            switch (argument)
            {
                case "--routes":
                    listRoutes = true;
                    break;
                case "--json":
                    json = true;
                    break;
                case "--openapi":
                    openApi = true;
                    break;
                case "-h" or "--help" or "-?":
                    WriteUsage(output, routes.Count);
                    return 0;
                default:
                    error.WriteLine($"Unknown option '{argument}'.");
                    WriteUsage(error, routes.Count);
                    return 2;
            }
        }
        if (json && !listRoutes)
        {
            error.WriteLine("--json goes with --routes.");
            return 2;
        }
        if (openApi)
            return WriteOpenApi(output, error, routes);
        if (!listRoutes)
        {
            WriteUsage(output, routes.Count);
            return 0;
        }
        if (json)
            WriteJson(output, routes);
        else
            WriteTable(output, routes);
        return 0;
    }

    private static void WriteUsage(TextWriter output, int routeCount)
    {
        string name = Path.GetFileName(Environment.ProcessPath) ?? "app";
        output.Write($"""
            {name}: a CGI app built with CgiRouting ({routeCount} routes).

            A web server runs it once per request and passes the request in the environment
            (REQUEST_METHOD, PATH_INFO, QUERY_STRING, CONTENT_LENGTH, HTTP_*) and on stdin.
            To deploy it, copy this file to the server (no .NET runtime is needed) and have the
            server run it for every path below a prefix, for example with lighttpd:

                server.modules += ( "mod_alias", "mod_cgi" )
                alias.url       = ( "/" => "/srv/{name}/{name}/" )
                cgi.assign      = ( "" => "" )

            To try a request by hand:

                REQUEST_METHOD=GET PATH_INFO=/ {Environment.ProcessPath ?? name}

            Options:
              --routes          list the routes (method, template, handler, how JSON is written)
              --routes --json   the same, as JSON
              --openapi         the app's OpenAPI 3.1 document (JSON), written at build time
              -h, --help        this text

            """.Replace("\r\n", "\n"));
    }

    /// <summary>The OpenAPI document the generator embedded beside the route table.</summary>
    private static int WriteOpenApi(TextWriter output, TextWriter error, IReadOnlyList<RouteInfo> routes)
    {
        if (routes is not RouteList { OpenApiDocument: { } document })
        {
            error.WriteLine("This app has no OpenAPI document: it was built with a CgiRouting generator that wrote none.");
            return 1;
        }
        output.Write(document);
        return 0;
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<RouteInfo> routes)
    {
        int methodWidth = "METHOD".Length, templateWidth = "TEMPLATE".Length, handlerWidth = "HANDLER".Length, authWidth = "AUTH".Length;
        bool json = false, auth = false;
        foreach (var route in routes)
        {
            methodWidth = Math.Max(methodWidth, route.Method.Length);
            templateWidth = Math.Max(templateWidth, route.Template.Length);
            handlerWidth = Math.Max(handlerWidth, route.Handler.Length);
            authWidth = Math.Max(authWidth, route.Authorization?.Length ?? 0);
            json |= route.Json is not null;
            auth |= route.Authorization is not null;
        }
        // The AUTH column only for apps with [Authorize] or [User], the JSON column (how JSON responses are written)
        // only for apps that return JSON.
        string Row(string method, string template, string handler, string? authorization, string? jsonWay)
        {
            string line = $"{method.PadRight(methodWidth)}  {template.PadRight(templateWidth)}  ";
            if (auth)
                line += (authorization ?? "-").PadRight(authWidth) + "  ";
            return (json ? line + handler.PadRight(handlerWidth) + "  " + jsonWay : line + handler).TrimEnd();
        }
        output.WriteLine(Row("METHOD", "TEMPLATE", "HANDLER", "AUTH", "JSON"));
        foreach (var route in routes)
            output.WriteLine(Row(route.Method, route.Template, route.Handler, route.Authorization, route.Json));
    }

    /// <summary>
    /// The route table as JSON, written by hand: System.Text.Json's writer would be linked into every app (and
    /// initialized at start-up) for an option that is almost never used.
    /// </summary>
    private static void WriteJson(TextWriter output, IReadOnlyList<RouteInfo> routes)
    {
        var json = new StringBuilder("[");
        for (int i = 0; i < routes.Count; i++)
        {
            json.Append(i == 0 ? "\n" : ",\n").Append("  {\"method\": ");
            AppendString(json, routes[i].Method);
            json.Append(", \"template\": ");
            AppendString(json, routes[i].Template);
            json.Append(", \"handler\": ");
            AppendString(json, routes[i].Handler);
            if (routes[i].Json is { } path)
                AppendString(json.Append(", \"json\": "), path);
            if (routes[i].Authorization is { } authorization)
                AppendString(json.Append(", \"auth\": "), authorization);
            json.Append('}');
        }
        output.WriteLine(json.Append(routes.Count == 0 ? "]" : "\n]").ToString());
    }

    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
                json.Append('\\').Append(c);
            else if (c < ' ')
                json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                json.Append(c);
        }
        json.Append('"');
    }
}
