using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>Handler mistakes that compiled silently, or failed inside generated code, before issue 9.</summary>
public partial class DiagnosticTests
{
    [Theory]
    [InlineData("""public static class H { [Post("/fire")] public static async void Fire() { await Task.Yield(); } }""")]
    [InlineData("""public static class H { [Post("/fire")] public static async void Fire(int n) { await Task.Delay(n); } }""")]
    public void CGI019_async_void_handler(string code) => AssertFires("CGI019", "void", code);

    [Fact]
    public void CGI019_near_miss() => AssertLegal("""
        public static class H
        {
            [Post("/fire")] public static async Task Fire() { await Task.Yield(); }
            [Post("/sync")] public static void Sync() { }
        }
        """);

    [Theory]
    [InlineData("ref int id")]
    [InlineData("out int id")]
    [InlineData("in int id")]
    [InlineData("ref string id")]
    public void CGI004_ref_parameter_named_in_the_template(string parameter)
    {
        string code = $$"""public static class H { [Get("/u/<id>")] public static string A({{parameter}}) { {{(parameter.StartsWith("out") ? "id = default; " : "")}}return ""; } }""";
        AssertFires("CGI004", "id", code);
        var result = Run(Types + code);
        Assert.Contains("ref, out and in parameters cannot be bound", result.WithId("CGI004")[0].GetMessage());
        Assert.Empty(result.CompilerErrors); // before: CS1620 inside the generated dispatcher
    }

    [Theory]
    [InlineData("[Query] int id", "[Query]")]
    [InlineData("[Query(\"key\")] string id", "[Query]")]
    [InlineData("[Header(\"X-Id\")] int id", "[Header]")]
    [InlineData("[Body] string id", "[Body]")]
    public void CGI015_binding_attribute_on_a_template_parameter(string parameter, string attribute)
    {
        string code = $$"""public static class H { [Post("/u/<id>")] public static string A({{parameter}}) => ""; }""";
        AssertFires("CGI015", "id", code);
        Assert.Contains($"template '/u/<id>' binds it from the path, so {attribute} does not apply",
            Run(Types + code).WithId("CGI015")[0].GetMessage());
    }

    [Fact]
    public void CGI015_near_miss_attribute_on_a_parameter_the_template_does_not_bind() => AssertLegal("""
        public static class H { [Get("/u/<id>")] public static string A(int id, [Query] int page, [Header("X-Id")] string? x) => ""; }
        """);

    [Theory]
    [InlineData("/e/<entry>", "int entryId", " (did you mean 'entryId'?)")]
    [InlineData("/e/<entryid>", "int entryId", " (did you mean 'entryId'?)")]
    [InlineData("/e/<entyrId>", "int entryId", " (did you mean 'entryId'?)")]
    [InlineData("/e/<id>", "string name", "")]
    public void CGI002_suggests_the_closest_parameter(string template, string parameter, string hint)
    {
        string code = $$"""public static class H { [Get("{{template}}")] public static string A({{parameter}}) => ""; }""";
        AssertFires("CGI002", "\"" + template + "\"", code);
        Assert.EndsWith("has no parameter named '" + template.Split('<', '>')[1] + "'" + hint, Run(Types + code).WithId("CGI002")[0].GetMessage());
    }
}

/// <summary>Names in the generated file are unique however handlers, types and methods are named.</summary>
public class UniqueNameTests
{
    [Theory]
    // Handler A.B with two binding shapes beside a method A.B_2, whose name the second shape would otherwise take.
    [InlineData("""
        public static class A
        {
            [Get("/x/<id>")] [Get("/x")] public static string B(int id) => "B " + id;
            [Get("/y")] public static string B_2() => "B_2";
        }
        """, "/x/5 -> B 5", "/x?id=6 -> B 6", "/y -> B_2")]
    // The JSON type info of type Foo (Json_Foo) beside the invoker of Json.Foo.
    [InlineData("""
        public sealed record Foo(int N);
        [System.Text.Json.Serialization.JsonSerializable(typeof(Foo))]
        internal partial class Ctx : System.Text.Json.Serialization.JsonSerializerContext { }
        public static class Json { [Get("/foo")] public static Foo Foo() => new(1); }
        public static class Other { [Get("/f/<n>")] public static Foo Make(int n) => new(n); }
        """, "/foo -> {\"N\":1}", "/f/2 -> {\"N\":2}")]
    // A.B_C and A_B.C both read as A_B_C.
    [InlineData("""
        public static class A { [Get("/1")] public static string B_C() => "A.B_C"; }
        public static class A_B { [Get("/2")] public static string C() => "A_B.C"; }
        """, "/1 -> A.B_C", "/2 -> A_B.C")]
    public async Task Colliding_names_compile_and_dispatch(string code, params string[] expectations)
    {
        var dispatch = DispatcherLoader.Load(code, out string source);
        var definitions = Regex.Matches(source, @"private static [^\n]*? (\w+)\(").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(definitions.Count, definitions.Distinct().Count());
        foreach (string expectation in expectations)
        {
            string[] parts = expectation.Split(" -> ", 2);
            Assert.Equal("200 " + parts[1], await dispatch.Get("GET", parts[0]));
        }
    }

    [Fact]
    public async Task Custom_methods_whose_names_differ_only_in_punctuation()
    {
        var dispatch = DispatcherLoader.Load("""
            public static class H
            {
                [Route("M-S", "/x")] public static string Dash() => "dash";
                [Route("M_S", "/x")] public static string Underscore() => "underscore";
                [Route("M.S", "/x")] public static string Dot() => "dot";
            }
            """, out _);
        Assert.Equal("200 dash", await dispatch.Get("M-S", "/x"));
        Assert.Equal("200 underscore", await dispatch.Get("M_S", "/x"));
        Assert.Equal("200 dot", await dispatch.Get("M.S", "/x"));
    }
}

/// <summary>What the emitted code does, read from the source where behaviour cannot tell.</summary>
public class EmittedCodeTests
{
    [Fact]
    public async Task A_path_value_is_parsed_once()
    {
        var dispatch = DispatcherLoader.Load("""
            public enum Size { Small, Large }
            public static class H { [Get("/u/<id>/<size>")] public static string A(int id, Size size) => id + " " + size; }
            """, out string source);
        Assert.Equal("200 7 Large", await dispatch.Get("GET", "/u/7/large"));
        // The matcher parses each typed segment; the invoker receives the values (before: it parsed them again).
        Assert.Single(Regex.Matches(source, @"ValueParser\.TryParse\("));
        Assert.Single(Regex.Matches(source, @"EnumParsers\.TryParse\(segment"));
        Assert.Contains("H_A(request, values.Segment1_int, values.Segment2_Size)", source);
    }

    [Fact]
    public async Task One_invoker_per_handler_and_binding_shape()
    {
        var dispatch = DispatcherLoader.Load("""
            public static class H
            {
                [Put("/p/<id>")] [Patch("/p/<id>")] [Post("/q/<id>")] [Post("/q")]
                public static string Update(int id) => "u" + id;
            }
            """, out string source);
        Assert.Equal("200 u1", await dispatch.Get("PUT", "/p/1"));
        Assert.Equal("200 u2", await dispatch.Get("PATCH", "/p/2"));
        Assert.Equal("200 u3", await dispatch.Get("POST", "/q/3"));
        Assert.Equal("200 u4", await dispatch.Get("POST", "/q?id=4"));
        // Three routes bind id from the path: one invoker; one binds it from the query: a second.
        var invokers = Regex.Matches(source, @"private static [^\n]*ValueTask<global::CgiRouting\.Response> (H_Update\w*)\(").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["H_Update", "H_Update_2"], invokers);
    }

    [Fact]
    public void Default_values_are_literals_of_the_parameter_type()
    {
        var result = Run("""
            public enum Color { Red, Green }
            public static class H
            {
                [Get("/s")] public static string S(int page = 1, long big = 5, byte b = 2, double d = 1.5, Color c = Color.Green, Color? n = null, uint u = 3) => "";
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilerErrors);
        string source = result.Source!;
        Assert.Contains("int p_page = 1;", source);
        Assert.Contains("long p_big = 5;", source);
        Assert.Contains("byte p_b = 2;", source);
        Assert.Contains("global::Color p_c = global::Color.Green;", source);
        Assert.DoesNotMatch(@"= \((int|long|byte|uint|double)\)", source);
    }
}
