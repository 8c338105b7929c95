using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators;

internal sealed partial class DispatcherEmitter
{
    /// <summary>
    /// The invoker of a handler for one binding shape: which of its parameters the path binds. Routes of one handler
    /// with the same shape (<c>PUT</c> and <c>PATCH /items/&lt;id&gt;</c>) share it. It takes the path-bound values
    /// as parameters, already parsed, and binds the others itself.
    /// </summary>
    private sealed record Invoker(string Name, HandlerSpec Handler, IReadOnlyList<ParameterSpec> PathParameters);

    private void NameInvokers()
    {
        var byShape = new Dictionary<string, Invoker>();
        foreach (var route in _routes)
        {
            var pathParameters = route.Handler.Parameters.Where(p => SegmentIndex(route, p) >= 0).ToList();
            string shape = route.Handler.Key + "(" + string.Join(",", pathParameters.Select(p => p.Name)) + ")";
            if (!byShape.TryGetValue(shape, out var invoker))
                byShape[shape] = invoker = new Invoker(_names.Make(route.Handler.DisplayName), route.Handler, pathParameters);
            _invokers[route.Number] = invoker;
        }
    }

    /// <summary>The index of the template segment that binds <paramref name="parameter"/>, or -1.</summary>
    private static int SegmentIndex(RouteEntry route, ParameterSpec parameter)
    {
        var segments = route.Route.Segments;
        for (int i = 0; i < segments.Count; i++)
        {
            if (segments[i].Kind != SegmentKind.Literal && segments[i].Text == parameter.Name)
                return i;
        }
        return -1;
    }

    private void EmitInvokeSwitch(IReadOnlyList<RouteEntry> routes)
    {
        var w = _w;
        w.Open("switch (route)");
        foreach (var route in routes)
        {
            var invoker = _invokers[route.Number];
            var arguments = new List<string> { "request" };
            foreach (var parameter in invoker.PathParameters)
            {
                int index = SegmentIndex(route, parameter);
                arguments.Add(route.Route.Segments[index].Kind == SegmentKind.CatchAll ? $"path[segments[{index}].Start..].ToString()"
                    : parameter.Kind == ValueKind.String ? $"path[segments[{index}]].ToString()"
                    : "values." + _slots.Field(index, parameter.Value));
            }
            string invoke = $"return {invoker.Name}({string.Join(", ", arguments)});";
            if (route.Route.Method is "GET" or "HEAD" or "OPTIONS" || route.Handler.AllowCrossOrigin)
                w.Line($"case {route.Number}: {invoke}");
            else
                w.Line($"case {route.Number}: if ({Dispatching}.CrossOrigin.Refusal(request) is {{ }} refused{route.Number}) return new(refused{route.Number}); {invoke}");
        }
        w.Close();
    }

    private void EmitInvokers()
    {
        foreach (var invoker in _invokers.Values.Distinct().OrderBy(i => i.Name, System.StringComparer.Ordinal))
        {
            _w.Line();
            EmitInvoker(invoker);
        }
    }

    private void EmitInvoker(Invoker invoker)
    {
        var w = _w;
        var handler = invoker.Handler;
        foreach (var route in _routes.Where(r => _invokers[r.Number] == invoker))
            w.Line($"// {Describe(route)}");
        var signature = new List<string> { $"{Runtime}.CgiRequest request" };
        signature.AddRange(invoker.PathParameters.Select(p => $"{p.TypeName} {Local(p)}"));
        string name = invoker.Name;
        if (handler.Filters.Count > 0)
        {
            name = _names.Make(invoker.Name + "_Handler");
            EmitFiltered(invoker, string.Join(", ", signature), name);
            w.Line();
        }
        w.Open($"private static {ValueTaskOfResponse} {name}({string.Join(", ", signature)})");
        if (handler.Authorization == Authorization.Required && handler.Filters.Count == 0)
            w.Line($"if ({Dispatching}.Authentication.Challenge(request) is {{ }} unauthorized) return new(unauthorized);");
        var arguments = new List<string>();
        _checks = 0;
        foreach (var parameter in handler.Parameters)
        {
            arguments.Add(invoker.PathParameters.Contains(parameter) ? Local(parameter)
                : BindingSources.Of(parameter.Source)?.Argument ?? Local(parameter));
            if (!invoker.PathParameters.Contains(parameter))
                EmitBinding(parameter);
        }
        EmitValidation(handler);
        EmitReturn(handler.Return, $"{handler.ContainingType}.{CSharp.Escape(handler.MethodName)}({string.Join(", ", arguments)})");
        w.Close();
    }

    /// <summary>The invoker's local (or parameter) that holds the value of <paramref name="parameter"/>.</summary>
    private static string Local(ParameterSpec parameter) => "p_" + parameter.Name;

    private void EmitBinding(ParameterSpec parameter)
    {
        var w = _w;
        string local = Local(parameter);
        var source = BindingSources.Of(parameter.Source)!;
        if (source.Argument is not null)
            return; // passed as it is
        if (parameter.IsValidated)
        {
            EmitValidated(parameter);
            return;
        }
        switch (parameter.Source)
        {
            case BindingSource.BodyText:
                w.Line($"string {local} = request.ReadBodyText();");
                return;
            case BindingSource.BodyBytes:
                w.Line($"byte[] {local} = request.ReadBodyBytes();");
                return;
            case BindingSource.BodyStream:
                w.Line($"global::System.IO.Stream {local} = request.Body;");
                return;
            case BindingSource.FormFile:
                w.Line($"{Runtime}.FormFile? {local} = request.ReadFormData().GetFile({CSharp.Literal(parameter.Key)});");
                if (!parameter.IsOptional)
                    w.Line($"if ({local} is null) {Missing("form file", parameter.Key)}");
                return;
            case BindingSource.FormFiles:
                w.Line($"{Runtime}.FormFile[] {local} = request.ReadFormData().GetFiles({CSharp.Literal(parameter.Key)});");
                return;
            case BindingSource.FormObject:
                EmitFormObject(parameter);
                return;
            case BindingSource.Json:
                // A type with a generated reader never touches its JsonTypeInfo, nor the context's set-up.
                if (_readers.Reader(parameter.JsonTypeName!) is { } reader)
                    w.Line($"var {local} = {reader}(request);");
                else
                    w.Line($"var {local} = request.ReadJson({JsonTypeInfo(parameter.JsonTypeName!)});");
                if (!parameter.IsOptional && !parameter.IsValueType)
                    w.Line($"if ({local} is null) return new({Dispatching}.BindingErrors.MissingJsonBody(request, {CSharp.Literal(parameter.Name)}));");
                return;
        }

        EmitValue(parameter, source);
    }

    /// <summary>A value that <paramref name="source"/> reads as text under the parameter's key, parsed into its type.</summary>
    private void EmitValue(ParameterSpec parameter, BindingSourceEntry source)
    {
        var w = _w;
        string local = Local(parameter);
        var value = parameter.Value;
        string key = CSharp.Literal(parameter.Key);
        string read = Format(value.Kind == ValueKind.Boolean && !value.IsArray && source.ReadBoolean is { } readBoolean ? readBoolean : source.Read!, key);
        string readAll = source.ReadAll is { } all ? Format(all, key) : "";
        string missing = Missing(source.What!, parameter.Key);
        string invalid = _errors is null ? $"return new({Dispatching}.BindingErrors.Invalid({CSharp.Literal(source.What!)}, {key}, {CSharp.Literal(value.Expectation)}));"
            : $"{_errors} = {Dispatching}.ValidationErrors.Invalid({_errors}, {key}, {CSharp.Literal(value.Expectation)});";
        string text = "t_" + parameter.Name;

        if (value.IsArray)
        {
            if (value.Kind == ValueKind.String)
            {
                w.Line($"string[] {local} = {readAll};");
                return;
            }
            w.Line($"string[] {text} = {readAll};");
            w.Line($"var {local} = new {value.ElementTypeName}[{text}.Length];");
            w.Open($"for (int i = 0; i < {text}.Length; i++)");
            // Into a Validated<T>'s errors, a field is invalid once, however many of its values are.
            w.Line($"if (!{TryParse(value, text + "[i]", $"out {local}[i]")}) {(_errors is null ? invalid : "{ " + invalid + " break; }")}");
            w.Close();
            return;
        }
        if (value.Kind == ValueKind.String)
        {
            if (parameter.DefaultValue is { } fallback && fallback != "default")
            {
                w.Line($"string {local} = {read} ?? {fallback};");
            }
            else if (!parameter.IsOptional && source.PresentWhenRequired)
            {
                // Checked before binding: a required [User] makes the handler's authorization Required.
                w.Line($"string {local} = {read}!;");
                return;
            }
            else
            {
                w.Line($"string? {local} = {read};");
            }
            if (!parameter.IsOptional)
                w.Line($"if ({local} is null) {missing}");
            return;
        }
        w.Line($"{parameter.TypeName} {local} = {parameter.DefaultValue ?? "default"};");
        w.Line($"string? {text} = {read};");
        if (value.IsNullableValue)
        {
            w.Open($"if ({text} is not null)");
            w.Line($"if (!{TryParse(value, text, $"out {value.ElementTypeName} v_{parameter.Name}")}) {invalid}");
            w.Line($"{local} = v_{parameter.Name};");
            w.Close();
            return;
        }
        if (!parameter.IsOptional)
            w.Line($"if ({text} is null) {missing}");
        w.Line($"if ({text} is not null && !{TryParse(value, text, "out " + local)}) {invalid}");
    }

    /// <summary>
    /// The local that collects the errors of the <c>Validated&lt;T&gt;</c> being bound, or null: a value that is missing
    /// or does not parse is then added to it, instead of answered 400.
    /// </summary>
    private string? _errors;

    /// <summary>The statement for a required value of <paramref name="what"/> (<c>form field</c>) that is absent.</summary>
    private string Missing(string what, string key) => _errors is null
        ? $"return new({Dispatching}.BindingErrors.Missing({CSharp.Literal(what)}, {CSharp.Literal(key)}));"
        : $"{_errors} = {Dispatching}.ValidationErrors.Missing({_errors}, {CSharp.Literal(key)});";

    /// <summary>
    /// A <c>Validated&lt;T&gt;</c>: T bound as it is without it, but each failure (a field missing or not parsing, a
    /// JSON value of the wrong type, no body) collected in <c>e_name</c>; T's rules checked once it is bound; the
    /// outcome passed to the handler. A malformed body, one over the limits or of another type still throws (4xx).
    /// </summary>
    private void EmitValidated(ParameterSpec parameter)
    {
        var w = _w;
        string errors = "e_" + parameter.Name, value = "v_" + parameter.Name;
        w.Line($"{Dispatching}.ValidationErrors? {errors} = null;");
        if (parameter.Source == BindingSource.FormObject)
        {
            _errors = errors;
            EmitFormObject(parameter, value);
            _errors = null;
        }
        else
        {
            string json = parameter.JsonTypeName!;
            string read = _readers.Reader(json) is { } reader ? $"{reader}(request)" : $"request.ReadJson({JsonTypeInfo(json)})";
            w.Line($"{parameter.TypeName}? {value};");
            w.Line($"try {{ {value} = {read}; }}");
            w.Line($"catch ({Runtime}.CgiRequestException x) when ({Dispatching}.ValidationErrors.JsonValue(ref {errors}, x)) {{ {value} = null; }}");
            w.Line($"if ({value} is null && {errors} is null) {errors} = {Dispatching}.ValidationErrors.MissingJsonBody({errors});");
        }
        if (parameter.Validation is { } validation)
        {
            w.Open($"if ({value} is not null)");
            EmitChecks(WireKeys(parameter, validation), value, ref _checks, errors);
            w.Close();
        }
        w.Line($"var {Local(parameter)} = {Dispatching}.ValidationErrors.Outcome({value}, {errors});");
    }

    /// <summary>A read expression of <see cref="BindingSourceEntry"/> with its key.</summary>
    private static string Format(string read, string key) => string.Format(System.Globalization.CultureInfo.InvariantCulture, read, key);

    /// <summary>The dispatcher's property that gives the JsonTypeInfo of <paramref name="type"/>.</summary>
    private string JsonTypeInfo(string type)
    {
        _jsonUsed.Add(type);
        return _json[type];
    }

    private void EmitReturn(ReturnSpec result, string call)
    {
        var w = _w;
        if (result.Kind == ReturnKind.JsonStream)
        {
            // Items of a type with a registered writer never touch its JsonTypeInfo, nor the context's set-up.
            string typeInfo = _writers.Registers(result.JsonTypeName!) ? "null" : JsonTypeInfo(result.JsonTypeName!);
            w.Line($"return {Dispatching}.HandlerResults.Stream({call}, request, {typeInfo});");
            return;
        }
        string convert = result.Kind switch
        {
            ReturnKind.Text => "HandlerResults.Text",
            ReturnKind.Bytes => "HandlerResults.Bytes",
            ReturnKind.Response => "HandlerResults.From",
            _ => "HandlerResults.Json",
        };
        string respond = $"{Dispatching}.{convert}";
        string extra = "";
        if (result.Kind == ReturnKind.Json)
        {
            // A type with a generated writer never touches its JsonTypeInfo, nor the context's set-up.
            if (_writers.Responder(result.JsonTypeName!) is { } writer)
                respond = writer;
            else
                extra = ", " + JsonTypeInfo(result.JsonTypeName!);
        }
        if (result.Async != AsyncKind.None)
        {
            w.Line(result.Kind == ReturnKind.NoContent
                ? $"return {Dispatching}.HandlerResults.Await({call});"
                : $"return {Dispatching}.HandlerResults.Await({call}, static result => {respond}(result{extra}));");
        }
        else if (result.Kind == ReturnKind.NoContent)
        {
            w.Line(call + ";");
            w.Line($"return new({Dispatching}.HandlerResults.NoContent());");
        }
        else
        {
            w.Line($"return new({respond}({call}{extra}));");
        }
    }

    /// <summary>
    /// A <c>[Form]</c> object: each member bound as a field of its own, then the object built with the constructor's
    /// members and <c>init</c> properties, and its settable properties set when their field was sent (so that a
    /// property's initializer stands for an absent optional field).
    /// </summary>
    /// <remarks>
    /// For a <c>Validated&lt;T&gt;</c> (<see cref="_errors"/> set) the object is <paramref name="validated"/>, built only
    /// when every member bound (a required member's local is then set, hence the <c>!</c>), and null otherwise.
    /// </remarks>
    private void EmitFormObject(ParameterSpec parameter, string? validated = null)
    {
        var w = _w;
        foreach (var member in parameter.FormMembers)
            EmitBinding(member.Binding);
        string Argument(FormMemberSpec m) => validated is not null && !m.Binding.IsOptional && !m.Binding.IsValueType ? Local(m.Binding) + "!" : Local(m.Binding);
        var constructorArguments = parameter.FormMembers.Where(m => m.ViaConstructor).Select(Argument);
        var initializers = parameter.FormMembers.Where(m => !m.ViaConstructor && (m.InitOnly || !m.Binding.IsOptional))
            .Select(m => $"{CSharp.Escape(m.MemberName)} = {Argument(m)}").ToList();
        string construct = $"new {parameter.TypeName}({string.Join(", ", constructorArguments)}){(initializers.Count == 0 ? "" : " { " + string.Join(", ", initializers) + " }")}";
        string target = validated ?? Local(parameter);
        if (validated is null)
        {
            w.Line($"var {target} = {construct};");
        }
        else
        {
            w.Line($"{parameter.TypeName}? {target} = null;");
            w.Open($"if ({_errors} is null)");
            w.Line($"{target} = {construct};");
        }
        foreach (var member in parameter.FormMembers.Where(m => !m.ViaConstructor && !m.InitOnly && m.Binding.IsOptional))
        {
            var binding = member.Binding;
            string present = binding.Source == BindingSource.FormFiles || binding.Value.IsArray ? $"{Local(binding)}.Length > 0"
                : binding.Source == BindingSource.FormFile ? $"{Local(binding)} is not null"
                : $"request.ReadFormData().GetField({CSharp.Literal(binding.Key)}) is not null";
            w.Line($"if ({present}) {target}.{CSharp.Escape(member.MemberName)} = {Local(binding)};");
        }
        if (validated is not null)
            w.Close();
    }
}
