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
    [InlineData("""public static class H { [Post("/fire")] public static async {|#0:void|} Fire() { await Task.Yield(); } }""")]
    [InlineData("""public static class H { [Post("/fire")] public static async {|#0:void|} Fire(int n) { await Task.Delay(n); } }""")]
    public Task CGI019_async_void_handler(string code) =>
        Verify(code, At(DiagnosticDescriptors.AsyncVoidHandler, 0).WithArguments("H.Fire"));

    [Fact]
    public Task CGI019_near_miss() => Verify("""
        public static class H
        {
            [Post("/fire")] public static async Task Fire() { await Task.Yield(); }
            [Post("/sync")] public static void Sync() { }
        }
        """);

    // Before: no diagnostic, and CS1620/CS1615 inside the generated dispatcher (which the library would report too).
    [Theory]
    [InlineData("ref int", "")]
    [InlineData("out int", "id = default; ")]
    [InlineData("in int", "")]
    [InlineData("ref string", "")]
    public Task CGI004_ref_parameter_named_in_the_template(string type, string body) =>
        Verify($$"""public static class H { [Get("/u/<id>")] public static string A({{type}} {|#0:id|}) { {{body}}return ""; } }""",
            At(DiagnosticDescriptors.UnbindableParameter, 0)
                .WithArguments("id", "H.A", "ref, out and in parameters cannot be bound; template '/u/<id>' binds it from the path"));

    [Theory]
    [InlineData("[Query] int", "[Query]")]
    [InlineData("[Query(\"key\")] string", "[Query]")]
    [InlineData("[Header(\"X-Id\")] int", "[Header]")]
    [InlineData("[Body] string", "[Body]")]
    [InlineData("[Cookie(\"id\")] int", "[Cookie]")]
    public Task CGI015_binding_attribute_on_a_template_parameter(string parameter, string attribute) =>
        Verify($$"""public static class H { [Post("/u/<id>")] public static string A({{parameter}} {|#0:id|}) => ""; }""",
            At(DiagnosticDescriptors.InvalidBindingAttribute, 0).WithArguments("id", "H.A",
                $"template '/u/<id>' binds it from the path, so {attribute} does not apply; remove {attribute} or rename the template parameter"));

    [Fact]
    public Task CGI015_near_miss_attribute_on_a_parameter_the_template_does_not_bind() => Verify("""
        public static class H { [Get("/u/<id>")] public static string A(int id, [Query] int page, [Header("X-Id")] string? x) => ""; }
        """);

    [Theory]
    [InlineData("/e/<entry>", "entry", "int entryId", " (did you mean 'entryId'?)")]
    [InlineData("/e/<entryid>", "entryid", "int entryId", " (did you mean 'entryId'?)")]
    [InlineData("/e/<entyrId>", "entyrId", "int entryId", " (did you mean 'entryId'?)")]
    [InlineData("/e/<id>", "id", "string name", "")]
    public Task CGI002_suggests_the_closest_parameter(string template, string name, string parameter, string hint) =>
        Verify($$"""public static class H { [Get({|#0:"{{template}}"|})] public static string A({{parameter}}) => ""; }""",
            At(DiagnosticDescriptors.UnboundTemplateParameter, 0).WithArguments(template, name, "H.A", hint));
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
