using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>
/// Turns one annotated method into a <see cref="HandlerResult"/>: the handler model, and the diagnostics that
/// the method alone shows (template syntax, binding, signature). Route-table checks come later. This file parses the
/// handler as a whole (signature, authorization, <c>[Produces]</c>, filters); its parts, one concept a file:
/// <c>HandlerParser.Routes.cs</c> (templates, and the check that they bind), <c>HandlerParser.Parameters.cs</c> (where
/// each parameter's value comes from), <c>HandlerParser.Forms.cs</c> (the members of a <c>[Form]</c> type) and
/// <c>HandlerParser.Returns.cs</c> (how the result becomes a response).
/// </summary>
internal static partial class HandlerParser
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

    private sealed partial class Parser(IMethodSymbol method, MethodDeclarationSyntax syntax, KnownTypes known, SemanticModel semanticModel,
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
            bool excluded = HasAttribute(method, known.ExcludeFromDescriptionAttribute) || HasAttribute(method.ContainingType, known.ExcludeFromDescriptionAttribute);
            if (ret is { Kind: ReturnKind.Response } && produces.Count == 0 && !excluded)
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
                    : new HandlerDescription(_key, Documentation.Parse(method, syntax, cancellationToken), produces.ToEquatableArray()) { Excluded = excluded },
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
                string? contentType = null;
                foreach (var named in attribute.NamedArguments)
                {
                    if (named.Key == "ContentType" && named.Value.Value is string { Length: > 0 } text)
                        contentType = text;
                }
                produces.Add(new ProducesSpec(status, type is null ? null : Json.JsonShapeParser.NameOf(type)) { ContentType = contentType });
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

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
            => symbol.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, attributeType));

        private static bool IsByteArray(ITypeSymbol type) => type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 };

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
    }
}
