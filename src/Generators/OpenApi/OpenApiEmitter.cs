using System;
using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Json;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace CgiRouting.Generators.OpenApi;

/// <summary>
/// Writes the app's OpenAPI 3.1 document from the checked route table: paths and operations from the routes,
/// parameters and request bodies from the bindings, responses from the return types and <c>[Produces]</c>, texts from
/// the XML documentation, and schemas from the JSON shapes the generated JSON writers are proven against (so a schema
/// says what System.Text.Json writes: its names, omissions and the context's naming policy). The document is a
/// constant in the binary (<c>CgiOpenApi.Document</c>), which <c>app --openapi</c> prints.
/// </summary>
internal sealed class OpenApiEmitter
{
    /// <summary>The name of the generated source file.</summary>
    public const string HintName = "CgiOpenApi.g.cs";

    /// <summary>The generated class whose <c>Document</c> the dispatcher's route table carries.</summary>
    public const string ClassName = "global::CgiRouting.Generated.CgiOpenApi";

    /// <summary>The methods OpenAPI 3.1 has operations for; routes of other methods are left out.</summary>
    private static readonly string[] Methods = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

    private const string SecurityScheme = "basic";

    private readonly RouteTableSpec _table;
    private readonly Dictionary<string, JsonContextSpec> _contexts;
    private readonly Dictionary<string, string> _bindings;
    private readonly JsonObject _schemas = new();
    private readonly JsonObject _responses = new();
    private readonly Dictionary<string, string> _schemaNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _operationIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _clashingMethodNames;

    /// <summary>The validated members of JSON body types, by <c>"type member"</c>: see <see cref="CollectMemberValidation"/>.</summary>
    private readonly Dictionary<string, ValidationTargetSpec> _memberValidation = new(StringComparer.Ordinal);
    private bool _secured;

    private readonly Dictionary<string, HandlerDescription> _descriptions;

    private OpenApiEmitter(RouteTableSpec table, IEnumerable<HandlerDescription> descriptions)
    {
        _table = table;
        _descriptions = descriptions.GroupBy(d => d.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _contexts = table.JsonContexts.GroupBy(c => c.TypeName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _bindings = table.JsonTypes.ToDictionary(j => j.TypeName, j => j.ContextTypeName, StringComparer.Ordinal);
        _clashingMethodNames = new HashSet<string>(table.Routes.Select(r => r.Handler).GroupBy(h => h.Key).Select(g => g.First())
            .GroupBy(h => h.MethodName, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key), StringComparer.Ordinal);
        _schemaNames[" ProblemDetails"] = "ProblemDetails"; // reserved for the framework's error answers
        foreach (var parameter in table.Routes.SelectMany(r => r.Handler.Parameters))
        {
            if (parameter is { Source: BindingSource.Json, JsonTypeName: { } type, Validation: { } validation } && ContextOf(type) is { } context)
                CollectMemberValidation(type, validation, context, new HashSet<string>(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// Records the rules of <paramref name="target"/>'s members as rules of <paramref name="typeName"/>'s members, and
    /// those of the objects they hold. The parser reads a member's rules from the member's attributes, so they are the same
    /// wherever the type is used: its one component schema shows them, in a request body and in a response alike.
    /// </summary>
    private void CollectMemberValidation(string typeName, ValidationTargetSpec target, string contextName, HashSet<string> enclosing)
    {
        var shape = ShapeOf(typeName, contextName);
        if (shape?.Kind == JsonShapeKind.Nullable)
            shape = ShapeOf(shape.ElementTypeName!, contextName);
        if (shape is not { Kind: JsonShapeKind.Object } || !enclosing.Add(shape.TypeName))
            return;
        foreach (var member in target.Members)
        {
            _memberValidation[shape.TypeName + " " + member.MemberName] = member;
            if (shape.Properties.FirstOrDefault(p => p.MemberName == member.MemberName) is { } property && member.Members.Count > 0)
                CollectMemberValidation(property.TypeName, member, contextName, enclosing);
        }
        enclosing.Remove(shape.TypeName);
    }

    /// <summary>The document of <paramref name="table"/>, as compact JSON.</summary>
    public static string Document(RouteTableSpec table, IEnumerable<HandlerDescription> descriptions, AppSpec app) =>
        new OpenApiEmitter(table, descriptions).Build(app).ToString();

    private HandlerDescription DescriptionOf(HandlerSpec handler) =>
        _descriptions.TryGetValue(handler.Key, out var description) ? description
            : new HandlerDescription(handler.Key, DocumentationSpec.None, default);

    /// <summary>The C# file that holds <paramref name="document"/> as UTF-8 data.</summary>
    public static string Source(string document)
    {
        var w = new SourceWriter();
        w.Line("// <auto-generated/>");
        w.Line("#nullable enable");
        w.Line();
        w.Open("namespace CgiRouting.Generated");
        w.Line("/// <summary>The app's OpenAPI 3.1 document, written by the CgiRouting generator at build time.</summary>");
        w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"CgiRouting.Generators\", \"{DispatcherEmitter.Version}\")]");
        w.Open("internal static class CgiOpenApi");
        w.Line("/// <summary>The document as UTF-8 JSON: data in the binary, read only by <c>--openapi</c>.</summary>");
        w.Line($"public static global::System.ReadOnlySpan<byte> Document => {SymbolDisplay.FormatLiteral(document, quote: true)}u8;");
        w.Close();
        w.Close();
        return w.ToString();
    }

    private JsonObject Build(AppSpec app)
    {
        var paths = new Dictionary<string, PathItem>(StringComparer.Ordinal);
        foreach (var route in _table.Routes)
        {
            if (Array.IndexOf(Methods, route.Route.Method) < 0)
                continue;
            string shape = "/" + string.Join("/", route.Route.Segments.Select(s => s.Kind == SegmentKind.Literal ? s.Text : "{}"));
            if (!paths.TryGetValue(shape, out var item))
                paths[shape] = item = new PathItem(route);
            string method = route.Route.Method.ToLowerInvariant();
            if (item.Operations.TryGetValue(method, out var existing))
            {
                // Types tell these routes apart (/n/<id> as int, /n/<name> as string); OpenAPI has one operation a path.
                existing.Alternatives.Add(route);
                continue;
            }
            item.Operations[method] = new OperationItem(route);
        }

        var document = new JsonObject()
            .Add("openapi", "3.1.0")
            .Add("info", new JsonObject().Add("title", app.Name).Add("version", app.Version))
            // Where the app is served is the web server's choice (SCRIPT_NAME): paths are relative to it.
            .Add("servers", new JsonArray { new JsonObject().Add("url", "/").Add("description", "Where the web server runs the app: the paths follow its URL.") })
            // No security unless an operation says so ([Authorize]): the web server authenticates, the app checks REMOTE_USER.
            .Add("security", new JsonArray());
        var pathsObject = document.Object("paths");
        foreach (var item in paths.Values.OrderBy(p => p.Path, StringComparer.Ordinal))
        {
            var pathObject = pathsObject.Object(item.Path);
            foreach (var operation in item.Operations.OrderBy(o => RouteTable.MethodOrder(o.Key.ToUpperInvariant())))
                pathObject.Add(operation.Key, Operation(operation.Value, item));
        }
        var components = new JsonObject();
        if (_schemas.Count > 0)
            components.Add("schemas", _schemas);
        if (_responses.Count > 0)
            components.Add("responses", _responses);
        if (_secured)
        {
            components.Object("securitySchemes").Add(SecurityScheme, new JsonObject()
                .Add("type", "http")
                .Add("scheme", "basic")
                .Add("description", "The web server authenticates the request (Basic, or another scheme it is set up for) and passes the user's name in REMOTE_USER."));
        }
        if (components.Count > 0)
            document.Add("components", components);
        return document;
    }

    private sealed class PathItem(RouteEntry first)
    {
        /// <summary>The path, with the parameter names of the first route of its shape.</summary>
        public string Path { get; } = "/" + string.Join("/", first.Route.Segments.Select(s => s.Kind == SegmentKind.Literal ? s.Text : "{" + s.Text + "}"));

        public EquatableArray<RouteSegment> Segments { get; } = first.Route.Segments;

        public Dictionary<string, OperationItem> Operations { get; } = new(StringComparer.Ordinal);
    }

    private sealed class OperationItem(RouteEntry route)
    {
        public RouteEntry Route { get; } = route;

        public List<RouteEntry> Alternatives { get; } = [];
    }

    private JsonObject Operation(OperationItem operation, PathItem item)
    {
        var route = operation.Route;
        var handler = route.Handler;
        var docs = DescriptionOf(handler).Documentation;
        var result = new JsonObject();
        result.Add("operationId", OperationId(handler));
        result.Add("summary", docs.Summary ?? handler.DisplayName);
        var description = new List<string>();
        if (docs.Remarks is { } remarks)
            description.Add(remarks);
        foreach (var alternative in operation.Alternatives)
            description.Add($"Where the path's segments do not parse as this operation's parameters, `{alternative.Route.Method} {alternative.Route.Template}` ({alternative.Handler.DisplayName}) answers.");
        if (description.Count > 0)
            result.Add("description", string.Join("\n\n", description));

        // Parameters: the path's, in template order (named as the path item names them), then query, header and cookie.
        var parameters = new JsonArray();
        var inPath = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < route.Route.Segments.Count; i++)
        {
            var segment = route.Route.Segments[i];
            if (segment.Kind == SegmentKind.Literal)
                continue;
            inPath.Add(segment.Text);
            var parameter = RouteTable.Parameter(route, segment);
            var p = new JsonObject().Add("name", item.Segments[i].Text).Add("in", "path").Add("required", true);
            string? text = ParameterText(handler, segment.Text);
            if (segment.Kind == SegmentKind.CatchAll)
                text = (text is null ? "" : text + " ") + "The rest of the path: one segment or more, `/` included.";
            p.Add("description", text);
            p.Add("schema", ValidationKeywords.Apply(parameter is null || segment.Kind == SegmentKind.CatchAll ? new JsonObject().Add("type", "string") : SimpleSchema(parameter.Value),
                parameter?.Validation));
            parameters.Add(p);
        }
        bool binds = false, readsBody = false, checksType = false;
        JsonObject? body = null;
        var formFields = new List<(ParameterSpec Binding, string? Text, ValidationTargetSpec? Validation)>();
        foreach (var parameter in handler.Parameters)
        {
            if (inPath.Contains(parameter.Name))
                continue;
            string? location = parameter.Source switch
            {
                BindingSource.Query => "query",
                BindingSource.Header => "header",
                BindingSource.Cookie => "cookie",
                _ => null,
            };
            if (location is not null)
            {
                binds = true;
                var schema = ValidationKeywords.Apply(SimpleSchema(parameter.Value), parameter.Validation);
                if (parameter.DefaultJson is { } defaultValue)
                    schema.Add("default", new RawJson(defaultValue));
                parameters.Add(new JsonObject()
                    .Add("name", parameter.Key)
                    .Add("in", location)
                    .Add("required", !parameter.IsOptional || ValidationKeywords.IsRequired(parameter.Validation))
                    .Add("description", ParameterText(handler, parameter.Name))
                    .Add("schema", schema));
                continue;
            }
            switch (parameter.Source)
            {
                case BindingSource.Json:
                    (binds, readsBody, checksType) = (true, true, true);
                    body = new JsonObject()
                        .Add("description", ParameterText(handler, parameter.Name))
                        .Add("required", !parameter.IsOptional || ValidationKeywords.IsRequired(parameter.Validation))
                        .Add("content", new JsonObject().Add("application/json", new JsonObject().Add("schema",
                            ValidationKeywords.Apply(JsonSchema(parameter.JsonTypeName!, null), parameter.Validation))));
                    break;
                case BindingSource.BodyText or BindingSource.BodyBytes or BindingSource.BodyStream:
                    (binds, readsBody) = (true, true);
                    body = new JsonObject()
                        .Add("description", ParameterText(handler, parameter.Name))
                        .Add("required", true)
                        .Add("content", new JsonObject().Add(parameter.Source == BindingSource.BodyText ? "text/plain" : "application/octet-stream",
                            new JsonObject().Add("schema", parameter.Source == BindingSource.BodyText
                                ? new JsonObject().Add("type", "string")
                                : new JsonObject().Add("type", "string").Add("contentMediaType", "application/octet-stream"))));
                    break;
                case BindingSource.Form or BindingSource.FormFile or BindingSource.FormFiles:
                    (binds, readsBody, checksType) = (true, true, true);
                    formFields.Add((parameter, ParameterText(handler, parameter.Name), parameter.Validation));
                    break;
                case BindingSource.FormObject:
                    (binds, readsBody, checksType) = (true, true, true);
                    foreach (var member in parameter.FormMembers)
                        formFields.Add((member.Binding, null, parameter.Validation?.Members.FirstOrDefault(m => m.MemberName == member.MemberName)));
                    break;
            }
        }
        if (parameters.Count > 0)
            result.Add("parameters", parameters);
        if (formFields.Count > 0)
            body = FormBody(formFields);
        if (body is not null)
            result.Add("requestBody", body);

        bool typedPath = route.Route.Segments.Any(s => s.Kind == SegmentKind.Parameter && RouteTable.Parameter(route, s) is { Kind: not ValueKind.String });
        bool crossOriginChecked = !handler.AllowCrossOrigin && route.Route.Method is not ("GET" or "HEAD" or "OPTIONS");
        result.Add("responses", Responses(handler, binds, readsBody, checksType, typedPath, crossOriginChecked));
        if (handler.Authorization == Authorization.Required)
        {
            _secured = true;
            result.Add("security", new JsonArray { new JsonObject().Add(SecurityScheme, new JsonArray()) });
        }
        return result;
    }

    /// <summary>The operation's ID: the handler's name, with its class when another handler has the same name, unique in the document.</summary>
    private string OperationId(HandlerSpec handler)
    {
        string name = _clashingMethodNames.Contains(handler.MethodName)
            ? RouteTable.Shorten(handler.ContainingType).Split('.').Last() + "_" + handler.MethodName
            : handler.MethodName;
        string id = name;
        for (int i = 2; !_operationIds.Add(id); i++)
            id = name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return id;
    }

    private string? ParameterText(HandlerSpec handler, string name) =>
        DescriptionOf(handler).Documentation.Parameters.FirstOrDefault(p => p.Name == name)?.Text;

    /// <summary>A form body: <c>application/x-www-form-urlencoded</c> and <c>multipart/form-data</c>, or only the second when it has files.</summary>
    private static JsonObject FormBody(List<(ParameterSpec Binding, string? Text, ValidationTargetSpec? Validation)> fields)
    {
        var schema = new JsonObject().Add("type", "object");
        var properties = schema.Object("properties");
        var required = new JsonArray();
        bool files = false;
        foreach (var (binding, text, validation) in fields)
        {
            JsonObject property;
            if (binding.Source is BindingSource.FormFile or BindingSource.FormFiles)
            {
                files = true;
                var file = new JsonObject().Add("type", "string").Add("contentMediaType", "application/octet-stream");
                property = binding.Source == BindingSource.FormFiles ? new JsonObject().Add("type", "array").Add("items", file) : file;
            }
            else
            {
                property = ValidationKeywords.Apply(SimpleSchema(binding.Value), validation);
                if (binding.DefaultJson is { } defaultValue)
                    property.Add("default", new RawJson(defaultValue));
            }
            property.Add("description", text);
            properties.Add(binding.Key, property);
            if (!binding.IsOptional || ValidationKeywords.IsRequired(validation))
                required.Add(binding.Key);
        }
        if (required.Count > 0)
            schema.Add("required", required);
        var content = new JsonObject();
        if (!files)
            content.Add("application/x-www-form-urlencoded", new JsonObject().Add("schema", schema));
        content.Add("multipart/form-data", new JsonObject().Add("schema", schema));
        return new JsonObject().Add("required", true).Add("content", content);
    }

    private JsonObject Responses(HandlerSpec handler, bool binds, bool readsBody, bool checksType, bool typedPath, bool crossOriginChecked)
    {
        var description = DescriptionOf(handler);
        var docs = description.Documentation;
        var responses = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        string Describe(int status, string? fallback = null) =>
            docs.Responses.FirstOrDefault(r => r.Name == Status(status))?.Text ?? fallback ?? HttpStatus.ReasonPhrase(status);
        void Add(int status, JsonObject response) => responses[Status(status)] = response;
        JsonObject Content(string mediaType, JsonObject schema) => new JsonObject().Add(mediaType, new JsonObject().Add("schema", schema));

        var ret = handler.Return;
        switch (ret.Kind)
        {
            case ReturnKind.NoContent:
                Add(204, new JsonObject().Add("description", Describe(204, docs.Returns)));
                break;
            case ReturnKind.Text:
                Add(200, new JsonObject().Add("description", Describe(200, docs.Returns)).Add("content", Content("text/plain", new JsonObject().Add("type", "string"))));
                break;
            case ReturnKind.Bytes:
                Add(200, new JsonObject().Add("description", Describe(200, docs.Returns)).Add("content",
                    Content("application/octet-stream", new JsonObject().Add("type", "string").Add("contentMediaType", "application/octet-stream"))));
                break;
            case ReturnKind.Json:
                Add(200, new JsonObject().Add("description", Describe(200, docs.Returns)).Add("content", Content("application/json", JsonSchema(ret.JsonTypeName!, null))));
                break;
            case ReturnKind.JsonStream:
                var stream = new JsonObject()
                    .Add("application/x-ndjson", new JsonObject().Add("schema", JsonSchema(ret.JsonTypeName!, null)))
                    .Add("text/event-stream", new JsonObject().Add("schema", new JsonObject().Add("type", "string")
                        .Add("description", "Each item as one `data:` event, when `Accept` asks for server-sent events.")));
                Add(200, new JsonObject().Add("description", Describe(200, docs.Returns ?? "The items, each written as it is produced: one JSON value a line.")).Add("content", stream));
                break;
        }
        // What [Produces] declares: every answer of a Response handler; more answers of another (a CgiRequestException's 409).
        foreach (var produces in description.Produces.Where(p => p.Status is >= 100 and <= 599)) // others are no HTTP status
        {
            if (responses.ContainsKey(Status(produces.Status)))
                continue;
            var response = new JsonObject().Add("description", Describe(produces.Status, produces.Status is >= 200 and < 300 ? docs.Returns : null));
            if (produces.JsonTypeName is { } type)
                response.Add("content", Content("application/json", JsonSchema(type, null)));
            Add(produces.Status, response);
        }
        if ((ret.IsNullable && ret.Kind is ReturnKind.Text or ReturnKind.Bytes or ReturnKind.Json) || typedPath)
            AddShared(404, "Nothing here: the handler's result is null, or a path segment does not parse as its parameter's type.");
        if (binds)
            AddShared(400, "A parameter or the body is missing or cannot be read.");
        if (crossOriginChecked)
            AddShared(403, "The browser says another site sent the request (Sec-Fetch-Site, or an Origin that is not the request's host).");
        if (handler.Authorization == Authorization.Required)
            AddShared(401, "The web server did not authenticate the request (no REMOTE_USER).");
        if (readsBody)
            AddShared(413, "The body is larger than the app allows.");
        if (checksType)
            AddShared(415, "The body's Content-Type is not one this operation reads.");
        foreach (var documented in docs.Responses)
        {
            if (!responses.ContainsKey(documented.Name) && int.TryParse(documented.Name, out int status) && status is >= 100 and <= 599)
                Add(status, new JsonObject().Add("description", documented.Text));
        }
        var result = new JsonObject();
        foreach (var pair in responses)
            result.Add(pair.Key, pair.Value);
        return result;

        void AddShared(int status, string description)
        {
            if (responses.ContainsKey(Status(status)))
                return;
            var shared = SharedResponse(status, description);
            Add(status, docs.Responses.Any(r => r.Name == Status(status))
                ? new JsonObject().Add("description", Describe(status)).Add("content", shared["content"])
                : new JsonObject().Add("$ref", "#/components/responses/" + SharedName(status)));
        }
    }

    private static string Status(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string SharedName(int status) => HttpStatus.ReasonPhrase(status).Replace(" ", "");

    /// <summary>
    /// The framework's own answer for <paramref name="status"/>, in components/responses: plain text, or problem details
    /// when the request's <c>Accept</c> prefers JSON.
    /// </summary>
    private JsonObject SharedResponse(int status, string description)
    {
        string name = SharedName(status);
        if (_responses[name] is JsonObject existing)
            return existing;
        if (_schemas["ProblemDetails"] is null)
        {
            _schemas.Add("ProblemDetails", new JsonObject()
                .Add("type", "object")
                .Add("description", "An error answer (RFC 9457), when the request's Accept prefers JSON to plain text.")
                .Add("properties", new JsonObject()
                    .Add("type", new JsonObject().Add("type", "string"))
                    .Add("title", new JsonObject().Add("type", "string"))
                    .Add("status", new JsonObject().Add("type", "integer").Add("format", "int32"))
                    .Add("detail", new JsonObject().Add("type", "string")))
                .Add("required", new JsonArray { "type", "title", "status" }));
        }
        var response = new JsonObject()
            .Add("description", description)
            .Add("content", new JsonObject()
                .Add("text/plain", new JsonObject().Add("schema", new JsonObject().Add("type", "string")))
                .Add("application/problem+json", new JsonObject().Add("schema", new JsonObject().Add("$ref", "#/components/schemas/ProblemDetails"))));
        _responses.Add(name, response);
        return response;
    }

    /// <summary>The schema of a route, query, header, cookie or form value.</summary>
    private static JsonObject SimpleSchema(SimpleTypeInfo value)
    {
        var schema = new JsonObject();
        switch (value.Kind)
        {
            case ValueKind.Boolean: schema.Add("type", "boolean"); break;
            case ValueKind.Enum: schema.Add("type", "string").Add("enum", new JsonArray(value.EnumMembers.Select(m => (object)m))); break;
            case ValueKind.Guid: schema.Add("type", "string").Add("format", "uuid"); break;
            case ValueKind.Byte or ValueKind.UInt16 or ValueKind.UInt32 or ValueKind.UInt64:
                schema.Add("type", "integer").Add("minimum", 0);
                if (value.Kind == ValueKind.UInt32)
                    schema.Add("format", "int64");
                break;
            case ValueKind.SByte or ValueKind.Int16: schema.Add("type", "integer"); break;
            case ValueKind.Int32: schema.Add("type", "integer").Add("format", "int32"); break;
            case ValueKind.Int64: schema.Add("type", "integer").Add("format", "int64"); break;
            case ValueKind.Single: schema.Add("type", "number").Add("format", "float"); break;
            case ValueKind.Double: schema.Add("type", "number").Add("format", "double"); break;
            case ValueKind.Decimal: schema.Add("type", "number"); break;
            case ValueKind.DateOnly: schema.Add("type", "string").Add("format", "date"); break;
            case ValueKind.TimeOnly: schema.Add("type", "string").Add("format", "time"); break;
            case ValueKind.DateTime or ValueKind.DateTimeOffset: schema.Add("type", "string").Add("format", "date-time"); break;
            case ValueKind.TimeSpan: schema.Add("type", "string").Add("format", "duration"); break;
            default: schema.Add("type", "string"); break;
        }
        if (value.Kind == ValueKind.Byte)
            schema.Add("maximum", 255);
        return value.IsArray ? new JsonObject().Add("type", "array").Add("items", schema) : schema;
    }

    /// <summary>
    /// The schema of a JSON type, as the context that declares it writes it: objects and enums written as names are
    /// components, referenced; a type System.Text.Json writes in a way the shapes do not model is any value (<c>{}</c>).
    /// </summary>
    private JsonObject JsonSchema(string typeName, string? contextName)
    {
        contextName ??= ContextOf(typeName);
        if (contextName is null || ShapeOf(typeName, contextName) is not { Fallback: null } shape)
            return new JsonObject();
        var schema = new JsonObject();
        switch (shape.Kind)
        {
            case JsonShapeKind.String: schema.Add("type", "string"); break;
            case JsonShapeKind.Boolean: schema.Add("type", "boolean"); break;
            case JsonShapeKind.Integer:
                schema.Add("type", "integer");
                if (typeName == "int")
                    schema.Add("format", "int32");
                else if (typeName == "long")
                    schema.Add("format", "int64");
                break;
            case JsonShapeKind.UnsignedInteger: schema.Add("type", "integer").Add("minimum", 0); break;
            case JsonShapeKind.Double: schema.Add("type", "number").Add("format", "double"); break;
            case JsonShapeKind.Single: schema.Add("type", "number").Add("format", "float"); break;
            case JsonShapeKind.Decimal: schema.Add("type", "number"); break;
            case JsonShapeKind.DateTime or JsonShapeKind.DateTimeOffset: schema.Add("type", "string").Add("format", "date-time"); break;
            case JsonShapeKind.Guid: schema.Add("type", "string").Add("format", "uuid"); break;
            case JsonShapeKind.Nullable: return Nullable(JsonSchema(shape.ElementTypeName!, contextName));
            case JsonShapeKind.Sequence: schema.Add("type", "array").Add("items", JsonSchema(shape.ElementTypeName!, contextName)); break;
            case JsonShapeKind.Dictionary: schema.Add("type", "object").Add("additionalProperties", JsonSchema(shape.ElementTypeName!, contextName)); break;
            case JsonShapeKind.EnumString or JsonShapeKind.Object: return new JsonObject().Add("$ref", "#/components/schemas/" + Component(contextName, shape));
        }
        return schema;
    }

    /// <summary>The context that reads and writes <paramref name="typeName"/>: the one bound to it, else the first that declares it.</summary>
    private string? ContextOf(string typeName) =>
        _bindings.TryGetValue(typeName, out var bound) ? bound
            : _table.JsonContexts.Where(c => c.Types.Contains(typeName)).Select(c => c.TypeName).OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>The shape of <paramref name="typeName"/> in a context whose types the generated code covers, or null.</summary>
    private JsonShapeSpec? ShapeOf(string typeName, string contextName) =>
        _contexts.TryGetValue(contextName, out var context) && context.Options.Unsupported is null
            ? context.Shapes.FirstOrDefault(s => s.TypeName == typeName) : null;

    /// <summary>The name of the component schema of an object or enum, added on first use.</summary>
    private string Component(string contextName, JsonShapeSpec shape)
    {
        string key = contextName + " " + shape.TypeName;
        if (_schemaNames.TryGetValue(key, out var name))
            return name;
        string full = RouteTable.Shorten(shape.TypeName);
        string candidate = full.Split('.').Last();
        if (_schemaNames.ContainsValue(candidate))
            candidate = full;
        name = candidate;
        for (int i = 2; _schemaNames.ContainsValue(name); i++)
            name = candidate + "_" + Status(i);
        _schemaNames[key] = name;
        var schema = new JsonObject();
        _schemas.Add(name, schema); // before the properties: a type may reach itself
        if (shape.Kind == JsonShapeKind.EnumString)
        {
            schema.Add("type", "string").Add("enum", new JsonArray(shape.EnumMembers.Select(m => (object)new RawJson("\"" + m.EncodedName + "\""))));
            return name;
        }
        schema.Add("type", "object");
        var properties = schema.Object("properties");
        var required = new JsonArray();
        foreach (var property in shape.Properties)
        {
            var propertySchema = JsonSchema(property.TypeName, contextName);
            var propertyShape = _contexts[contextName].Shapes.FirstOrDefault(s => s.TypeName == property.TypeName);
            // A Nullable<T> says null in its own schema; a reference type says it here, from its annotation.
            if (property.IsNullable && propertyShape?.Kind != JsonShapeKind.Nullable)
                propertySchema = Nullable(propertySchema);
            _memberValidation.TryGetValue(shape.TypeName + " " + property.MemberName, out var validation);
            properties.Add(property.JsonName, ValidationKeywords.Apply(propertySchema, validation));
            if (property.IsRequired || ValidationKeywords.IsRequired(validation))
                required.Add(property.JsonName);
        }
        if (required.Count > 0)
            schema.Add("required", required);
        return name;
    }

    /// <summary><paramref name="schema"/> or null.</summary>
    private static JsonObject Nullable(JsonObject schema)
    {
        if (schema.Count == 0)
            return schema; // any value already
        if (schema["type"] is string type && schema["$ref"] is null)
            return schema.Add("type", new JsonArray { type, "null" });
        return new JsonObject().Add("anyOf", new JsonArray { schema, new JsonObject().Add("type", "null") });
    }
}
