using System;
using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators.Json;

/// <summary>
/// Decides, for each type that handlers read from a JSON body, whether the generated reader covers it, and emits the
/// readers: a <c>file static class JsonReaders</c> with one method per type that reads the body through a
/// <see cref="System.Text.Json.Utf8JsonReader"/> with System.Text.Json's default reader options, so that the syntax it
/// accepts is the serializer's by construction. A covered type's JsonTypeInfo (and so its context's set-up and the
/// serializer) is never touched when a body is read.
/// </summary>
internal sealed class JsonReaderEmitter : JsonCodeEmitter
{
    private const string Reading = Dispatching + ".JsonBodyReading";
    private const string ReaderType = "global::System.Text.Json.Utf8JsonReader";
    private const string Token = "global::System.Text.Json.JsonTokenType";
    private const string JsonException = "global::System.Text.Json.JsonException";
    public const string ClassName = "JsonReaders";

    /// <summary>The scalar types the reader converts as System.Text.Json's converters do, and the JsonBodyReading method that does.</summary>
    private static readonly Dictionary<string, string> Scalars = new(StringComparer.Ordinal)
    {
        ["string"] = "String", ["bool"] = "Boolean", ["sbyte"] = "SByte", ["byte"] = "Byte", ["short"] = "Int16",
        ["ushort"] = "UInt16", ["int"] = "Int32", ["uint"] = "UInt32", ["long"] = "Int64", ["ulong"] = "UInt64",
        ["double"] = "Double", ["float"] = "Single", ["decimal"] = "Decimal", ["global::System.Guid"] = "Guid",
        ["global::System.DateTime"] = "DateTime", ["global::System.DateTimeOffset"] = "DateTimeOffset",
    };

    private const string ListPrefix = "global::System.Collections.Generic.List<";

    private readonly Dictionary<string, string> _readers = new(StringComparer.Ordinal);

    /// <summary>Plans the readers of the JSON body types of <paramref name="table"/>'s handlers.</summary>
    public JsonReaderEmitter(RouteTableSpec table)
    {
        var bodies = table.Routes.SelectMany(r => r.Handler.Parameters)
            .Where(p => p.Source == BindingSource.Json && p.JsonTypeName is not null && !p.IsValueType)
            .Select(p => p.JsonTypeName!);
        foreach (var (type, contextName, context) in WithContexts(table, bodies))
        {
            var shapes = context.Shapes.ToDictionary(s => s.TypeName, StringComparer.Ordinal);
            string? reason = context.Options.Unsupported ?? context.Options.ReadUnsupported
                ?? (shapes.TryGetValue(type, out var shape) ? Unsupported(shapes, shape, root: true) : "the type was not analysed");
            if (reason is null) // otherwise read by System.Text.Json (--routes does not show the reason yet)
                AddRoot(type, contextName, context, ClassName, "Read_");
        }
    }

    /// <summary>The method that reads a <paramref name="type"/> body from the request, or null to use System.Text.Json.</summary>
    public string? Reader(string type) => _roots.TryGetValue(type, out var name) ? name : null;

    /// <summary>Why the reader cannot read <paramref name="shape"/> as System.Text.Json does, or null.</summary>
    private static string? Unsupported(Dictionary<string, JsonShapeSpec> shapes, JsonShapeSpec shape, bool root = false)
    {
        if (shape.Fallback is { } fallback)
            return fallback;
        string? Element() => shape.ElementTypeName is { } e && shapes.TryGetValue(e, out var inner) ? Unsupported(shapes, inner) : "its element type was not analysed";
        switch (shape.Kind)
        {
            case JsonShapeKind.Object:
                if (shape.ReadFallback is { } reason)
                    return reason;
                foreach (var property in shape.Properties)
                {
                    if (HasLoneSurrogate(property.JsonName))
                        return $"the JSON name of {property.MemberName} is not valid UTF-16";
                    if (!shapes.TryGetValue(property.TypeName, out var type))
                        return $"{property.MemberName} was not analysed";
                    if (Unsupported(shapes, type) is { } inner)
                        return $"{property.MemberName}: {inner}";
                }
                return null;
            case JsonShapeKind.Sequence when shape.TypeName.EndsWith("[]", StringComparison.Ordinal) || shape.TypeName.StartsWith(ListPrefix, StringComparison.Ordinal):
                return Element();
            case JsonShapeKind.Nullable when !root:
                return Element();
            case JsonShapeKind.String or JsonShapeKind.Boolean or JsonShapeKind.Integer or JsonShapeKind.UnsignedInteger
                or JsonShapeKind.Double or JsonShapeKind.Single or JsonShapeKind.Decimal or JsonShapeKind.Guid
                or JsonShapeKind.DateTime or JsonShapeKind.DateTimeOffset when !root && Scalars.ContainsKey(shape.TypeName):
                return null;
            default:
                return $"{shape.TypeName} is not covered by the generated reader";
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return true;
        }
        return false;
    }

    /// <summary>Emits the readers, if any type has one.</summary>
    public void Emit(SourceWriter w)
    {
        if (_roots.Count == 0)
            return;
        EmitClass(w, ClassName, "Reads JSON request bodies as System.Text.Json would, without its start-up.",
            (context, shape, name, pending) =>
            {
                w.Line("/// <summary>The body as System.Text.Json reads it; null when there is none, or it is <c>null</c>.</summary>");
                w.Open($"public static {shape.TypeName} {name}(global::CgiRouting.CgiRequest request)");
                w.Line("if (request.ReadJsonBody() is not { } body) return null;");
                w.Open("try");
                w.Line($"var r = {Reading}.Start(body);");
                w.Line($"var value = {Method(context, shape, pending)}(ref r);");
                w.Line($"{Reading}.End(ref r);");
                w.Line("return value;");
                w.Close();
                w.Line($"catch ({JsonException} e)");
                w.Open();
                w.Line($"throw {Reading}.Reject(e);");
                w.Close();
                w.Close();
            },
            null,
            (context, shape, pending) => EmitReader(w, context, shape, pending));
    }

    /// <summary>The method that reads an object or an array of <paramref name="shape"/>, queued for emission.</summary>
    private string Method(string context, JsonShapeSpec shape, Queue<(string, string)> pending)
    {
        string key = Key(context, shape.TypeName);
        if (!_readers.TryGetValue(key, out var name))
        {
            _readers[key] = name = _names.Make("Read_" + CSharp.Shorten(shape.TypeName) + "_Value");
            pending.Enqueue((context, shape.TypeName));
        }
        return name;
    }

    /// <summary>The expression that reads the value at the reader's token as <paramref name="shape"/>.</summary>
    private string Value(string context, JsonShapeSpec shape, Queue<(string, string)> pending)
    {
        if (Scalars.TryGetValue(shape.TypeName, out var scalar))
            return $"{Reading}.{scalar}(ref r)";
        if (shape.Kind == JsonShapeKind.Nullable)
        {
            var inner = _shapes[Key(context, shape.ElementTypeName!)];
            return $"r.TokenType == {Token}.Null ? default({shape.TypeName}) : {Value(context, inner, pending)}";
        }
        return $"{Method(context, shape, pending)}(ref r)";
    }

    private void EmitReader(SourceWriter w, string context, JsonShapeSpec shape, Queue<(string, string)> pending)
    {
        w.Open($"public static {shape.TypeName} {_readers[Key(context, shape.TypeName)]}(ref {ReaderType} r)");
        w.Line($"if (r.TokenType == {Token}.Null) return null;");
        if (shape.Kind == JsonShapeKind.Sequence)
            EmitSequence(w, context, shape, pending);
        else
            EmitObject(w, context, shape, pending);
        w.Close();
    }

    private void EmitSequence(SourceWriter w, string context, JsonShapeSpec shape, Queue<(string, string)> pending)
    {
        var element = _shapes[Key(context, shape.ElementTypeName!)];
        w.Line($"if (r.TokenType != {Token}.StartArray) throw {Reading}.Invalid(\"an array\");");
        w.Line($"var list = new {ListPrefix}{shape.ElementTypeName}>();");
        w.Open("try");
        w.Open("while (true)");
        w.Line($"{Reading}.Next(ref r);");
        w.Line($"if (r.TokenType == {Token}.EndArray) break;");
        w.Line($"list.Add({Value(context, element, pending)});");
        w.Close();
        w.Close();
        w.Line($"catch ({JsonException} e) when ({Reading}.Enter(e, list.Count))");
        w.Open();
        w.Line("throw;");
        w.Close();
        w.Line(shape.TypeName.EndsWith("[]", StringComparison.Ordinal) ? "return list.ToArray();" : "return list;");
    }

    private void EmitObject(SourceWriter w, string context, JsonShapeSpec shape, Queue<(string, string)> pending)
    {
        w.Line($"if (r.TokenType != {Token}.StartObject) throw {Reading}.Invalid(\"an object\");");
        var parameters = shape.ConstructorParameters;
        bool byConstructor = parameters.Count > 0;
        var locals = new UniqueNames("r", "o", "at", "e");
        // What each property is read into: a constructor argument, a value set after construction, or the object.
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        if (byConstructor)
        {
            foreach (var parameter in parameters)
            {
                string type = shape.Properties.First(p => p.MemberName == parameter.MemberName).TypeName;
                string local = locals.Make("a_" + parameter.MemberName);
                w.Line($"{type} {local} = {parameter.DefaultValue};");
                targets[parameter.MemberName] = local;
            }
            foreach (var property in shape.Properties.Where(p => p.IsSettable && !targets.ContainsKey(p.MemberName)))
            {
                string local = locals.Make("s_" + property.MemberName);
                w.Line($"{property.TypeName} {local} = default;");
                targets[property.MemberName] = local;
                seen[property.MemberName] = locals.Make("has_" + property.MemberName);
                w.Line($"bool {seen[property.MemberName]} = false;");
            }
        }
        else
        {
            w.Line($"var o = new {shape.TypeName}();");
            foreach (var property in shape.Properties.Where(p => p.IsSettable))
                targets[property.MemberName] = "o." + CSharp.Escape(property.MemberName);
        }
        w.Line("string at = null;");
        w.Open("try");
        w.Open("while (true)");
        w.Line($"{Reading}.Next(ref r);");
        w.Line($"if (r.TokenType == {Token}.EndObject) break;");
        bool first = true;
        foreach (var property in shape.Properties.Where(p => targets.ContainsKey(p.MemberName)))
        {
            w.Line($"{(first ? "" : "else ")}if (r.ValueTextEquals({CSharp.Utf8Literal(property.JsonName)}))");
            first = false;
            w.Open();
            w.Line($"at = {CSharp.Literal(Segment(property.JsonName))};");
            w.Line($"{Reading}.Next(ref r);");
            w.Line($"{targets[property.MemberName]} = {Value(context, _shapes[Key(context, property.TypeName)], pending)};");
            if (seen.TryGetValue(property.MemberName, out var flag))
                w.Line($"{flag} = true;");
            w.Close();
        }
        if (!first)
            w.Line("else");
        w.Open();
        w.Line("at = null;");
        w.Line($"{Reading}.Next(ref r);");
        w.Line("r.Skip();");
        w.Close();
        w.Close();
        w.Close();
        w.Line($"catch ({JsonException} e) when ({Reading}.Enter(e, at))");
        w.Open();
        w.Line("throw;");
        w.Close();
        if (byConstructor)
        {
            w.Line($"var o = new {shape.TypeName}({string.Join(", ", parameters.Select(p => targets[p.MemberName]))});");
            foreach (var pair in seen)
                w.Line($"if ({pair.Value}) o.{CSharp.Escape(pair.Key)} = {targets[pair.Key]};");
        }
        w.Line("return o;");
    }

    /// <summary>The path segment of a property, as System.Text.Json writes it: <c>.Name</c>, or <c>['a b']</c>.</summary>
    private static string Segment(string name) =>
        name.Length > 0 && name.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '_')) ? "." + name : "['" + name + "']";



}
