using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>
/// Turns one annotated method into a <see cref="HandlerResult"/>: the handler model, and the diagnostics that
/// the method alone shows (template syntax, binding, signature). Route-table checks come later.
/// </summary>
internal static class HandlerParser
{
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
        var known = KnownTypes.For(context.SemanticModel.Compilation);
        var routeAttributes = method.GetAttributes().Where(a => known.RouteMethod(a.AttributeClass) is not null).ToList();
        if (routeAttributes.Count == 0 || !KnownTypes.Is(routeAttributes[0].AttributeClass, known.RouteAttribute(metadataName)))
            return null;
        try
        {
            return new Parser(method, (MethodDeclarationSyntax)context.TargetNode, known, context.SemanticModel, cancellationToken)
                .Parse(routeAttributes);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError,
                LocationInfo.From(((MethodDeclarationSyntax)context.TargetNode).Identifier.GetLocation()),
                method.Name, e.GetType().Name + ": " + e.Message);
            return new HandlerResult(null, new[] { diagnostic }.ToEquatableArray(), default);
        }
    }

    private sealed class Parser(IMethodSymbol method, MethodDeclarationSyntax syntax, KnownTypes known, SemanticModel semanticModel,
        CancellationToken cancellationToken)
    {
        private readonly List<DiagnosticInfo> _diagnostics = [];
        private readonly List<Site> _sites = [];
        private readonly string _display = method.ContainingType.Name + "." + method.Name;
        private readonly string _key = method.GetDocumentationCommentId() ?? method.ToDisplayString();
        private readonly RoutePrefixParser.Prefix? _prefix = RoutePrefixParser.Of(method.ContainingType, known);
        private bool _failed;

        public HandlerResult Parse(List<AttributeData> routeAttributes)
        {
            CheckSignature();
            var routes = new List<RouteSpec>();
            foreach (var attribute in routeAttributes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (attribute.AttributeConstructor is null)
                {
                    _failed = true; // the compiler reports the arguments that match no constructor; saying more would be noise
                    continue;
                }
                if (ParseRoute(attribute, routes.Count) is { } route)
                    routes.Add(route);
            }
            var parameters = method.Parameters.Select(ParseParameter).ToList();
            var ret = ParseReturn();
            foreach (var route in routes)
                CheckRouteBinding(route, parameters);
            var authorization = ParseAuthorization(parameters);
            var produces = ParseProduces();
            if (ret is { Kind: ReturnKind.Response } && produces.Count == 0)
                Report(DiagnosticDescriptors.UndeclaredResponse, syntax.Identifier.GetLocation(), _display);
            var filters = ParseFilters();

            var spec = _failed || ret is null ? null
                : new HandlerSpec
                {
                    Key = _key,
                    ContainingType = method.ContainingType.ToDisplayString(TypeFormat),
                    MethodName = method.Name,
                    DisplayName = _display,
                    Parameters = parameters.ToEquatableArray(),
                    Return = ret,
                    Routes = routes.ToEquatableArray(),
                    AllowCrossOrigin = HasAttribute(method, known.AllowCrossOriginAttribute)
                        || HasAttribute(method.ContainingType, known.AllowCrossOriginAttribute),
                    Authorization = authorization,
                    Filters = filters,
                };
            return new HandlerResult(spec, _diagnostics.ToEquatableArray(), _sites.ToEquatableArray())
            {
                Description = spec is null ? null
                    : new HandlerDescription(_key, Documentation.Parse(method, syntax, cancellationToken), produces.ToEquatableArray()),
            };
        }

        /// <summary>
        /// [Authorize] on the handler or its class, or a required [User] parameter, makes the handler answer 401 without
        /// REMOTE_USER; [AllowAnonymous] on the handler wins over [Authorize], but not over a required [User] parameter,
        /// which has no value to take then: that is reported on the parameter.
        /// </summary>
        private Authorization ParseAuthorization(List<ParameterSpec> parameters)
        {
            bool authorize = HasAttribute(method, known.AuthorizeAttribute) || HasAttribute(method.ContainingType, known.AuthorizeAttribute);
            bool anonymous = HasAttribute(method, known.AllowAnonymousAttribute);
            var requiredUser = parameters.FirstOrDefault(p => p.Source == BindingSource.User && !p.IsOptional);
            if (anonymous && requiredUser is not null)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, method.Parameters.First(p => p.Name == requiredUser.Name).Locations.FirstOrDefault(),
                    requiredUser.Name, _display, "[User] on a string requires a user, but the handler has [AllowAnonymous]; declare it 'string?' to take requests without one");
            }
            return anonymous ? (authorize ? Authorization.Anonymous : Authorization.None)
                : authorize || requiredUser is not null ? Authorization.Required
                : Authorization.None;
        }

        /// <summary>The answers <c>[Produces(status, type)]</c> declares, in source order.</summary>
        private List<ProducesSpec> ParseProduces()
        {
            var produces = new List<ProducesSpec>();
            foreach (var attribute in method.GetAttributes())
            {
                if (!KnownTypes.Is(attribute.AttributeClass, known.ProducesAttribute) || attribute.ConstructorArguments.Length == 0
                    || attribute.ConstructorArguments[0].Value is not int status)
                    continue;
                var type = attribute.ConstructorArguments.Length > 1 ? attribute.ConstructorArguments[1].Value as ITypeSymbol : null;
                produces.Add(new ProducesSpec(status, type is null ? null : Json.JsonShapeParser.NameOf(type)));
            }
            return produces;
        }

        /// <summary>
        /// The class's filters, then the handler's. A class's bad filter is reported once for the class (FilterParser.Check)
        /// and leaves its handlers out silently; a handler's is reported here, on its attribute.
        /// </summary>
        private EquatableArray<FilterSpec> ParseFilters()
        {
            var filters = new List<FilterSpec>();
            var classFilters = FilterParser.Of(method.ContainingType, known, out bool brokenClass);
            var ownFilters = FilterParser.Of(method, known, out bool broken);
            foreach (var filter in classFilters)
            {
                if (filter.Spec is null)
                    _failed = true;
                else
                    filters.Add(filter.Spec);
            }
            foreach (var filter in ownFilters)
            {
                if (filter.Spec is null)
                    Report(DiagnosticDescriptors.InvalidFilter, FilterParser.LocationOf(filter.Attribute, cancellationToken), filter.Name, _display, filter.Problem!);
                else
                    filters.Add(filter.Spec);
            }
            _failed |= broken || brokenClass;
            return filters.ToEquatableArray();
        }

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
            if (method.IsAsync && method.ReturnsVoid)
                Report(DiagnosticDescriptors.AsyncVoidHandler, syntax.ReturnType.GetLocation(), _display);
            if (method.IsGenericMethod || AnyContaining(t => t.IsGenericType))
                Report(DiagnosticDescriptors.GenericHandler, name, _display);
            if (!IsCallable(method.DeclaredAccessibility))
                Report(DiagnosticDescriptors.HandlerNotAccessible, name, _display, "the method");
            else if (FirstContaining(t => !IsCallable(t.DeclaredAccessibility)) is { } type)
                Report(DiagnosticDescriptors.HandlerNotAccessible, name, _display, "its containing type " + type.Name);
            // A handler the compiler rejects is left out, silently: the compiler's error says what is wrong, and calling
            // the handler from the dispatcher would add errors there. Its declaration has errors (types only its own
            // type sees, CS0050 and CS0051; a parameter name twice, CS0100; a static type as a type argument, CS0718),
            // a syntax error lost its name, its type's or a parameter's (CS1001), or the method is declared twice
            // (CS0111, which the compiler reports on one of the two; a call to either is ambiguous).
            if (!method.CanBeReferencedByName || !CSharp.HasName(method.ContainingType) || method.Parameters.Any(p => !p.CanBeReferencedByName)
                || HasTwin() || semanticModel.GetDeclarationDiagnostics(syntax.Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error))
                _failed = true;
        }

        /// <summary>Whether the method's type declares another method of its name and parameter types.</summary>
        private bool HasTwin() => method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Any(other =>
            !SymbolEqualityComparer.Default.Equals(other, method) && other.Parameters.Length == method.Parameters.Length
            && other.Parameters.Zip(method.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)
                && (a.RefKind == RefKind.None) == (b.RefKind == RefKind.None)).All(same => same));

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

        /// <summary>
        /// One parameter: its binding attributes (<see cref="BindingSources"/>) are collected, more than one is CGI015,
        /// and the one it has, or else its type, says where its value comes from.
        /// </summary>
        private ParameterSpec ParseParameter(IParameterSymbol parameter)
        {
            var location = parameter.Locations.FirstOrDefault();
            if (LocationInfo.From(location) is { } site)
                _sites.Add(new Site(SiteKey.Parameter(_key, parameter.Name), site));
            var attributes = BindingAttributes(parameter);
            if (attributes.Count > 0)
                _bindingAttributes[parameter.Name] = attributes[0].Source.Label;

            var spec = Unbound(parameter);
            if (parameter.Type.TypeKind == TypeKind.Error)
            {
                _failed = true; // the compiler reports the unknown type; saying more would be noise
                return spec;
            }
            if (parameter.RefKind != RefKind.None)
                return spec with { Source = Unbindable(parameter, "ref, out and in parameters cannot be bound") };
            if (attributes.Count > 1)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display, Exclusive(attributes));
                return spec;
            }
            spec = attributes.Count == 0 ? BindByType(parameter, spec, spec.Key, attribute: null)
                : Bind(parameter, spec, attributes[0].Source, attributes[0].Attribute);
            return spec.Source == BindingSource.Unbindable ? spec : spec with
            {
                Validation = new ValidationParser(known, Report, cancellationToken)
                    .ForParameter(parameter, isBody: spec.Source is BindingSource.Json or BindingSource.FormObject),
            };
        }

        /// <summary>The binding attributes of <paramref name="parameter"/>, each once, in the order of <see cref="BindingSources.All"/>.</summary>
        private List<(BindingSourceEntry Source, AttributeData Attribute)> BindingAttributes(IParameterSymbol parameter)
        {
            var found = new Dictionary<BindingSourceEntry, AttributeData>();
            foreach (var attribute in parameter.GetAttributes())
            {
                if (BindingSources.All.FirstOrDefault(s => s.AttributeName is { } name && KnownTypes.Is(attribute.AttributeClass, known.Named(name))) is { } source)
                    found[source] = attribute;
            }
            return BindingSources.All.Where(found.ContainsKey).Select(s => (s, found[s])).ToList();
        }

        /// <summary>
        /// Why these binding attributes cannot go together (CGI015): the one that takes no other says so; the others
        /// are exclusive, as their labels list them.
        /// </summary>
        private static string Exclusive(List<(BindingSourceEntry Source, AttributeData Attribute)> attributes)
        {
            var alone = attributes.Where(a => a.Source.TakesNoOther is not null).ToList();
            if (attributes.Count - alone.Count <= 1)
                return alone[0].Source.TakesNoOther!;
            var labels = BindingSources.All.Where(s => s.AttributeName is not null && s.TakesNoOther is null).Select(s => s.Label).ToList();
            return string.Join(", ", labels.Take(labels.Count - 1)) + " and " + labels[labels.Count - 1] + " are exclusive; use one";
        }

        /// <summary>The parameter as it is before its source is known: unbound, its key its name.</summary>
        private ParameterSpec Unbound(IParameterSymbol parameter)
        {
            var type = parameter.Type;
            var value = SimpleType.Classify(type, known);
            bool annotated = type.IsReferenceType && parameter.NullableAnnotation == NullableAnnotation.Annotated;
            string typeName = type.ToDisplayString(LocalTypeFormat);
            if (annotated && !typeName.EndsWith("?", StringComparison.Ordinal))
                typeName += "?";
            return new ParameterSpec
            {
                Name = parameter.Name,
                Source = BindingSource.Unbindable,
                Key = parameter.Name,
                TypeName = typeName,
                Value = value,
                IsValueType = type.IsValueType,
                IsOptional = parameter.HasExplicitDefaultValue || value.IsArray || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T || annotated,
                DefaultValue = parameter.HasExplicitDefaultValue ? DefaultLiteral(parameter) : null,
                DefaultJson = parameter.HasExplicitDefaultValue ? DefaultJson(parameter.ExplicitDefaultValue, parameter.Type) : null,
            };
        }

        /// <summary>A parameter with the binding attribute <paramref name="attribute"/> of <paramref name="source"/>.</summary>
        private ParameterSpec Bind(IParameterSymbol parameter, ParameterSpec spec, BindingSourceEntry source, AttributeData attribute)
        {
            string key = source.FixedKey ?? attribute.ConstructorArguments.FirstOrDefault().Value as string ?? (source.KeyDefaultsToName ? parameter.Name : "");
            return source.Takes switch
            {
                BindingTypes.Body => BindBody(parameter, spec),
                BindingTypes.Form => BindForm(parameter, spec, key),
                BindingTypes.SimpleValueOrArray => BindByType(parameter, spec, key, source),
                _ => BindValue(parameter, spec with { Key = key }, source),
            };
        }

        /// <summary>One value of <paramref name="source"/> (<c>[Header]</c>, <c>[Cookie]</c>, <c>[User]</c>): its key and its type checked.</summary>
        private ParameterSpec BindValue(IParameterSymbol parameter, ParameterSpec spec, BindingSourceEntry source)
        {
            var location = parameter.Locations.FirstOrDefault();
            spec = spec with { Source = source.Sources[0] };
            bool taken = source.Takes == BindingTypes.String ? spec.Kind == ValueKind.String && !spec.Value.IsArray
                : spec.Kind != ValueKind.None && !spec.Value.IsArray;
            if (source.KeyName is { } keyName && !HttpToken.IsToken(spec.Key))
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display, $"'{spec.Key}' is not a valid {keyName}");
            }
            else if (!taken)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display,
                    $"{source.Label} binds {source.AcceptedTypes}, not '{parameter.Type.ToDisplayString()}'");
                if (source.UnboundWhenRejected)
                    spec = spec with { Source = BindingSource.Unbindable };
            }
            return spec;
        }

        /// <summary><c>[Body]</c>: the raw body as <c>string</c>, <c>byte[]</c> or <c>Stream</c>.</summary>
        private ParameterSpec BindBody(IParameterSymbol parameter, ParameterSpec spec)
        {
            var type = parameter.Type;
            var source = type.SpecialType == SpecialType.System_String ? BindingSource.BodyText
                : IsByteArray(type) ? BindingSource.BodyBytes
                : KnownTypes.Is(type, known.Stream) ? BindingSource.BodyStream
                : BindingSource.Unbindable;
            if (source == BindingSource.Unbindable)
                Report(DiagnosticDescriptors.UnsupportedBodyType, parameter.Locations.FirstOrDefault(), parameter.Name, _display, type.ToDisplayString());
            return spec with { Source = source };
        }

        /// <summary><c>[Form]</c>: a file, a field, or an object whose members are fields and files.</summary>
        private ParameterSpec BindForm(IParameterSymbol parameter, ParameterSpec spec, string key)
        {
            var type = parameter.Type;
            if (FormFileSource(type) is { } file)
                return spec with { Source = file, Key = key };
            if (spec.Kind != ValueKind.None)
                return spec with { Source = BindingSource.Form, Key = key };
            spec = spec with
            {
                Source = BindingSource.FormObject,
                FormMembers = FormMembers(type, parameter.Name, out string? problem),
                TypeName = type.ToDisplayString(TypeFormat),
            };
            if (problem is null)
                return spec;
            Report(DiagnosticDescriptors.InvalidBindingAttribute, parameter.Locations.FirstOrDefault(), parameter.Name, _display, problem);
            return spec with { Source = BindingSource.Unbindable };
        }

        /// <summary>
        /// A parameter without a binding attribute, or with <c>[Query]</c> (<paramref name="attribute"/>, whose key is
        /// <paramref name="queryKey"/>): a file of the form, a source its type names, the query string for a simple
        /// value, else a JSON body (or, with <c>[Query]</c>, CGI015).
        /// </summary>
        private ParameterSpec BindByType(IParameterSymbol parameter, ParameterSpec spec, string queryKey, BindingSourceEntry? attribute)
        {
            var type = parameter.Type;
            if (FormFileSource(type) is { } file)
                return spec with { Source = file };
            if (BindingSources.All.FirstOrDefault(s => s.TypeName is { } name && KnownTypes.Is(type, known.Named(name))) is { } byType)
                return spec with { Source = byType.Sources[0] };
            if (spec.Kind != ValueKind.None)
                return spec with { Source = BindingSource.Query, Key = queryKey };
            if (attribute is not null)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, parameter.Locations.FirstOrDefault(), parameter.Name, _display,
                    $"{attribute.Label} binds {attribute.AcceptedTypes}, not '{type.ToDisplayString()}'");
                return spec;
            }
            spec = spec with { TypeName = type.ToDisplayString(TypeFormat) };
            if (JsonTypeProblem(type) is { } problem)
                return spec with { Source = Unbindable(parameter, problem) };
            return spec with
            {
                Source = BindingSource.Json,
                JsonTypeName = spec.TypeName,
                // The binder [Form] would use decides, so that the hint is never one that [Form] then rejects.
                BindableAsForm = type.TypeKind == TypeKind.Class
                    && FormMembers(type, parameter.Name, out string? formProblem) is { Count: > 0 } && formProblem is null,
            };
        }

        /// <summary><see cref="BindingSource.FormFile"/> for <c>FormFile</c>, <see cref="BindingSource.FormFiles"/> for <c>FormFile[]</c>, else null.</summary>
        private BindingSource? FormFileSource(ITypeSymbol type)
            => KnownTypes.Is(type, known.FormFile) ? BindingSource.FormFile
                : type is IArrayTypeSymbol { Rank: 1 } array && KnownTypes.Is(array.ElementType, known.FormFile) ? BindingSource.FormFiles
                : null;

        /// <summary>
        /// The members of a <c>[Form]</c> type: the parameters of the constructor it is built with (its one public
        /// constructor with parameters, or else its public parameterless one), then its other public settable
        /// properties; or a problem when the type or a member cannot be bound from a form.
        /// </summary>
        private EquatableArray<FormMemberSpec> FormMembers(ITypeSymbol type, string parameterName, out string? problem)
        {
            problem = null;
            var members = new List<FormMemberSpec>();
            if (type is not INamedTypeSymbol named || named.IsAbstract || named.TypeKind is not (TypeKind.Class or TypeKind.Struct)
                || named.IsGenericType || named.SpecialType != SpecialType.None)
            {
                problem = $"[Form] binds a class or record with public properties, or a simple type, not '{type.ToDisplayString()}'";
                return default;
            }
            var constructors = named.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
            var withParameters = constructors.Where(c => c.Parameters.Length > 0).ToList();
            var constructor = withParameters.Count == 1 ? withParameters[0] : constructors.FirstOrDefault(c => c.Parameters.Length == 0);
            if (constructor is null)
            {
                problem = $"[Form] needs '{type.ToDisplayString()}' to have one public constructor with parameters, or a public parameterless one";
                return default;
            }
            var properties = named.GetMembers().OfType<IPropertySymbol>()
                .Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public).ToList();
            foreach (var ctorParameter in constructor.Parameters)
            {
                var property = properties.FirstOrDefault(p => p.Name.Equals(ctorParameter.Name, StringComparison.OrdinalIgnoreCase));
                string field = FormFieldName(ctorParameter) ?? (property is null ? null : FormFieldName(property)) ?? ctorParameter.Name;
                bool optional = ctorParameter.HasExplicitDefaultValue || ctorParameter.NullableAnnotation == NullableAnnotation.Annotated;
                if (FormMember(ctorParameter.Type, parameterName, property?.Name ?? ctorParameter.Name, field, optional,
                        ctorParameter.HasExplicitDefaultValue ? DefaultLiteral(ctorParameter) : null, viaConstructor: true, initOnly: false,
                        ctorParameter.HasExplicitDefaultValue ? DefaultJson(ctorParameter.ExplicitDefaultValue, ctorParameter.Type) : null) is not { } member)
                {
                    problem = FormMemberProblem(type, ctorParameter.Name, ctorParameter.Type);
                    return default;
                }
                members.Add(member);
            }
            foreach (var property in properties)
            {
                if (property.SetMethod is not { DeclaredAccessibility: Accessibility.Public } setter
                    || constructor.Parameters.Any(p => p.Name.Equals(property.Name, StringComparison.OrdinalIgnoreCase)))
                    continue;
                bool optional = !property.IsRequired && !(property.Type.IsReferenceType && property.NullableAnnotation == NullableAnnotation.NotAnnotated);
                if (FormMember(property.Type, parameterName, property.Name, FormFieldName(property) ?? property.Name, optional, null,
                        viaConstructor: false, initOnly: setter.IsInitOnly) is not { } member)
                {
                    problem = FormMemberProblem(type, property.Name, property.Type);
                    return default;
                }
                members.Add(member);
            }
            return members.ToEquatableArray();
        }

        private static string FormMemberProblem(ITypeSymbol type, string member, ITypeSymbol memberType)
            => $"[Form] binds properties of strings, simple types such as int, arrays of them, FormFile and FormFile[]; '{type.Name}.{member}' is '{memberType.ToDisplayString()}'";

        private string? FormFieldName(ISymbol symbol)
            => symbol.GetAttributes().FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, known.Named(BindingSources.Form.AttributeName!)))?.ConstructorArguments.FirstOrDefault().Value as string;

        /// <summary>One member's binding, or null when its type cannot come from a form.</summary>
        private FormMemberSpec? FormMember(ITypeSymbol type, string parameterName, string memberName, string field, bool optional,
            string? defaultValue, bool viaConstructor, bool initOnly, string? defaultJson = null)
        {
            var value = SimpleType.Classify(type, known);
            var source = FormFileSource(type) ?? (value.Kind != ValueKind.None ? BindingSource.Form : (BindingSource?)null);
            if (source is null)
                return null;
            string typeName = type.ToDisplayString(LocalTypeFormat);
            bool nullableReference = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated;
            if (nullableReference && !typeName.EndsWith("?", StringComparison.Ordinal))
                typeName += "?";
            return new FormMemberSpec
            {
                Binding = new ParameterSpec
                {
                    Name = parameterName + "_" + memberName,
                    Source = source.Value,
                    Key = field,
                    TypeName = typeName,
                    Value = value,
                    IsValueType = type.IsValueType,
                    // A checkbox that is not ticked sends nothing: an absent bool is false.
                    IsOptional = optional || nullableReference || value.IsArray || value.IsNullableValue || value.Kind == ValueKind.Boolean
                        || source == BindingSource.FormFiles,
                    DefaultValue = defaultValue,
                    DefaultJson = defaultJson,
                },
                MemberName = memberName,
                ViaConstructor = viaConstructor,
                InitOnly = initOnly,
            };
        }

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
            => symbol.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, attributeType));

        private static bool IsByteArray(ITypeSymbol type) => type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 };

        private BindingSource Unbindable(IParameterSymbol parameter, string reason)
        {
            _unbindableReasons[parameter.Name] = reason;
            return BindingSource.Unbindable;
        }

        /// <summary>Why a parameter cannot be bound, until the first route that needs it reports it.</summary>
        private readonly Dictionary<string, string> _unbindableReasons = [];

        /// <summary>The label of the binding attribute a parameter carries (the first, if it has several), by parameter name.</summary>
        private readonly Dictionary<string, string> _bindingAttributes = [];

        /// <summary>Reports once that <paramref name="name"/> cannot be bound, if it cannot.</summary>
        private void ReportUnbindable(string name, Location? location, string context)
        {
            if (_unbindableReasons.TryGetValue(name, out string? reason))
            {
                Report(DiagnosticDescriptors.UnbindableParameter, location, name, _display, reason + context);
                _unbindableReasons.Remove(name);
            }
        }

        /// <summary>Why <paramref name="type"/> cannot be JSON, or null when it can.</summary>
        private string? JsonTypeProblem(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol => "a type parameter cannot be JSON",
            IPointerTypeSymbol or IFunctionPointerTypeSymbol => "pointers cannot be bound",
            IDynamicTypeSymbol => "dynamic cannot be JSON under Native AOT",
            { SpecialType: SpecialType.System_Object } => "object cannot be read as JSON without knowing its type",
            { TypeKind: TypeKind.Delegate } => "delegates cannot be bound",
            { TypeKind: TypeKind.Interface } => "an interface cannot be read as JSON; use a concrete type",
            INamedTypeSymbol { IsAbstract: true, TypeKind: TypeKind.Class } => "an abstract class cannot be read as JSON; use a concrete type",
            _ when KnownTypes.Is(type, known.Stream) => "a Stream binds the raw body only with [Body]",
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

        private ReturnSpec? ParseReturn()
        {
            var location = syntax.ReturnType.GetLocation();
            if (LocationInfo.From(location) is { } site)
                _sites.Add(new Site(SiteKey.Return(_key), site));
            var type = method.ReturnType;
            if (type.TypeKind == TypeKind.Error || (type is INamedTypeSymbol { TypeArguments: var arguments } && arguments.Any(a => a.TypeKind == TypeKind.Error)))
            {
                _failed = true; // the compiler reports the unknown type
                return null;
            }
            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
                return Unsupported("ref returns cannot be sent");
            var async = AsyncKind.None;
            if (KnownTypes.Is(type, known.Task) || KnownTypes.Is(type, known.ValueTask))
                return Returns(ReturnKind.NoContent, KnownTypes.Is(type, known.Task) ? AsyncKind.Task : AsyncKind.ValueTask);
            if (type is INamedTypeSymbol { TypeArguments.Length: 1 } task && (KnownTypes.Is(type, known.TaskOfT) || KnownTypes.Is(type, known.ValueTaskOfT)))
            {
                async = KnownTypes.Is(type, known.TaskOfT) ? AsyncKind.Task : AsyncKind.ValueTask;
                type = task.TypeArguments[0];
            }
            if (type.SpecialType == SpecialType.System_Void)
                return Returns(ReturnKind.NoContent, async);
            bool nullable = type.NullableAnnotation == NullableAnnotation.Annotated || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
            if (type.SpecialType == SpecialType.System_String)
                return Returns(ReturnKind.Text, async) with { IsNullable = nullable };
            if (IsByteArray(type))
                return Returns(ReturnKind.Bytes, async) with { IsNullable = nullable };
            if (KnownTypes.Is(type, known.Response))
                return Returns(ReturnKind.Response, async);
            if (KnownTypes.Is(type, known.Task) || KnownTypes.Is(type, known.ValueTask) || KnownTypes.Is(type, known.TaskOfT) || KnownTypes.Is(type, known.ValueTaskOfT))
                return Unsupported("a task of a task cannot be sent; await the inner task");
            if (type is INamedTypeSymbol { TypeArguments.Length: 1 } sequence && KnownTypes.Is(type, known.AsyncEnumerableOfT))
            {
                if (async != AsyncKind.None)
                    return Unsupported("a task of a stream cannot be sent; return the IAsyncEnumerable<T> itself (an async iterator)");
                var item = sequence.TypeArguments[0];
                if (JsonTypeProblem(item) is { } itemProblem)
                    return Unsupported(itemProblem + "; a streamed item is written as JSON, so it must be a type of the app's JsonSerializerContext");
                var itemType = item.IsReferenceType ? item.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : item;
                return Returns(ReturnKind.JsonStream, async) with { JsonTypeName = itemType.ToDisplayString(TypeFormat) };
            }
            if (JsonTypeProblem(type) is { } problem)
                return Unsupported(problem + "; return string, byte[], Response, or a type of the app's JsonSerializerContext");
            var jsonType = type.IsReferenceType ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : type;
            return Returns(ReturnKind.Json, async) with { JsonTypeName = jsonType.ToDisplayString(TypeFormat), IsNullable = nullable };

            static ReturnSpec Returns(ReturnKind kind, AsyncKind async) => new() { Kind = kind, Async = async };

            ReturnSpec? Unsupported(string reason)
            {
                Report(DiagnosticDescriptors.UnsupportedReturnType, location, _display, method.ReturnType.ToDisplayString(), reason);
                return null;
            }
        }

        /// <summary>
        /// The C# expression of a parameter's default value, typed by the local it initialises: a literal of the
        /// parameter's type, an enum member, or <c>default</c>.
        /// </summary>
        private static string DefaultLiteral(IParameterSymbol parameter)
        {
            object? value = parameter.ExplicitDefaultValue;
            var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n
                ? n.TypeArguments[0] : parameter.Type;
            if (value is null)
                return "default";
            if (type.TypeKind == TypeKind.Enum)
            {
                string typeName = type.ToDisplayString(TypeFormat);
                var member = type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
                return member is not null ? typeName + "." + CSharp.Escape(member.Name)
                    : $"({typeName})({CSharp.Primitive(value)})";
            }
            return value switch
            {
                string s => CSharp.Literal(s),
                char c => CSharp.Literal(c),
                bool b => b ? "true" : "false",
                float f when float.IsNaN(f) || float.IsInfinity(f) => "float." + (float.IsNaN(f) ? "NaN" : f > 0 ? "PositiveInfinity" : "NegativeInfinity"),
                double d when double.IsNaN(d) || double.IsInfinity(d) => "double." + (double.IsNaN(d) ? "NaN" : d > 0 ? "PositiveInfinity" : "NegativeInfinity"),
                float f => f.ToString("R", CultureInfo.InvariantCulture) + "F",
                double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
                decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
                // An integer literal converts implicitly to the local's integer type (a constant in range).
                _ => CSharp.Primitive(value),
            };
        }
    }

    /// <summary>A parameter's default value as a JSON literal (an enum's as its member's name), or null for none or null.</summary>
    private static string? DefaultJson(object? value, ITypeSymbol type)
    {
        if (value is null)
            return null;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            type = nullable.TypeArguments[0];
        if (type.TypeKind == TypeKind.Enum)
        {
            var member = type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
            return member is null ? null : "\"" + Json.JsonNaming.Escape(member.Name) + "\"";
        }
        return value switch
        {
            string text => "\"" + Json.JsonNaming.Escape(text) + "\"",
            char c => "\"" + Json.JsonNaming.Escape(c.ToString()) + "\"",
            bool b => b ? "true" : "false",
            float f when float.IsNaN(f) || float.IsInfinity(f) => null,
            double d when double.IsNaN(d) || double.IsInfinity(d) => null,
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
