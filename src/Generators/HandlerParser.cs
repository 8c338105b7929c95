using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>
/// Turns one annotated method into a <see cref="HandlerResult"/>: the handler model, and the diagnostics that
/// the method alone shows (template syntax, binding, signature). Route-table checks come later.
/// </summary>
internal static class HandlerParser
{
    /// <summary>The route attributes, by metadata name, and the HTTP method each stands for.</summary>
    public static readonly (string MetadataName, string? Method)[] RouteAttributes =
    [
        ("CgiRouting.GetAttribute", "GET"),
        ("CgiRouting.PostAttribute", "POST"),
        ("CgiRouting.PutAttribute", "PUT"),
        ("CgiRouting.PatchAttribute", "PATCH"),
        ("CgiRouting.DeleteAttribute", "DELETE"),
        ("CgiRouting.HeadAttribute", "HEAD"),
        ("CgiRouting.OptionsAttribute", "OPTIONS"),
        ("CgiRouting.RouteAttribute", null),
    ];

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    private static readonly SymbolDisplayFormat LocalTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// Parses the method of <paramref name="context"/>, found through the attribute <paramref name="metadataName"/>.
    /// A method with several kinds of route attribute is found once per kind; only the call for its first kind
    /// parses it (the others return null), so that each handler is parsed, and reported on, once.
    /// </summary>
    public static HandlerResult? Parse(GeneratorAttributeSyntaxContext context, string metadataName, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var routeAttributes = method.GetAttributes()
            .Where(a => a.AttributeClass is { } c && RouteAttributes.Any(r => r.MetadataName == c.ToDisplayString()))
            .ToList();
        if (routeAttributes.Count == 0 || routeAttributes[0].AttributeClass!.ToDisplayString() != metadataName)
            return null;
        try
        {
            return new Parser(method, (MethodDeclarationSyntax)context.TargetNode, cancellationToken).Parse(routeAttributes);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError,
                LocationInfo.From(((MethodDeclarationSyntax)context.TargetNode).Identifier.GetLocation()),
                method.Name, e.GetType().Name + ": " + e.Message);
            return new HandlerResult(null, new[] { diagnostic }.ToEquatableArray(), default);
        }
    }

    private sealed class Parser(IMethodSymbol method, MethodDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        private readonly List<DiagnosticInfo> _diagnostics = [];
        private readonly List<Site> _sites = [];
        private readonly string _display = method.ContainingType.Name + "." + method.Name;
        private readonly string _key = method.GetDocumentationCommentId() ?? method.ToDisplayString();
        private bool _failed;

        public HandlerResult Parse(List<AttributeData> routeAttributes)
        {
            CheckSignature();
            var routes = new List<RouteSpec>();
            foreach (var attribute in routeAttributes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (ParseRoute(attribute, routes.Count) is { } route)
                    routes.Add(route);
            }
            var parameters = method.Parameters.Select(ParseParameter).ToList();
            var ret = ParseReturn();
            foreach (var route in routes)
                CheckRouteBinding(route, parameters);

            var spec = _failed || ret is null ? null
                : new HandlerSpec(_key, method.ContainingType.ToDisplayString(TypeFormat), method.Name, _display,
                    parameters.ToEquatableArray(), ret, routes.ToEquatableArray());
            return new HandlerResult(spec, _diagnostics.ToEquatableArray(), _sites.ToEquatableArray());
        }

        public static string RouteSiteKey(string handlerKey, int index) => handlerKey + "#" + index.ToString(CultureInfo.InvariantCulture);

        /// <summary>Reports an error (the handler is left out of the route table) or a warning.</summary>
        private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
        {
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(location), arguments));
            _failed |= descriptor.DefaultSeverity == DiagnosticSeverity.Error;
        }

        private void CheckSignature()
        {
            var name = syntax.Identifier.GetLocation();
            if (!method.IsStatic)
                Report(DiagnosticDescriptors.HandlerNotStatic, name, _display);
            if (method.IsGenericMethod || AnyContaining(t => t.IsGenericType))
                Report(DiagnosticDescriptors.GenericHandler, name, _display);
            if (!IsCallable(method.DeclaredAccessibility))
                Report(DiagnosticDescriptors.HandlerNotAccessible, name, _display, "the method");
            else if (FirstContaining(t => !IsCallable(t.DeclaredAccessibility)) is { } type)
                Report(DiagnosticDescriptors.HandlerNotAccessible, name, _display, "its containing type " + type.Name);
        }

        private static bool IsCallable(Accessibility accessibility) =>
            accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

        private bool AnyContaining(Func<INamedTypeSymbol, bool> predicate) => FirstContaining(predicate) is not null;

        private INamedTypeSymbol? FirstContaining(Func<INamedTypeSymbol, bool> predicate)
        {
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                if (predicate(type))
                    return type;
            }
            return null;
        }

        private RouteSpec? ParseRoute(AttributeData attribute, int index)
        {
            var arguments = attribute.ConstructorArguments;
            var argumentSyntax = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments;
            Location? ArgumentLocation(int i) => argumentSyntax is { } list && list.Count > i
                ? list[i].Expression.GetLocation() : attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

            string? httpMethod = RouteAttributes.First(r => r.MetadataName == attribute.AttributeClass!.ToDisplayString()).Method;
            int templateIndex = 0;
            if (httpMethod is null)
            {
                httpMethod = arguments.Length > 0 ? arguments[0].Value as string : null;
                templateIndex = 1;
                if (httpMethod is null || !HttpToken.IsToken(httpMethod))
                {
                    Report(DiagnosticDescriptors.InvalidHttpMethod, ArgumentLocation(0), httpMethod ?? "null");
                    return null;
                }
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
                if (PercentEscape(literal.Text) is { } escape)
                    Report(DiagnosticDescriptors.PercentEncodedLiteral, templateLocation, literal.Text, template!, escape);
            }
            string siteKey = RouteSiteKey(_key, index);
            if (LocationInfo.From(templateLocation) is { } site)
                _sites.Add(new Site(siteKey, site));
            return new RouteSpec(httpMethod, template!, segments.ToEquatableArray(), siteKey);
        }

        /// <summary>The first <c>%XX</c> in <paramref name="text"/>, or null.</summary>
        private static string? PercentEscape(string text)
        {
            for (int i = 0; i + 2 < text.Length; i++)
            {
                if (text[i] == '%' && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
                    return text.Substring(i, 3);
            }
            return null;
        }

        private ParameterSpec ParseParameter(IParameterSymbol parameter)
        {
            var location = parameter.Locations.FirstOrDefault();
            if (LocationInfo.From(location) is { } site)
                _sites.Add(new Site(ParameterSiteKey(_key, parameter.Name), site));

            var type = parameter.Type;
            var kind = SimpleType.Classify(type, out string elementName, out bool isArray, out bool isNullableValue, out var enumMembers);
            bool optional = parameter.HasExplicitDefaultValue || isArray || isNullableValue
                || (type.IsReferenceType && parameter.NullableAnnotation == NullableAnnotation.Annotated);
            string? defaultValue = parameter.HasExplicitDefaultValue ? DefaultLiteral(parameter) : null;
            string typeName = type.ToDisplayString(LocalTypeFormat);
            if (type.IsReferenceType && parameter.NullableAnnotation == NullableAnnotation.Annotated && !typeName.EndsWith("?", StringComparison.Ordinal))
                typeName += "?";

            string? headerName = null, queryName = null;
            bool body = false;
            foreach (var attribute in parameter.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case "CgiRouting.HeaderAttribute":
                        headerName = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
                        break;
                    case "CgiRouting.QueryAttribute":
                        queryName = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? parameter.Name;
                        break;
                    case "CgiRouting.BodyAttribute":
                        body = true;
                        break;
                }
            }

            BindingSource source;
            string key = parameter.Name;
            if (type.TypeKind == TypeKind.Error)
            {
                source = BindingSource.Unbindable; // the compiler reports the unknown type; saying more would be noise
                _failed = true;
            }
            else if (parameter.RefKind != RefKind.None)
            {
                source = Unbindable(parameter, "ref, out and in parameters cannot be bound");
            }
            else if ((headerName is not null ? 1 : 0) + (queryName is not null ? 1 : 0) + (body ? 1 : 0) > 1)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display, "[Header], [Query] and [Body] are exclusive; use one");
                source = BindingSource.Unbindable;
            }
            else if (body)
            {
                source = type.SpecialType == SpecialType.System_String ? BindingSource.BodyText
                    : type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 } ? BindingSource.BodyBytes
                    : type.ToDisplayString() == "System.IO.Stream" ? BindingSource.BodyStream
                    : BindingSource.Unbindable;
                if (source == BindingSource.Unbindable)
                    Report(DiagnosticDescriptors.UnsupportedBodyType, location, parameter.Name, _display, type.ToDisplayString());
            }
            else if (headerName is not null)
            {
                source = BindingSource.Header;
                key = headerName;
                if (!HttpToken.IsToken(headerName))
                {
                    Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display, $"'{headerName}' is not a valid header name");
                }
                else if (kind == ValueKind.None || isArray)
                {
                    Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display,
                        $"[Header] binds strings and simple types such as int, not '{type.ToDisplayString()}'");
                }
            }
            else if (type.ToDisplayString() == "CgiRouting.CgiRequest")
            {
                source = BindingSource.Request;
            }
            else if (type.ToDisplayString() == "System.Threading.CancellationToken")
            {
                source = BindingSource.CancellationToken; // a CGI request is never cancelled: the process just ends
            }
            else if (kind != ValueKind.None)
            {
                source = BindingSource.Query;
                key = queryName ?? parameter.Name;
            }
            else if (queryName is not null)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display,
                    $"[Query] binds strings, simple types such as int, and arrays of them, not '{type.ToDisplayString()}'");
                source = BindingSource.Unbindable;
            }
            else
            {
                source = JsonTypeProblem(type) is { } problem ? Unbindable(parameter, problem) : BindingSource.Json;
                typeName = type.ToDisplayString(TypeFormat);
            }
            if (source == BindingSource.Json)
                elementName = type.ToDisplayString(TypeFormat);
            return new ParameterSpec(parameter.Name, source, key, typeName, kind, elementName, isArray, isNullableValue, type.IsValueType,
                optional, defaultValue, enumMembers);
        }

        private BindingSource Unbindable(IParameterSymbol parameter, string reason)
        {
            _unbindableReasons[parameter.Name] = reason;
            return BindingSource.Unbindable;
        }

        private readonly Dictionary<string, string> _unbindableReasons = [];

        /// <summary>Why <paramref name="type"/> cannot be JSON, or null when it can.</summary>
        private static string? JsonTypeProblem(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol => "a type parameter cannot be JSON",
            IPointerTypeSymbol or IFunctionPointerTypeSymbol => "pointers cannot be bound",
            IDynamicTypeSymbol => "dynamic cannot be JSON under Native AOT",
            { SpecialType: SpecialType.System_Object } => "object cannot be read as JSON without knowing its type",
            { TypeKind: TypeKind.Delegate } => "delegates cannot be bound",
            { TypeKind: TypeKind.Interface } => "an interface cannot be read as JSON; use a concrete type",
            INamedTypeSymbol { IsAbstract: true, TypeKind: TypeKind.Class } => "an abstract class cannot be read as JSON; use a concrete type",
            _ when type.ToDisplayString() == "System.IO.Stream" => "a Stream binds the raw body only with [Body]",
            _ => null,
        };

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
                    Report(DiagnosticDescriptors.UnboundTemplateParameter, site, route.Template, segment.Text, _display);
                    continue;
                }
                var location = symbol.Locations.FirstOrDefault();
                if (segment.Kind == SegmentKind.CatchAll)
                {
                    if (symbol.Type.SpecialType != SpecialType.System_String)
                        Report(DiagnosticDescriptors.CatchAllNotString, location, segment.Text, route.Template, _display, symbol.Type.ToDisplayString());
                }
                else if (parameter.Kind == ValueKind.Enum && parameter.EnumMembers.Count == 0)
                {
                    Report(DiagnosticDescriptors.UnmatchableParameter, location, route.Method + " " + route.Template, parameter.Name, symbol.Type.ToDisplayString());
                }
                else if (parameter.Kind == ValueKind.None || parameter.IsArray || parameter.Source is BindingSource.Header or BindingSource.BodyText)
                {
                    string why = parameter.IsArray ? "an array takes repeated query values, not one segment"
                        : parameter.Source == BindingSource.Header ? "it also has [Header]"
                        : "path segments bind strings, numbers, bool, Guid, dates, times and enums";
                    Report(DiagnosticDescriptors.UnparsablePathParameter, location, parameter.Name, _display, route.Template,
                        symbol.Type.ToDisplayString(), why);
                }
            }
            string? firstBody = null;
            foreach (var parameter in parameters)
            {
                if (route.Segments.Any(s => s.Kind != SegmentKind.Literal && s.Text == parameter.Name))
                    continue;
                var location = method.Parameters.First(p => p.Name == parameter.Name).Locations.FirstOrDefault();
                if (parameter.Source == BindingSource.Unbindable && _unbindableReasons.TryGetValue(parameter.Name, out string? reason))
                {
                    Report(DiagnosticDescriptors.UnbindableParameter, location, parameter.Name, _display,
                        reason + $"; it is not in template '{route.Template}', not CgiRequest, has no [Header] or [Body], and is not a simple type for the query string");
                    _unbindableReasons.Remove(parameter.Name);
                }
                if (parameter.Source is BindingSource.BodyText or BindingSource.BodyBytes or BindingSource.BodyStream or BindingSource.Json)
                {
                    if (route.Method is "GET" or "HEAD")
                        Report(DiagnosticDescriptors.BodyOnGet, location, route.Method, route.Template, parameter.Name);
                    if (firstBody is null)
                        firstBody = parameter.Name;
                    else
                        Report(DiagnosticDescriptors.MultipleBodyParameters, location, _display, firstBody, parameter.Name);
                }
            }
        }

        private ReturnSpec? ParseReturn()
        {
            var location = syntax.ReturnType.GetLocation();
            if (LocationInfo.From(location) is { } site)
                _sites.Add(new Site(ReturnSiteKey(_key), site));
            var type = method.ReturnType;
            if (type.TypeKind == TypeKind.Error || (type is INamedTypeSymbol { TypeArguments: var arguments } && arguments.Any(a => a.TypeKind == TypeKind.Error)))
            {
                _failed = true; // the compiler reports the unknown type
                return null;
            }
            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
                return Unsupported("ref returns cannot be sent");
            var async = AsyncKind.None;
            if (type is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
                && named.Name is "Task" or "ValueTask")
            {
                async = named.Name == "Task" ? AsyncKind.Task : AsyncKind.ValueTask;
                if (named.TypeArguments.Length == 0)
                    return new ReturnSpec(ReturnKind.NoContent, async, null);
                type = named.TypeArguments[0];
            }
            if (type.SpecialType == SpecialType.System_Void)
                return new ReturnSpec(ReturnKind.NoContent, async, null);
            if (type.SpecialType == SpecialType.System_String)
                return new ReturnSpec(ReturnKind.Text, async, null);
            if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 })
                return new ReturnSpec(ReturnKind.Bytes, async, null);
            if (type.ToDisplayString() is "CgiRouting.Response" or "CgiRouting.Response?")
                return new ReturnSpec(ReturnKind.Response, async, null);
            if (type is INamedTypeSymbol { ContainingNamespace: { } ns } task && ns.ToDisplayString() == "System.Threading.Tasks")
                return Unsupported("a task of a task cannot be sent; await the inner task");
            if (type.ToDisplayString().StartsWith("System.Collections.Generic.IAsyncEnumerable<", StringComparison.Ordinal))
                return Unsupported("streaming results are not supported; return a list");
            if (JsonTypeProblem(type) is { } problem)
                return Unsupported(problem + "; return string, byte[], Response, or a type of the app's JsonSerializerContext");
            var jsonType = type.IsReferenceType ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : type;
            return new ReturnSpec(ReturnKind.Json, async, jsonType.ToDisplayString(TypeFormat));

            ReturnSpec? Unsupported(string reason)
            {
                Report(DiagnosticDescriptors.UnsupportedReturnType, location, _display, method.ReturnType.ToDisplayString(), reason);
                return null;
            }
        }

        private static string DefaultLiteral(IParameterSymbol parameter)
        {
            object? value = parameter.ExplicitDefaultValue;
            var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n
                ? n.TypeArguments[0] : parameter.Type;
            if (value is null)
                return "default";
            if (type.TypeKind == TypeKind.Enum)
                return $"({type.ToDisplayString(TypeFormat)})({SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false)})";
            string literal = value switch
            {
                string s => SymbolDisplay.FormatLiteral(s, quote: true),
                char c => SymbolDisplay.FormatLiteral(c, quote: true),
                bool b => b ? "true" : "false",
                float f when float.IsNaN(f) || float.IsInfinity(f) => "float." + (float.IsNaN(f) ? "NaN" : f > 0 ? "PositiveInfinity" : "NegativeInfinity"),
                double d when double.IsNaN(d) || double.IsInfinity(d) => "double." + (double.IsNaN(d) ? "NaN" : d > 0 ? "PositiveInfinity" : "NegativeInfinity"),
                float f => f.ToString("R", CultureInfo.InvariantCulture) + "F",
                double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
                decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
                _ => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
            };
            return $"({type.ToDisplayString(TypeFormat)}){literal}";
        }
    }

    public static string ParameterSiteKey(string handlerKey, string name) => handlerKey + "(" + name + ")";

    public static string ReturnSiteKey(string handlerKey) => handlerKey + ":return";
}
