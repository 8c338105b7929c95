using System;
using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>A handler's routes: each route attribute's template, and the check that every segment and parameter binds.</summary>
internal static partial class HandlerParser
{
    private sealed partial class Parser
    {
        private RouteSpec? ParseRoute(AttributeData attribute, int index)
        {
            var arguments = attribute.ConstructorArguments;
            var argumentSyntax = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments;
            Location? ArgumentLocation(int i) => argumentSyntax is { } list && list.Count > i
                ? list[i].Expression.GetLocation() : attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

            string httpMethod = known.RouteMethod(attribute.AttributeClass) ?? "";
            int templateIndex = 0;
            if (httpMethod == "")
            {
                // [Route(method, template)]: the method is the first argument.
                string? named = arguments.Length > 0 ? arguments[0].Value as string : null;
                if (named is null || !HttpToken.IsToken(named))
                {
                    Report(DiagnosticDescriptors.InvalidHttpMethod, ArgumentLocation(0), named ?? "null");
                    return null;
                }
                httpMethod = named;
                templateIndex = 1;
            }
            string? template = arguments.Length > templateIndex ? arguments[templateIndex].Value as string : null;
            var templateLocation = ArgumentLocation(templateIndex);
            string? error = null;
            var segments = template is null ? null : RouteTemplate.Parse(template, out error);
            if (segments is null)
            {
                Report(DiagnosticDescriptors.InvalidTemplate, templateLocation, template ?? "null", template is null ? "it is null" : error!);
                return null;
            }
            foreach (var literal in segments.Where(x => x.Kind == SegmentKind.Literal))
            {
                if (RouteTemplate.PercentEscape(literal.Text) is { } escape)
                    Report(DiagnosticDescriptors.PercentEncodedLiteral, templateLocation, literal.Text, template!, escape);
            }
            if (_prefix is { } prefix)
            {
                if (prefix.Segments is null)
                {
                    _failed = true; // RoutePrefixParser reports the prefix once, on its argument
                    return null;
                }
                // The prefix and the template are each well-formed; together they may name a parameter twice.
                template = RouteTemplate.Combine(prefix.Text!, template!);
                segments = RouteTemplate.Parse(template, out error);
                if (segments is null)
                {
                    Report(DiagnosticDescriptors.InvalidTemplate, templateLocation, template, error! + $" (with the prefix '{prefix.Text}' of {method.ContainingType.Name})");
                    return null;
                }
            }
            var siteKey = SiteKey.Route(_key, index);
            if (LocationInfo.From(templateLocation) is { } site)
                _sites.Add(new Site(siteKey, site));
            return new RouteSpec(httpMethod, template!, segments.ToEquatableArray(), siteKey);
        }

        private void CheckRouteBinding(RouteSpec route, List<ParameterSpec> parameters)
        {
            var site = _sites.FirstOrDefault(s => s.Key == route.SiteKey)?.Location.ToLocation();
            foreach (var segment in route.Segments)
            {
                if (segment.Kind == SegmentKind.Literal)
                    continue;
                var parameter = parameters.FirstOrDefault(p => p.Name == segment.Text);
                var symbol = method.Parameters.FirstOrDefault(p => p.Name == segment.Text);
                if (parameter is null || symbol is null)
                {
                    string suggestion = ClosestName(segment.Text, method.Parameters.Select(p => p.Name)) is { } closest
                        ? $" (did you mean '{closest}'?)" : "";
                    Report(DiagnosticDescriptors.UnboundTemplateParameter, site, route.Template, segment.Text, _display, suggestion);
                    continue;
                }
                var location = symbol.Locations.FirstOrDefault();
                if (symbol.Type.TypeKind == TypeKind.Error)
                {
                    continue; // the compiler reports the unknown type
                }
                if (symbol.RefKind != RefKind.None)
                {
                    ReportUnbindable(parameter.Name, location, $"; template '{route.Template}' binds it from the path");
                }
                else if (_bindingAttributes.TryGetValue(parameter.Name, out string? attribute))
                {
                    Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display,
                        $"template '{route.Template}' binds it from the path, so {attribute} does not apply; remove {attribute} or rename the template parameter");
                }
                else if (segment.Kind == SegmentKind.CatchAll)
                {
                    if (symbol.Type.SpecialType != SpecialType.System_String)
                        Report(DiagnosticDescriptors.CatchAllNotString, location, segment.Text, route.Template, _display, symbol.Type.ToDisplayString());
                }
                else if (parameter.Kind == ValueKind.Enum && parameter.Value.EnumMembers.Count == 0)
                {
                    Report(DiagnosticDescriptors.UnmatchableParameter, location, route.Method + " " + route.Template, parameter.Name, symbol.Type.ToDisplayString());
                }
                else if (parameter.Kind == ValueKind.None || parameter.Value.IsArray)
                {
                    string why = parameter.Value.IsArray ? "an array takes repeated query values, not one segment"
                        : "path segments bind " + BindingSources.Path.AcceptedTypes;
                    Report(DiagnosticDescriptors.UnparsablePathParameter, location, parameter.Name, _display, route.Template,
                        symbol.Type.ToDisplayString(), why);
                }
            }
            string? firstBody = null;
            bool firstBodyIsForm = false;
            foreach (var parameter in parameters)
            {
                if (route.Segments.Any(s => s.Kind != SegmentKind.Literal && s.Text == parameter.Name))
                    continue;
                var location = method.Parameters.First(p => p.Name == parameter.Name).Locations.FirstOrDefault();
                if (parameter.Source == BindingSource.Unbindable)
                {
                    ReportUnbindable(parameter.Name, location,
                        $"; it is not in template '{route.Template}', not CgiRequest, has no [Header] or [Body], and is not a simple type for the query string");
                }
                var source = BindingSources.Of(parameter.Source);
                if (source is { ReadsBody: true })
                {
                    bool fromForm = source == BindingSources.Form;
                    if (route.Method is "GET" or "HEAD")
                        Report(DiagnosticDescriptors.BodyOnGet, location, route.Method, route.Template, parameter.Name);
                    if (firstBody is null)
                        (firstBody, firstBodyIsForm) = (parameter.Name, fromForm);
                    else if (!(fromForm && firstBodyIsForm)) // form fields and files all come from the one form
                        Report(DiagnosticDescriptors.MultipleBodyParameters, location, _display, firstBody, parameter.Name);
                }
            }
        }

        /// <summary>
        /// The name in <paramref name="candidates"/> closest to <paramref name="name"/> (case aside, or within a few
        /// edits), for a "did you mean" hint; null when none is close.
        /// </summary>
        private static string? ClosestName(string name, IEnumerable<string> candidates)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string candidate in candidates)
            {
                int distance = string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase) ? 0
                    : EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
                bool close = distance <= Math.Max(1, Math.Min(name.Length, candidate.Length) / 3)
                    || candidate.IndexOf(name, StringComparison.OrdinalIgnoreCase) >= 0
                    || name.IndexOf(candidate, StringComparison.OrdinalIgnoreCase) >= 0;
                if (close && distance < bestDistance)
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }
            return best;
        }

        /// <summary>The Levenshtein distance between <paramref name="a"/> and <paramref name="b"/>.</summary>
        private static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
                previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                    current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                (previous, current) = (current, previous);
            }
            return previous[b.Length];
        }
    }
}
