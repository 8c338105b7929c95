using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>
/// Every diagnostic the CgiRouting generator reports. IDs are hand-assigned and never reused; each has a section
/// in docs/diagnostics.md. None has a help link: the project has no published web site, and the repository address
/// the links used (https://github.com/cgirouting/cgirouting) does not exist, so a link would lead nowhere (issue 25).
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "CgiRouting";

    public static readonly DiagnosticDescriptor InternalError = new("CGI000",
        "CgiRouting generator internal error",
        "The CgiRouting generator failed on '{0}': {1}. Please report this with the handler that triggers it.", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidTemplate = new("CGI001",
        "Route template is malformed",
        "Route template '{0}' is malformed: {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnboundTemplateParameter = new("CGI002",
        "Route parameter has no handler parameter",
        "Route template '{0}' has the parameter '<{1}>', but {2} has no parameter named '{1}'{3}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnparsablePathParameter = new("CGI003",
        "Type cannot be parsed from a path segment",
        "Parameter '{0}' of {1} is bound to the path by template '{2}', but its type '{3}' cannot be parsed from a path segment ({4})", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnbindableParameter = new("CGI004",
        "Parameter cannot be bound",
        "Parameter '{0}' of {1} cannot be bound: {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MultipleBodyParameters = new("CGI005",
        "More than one parameter reads the body",
        "{0} has more than one parameter that reads the request body ('{1}' and '{2}'); a request has one body", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedBodyType = new("CGI006",
        "[Body] on an unsupported type",
        "Parameter '{0}' of {1} has [Body], which binds string, byte[] or Stream, but its type is '{2}'; drop [Body] to read it as JSON", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HandlerNotStatic = new("CGI007",
        "Handler is not static",
        "Handler {0} must be static: CgiRouting creates no instances", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HandlerNotAccessible = new("CGI008",
        "Handler is not accessible",
        "Handler {0} cannot be called by the generated dispatcher: {1} must be public or internal", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericHandler = new("CGI009",
        "Handler is generic",
        "Handler {0} is generic or declared in a generic type; the dispatcher cannot choose its type arguments", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new("CGI010",
        "Unsupported return type",
        "Handler {0} returns '{1}', which CgiRouting cannot send: {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingJsonContext = new("CGI011",
        "No JsonSerializerContext declares the type",
        "{0} of {1} is JSON of type '{2}', but no JsonSerializerContext in this project declares [JsonSerializable(typeof({3}))]{4}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RouteConflict = new("CGI012",
        "Routes conflict",
        "{0} {1} ({2}) conflicts with {0} {3} ({4}): both match '{5}' with equal precedence; make one route more specific (a literal segment, or a parameter of another type) or give it another method", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidHttpMethod = new("CGI013",
        "HTTP method is not valid",
        "'{0}' is not a valid HTTP method: it must be a non-empty token such as GET or PROPFIND", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CatchAllNotString = new("CGI014",
        "Catch-all parameter is not a string",
        "Catch-all parameter '<{0}...>' of template '{1}' binds the rest of the path, so parameter '{0}' of {2} must be a string, not '{3}'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidBindingAttribute = new("CGI015",
        "Binding attribute is not valid here",
        "Parameter '{0}' of {1}: {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BodyOnGet = new("CGI016",
        "GET or HEAD route reads the request body",
        "{0} {1} reads the request body into parameter '{2}', but clients, caches and proxies do not send or keep a body on {0}; use POST, or bind the value from the query string", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PercentEncodedLiteral = new("CGI017",
        "Literal segment contains percent-encoding",
        "Segment '{0}' of template '{1}' contains '{2}', but web servers decode PATH_INFO before the app sees it, so a request for '{2}' never matches; write the decoded character instead", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnmatchableParameter = new("CGI018",
        "Route can never match",
        "Route {0} can never match: parameter '{1}' is the enum '{2}', which has no members", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor AsyncVoidHandler = new("CGI019",
        "Handler is async void",
        "Handler {0} is 'async void': the dispatcher cannot wait for it, so the response is sent before its work is done and its exceptions are lost; return Task (or Task<T>) instead", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidRoutePrefix = new("CGI020",
        "Route prefix is malformed",
        "Route prefix '{0}' of {1} is malformed: {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UndeclaredResponse = new("CGI021",
        "Handler returning Response declares no answers",
        "Handler {0} returns Response, whose status and body the OpenAPI document cannot see; declare each answer it can give with [Produces], for example [Produces(200, typeof(Item))] for a JSON body and [Produces(404)] for none", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedValidation = new("CGI025",
        "Validation cannot be generated",
        "{0} cannot be checked by the generated dispatcher: {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ValidationNotApplicable = new("CGI026",
        "Validation attribute does not apply to the type",
        "{0} on '{1}' does not apply to its type '{2}': {3}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidFilter = new("CGI027",
        "Filter method is not valid",
        "Filter '{0}' of {1} cannot be called by the dispatcher: {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidSandbox = new("CGI028",
        "Sandbox policy is malformed",
        "[assembly: Sandbox]'s {0} has {1}, which the sandbox cannot apply: {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
