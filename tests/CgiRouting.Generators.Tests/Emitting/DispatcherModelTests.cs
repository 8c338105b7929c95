// On the old harness (through DispatcherLoader): each generated table is compiled, loaded and called.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CgiRouting.Testing;
using CsCheck;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The generated dispatcher against a reference model: a plain, slow matcher of the documented precedence, written
/// from the documentation (docs/guide/routing.md) and nothing else. Random route tables (with no two routes of one method in the same precedence
/// class, so no conflict) are compiled with the real generator, and random requests drawn to hit their routes (and
/// to miss them) must get the answer the model gives: the same route with the same bound values, or the same 404,
/// 405 or 204 with the same <c>Allow</c>. CsCheck shrinks a failing table and request to a small one.
/// </summary>
public class DispatcherModelTests
{
    private const int Tables = 40;

    private const int RequestsPerTable = 200;

    /// <summary>A weighted choice for <c>Gen.Frequency</c>.</summary>
    private static (int, IGen<T>) W<T>(int weight, Gen<T> gen) => (weight, gen);

    /// <summary>What a template segment is, in the order of precedence at one position (lowest first).</summary>
    private enum Class { Literal, Bool, Color, Int32, Int64, Text, CatchAll }

    private sealed record Segment(Class Class, string Literal = "");

    private sealed record ModelRoute(string Method, Segment[] Segments)
    {
        public string Template => "/" + string.Join("/", Segments.Select((s, i) => s.Class switch
        {
            Class.Literal => s.Literal,
            Class.CatchAll => $"<p{i}...>",
            _ => $"<p{i}>",
        }));

        /// <summary>Two routes of a method whose segments have the same classes (and texts) would conflict.</summary>
        public string Shape => Method + " " + string.Join("/", Segments.Select(s => s.Class == Class.Literal ? "=" + s.Literal : s.Class.ToString()));

        public override string ToString() => Method + " " + Template;
    }

    private sealed record Request(string Method, string Path)
    {
        public override string ToString() => Method + " " + Path;
    }

    private static readonly string[] Literals = ["a", "b", "c"];
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PURGE"];
    private static readonly string[] StandardOrder = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private static readonly Gen<Segment> InnerSegment = Gen.Frequency(
        W(4, Gen.OneOf(Literals).Select(l => new Segment(Class.Literal, l))),
        W(3, Gen.OneOf(Class.Bool, Class.Color, Class.Int32, Class.Int64).Select(c => new Segment(c))),
        W(2, Gen.Const(new Segment(Class.Text))));

    private static readonly Gen<ModelRoute> RouteGen =
        from method in Gen.OneOf(Methods)
        from inner in InnerSegment.Array[0, 3]
        from catchAll in Gen.Int[0, 4]
        select new ModelRoute(method, catchAll == 0 ? [.. inner, new Segment(Class.CatchAll)] : inner);

    /// <summary>A route like <paramref name="route"/>: one segment redrawn, or the method, so that tables hold
    /// routes that compete at the same position (int beside long, a literal beside a parameter, ...).</summary>
    private static Gen<ModelRoute> Variant(ModelRoute route) =>
        from position in Gen.Int[0, route.Segments.Length]
        from segment in InnerSegment
        from method in Gen.OneOf(Methods)
        select position == route.Segments.Length || route.Segments[position].Class == Class.CatchAll
            ? route with { Method = method }
            : route with { Segments = route.Segments.Select((s, i) => i == position ? segment : s).ToArray() };

    /// <summary>Routes with no two in the same precedence class of one method: a table the generator accepts.</summary>
    private static readonly Gen<ModelRoute[]> TableGen = RouteGen
        .SelectMany(route => Variant(route).Array[0, 4].Select(variants => variants.Prepend(route)))
        .Array[1, 3]
        .Select(groups => groups.SelectMany(g => g).GroupBy(r => r.Shape).Select(g => g.First()).ToArray());

    // Segment values: each class's own, values that parse as another class, and near misses.
    private static readonly Dictionary<Class, string[]> Values = new()
    {
        [Class.Bool] = ["true", "FALSE"],
        [Class.Color] = ["Red", "green"],
        [Class.Int32] = ["0", "-5", "2147483647"],
        [Class.Int64] = ["2147483648", "-9000000000"],
        [Class.Text] = ["x", "a", "7", "true", "Red"],
        [Class.CatchAll] = ["x", "a/b", "1/2/3", "a/", "c/true"],
    };

    private static readonly string[] Noise = ["a", "b", "c", "1", "99999999999", "true", "Red", "zz", "", "Green", "-0"];

    private static Gen<Request> RequestGen(ModelRoute[] table)
    {
        var method = Gen.OneOf("GET", "HEAD", "POST", "PURGE", "DELETE", "OPTIONS");
        var hit = from route in Gen.OneOf(table)
                  from values in Gen.Int[0, 100].Array[route.Segments.Length]
                  from m in Gen.Frequency(W(3, Gen.Const(route.Method)), W(1, method))
                  select new Request(m, "/" + string.Join("/", route.Segments.Select((s, i) =>
                      s.Class == Class.Literal ? s.Literal : Values[s.Class][values[i] % Values[s.Class].Length])));
        var noise = from m in method
                    from parts in Gen.OneOf(Noise).Array[0, 4]
                    select new Request(m, "/" + string.Join("/", parts));
        return Gen.Frequency(W(4, hit), W(1, noise));
    }

    [Fact]
    public void The_generated_dispatcher_answers_as_the_model_does()
    {
        var cases = TableGen.SelectMany(table => RequestGen(table).Array[RequestsPerTable].Select(requests => (table, requests)));
        int tables = 0, routes = 0, checkedRequests = 0;
        cases.Sample(pair =>
        {
            var (table, requests) = pair;
            tables++;
            routes += table.Length;
            checkedRequests += requests.Length;
            var dispatch = DispatcherLoader.Load(Source(table), out _);
            foreach (var request in requests)
            {
                string expected = Model(table, request);
                string actual = Actual(dispatch, request).GetAwaiter().GetResult();
                if (expected != actual)
                    throw new Xunit.Sdk.XunitException($"{request}: the model says '{expected}', the dispatcher '{actual}'.\nTable:\n  "
                        + string.Join("\n  ", table.Select(r => r.ToString())));
            }
        }, iter: Tables * ReliabilityReport.Scale, threads: 1, print: p => string.Join("; ", p.table.Select(r => r.ToString())));
        ReliabilityReport.Write($"model, dispatcher: {tables} random route tables ({routes} routes) compiled by the generator, "
            + $"{checkedRequests} requests answered exactly as the reference model answers them");
    }

    private static async Task<string> Actual(Func<CgiRequest, ValueTask<Response>> dispatch, Request request)
    {
        var response = await dispatch(CgiRequest.Create(request.Method, request.Path));
        return response.StatusCode + " " + response.BodyText + (response.GetHeader("Allow") is { } allow ? " Allow: " + allow : "");
    }

    /// <summary>The app the generator compiles: one handler per route that names itself and every value it got.</summary>
    private static string Source(ModelRoute[] table)
    {
        var code = new StringBuilder("public enum Color { Red, Green }\npublic static class Routes\n{\n");
        for (int k = 0; k < table.Length; k++)
        {
            var route = table[k];
            var parameters = route.Segments.Select((s, i) => (s, i)).Where(p => p.s.Class != Class.Literal)
                .Select(p => (Type: p.s.Class switch
                {
                    Class.Bool => "bool",
                    Class.Color => "Color",
                    Class.Int32 => "int",
                    Class.Int64 => "long",
                    _ => "string",
                }, Name: "p" + p.i)).ToList();
            string values = string.Concat(parameters.Select(p => $" + \"|\" + global::System.FormattableString.Invariant($\"{{{p.Name}}}\")"));
            code.Append($"    [Route(\"{route.Method}\", \"{route.Template}\")] public static string R{k}(")
                .Append(string.Join(", ", parameters.Select(p => p.Type + " " + p.Name)))
                .Append($") => \"R{k}\"{values};\n");
        }
        return code.Append("}\n").ToString();
    }

    /// <summary>The answer the documented rules give, found by trying every route.</summary>
    private static string Model(ModelRoute[] table, Request request)
    {
        var segments = Split(request.Path);
        var methods = request.Method == "HEAD" ? new[] { "HEAD", "GET" } : new[] { request.Method };
        foreach (string method in methods)
        {
            // Of the routes of the method that match, the one whose classes are least at the first position where
            // they differ (literal, then the typed ones in their order, then text, then catch-all).
            var best = table.Select((route, k) => (route, k, match: Match(route, segments)))
                .Where(r => r.route.Method == method && r.match is not null)
                .OrderBy(r => r.route.Segments.Select(s => (int)s.Class).ToArray(), Lexicographic.Instance)
                .FirstOrDefault();
            if (best.match is { } values)
                return "200 R" + best.k + string.Concat(values.Select(v => "|" + v));
        }
        var tableMethods = table.Select(r => r.Method).Distinct().ToList();
        bool Matches(string method) => table.Any(r => r.Method == method && Match(r, segments) is not null);
        var allowed = StandardOrder.Concat(tableMethods.Where(m => !StandardOrder.Contains(m)).OrderBy(m => m, StringComparer.Ordinal))
            .Where(m => m == "HEAD" ? Matches("GET") || Matches("HEAD") : Matches(m))
            .ToList();
        if (allowed.Count == 0)
            return "404 Not Found";
        if (!allowed.Contains("OPTIONS"))
            allowed.Add("OPTIONS");
        return request.Method == "OPTIONS"
            ? "204  Allow: " + string.Join(", ", allowed)
            : "405 Method Not Allowed Allow: " + string.Join(", ", allowed);
    }

    /// <summary>PATH_INFO's segments: none for <c>/</c>; <c>/a/</c> is <c>a</c> and an empty one.</summary>
    private static List<string> Split(string path) => path is "" or "/" ? [] : path.Substring(1).Split('/').ToList();

    /// <summary>The values the route binds from <paramref name="segments"/>, or null when it does not match.</summary>
    private static List<string>? Match(ModelRoute route, List<string> segments)
    {
        var values = new List<string>();
        for (int i = 0; i < route.Segments.Length; i++)
        {
            var segment = route.Segments[i];
            if (segment.Class == Class.CatchAll)
            {
                // The rest of the path, one segment or more, not a lone empty one.
                if (segments.Count <= i || (segments.Count == i + 1 && segments[i] == ""))
                    return null;
                values.Add(string.Join("/", segments.Skip(i)));
                return values;
            }
            if (i >= segments.Count)
                return null;
            string text = segments[i];
            string? value = segment.Class switch
            {
                Class.Literal => text == segment.Literal ? "" : null,
                Class.Text => text.Length > 0 ? text : null,
                Class.Bool => text.Equals("true", StringComparison.OrdinalIgnoreCase) ? "True"
                    : text.Equals("false", StringComparison.OrdinalIgnoreCase) ? "False" : null,
                Class.Color => text.Equals("Red", StringComparison.OrdinalIgnoreCase) ? "Red"
                    : text.Equals("Green", StringComparison.OrdinalIgnoreCase) ? "Green" : null,
                Class.Int32 => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? n.ToString(CultureInfo.InvariantCulture) : null,
                Class.Int64 => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) ? l.ToString(CultureInfo.InvariantCulture) : null,
                _ => null,
            };
            if (value is null)
                return null;
            if (segment.Class != Class.Literal)
                values.Add(value);
        }
        return segments.Count == route.Segments.Length ? values : null;
    }

    private sealed class Lexicographic : IComparer<int[]>
    {
        public static readonly Lexicographic Instance = new();

        public int Compare(int[]? x, int[]? y)
        {
            for (int i = 0; i < Math.Min(x!.Length, y!.Length); i++)
            {
                if (x[i] != y[i])
                    return x[i].CompareTo(y[i]);
            }
            return x.Length.CompareTo(y.Length);
        }
    }

    // The conflict detector: CGI012 exactly when some request matches both routes with equal precedence.

    /// <summary>The classes of the conflict model: enums are one class (precedence does not order two enums).</summary>
    private enum Kind { Literal, Bool, Enum, Int32, Int64, Text, CatchAll }

    private sealed record PairSegment(Kind Kind, string Type, string Literal = "");

    private sealed record PairRoute(string Method, PairSegment[] Segments)
    {
        public string Template(int pair) => $"/t{pair}" + string.Concat(Segments.Select((s, i) => "/" + (s.Kind switch
        {
            Kind.Literal => s.Literal,
            Kind.CatchAll => $"<p{i}...>",
            _ => $"<p{i}>",
        })));

        public override string ToString() => Method + " " + Template(0);
    }

    private static readonly Dictionary<string, string[]> Enums = new()
    {
        ["Color"] = ["Red", "Green"],
        ["Tone"] = ["Red", "Blue"],
        ["Size"] = ["Small"],
    };

    private static readonly Gen<PairSegment> PairSegmentGen = Gen.Frequency(
        W(3, Gen.OneOf("a", "b").Select(l => new PairSegment(Kind.Literal, "", l))),
        W(1, Gen.Const(new PairSegment(Kind.Bool, "bool"))),
        W(1, Gen.Const(new PairSegment(Kind.Int32, "int"))),
        W(1, Gen.Const(new PairSegment(Kind.Int64, "long"))),
        W(2, Gen.OneOf(Enums.Keys.ToArray()).Select(e => new PairSegment(Kind.Enum, e))),
        W(2, Gen.Const(new PairSegment(Kind.Text, "string"))));

    private static readonly Gen<PairRoute> PairRouteGen =
        from method in Gen.OneOf("GET", "POST")
        from inner in PairSegmentGen.Array[0, 3]
        from catchAll in Gen.Int[0, 3]
        select new PairRoute(method, catchAll == 0 ? [.. inner, new PairSegment(Kind.CatchAll, "string")] : inner);

    /// <summary>A second route like the first: the same method mostly, and each segment kept or redrawn.</summary>
    private static Gen<(PairRoute, PairRoute)> PairGen =>
        from a in PairRouteGen
        from sameMethod in Gen.Int[0, 4]
        from keep in Gen.Int[0, 2].Array[a.Segments.Length]
        from redrawn in PairSegmentGen.Array[a.Segments.Length]
        from other in PairRouteGen
        from whole in Gen.Int[0, 5]
        select (a, whole == 0 ? other with { Method = sameMethod == 0 ? other.Method : a.Method }
            : new PairRoute(sameMethod == 0 ? (a.Method == "GET" ? "POST" : "GET") : a.Method,
                a.Segments.Select((s, i) => keep[i] > 0 || s.Kind == Kind.CatchAll ? s : redrawn[i]).ToArray()));

    [Fact]
    public void The_conflict_detector_agrees_with_the_model_in_both_orders()
    {
        int checkedPairs = 0;
        PairGen.Array[60].Sample(pairs =>
        {
            checkedPairs += pairs.Length;
            foreach (bool swapped in new[] { false, true })
            {
                var code = new StringBuilder(string.Concat(Enums.Select(e => $"public enum {e.Key} {{ {string.Join(", ", e.Value)} }}\n")));
                code.Append("public static class Pairs\n{\n");
                for (int k = 0; k < pairs.Length; k++)
                {
                    var (first, second) = swapped ? (pairs[k].Item2, pairs[k].Item1) : pairs[k];
                    code.Append(Handler(first, k, "A")).Append(Handler(second, k, "B"));
                }
                var result = GeneratorHarness.Run(code.Append("}\n").ToString());
                Assert.Empty(result.CompilerErrors);
                var reported = result.WithId("CGI012").Select(d => d.GetMessage()).ToList();
                for (int k = 0; k < pairs.Length; k++)
                {
                    bool expected = Conflict(pairs[k].Item1, pairs[k].Item2);
                    bool actual = reported.Any(m => m.Contains($"Pairs.A{k})") && m.Contains($"Pairs.B{k})"));
                    if (expected != actual)
                        throw new Xunit.Sdk.XunitException($"{pairs[k].Item1} and {pairs[k].Item2}: the model says {(expected ? "a conflict" : "none")}, the generator {(actual ? "reported one" : "none")} ({(swapped ? "B first" : "A first")}).");
                }
            }
        }, iter: 12 * ReliabilityReport.Scale, threads: 1, print: p => string.Join("; ", p.Select(x => x.Item1 + " ~ " + x.Item2)));
        ReliabilityReport.Write($"model, conflict detector: {checkedPairs} random route pairs, each in both orders ({2 * checkedPairs} checks), "
            + "reported as a conflict exactly when the model finds a path both match with equal precedence");
    }

    private static string Handler(PairRoute route, int pair, string side)
    {
        var parameters = route.Segments.Select((s, i) => (s, i)).Where(p => p.s.Kind != Kind.Literal).Select(p => p.s.Type + " p" + p.i);
        return $"    [Route(\"{route.Method}\", \"{route.Template(pair)}\")] public static string {side}{pair}({string.Join(", ", parameters)}) => \"\";\n";
    }

    /// <summary>Whether some path, drawn from every value that matters, matches both routes with equal precedence.</summary>
    private static bool Conflict(PairRoute a, PairRoute b)
    {
        if (a.Method != b.Method || !a.Segments.Select(s => s.Kind).SequenceEqual(b.Segments.Select(s => s.Kind)))
            return false; // different methods, or different precedence at some position
        string[] pool = ["a", "b", "true", "1", "2147483648", "x", "Red", "Green", "Blue", "Small", "x/y"];
        var paths = new List<List<string>> { new() };
        for (int i = 0; i < a.Segments.Length; i++)
            paths = paths.SelectMany(p => pool.Select(v => p.Append(v).ToList())).ToList();
        return paths.Any(p => PairMatch(a, p) && PairMatch(b, p));
    }

    private static bool PairMatch(PairRoute route, List<string> values)
    {
        for (int i = 0; i < route.Segments.Length; i++)
        {
            var s = route.Segments[i];
            string v = values[i];
            if (s.Kind != Kind.CatchAll && v.Contains('/'))
                return false; // one segment
            bool ok = s.Kind switch
            {
                Kind.Literal => v == s.Literal,
                Kind.Bool => v is "true" or "false",
                Kind.Int32 => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                Kind.Int64 => long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                Kind.Enum => Enums[s.Type].Contains(v, StringComparer.OrdinalIgnoreCase),
                _ => v.Length > 0,
            };
            if (!ok)
                return false;
        }
        return true;
    }
}
