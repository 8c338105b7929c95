using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators;

/// <summary>
/// Builds the route table from every handler at once: orders the routes, finds conflicts and resolves each JSON
/// type to the JsonSerializerContext that declares it.
/// </summary>
internal static class RouteTable
{
    /// <summary>The standard methods in the order the dispatcher and <c>Allow</c> list them; others follow, ordinal.</summary>
    public static readonly string[] StandardMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    public static int MethodOrder(string method)
    {
        int index = Array.IndexOf(StandardMethods, method);
        return index >= 0 ? index : StandardMethods.Length;
    }

    public static RouteTableSpec Build(IEnumerable<HandlerSpec> handlers, IReadOnlyList<JsonContextSpec> contexts)
    {
        var problems = new List<TableProblem>();
        var json = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var usable = new List<HandlerSpec>();
        foreach (var handler in handlers.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            bool ok = true;
            // HTML forms are sent with POST: there a type [Form] could bind may have been meant as a form.
            bool posted = handler.Routes.Any(r => r.Method == "POST");
            foreach (var parameter in handler.Parameters.Where(p => p.Source == BindingSource.Json))
                ok &= ResolveJson(parameter.JsonTypeName!, $"Parameter '{parameter.Name}'", SiteKey.Parameter(handler.Key, parameter.Name),
                    posted && parameter.BindableAsForm ? "; if it comes from an HTML form, mark it [Form]" : "");
            if (handler.Return is { Kind: ReturnKind.Json or ReturnKind.JsonStream, JsonTypeName: { } returnType })
                ok &= ResolveJson(returnType, "The return value", SiteKey.Return(handler.Key), "");
            if (ok)
                usable.Add(handler);

            bool ResolveJson(string typeName, string what, SiteKey siteKey, string hint)
            {
                var context = contexts.Where(c => c.Types.Contains(typeName)).Select(c => c.TypeName)
                    .OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault();
                if (context is not null)
                {
                    json[typeName] = context;
                    return true;
                }
                string shown = CSharp.Shorten(typeName);
                problems.Add(new TableProblem(DiagnosticDescriptors.MissingJsonContext, siteKey, null, new[] { what, handler.DisplayName, shown, shown, hint }.ToEquatableArray()));
                return false;
            }
        }

        var routes = usable.SelectMany(h => h.Routes.Select(r => (Handler: h, Route: r)))
            .OrderBy(r => MethodOrder(r.Route.Method)).ThenBy(r => r.Route.Method, StringComparer.Ordinal)
            .ThenBy(r => r.Route.Template, StringComparer.Ordinal).ThenBy(r => r.Route.SiteKey.ToString(), StringComparer.Ordinal)
            .Select((r, i) => new RouteEntry(i, r.Handler, r.Route))
            .ToList();
        FindConflicts(routes, problems);
        return new RouteTableSpec(routes.ToEquatableArray(),
            json.Select(p => new JsonBinding(p.Key, p.Value)).ToEquatableArray(),
            problems.ToEquatableArray());
    }

    /// <summary>
    /// Two routes of one method conflict when some path matches both with equal precedence at every segment.
    /// Only routes whose segments have the same precedence classes can; of those, routes with different enum
    /// types at a position conflict only when the enums share a member name.
    /// </summary>
    private static void FindConflicts(List<RouteEntry> routes, List<TableProblem> problems)
    {
        foreach (var group in routes.GroupBy(r => r.Route.Method + " " + ShapeKey(r)))
        {
            var members = group.ToList();
            for (int i = 0; i < members.Count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (SharedPath(members[j], members[i]) is not { } path)
                        continue;
                    var a = members[j];
                    var b = members[i];
                    problems.Add(new TableProblem(DiagnosticDescriptors.RouteConflict, b.Route.SiteKey, a.Route.SiteKey, new[]
                    {
                        b.Route.Method, b.Route.Template, b.Handler.DisplayName, a.Route.Template, a.Handler.DisplayName, path,
                    }.ToEquatableArray()));
                }
            }
        }
    }

    /// <summary>The precedence class of each segment: literal text, parameter type, or catch-all.</summary>
    private static string ShapeKey(RouteEntry entry) => string.Join("/", entry.Route.Segments.Select(s => s.Kind switch
    {
        SegmentKind.Literal => "=" + s.Text,
        SegmentKind.CatchAll => "*",
        _ => ParameterShape(Parameter(entry, s)!.Value),
    }));

    /// <summary>Enums share one class (members decide a conflict); other types are their own class.</summary>
    private static string ParameterShape(SimpleTypeInfo value) =>
        value.Kind == ValueKind.Enum ? "enum" : value.Kind + ":" + value.ElementTypeName;

    public static ParameterSpec? Parameter(RouteEntry entry, RouteSegment segment) =>
        entry.Handler.Parameters.FirstOrDefault(p => p.Name == segment.Text);

    /// <summary>A path that both routes (of the same shape) match, or null when there is none.</summary>
    private static string? SharedPath(RouteEntry a, RouteEntry b)
    {
        var parts = new List<string>();
        for (int i = 0; i < a.Route.Segments.Count; i++)
        {
            var segment = a.Route.Segments[i];
            switch (segment.Kind)
            {
                case SegmentKind.Literal:
                    parts.Add(segment.Text);
                    break;
                case SegmentKind.CatchAll:
                    parts.Add("x/y");
                    break;
                default:
                    var p = Parameter(a, segment)!;
                    var q = Parameter(b, b.Route.Segments[i])!;
                    if (p.Kind == ValueKind.Enum && p.Value.ElementTypeName != q.Value.ElementTypeName)
                    {
                        var shared = p.Value.EnumMembers.FirstOrDefault(m => q.Value.EnumMembers.Any(n => string.Equals(m, n, StringComparison.OrdinalIgnoreCase)));
                        if (shared is null)
                            return null;
                        parts.Add(shared);
                    }
                    else
                    {
                        parts.Add(p.Value.Sample);
                    }
                    break;
            }
        }
        return "/" + string.Join("/", parts);
    }
}
