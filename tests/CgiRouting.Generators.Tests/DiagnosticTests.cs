using System.Linq;
using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>One test per diagnostic ID: it fires where it must, on the right place, and not on the near-miss.</summary>
public partial class DiagnosticTests
{
    private const string Types = """
        public sealed record NewItem(string Name);
        public enum Color { Red, Green }
        """;

    private static void AssertFires(string id, string expectedLocatedText, string code)
    {
        var result = Run(Types + code);
        var diagnostic = Assert.Single(result.WithId(id));
        Assert.Equal(Catalogue.All().Single(d => d.Id == id).DefaultSeverity, diagnostic.Severity);
        Assert.Equal(expectedLocatedText, Result.LocatedText(diagnostic));
        Assert.EndsWith("docs/diagnostics.md#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri);
    }

    private static void AssertLegal(string code)
    {
        var result = Run(Types + code);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilerErrors);
        Assert.Empty(result.GeneratedCodeWarnings);
        Assert.NotNull(result.Source);
    }

    [Theory]
    [InlineData("users", "it must start with '/'")]
    [InlineData("", "it must start with '/'")]
    [InlineData("/a//b", "empty segment")]
    [InlineData("/a/", "must not end with '/'")]
    [InlineData("/<>", "has no name")]
    [InlineData("/<...>", "has no name")]
    [InlineData("/<id", "unbalanced")]
    [InlineData("/id>", "unbalanced")]
    [InlineData("/<<id>>", "unbalanced")]
    [InlineData("/a<id>", "mixes text and a parameter")]
    [InlineData("/<1x>", "not a C# identifier")]
    [InlineData("/<a-b>", "not a C# identifier")]
    [InlineData("/<a>/<a>", "occurs twice")]
    [InlineData("/<p...>/x", "must be the last segment")]
    [InlineData("/a?b=1", "'?' or '#'")]
    public void CGI001_malformed_template(string template, string reason)
    {
        string code = $$"""public static class H { [Get("{{template}}")] public static string A(string a, string id, string p) => ""; }""";
        AssertFires("CGI001", "\"" + template + "\"", code);
        Assert.Contains(reason, Run(Types + code).WithId("CGI001")[0].GetMessage());
    }

    [Fact]
    public void CGI001_near_miss() => AssertLegal("""
        public static class H
        {
            [Get("/")] public static string Root() => "";
            [Get("/a/<b>/<c...>")] public static string A(string b, string c) => "";
            [Get("/x.y/a_b/~z")] public static string B() => "";
        }
        """);

    [Fact]
    public void CGI002_template_parameter_without_handler_parameter()
    {
        AssertFires("CGI002", "\"/u/<id>\"", """public static class H { [Get("/u/<id>")] public static string A(int ident) => ""; }""");
        AssertLegal("""public static class H { [Get("/u/<id>")] public static string A(int id) => ""; }""");
    }

    [Theory]
    [InlineData("NewItem id")]
    [InlineData("int[] id")]
    [InlineData("CgiRequest id")]
    public void CGI003_type_not_parsable_from_a_segment(string parameter)
    {
        AssertFires("CGI003", parameter.Split(' ')[1], $$"""public static class H { [Get("/u/<id>")] public static string A({{parameter}}) => ""; }""");
    }

    [Fact]
    public void CGI003_near_miss() => AssertLegal("""
        public static class H
        {
            [Get("/a/<id>")] public static string A(Guid id) => "";
            [Get("/b/<id>")] public static string B(Color id) => "";
            [Get("/c/<id>")] public static string C(int? id) => "";
            [Get("/d/<id>")] public static string D(DateOnly id) => "";
        }
        """);

    [Theory]
    [InlineData("object o", "o")]
    [InlineData("IDisposable d", "d")]
    [InlineData("ref int n", "n")]
    [InlineData("Stream s", "s")]
    [InlineData("Action a", "a")]
    public void CGI004_unbindable_parameter(string parameter, string name)
    {
        var code = $$"""public static class H { [Get("/x")] public static string A({{parameter}}) => ""; }""";
        AssertFires("CGI004", name, code);
        Assert.Contains("not a simple type for the query string", Run(Types + code).WithId("CGI004")[0].GetMessage());
    }

    [Fact]
    public void CGI004_near_miss() => AssertLegal("""
        public static class H { [Post("/x")] public static string A(CgiRequest request, [Body] Stream s, string? q = null) => ""; }
        """);

    [Fact]
    public void CGI005_two_body_parameters()
    {
        AssertFires("CGI005", "b", """public static class H { [Post("/x")] public static string A([Body] string a, [Body] byte[] b) => ""; }""");
        AssertLegal("""public static class H { [Post("/x")] public static string A([Body] string a, string b) => ""; }""");
    }

    [Fact]
    public void CGI006_body_on_unsupported_type()
    {
        AssertFires("CGI006", "x", """public static class H { [Post("/x")] public static string A([Body] int x) => ""; }""");
        AssertLegal("""public static class H { [Post("/x")] public static string A([Body] byte[] x) => ""; }""");
    }

    [Fact]
    public void CGI007_handler_not_static()
    {
        AssertFires("CGI007", "A", """public class H { [Get("/x")] public string A() => ""; }""");
        AssertLegal("""public class H { [Get("/x")] public static string A() => ""; }""");
    }

    [Theory]
    [InlineData("""public static class H { [Get("/x")] private static string A() => ""; }""")]
    [InlineData("""public static class H { [Get("/x")] protected internal static string B() => ""; [Get("/y")] private protected static string A() => ""; }""")]
    [InlineData("""public static class O { private static class H { [Get("/x")] public static string A() => ""; } }""")]
    public void CGI008_handler_not_accessible(string code) => AssertFires("CGI008", "A", code);

    [Fact]
    public void CGI008_near_miss() => AssertLegal("""
        internal static class O { internal static class H { [Get("/x")] internal static string A() => ""; } }
        """);

    [Theory]
    [InlineData("""public static class H { [Get("/x")] public static string A<T>() => ""; }""")]
    [InlineData("""public static class H<T> { [Get("/x")] public static string A() => ""; }""")]
    public void CGI009_generic_handler(string code) => AssertFires("CGI009", "A", code);

    [Theory]
    [InlineData("object")]
    [InlineData("Task<Task>")]
    [InlineData("System.Collections.Generic.IAsyncEnumerable<int>")]
    [InlineData("IDisposable")]
    public void CGI010_unsupported_return_type(string type)
    {
        AssertFires("CGI010", type, $$"""public static class H { [Get("/x")] public static {{type}} A() => throw null!; }""");
    }

    [Fact]
    public void CGI010_near_miss() => AssertLegal("""
        public static class H
        {
            [Get("/a")] public static Task<string> A() => Task.FromResult("");
            [Get("/b")] public static ValueTask B() => default;
            [Get("/c")] public static byte[] C() => [];
            [Get("/d")] public static Task<Response> D() => Task.FromResult(Response.Empty());
            [Get("/e")] public static void E() { }
        }
        """);

    [Fact]
    public void CGI011_json_type_without_context()
    {
        AssertFires("CGI011", "item", """public static class H { [Post("/x")] public static string A(NewItem item) => ""; }""");
        AssertFires("CGI011", "NewItem", """public static class H { [Get("/x")] public static NewItem A() => null!; }""");
        var declared = Run(Types + """
            [System.Text.Json.Serialization.JsonSerializable(typeof(NewItem))]
            internal partial class Ctx : System.Text.Json.Serialization.JsonSerializerContext { }
            public static class H { [Post("/x")] public static NewItem A(NewItem item) => item; }
            """);
        Assert.Empty(declared.Diagnostics);
        Assert.Contains("global::Ctx.Default.GetTypeInfo(typeof(global::NewItem))", declared.Source);
    }

    [Fact]
    public void CGI012_conflict_names_both_routes_and_a_path()
    {
        var result = Run(Types, """public static class A { [Get("/u/<id>")] public static string ById(int id) => ""; }""",
            """public static class B { [Get("/u/<n>")] public static string ByNumber(int n) => ""; }""");
        var diagnostic = Assert.Single(result.WithId("CGI012"));
        Assert.Equal("GET /u/<n> (B.ByNumber) conflicts with GET /u/<id> (A.ById): both match '/u/1' with equal precedence; make one route more specific (a literal segment, or a parameter of another type) or give it another method", diagnostic.GetMessage());
        Assert.Equal("\"/u/<n>\"", Result.LocatedText(diagnostic));
        var other = Assert.Single(diagnostic.AdditionalLocations);
        Assert.Equal("\"/u/<id>\"", other.SourceTree!.GetText().ToString(other.SourceSpan));
        AssertLegal("""public static class A { [Get("/u/<id>")] public static string ById(int id) => ""; [Get("/u/<n>")] public static string ByName(string n) => ""; }""");
    }

    [Fact]
    public void CGI012_same_route_twice_on_one_method()
    {
        var result = Run(Types + """public static class A { [Get("/a")] [Get("/a")] public static string Twice() => ""; }""");
        Assert.Single(result.WithId("CGI012"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("GE T")]
    [InlineData("GET\\n")]
    public void CGI013_invalid_http_method(string method)
    {
        AssertFires("CGI013", "\"" + method + "\"", $$"""public static class H { [Route("{{method}}", "/x")] public static string A() => ""; }""");
    }

    [Fact]
    public void CGI013_near_miss() => AssertLegal("""public static class H { [Route("PROPFIND", "/x")] public static string A() => ""; }""");

    [Fact]
    public void CGI014_catch_all_not_string()
    {
        AssertFires("CGI014", "p", """public static class H { [Get("/f/<p...>")] public static string A(int p) => ""; }""");
        AssertLegal("""public static class H { [Get("/f/<p...>")] public static string A(string p) => ""; }""");
    }

    [Theory]
    [InlineData("[Header(\"X Bad\")] string h")]
    [InlineData("[Header(\"X-Item\")] NewItem h")]
    [InlineData("[Header(\"X-Items\")] int[] h")]
    [InlineData("[Query] NewItem h")]
    [InlineData("[Header(\"X\")][Query] string h")]
    public void CGI015_invalid_binding_attribute(string parameter)
    {
        AssertFires("CGI015", "h", $$"""public static class H { [Get("/x")] public static string A({{parameter}}) => ""; }""");
    }

    [Fact]
    public void CGI015_near_miss() => AssertLegal("""
        public static class H { [Get("/x")] public static string A([Header("X-Count")] int? h, [Query("n")] int[]? numbers) => ""; }
        """);

    [Fact]
    public void A_handler_with_several_route_attribute_kinds_is_reported_once()
    {
        var result = Run(Types + """public class H { [Get("/x")] [Post("/x")] [Delete("/y")] public string A() => ""; }""");
        Assert.Single(result.WithId("CGI007"));
    }

    [Fact]
    public void Every_descriptor_is_tested_here()
    {
        var ids = Catalogue.All().Select(d => d.Id).Where(id => id != "CGI000");
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name.Split('_')[0]).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id, tested));
    }
}
