using System;
using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators;

internal sealed partial class DispatcherEmitter
{
    /// <summary>
    /// Above this many literals at one place, the literals are spread over buckets (<c>SegmentHash</c>) of about
    /// <see cref="LiteralsPerBucket"/> each, one method per bucket: a method with thousands of string cases takes
    /// the AOT compiler minutes, many small ones take it seconds.
    /// </summary>
    private const int BucketThreshold = 64;
    private const int LiteralsPerBucket = 32;

    /// <summary>
    /// Above this many distinct literal segments in the table, every literal is compared as UTF-8 data
    /// (<c>LiteralSegment</c>), in small switches too: each distinct string literal is an object that the dynamic linker
    /// relocates at every start, so that a table of thousands of them (<c>/r&lt;i&gt;/&lt;id&gt;/x&lt;i&gt;</c>: one
    /// literal after each parameter) would start slower the more routes it has. A smaller table keeps its
    /// <c>switch</c>es on string constants, which read better.
    /// </summary>
    private const int StringLiteralLimit = 64;

    private bool? _literalsAsUtf8;

    private bool LiteralsAsUtf8 => _literalsAsUtf8 ??= _routes
        .SelectMany(r => r.Route.Segments).Where(s => s.Kind == SegmentKind.Literal).Select(s => s.Text)
        .Distinct(StringComparer.Ordinal).Count() > StringLiteralLimit;

    private readonly RouteValueSlots _slots;

    /// <summary>
    /// The fields of the generated <c>RouteValues</c> struct: one per segment position and typed parameter type
    /// that some route has there. A matcher parses a typed segment into its field once; when the route matches, the
    /// invoker receives the field, so that no segment is parsed twice. A field written by a branch that later
    /// fails is written again by the branch that succeeds, since both parse the same position.
    /// </summary>
    private sealed class RouteValueSlots
    {
        private readonly UniqueNames _names = new();
        private readonly SortedDictionary<(int Depth, string Type), string> _fields = new();

        public RouteValueSlots(IEnumerable<RouteEntry> routes)
        {
            foreach (var route in routes)
            {
                for (int i = 0; i < route.Route.Segments.Count; i++)
                {
                    if (route.Route.Segments[i].Kind == SegmentKind.Parameter && RouteTable.Parameter(route, route.Route.Segments[i]) is { Kind: not ValueKind.String } p)
                        _ = Field(i, p.Value);
                }
            }
        }

        public IEnumerable<(string Type, string Name)> Fields => _fields.Select(f => (f.Key.Type, f.Value));

        /// <summary>The field that holds the typed segment <paramref name="depth"/> parsed as <paramref name="value"/>.</summary>
        public string Field(int depth, SimpleTypeInfo value)
        {
            var key = (depth, value.ElementTypeName);
            if (!_fields.TryGetValue(key, out string? name))
                _fields[key] = name = _names.Make("Segment" + depth.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + CSharp.Shorten(value.ElementTypeName));
            return name;
        }
    }

    private void EmitRouteValues()
    {
        var w = _w;
        w.Line("/// <summary>The typed path segments of the matched route, each parsed once by the matcher.</summary>");
        w.Open("private struct RouteValues");
        foreach (var (type, name) in _slots.Fields)
            w.Line($"public {type} {name};");
        w.Close();
    }

    /// <summary>A node of one method's route tree: what may follow a path prefix.</summary>
    private sealed class Node
    {
        public RouteEntry? Route;
        public RouteEntry? CatchAll;
        public readonly SortedDictionary<string, Node> Literals = new(StringComparer.Ordinal);
        public readonly List<(SimpleTypeInfo Value, Node Node)> Typed = [];
        public Node? Text;

        public bool HasChildren => Literals.Count > 0 || Typed.Count > 0 || Text is not null || CatchAll is not null;
    }

    private static Node BuildTree(List<RouteEntry> routes)
    {
        var root = new Node();
        foreach (var route in routes)
        {
            var node = root;
            foreach (var segment in route.Route.Segments)
            {
                if (segment.Kind == SegmentKind.CatchAll)
                {
                    node.CatchAll ??= route;
                    node = null;
                    break;
                }
                if (segment.Kind == SegmentKind.Literal)
                {
                    if (!node.Literals.TryGetValue(segment.Text, out var next))
                        node.Literals[segment.Text] = next = new Node();
                    node = next;
                    continue;
                }
                var value = RouteTable.Parameter(route, segment)!.Value;
                if (value.Kind == ValueKind.String)
                {
                    node = node.Text ??= new Node();
                    continue;
                }
                int index = node.Typed.FindIndex(t => t.Value.SameBranchAs(value));
                if (index < 0)
                {
                    node.Typed.Add((value, new Node()));
                    node.Typed.Sort((a, b) => a.Value.Kind != b.Value.Kind
                        ? a.Value.Kind.CompareTo(b.Value.Kind)
                        : string.CompareOrdinal(a.Value.ElementTypeName, b.Value.ElementTypeName));
                    index = node.Typed.FindIndex(t => t.Value.SameBranchAs(value));
                }
                node = node.Typed[index].Node;
            }
            if (node is not null)
                node.Route ??= route;
        }
        return root;
    }

    /// <summary>The bucket methods of one matcher that are still to be emitted.</summary>
    private readonly Queue<(string Name, string Method, List<KeyValuePair<string, Node>> Literals, int Depth, int Bucket)> _pendingBuckets = new();

    private void EmitMatcher(string method, List<RouteEntry> routes)
    {
        var w = _w;
        w.Line($"/// <summary>The number of the {Xml(method)} route that matches the path, or -1.</summary>");
        w.Open($"private static int {_matchers[method]}({Segments}, int count, ref RouteValues values)");
        EmitNode(BuildTree(routes), 0, method);
        w.Line("return -1;");
        w.Close();
        while (_pendingBuckets.Count > 0)
        {
            var (bucketName, _, literals, depth, bucket) = _pendingBuckets.Dequeue();
            w.Line();
            w.Line($"/// <summary>The {Xml(method)} routes whose segment {depth} is a literal of bucket {bucket}.</summary>");
            w.Open($"private static int {bucketName}({Segments}, int count, ref RouteValues values, global::System.ReadOnlySpan<char> segment{depth})");
            EmitLiteralComparisons(literals, depth, method);
            w.Line("return -1;");
            w.Close();
        }
    }

    private void EmitLiteralSwitch(IEnumerable<KeyValuePair<string, Node>> literals, int depth, string method)
    {
        if (LiteralsAsUtf8)
        {
            EmitLiteralComparisons(literals, depth, method);
            return;
        }
        var w = _w;
        w.Open($"switch (segment{depth})");
        foreach (var literal in literals)
        {
            w.Line($"case {CSharp.Literal(literal.Key)}:");
            w.Open();
            EmitNode(literal.Value, depth + 1, method);
            w.Line("break;");
            w.Close();
        }
        w.Close();
    }

    /// <summary>
    /// The literals of one bucket, or of any place in a table of many literals, compared as UTF-8 data: a large table's
    /// thousands of literals as strings would be thousands of objects for the dynamic linker to relocate at every start
    /// (<c>LiteralSegment</c>).
    /// </summary>
    private void EmitLiteralComparisons(IEnumerable<KeyValuePair<string, Node>> literals, int depth, string method)
    {
        var w = _w;
        string keyword = "if";
        foreach (var literal in literals)
        {
            w.Open($"{keyword} ({Dispatching}.LiteralSegment.Equals(segment{depth}, {CSharp.Literal(literal.Key)}u8))");
            EmitNode(literal.Value, depth + 1, method);
            w.Close();
            keyword = "else if";
        }
    }

    private void EmitNode(Node node, int depth, string method)
    {
        var w = _w;
        if (node.Route is { } route)
            w.Line($"if (count == {depth}) return {route.Number}; // {Describe(route)}");
        if (!node.HasChildren)
            return;
        string segment = "segment" + depth;
        w.Open($"if (count > {depth})");
        w.Line($"var {segment} = path[segments[{depth}]];");
        if (node.Literals.Count > BucketThreshold)
        {
            int buckets = (node.Literals.Count + LiteralsPerBucket - 1) / LiteralsPerBucket;
            w.Open($"switch ({Dispatching}.SegmentHash.Bucket({segment}, {buckets}))");
            foreach (var group in node.Literals.GroupBy(l => CgiRouting.Dispatching.SegmentHash.Bucket(l.Key.AsSpan(), buckets)).OrderBy(g => g.Key))
            {
                string bucketMethod = _names.Make(_matchers[method] + "_" + group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture));
                _pendingBuckets.Enqueue((bucketMethod, method, group.ToList(), depth, group.Key));
                w.Line($"case {group.Key}:");
                w.Open();
                w.Line($"int route{depth} = {bucketMethod}(path, segments, count, ref values, {segment});");
                w.Line($"if (route{depth} >= 0) return route{depth};");
                w.Line("break;");
                w.Close();
            }
            w.Close();
        }
        else if (node.Literals.Count > 0)
        {
            EmitLiteralSwitch(node.Literals, depth, method);
        }
        foreach (var (value, child) in node.Typed)
        {
            w.Open($"if ({TryParse(value, segment, "out values." + _slots.Field(depth, value))})");
            EmitNode(child, depth + 1, method);
            w.Close();
        }
        if (node.Text is { } text)
        {
            w.Open($"if (!{segment}.IsEmpty)");
            EmitNode(text, depth + 1, method);
            w.Close();
        }
        if (node.CatchAll is { } catchAll)
            w.Line($"if (count > {depth + 1} || !{segment}.IsEmpty) return {catchAll.Number}; // {Describe(catchAll)}");
        w.Close();
    }

    private static string TryParse(SimpleTypeInfo value, string text, string output) =>
        value.Kind == ValueKind.Enum
            ? $"EnumParsers.TryParse({text}, {output})"
            : $"{Dispatching}.ValueParser.TryParse({text}, {output})";

    private void EmitEnumParsers()
    {
        var enums = _routes.SelectMany(r => r.Handler.Parameters).Where(p => p.Kind == ValueKind.Enum)
            .GroupBy(p => p.Value.ElementTypeName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.First().Value).ToList();
        if (enums.Count == 0)
            return;
        var w = _w;
        w.Line();
        w.Line("/// <summary>Parses enum members by name, ignoring case; numbers are not members.</summary>");
        w.Line(GeneratedCode.Attribute);
        w.Open("file static class EnumParsers");
        foreach (var type in enums)
        {
            w.Open($"public static bool TryParse(global::System.ReadOnlySpan<char> text, out {type.ElementTypeName} value)");
            foreach (string member in type.EnumMembers)
            {
                w.Open($"if (global::System.MemoryExtensions.Equals(text, {CSharp.Literal(member)}, global::System.StringComparison.OrdinalIgnoreCase))");
                w.Line($"value = {type.ElementTypeName}.{CSharp.Escape(member)};");
                w.Line("return true;");
                w.Close();
            }
            w.Line("value = default;");
            w.Line("return false;");
            w.Close();
        }
        w.Close();
    }
}
