using System;
using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators.Json;

/// <summary>
/// What the generated JSON writers and readers share: the shapes they are proven against, kept per context (a type
/// reached from two contexts may be written differently by each); the root methods the dispatcher calls; the one
/// scope of names; and the emitted class, whose root methods come first and whose other methods, one per
/// (context, type), are emitted as the roots reach them.
/// </summary>
internal abstract class JsonCodeEmitter
{
    protected const string Dispatching = "global::CgiRouting.Dispatching";

    /// <summary>The shapes of the types the emitted methods handle, by <see cref="Key"/>.</summary>
    protected readonly Dictionary<string, JsonShapeSpec> _shapes = new(StringComparer.Ordinal);

    /// <summary>The root method of each covered type, as <c>ClassName.Method</c>.</summary>
    protected readonly Dictionary<string, string> _roots = new(StringComparer.Ordinal);

    /// <summary>The context that answers for each covered root type.</summary>
    protected readonly Dictionary<string, string> _rootContexts = new(StringComparer.Ordinal);

    protected readonly UniqueNames _names = new();

    protected static string Key(string context, string type) => context + " " + type;

    /// <summary>
    /// Each of <paramref name="types"/> with the context that declares it (the one the route table bound it to);
    /// a type with none is left out, since CGI011 is reported for it.
    /// </summary>
    protected static IEnumerable<(string Type, string ContextName, JsonContextSpec Context)> WithContexts(RouteTableSpec table, IEnumerable<string> types)
    {
        var contexts = table.JsonContexts.ToDictionary(c => c.TypeName, StringComparer.Ordinal);
        var bindings = table.JsonTypes.ToDictionary(j => j.TypeName, j => j.ContextTypeName, StringComparer.Ordinal);
        foreach (string type in types.Distinct().OrderBy(t => t, StringComparer.Ordinal))
        {
            if (bindings.TryGetValue(type, out var contextName) && contexts.TryGetValue(contextName, out var context))
                yield return (type, contextName, context);
        }
    }

    /// <summary>Makes <paramref name="type"/> a root of <paramref name="contextName"/>, named after <paramref name="prefix"/>.</summary>
    protected void AddRoot(string type, string contextName, JsonContextSpec context, string className, string prefix)
    {
        foreach (var s in context.Shapes)
            _shapes[Key(contextName, s.TypeName)] = s;
        _rootContexts[type] = contextName;
        _roots[type] = className + "." + _names.Make(prefix + CSharp.Shorten(type));
    }

    /// <summary>
    /// Emits <c>file static class <paramref name="className"/></c>: the root methods (<paramref name="emitRoot"/>
    /// for each, in type order), then <paramref name="emitMore"/>, then every method the others queued, once each.
    /// </summary>
    protected void EmitClass(SourceWriter w, string className, string summary,
        Action<string, JsonShapeSpec, string, Queue<(string Context, string Type)>> emitRoot,
        Action<bool, Queue<(string Context, string Type)>>? emitMore,
        Action<string, JsonShapeSpec, Queue<(string Context, string Type)>> emitMethod)
    {
        w.Line();
        // Type names carry no nullable annotations inside generic arguments (List<string?> is List<string> here):
        // the emitted code checks for null wherever System.Text.Json writes or reads null.
        w.Line("#nullable disable warnings");
        w.Line($"/// <summary>{summary}</summary>");
        w.Line(GeneratedCode.Attribute);
        w.Open($"file static class {className}");
        var pending = new Queue<(string Context, string Type)>();
        bool first = true;
        foreach (var root in _roots.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!first)
                w.Line();
            first = false;
            string context = _rootContexts[root.Key];
            emitRoot(context, _shapes[Key(context, root.Key)], root.Value.Substring(className.Length + 1), pending);
        }
        emitMore?.Invoke(first, pending);
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var (context, type) = pending.Dequeue();
            if (emitted.Add(Key(context, type)))
            {
                w.Line();
                emitMethod(context, _shapes[Key(context, type)], pending);
            }
        }
        w.Close();
        w.Line("#nullable restore warnings");
    }
}
