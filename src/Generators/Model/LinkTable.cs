using System;
using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators;

/// <summary>
/// The typed links of the route table: one per route, grouped by handler class and handler, each handler's routes in
/// the order its OpenAPI <c>operationId</c>s are numbered (path, then method; routes of methods OpenAPI has no
/// operation for last), so that <c>Update_2</c> is the same route in both.
/// </summary>
internal static class LinkTable
{
    public static EquatableArray<LinkSpec> Build(RouteTableSpec table) =>
        table.Routes
            .GroupBy(r => r.Handler.Key, StringComparer.Ordinal)
            .OrderBy(g => g.First().Handler.ContainingType, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g
                .OrderBy(r => r.Route.HasOpenApiOperation ? 0 : 1)
                .ThenBy(r => r.Route.OpenApiPath, StringComparer.Ordinal)
                .ThenBy(r => RouteTable.MethodOrder(r.Route.Method))
                .ThenBy(r => r.Route.Method, StringComparer.Ordinal))
            .Select(r => Link(r.Handler, r.Route))
            .ToEquatableArray();

    private static LinkSpec Link(HandlerSpec handler, RouteSpec route)
    {
        var parameters = new List<LinkParameterSpec>();
        var inPath = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in route.Segments.Where(s => s.Kind != SegmentKind.Literal))
        {
            inPath.Add(segment.Text);
            var value = handler.Parameters.FirstOrDefault(p => p.Name == segment.Text)?.Value;
            // A segment the handler cannot bind is an error reported on the handler (CGI002, CGI003, CGI014); its link
            // takes a string, so that the generated code still compiles.
            bool typed = value is { Kind: not ValueKind.None, IsArray: false } && segment.Kind == SegmentKind.Parameter;
            parameters.Add(new LinkParameterSpec
            {
                Name = segment.Text,
                TypeName = typed ? value!.ElementTypeName : "string",
                Kind = typed ? value!.Kind : ValueKind.String,
            });
        }
        // The query parameters the handler requires come first: C# puts optional arguments last.
        parameters.AddRange(handler.Parameters
            .Where(p => p.Source == BindingSource.Query && p.Kind != ValueKind.None && !inPath.Contains(p.Name))
            .OrderBy(p => p.IsOptional)
            .Select(p => new LinkParameterSpec
            {
                Name = p.Name,
                TypeName = p.Value.ElementTypeName,
                Kind = p.Kind,
                QueryKey = p.Key,
                IsArray = p.Value.IsArray,
                IsOptional = p.IsOptional,
            }));
        return new LinkSpec
        {
            ContainingType = handler.ContainingType,
            MethodName = handler.MethodName,
            Route = route.Method + " " + route.Template,
            Segments = route.Segments,
            Parameters = parameters.ToEquatableArray(),
        };
    }
}
