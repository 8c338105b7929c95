using System;
using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators.Json;

/// <summary>
/// Decides, for each type that handlers return as JSON, whether the generated writer covers it, and emits the
/// writers: a <c>file static class JsonWriters</c> with one method per type that builds the UTF-8 bytes directly
/// through <c>JsonUtf8Builder</c>. A covered type's JsonTypeInfo (and so its context's set-up, the serializer and the
/// default JavaScriptEncoder) is never touched when a handler returns it.
/// </summary>
internal sealed class JsonWriterEmitter : JsonCodeEmitter
{
    private const string Builder = Dispatching + ".JsonUtf8Builder";
    public const string ClassName = "JsonWriters";
    public const string GeneratedWriter = "generated writer";

    private readonly Dictionary<string, string> _reasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _writers = new(StringComparer.Ordinal);
    private int _variables;

    /// <summary>Plans the writers of the JSON types that <paramref name="table"/>'s handlers return.</summary>
    public JsonWriterEmitter(RouteTableSpec table)
    {
        var returned = table.Routes.Select(r => r.Handler.Return)
            .Where(r => r.Kind == ReturnKind.Json && r.JsonTypeName is not null)
            .Select(r => r.JsonTypeName!);
        foreach (var (type, contextName, context) in WithContexts(table, returned))
        {
            var shape = context.Shapes.FirstOrDefault(s => s.TypeName == type);
            string? reason = context.Options.Unsupported ?? shape?.Fallback ?? (shape is null ? "the type was not analysed" : null);
            if (reason is not null)
                _reasons[type] = reason;
            else
                AddRoot(type, contextName, context, ClassName, "Respond_");
        }

        // Every type a context declares, for Response.Json<T>(value, status): the first context (ordinal) that
        // declares a type answers for it, as for handler results.
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var context in table.JsonContexts.OrderBy(c => c.TypeName, StringComparer.Ordinal))
        {
            foreach (string type in context.Types)
            {
                var shape = context.Shapes.FirstOrDefault(s => s.TypeName == type);
                // A type outside the subset is not registered: Response.Json<T> then says to pass its JsonTypeInfo,
                // so that registering it never links System.Text.Json into an app that does not use it.
                if (!answered.Add(type) || context.Options.Unsupported is not null || shape is null || shape.Fallback is not null)
                    continue;
                foreach (var s in context.Shapes)
                    _shapes[Key(context.TypeName, s.TypeName)] = s;
                _registered[type] = (context.TypeName, _names.Make("WriteValue_" + CSharp.Shorten(type)));
            }
        }
    }

    /// <summary>Types of the contexts with a generated writer for Response.Json&lt;T&gt;: their context and writer method.</summary>
    private readonly SortedDictionary<string, (string Context, string Method)> _registered = new(StringComparer.Ordinal);

    /// <summary>Whether a generated writer, registered with <c>GeneratedJson&lt;T&gt;</c>, writes <paramref name="type"/>.</summary>
    public bool Registers(string type) => _registered.ContainsKey(type);

    /// <summary>Whether the emitted class has a <c>Register</c> method for the dispatcher's module initializer to call.</summary>
    public bool HasRegistrations => _registered.Count > 0;

    /// <summary>The call that registers the app's JSON types with Response.Json&lt;T&gt;, or null.</summary>
    public string? RegisterCall => HasRegistrations ? ClassName + ".Register()" : null;

    /// <summary>The method that turns a handler's <paramref name="type"/> result into a response, or null to use System.Text.Json.</summary>
    public string? Responder(string type) => _roots.TryGetValue(type, out var name) ? name : null;

    /// <summary>How a <paramref name="type"/> response is written, for <c>--routes</c>.</summary>
    public string Describe(string type) =>
        _roots.ContainsKey(type) ? GeneratedWriter
        : "System.Text.Json" + (_reasons.TryGetValue(type, out var reason) ? ": " + reason : "");

    /// <summary>Emits the writers, if any type has one.</summary>
    public void Emit(SourceWriter w)
    {
        if (_roots.Count == 0 && !HasRegistrations)
            return;
        EmitClass(w, ClassName, "Writes JSON responses as System.Text.Json would, without its start-up.",
            (_, shape, name, _) => EmitRoot(w, shape, name),
            (first, pending) =>
            {
                if (!HasRegistrations)
                    return;
                if (!first)
                    w.Line();
                EmitRegistrations(w, pending);
            },
            (context, shape, pending) => EmitWriter(w, context, shape, pending));
    }

    /// <summary>
    /// The response of a handler that returns the type: 404 for null, else the type's registered writer, which the
    /// route table's context (the first, ordinal, that declares the type) also answers <c>Response.Json</c> with.
    /// </summary>
    private void EmitRoot(SourceWriter w, JsonShapeSpec shape, string name)
    {
        string parameter = shape.CanBeNull && shape.Kind != JsonShapeKind.Nullable ? shape.TypeName + "?" : shape.TypeName;
        w.Open($"public static global::CgiRouting.Response {name}({parameter} value)");
        if (shape.CanBeNull)
            w.Line($"if (value is null) return {Dispatching}.HandlerResults.JsonUtf8(null);");
        w.Line($"var json = new {Builder}();");
        w.Line($"{_registered[shape.TypeName].Method}(json, value);");
        w.Line($"return {Dispatching}.HandlerResults.JsonUtf8(json);");
        w.Close();
    }

    /// <summary>
    /// <c>Register</c>, which the dispatcher's module initializer calls so that <c>Response.Json&lt;T&gt;(value, status)</c>
    /// finds the writer of each declared type in the subset, and those writers, null included.
    /// </summary>
    private void EmitRegistrations(SourceWriter w, Queue<(string, string)> pending)
    {
        w.Line("/// <summary>Lets <c>Response.Json&lt;T&gt;(value, status)</c> write the app's JSON types.</summary>");
        w.Open("public static void Register()");
        foreach (var pair in _registered)
            w.Line($"{Dispatching}.GeneratedJson<{pair.Key}>.Write = {pair.Value.Method};");
        w.Close();
        foreach (var pair in _registered)
        {
            var shape = _shapes[Key(pair.Value.Context, pair.Key)];
            w.Line();
            _variables = 0;
            w.Open($"private static void {pair.Value.Method}({Builder} json, {pair.Key} value)");
            string value = "value";
            if (shape.CanBeNull)
            {
                w.Open("if (value is not { } v0)");
                w.Line("json.Null();");
                w.Line("return;");
                w.Close();
                value = "v0";
            }
            EmitNotNull(w, pair.Value.Context, shape, value, pending);
            w.Close();
        }
    }

    /// <summary>The method of a shape that has one: objects, sequences, dictionaries, enums written as strings.</summary>
    private void EmitWriter(SourceWriter w, string context, JsonShapeSpec shape, Queue<(string, string)> pending)
    {
        _variables = 0;
        w.Open($"private static void {WriterName(context, shape)}({Builder} json, {shape.TypeName} value)");
        switch (shape.Kind)
        {
            case JsonShapeKind.Object:
                w.Line("json.StartObject();");
                foreach (var property in shape.Properties)
                    EmitProperty(w, context, property, pending);
                w.Line("json.EndObject();");
                break;
            case JsonShapeKind.Sequence:
                w.Line("json.StartArray();");
                w.Open("foreach (var item in value)");
                w.Line("json.Item();");
                EmitValue(w, context, _shapes[Key(context, shape.ElementTypeName!)], "item", pending);
                w.Close();
                w.Line("json.EndArray();");
                break;
            case JsonShapeKind.Dictionary:
                w.Line("json.StartObject();");
                w.Open("foreach (var pair in value)");
                w.Line("json.Property(pair.Key);");
                EmitValue(w, context, _shapes[Key(context, shape.ElementTypeName!)], "pair.Value", pending);
                w.Close();
                w.Line("json.EndObject();");
                break;
            case JsonShapeKind.EnumString:
                w.Open("switch (value)");
                foreach (var member in shape.EnumMembers)
                    w.Line($"case {shape.TypeName}.{CSharp.Escape(member.MemberName)}: json.Raw({CSharp.Utf8Literal("\"" + member.EncodedName + "\"")}); return;");
                w.Close();
                w.Line($"json.Number(({shape.ElementTypeName})value);");
                break;
            default:
                throw new InvalidOperationException("No writer method for " + shape.Kind + ".");
        }
        w.Close();
    }

    private void EmitProperty(SourceWriter w, string context, JsonPropertySpec property, Queue<(string, string)> pending)
    {
        var shape = _shapes[Key(context, property.TypeName)];
        string name = $"json.Property({CSharp.Utf8Literal("\"" + property.EncodedName + "\":")});";
        string access = "value." + CSharp.Escape(property.MemberName);
        if (property.Omission == JsonOmission.Never)
        {
            w.Line(name);
            EmitValue(w, context, shape, access, pending);
            return;
        }
        string v = "v" + (++_variables);
        if (shape.CanBeNull)
        {
            w.Open($"if ({access} is {{ }} {v})");
        }
        else
        {
            w.Line($"var {v} = {access};");
            w.Open($"if (!global::System.Collections.Generic.EqualityComparer<{shape.TypeName}>.Default.Equals({v}, default))");
        }
        w.Line(name);
        EmitNotNull(w, context, shape, v, pending);
        w.Close();
    }

    private void EmitValue(SourceWriter w, string context, JsonShapeSpec shape, string value, Queue<(string, string)> pending)
    {
        if (!shape.CanBeNull)
        {
            EmitNotNull(w, context, shape, value, pending);
            return;
        }
        string v = "v" + (++_variables);
        w.Open($"if ({value} is {{ }} {v})");
        EmitNotNull(w, context, shape, v, pending);
        w.Close();
        w.Line("else json.Null();");
    }

    private void EmitNotNull(SourceWriter w, string context, JsonShapeSpec shape, string value, Queue<(string, string)> pending)
    {
        switch (shape.Kind)
        {
            case JsonShapeKind.String: w.Line($"json.String({value});"); break;
            case JsonShapeKind.Boolean: w.Line($"json.Boolean({value});"); break;
            case JsonShapeKind.Integer: w.Line($"json.Number((long){value});"); break;
            case JsonShapeKind.UnsignedInteger: w.Line($"json.Number((ulong){value});"); break;
            case JsonShapeKind.Double: w.Line($"json.Number((double){value});"); break;
            case JsonShapeKind.Single: w.Line($"json.Number((float){value});"); break;
            case JsonShapeKind.Decimal: w.Line($"json.Number((decimal){value});"); break;
            case JsonShapeKind.DateTime: w.Line($"json.DateTime({value});"); break;
            case JsonShapeKind.DateTimeOffset: w.Line($"json.DateTimeOffset({value});"); break;
            case JsonShapeKind.Guid: w.Line($"json.Guid({value});"); break;
            case JsonShapeKind.Nullable: EmitNotNull(w, context, _shapes[Key(context, shape.ElementTypeName!)], value, pending); break;
            default:
                pending.Enqueue((context, shape.TypeName));
                w.Line($"{WriterName(context, shape)}(json, {value});");
                break;
        }
    }

    private string WriterName(string context, JsonShapeSpec shape)
    {
        string key = Key(context, shape.TypeName);
        if (!_writers.TryGetValue(key, out var name))
            _writers[key] = name = _names.Make("Write_" + CSharp.Shorten(shape.TypeName));
        return name;
    }


}
