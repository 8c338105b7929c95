using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// One test per diagnostic ID: it fires where it must, on the marked text, with nothing else reported; and the
/// near-miss stays legal (no diagnostic, no compiler error or warning, a dispatcher generated).
/// </summary>
public partial class DiagnosticTests
{
    private const string Types = """
        public sealed record NewItem(string Name);
        public enum Color { Red, Green }
        public sealed class WithList { public System.Collections.Generic.List<string> Items { get; set; } = new(); }
        public abstract class Abstract { public string? Name { get; set; } }
        public sealed class TwoConstructors { public TwoConstructors(int a) { } public TwoConstructors(string b) { } }
        """;

    /// <summary>Runs the generator over <see cref="Types"/> and <paramref name="code"/>, whose markup says what it reports.</summary>
    private static async Task<CgiRoutingTest> Verify(string code, params DiagnosticResult[] expected)
    {
        var test = new CgiRoutingTest(Types + code);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
        return test;
    }

    /// <summary>A diagnostic of <paramref name="descriptor"/> on the text marked <c>{|#n:...|}</c>.</summary>
    private static DiagnosticResult At(DiagnosticDescriptor descriptor, int markup) => new DiagnosticResult(descriptor).WithLocation(markup);

    [Theory]
    [InlineData("users", "it must start with '/'")]
    [InlineData("", "it must start with '/'")]
    [InlineData("/a//b", "it has an empty segment ('//')")]
    [InlineData("/a/", "it must not end with '/'")]
    [InlineData("/<>", "a parameter has no name ('<>')")]
    [InlineData("/<...>", "a parameter has no name ('<>')")]
    [InlineData("/<id", "segment '<id' has unbalanced '<' and '>'")]
    [InlineData("/id>", "segment 'id>' has unbalanced '<' and '>'")]
    [InlineData("/<<id>>", "segment '<<id>>' has unbalanced '<' and '>'")]
    [InlineData("/a<id>", "segment 'a<id>' mixes text and a parameter; a parameter is a whole segment")]
    [InlineData("/<1x>", "parameter name '1x' is not a C# identifier")]
    [InlineData("/<a-b>", "parameter name 'a-b' is not a C# identifier")]
    [InlineData("/<a>/<a>", "parameter 'a' occurs twice")]
    [InlineData("/<p...>/x", "catch-all parameter '<p...>' must be the last segment")]
    [InlineData("/a?b=1", "segment 'a?b=1' has '?' or '#', which never reach PATH_INFO")]
    public Task CGI001_malformed_template(string template, string reason) =>
        Verify($$"""public static class H { [Get({|#0:"{{template}}"|})] public static string A(string a, string id, string p) => ""; }""",
            At(DiagnosticDescriptors.InvalidTemplate, 0).WithArguments(template, reason));

    [Fact]
    public Task CGI001_near_miss() => Verify("""
        public static class H
        {
            [Get("/")] public static string Root() => "";
            [Get("/a/<b>/<c...>")] public static string A(string b, string c) => "";
            [Get("/x.y/a_b/~z")] public static string B() => "";
        }
        """);

    [Fact]
    public async Task CGI002_template_parameter_without_handler_parameter()
    {
        await Verify("""public static class H { [Get({|CGI002:"/u/<id>"|})] public static string A(int ident) => ""; }""");
        await Verify("""public static class H { [Get("/u/<id>")] public static string A(int id) => ""; }""");
    }

    [Theory]
    [InlineData("NewItem")]
    [InlineData("int[]")]
    [InlineData("CgiRequest")]
    public Task CGI003_type_not_parsable_from_a_segment(string type) =>
        Verify($$"""public static class H { [Get("/u/<id>")] public static string A({{type}} {|CGI003:id|}) => ""; }""");

    [Fact]
    public Task CGI003_near_miss() => Verify("""
        public static class H
        {
            [Get("/a/<id>")] public static string A(Guid id) => "";
            [Get("/b/<id>")] public static string B(Color id) => "";
            [Get("/c/<id>")] public static string C(int? id) => "";
            [Get("/d/<id>")] public static string D(DateOnly id) => "";
        }
        """);

    [Theory]
    [InlineData("object", "o", "object cannot be read as JSON without knowing its type")]
    [InlineData("IDisposable", "d", "an interface cannot be read as JSON; use a concrete type")]
    [InlineData("ref int", "n", "ref, out and in parameters cannot be bound")]
    [InlineData("Stream", "s", "an abstract class cannot be read as JSON; use a concrete type")]
    [InlineData("Action", "a", "delegates cannot be bound")]
    public Task CGI004_unbindable_parameter(string type, string name, string reason) =>
        Verify($$"""public static class H { [Get("/x")] public static string A({{type}} {|#0:{{name}}|}) => ""; }""",
            At(DiagnosticDescriptors.UnbindableParameter, 0).WithArguments(name, "H.A",
                reason + "; it is not in template '/x', not CgiRequest, has no [Header] or [Body], and is not a simple type for the query string"));

    [Fact]
    public Task CGI004_near_miss() => Verify("""
        public static class H { [Post("/x")] public static string A(CgiRequest request, [Body] Stream s, string? q = null) => ""; }
        """);

    [Fact]
    public async Task CGI005_two_body_parameters()
    {
        await Verify("""public static class H { [Post("/x")] public static string A([Body] string a, [Body] byte[] {|CGI005:b|}) => ""; }""");
        await Verify("""public static class H { [Post("/x")] public static string A([Body] string a, string b) => ""; }""");
        await Verify("""public static class H { [Post("/x")] public static string A([Form] NewItem a, [Body] string {|CGI005:b|}) => ""; }""");
        // Fields and files of one form are one body.
        await Verify("""public static class H { [Post("/x")] public static string A([Form] NewItem a, [Form("n")] int n, CgiRouting.FormFile f, CgiRouting.FormFile[] g) => ""; }""");
    }

    [Fact]
    public async Task CGI006_body_on_unsupported_type()
    {
        await Verify("""public static class H { [Post("/x")] public static string A([Body] int {|CGI006:x|}) => ""; }""");
        await Verify("""public static class H { [Post("/x")] public static string A([Body] byte[] x) => ""; }""");
    }

    [Fact]
    public async Task CGI007_handler_not_static()
    {
        await Verify("""public class H { [Get("/x")] public string {|CGI007:A|}() => ""; }""");
        await Verify("""public class H { [Get("/x")] public static string A() => ""; }""");
    }

    [Theory]
    [InlineData("""public static class H { [Get("/x")] private static string {|CGI008:A|}() => ""; }""")]
    // Not a static class: protected members are illegal there (CS1057).
    [InlineData("""public class H { [Get("/x")] protected internal static string B() => ""; [Get("/y")] private protected static string {|CGI008:A|}() => ""; }""")]
    [InlineData("""public static class O { private static class H { [Get("/x")] public static string {|CGI008:A|}() => ""; } }""")]
    public Task CGI008_handler_not_accessible(string code) => Verify(code);

    [Fact]
    public Task CGI008_near_miss() => Verify("""
        internal static class O { internal static class H { [Get("/x")] internal static string A() => ""; } }
        """);

    [Theory]
    [InlineData("""public static class H { [Get("/x")] public static string {|CGI009:A|}<T>() => ""; }""")]
    [InlineData("""public static class H<T> { [Get("/x")] public static string {|CGI009:A|}() => ""; }""")]
    public Task CGI009_generic_handler(string code) => Verify(code);

    [Theory]
    [InlineData("object")]
    [InlineData("Task<Task>")]
    [InlineData("Task<System.Collections.Generic.IAsyncEnumerable<NewItem>>")]
    [InlineData("System.Collections.Generic.IAsyncEnumerable<object>")]
    [InlineData("IDisposable")]
    public Task CGI010_unsupported_return_type(string type) =>
        Verify($$"""public static class H { [Get("/x")] public static {|CGI010:{{type}}|} A() => throw null!; }""");

    [Fact]
    public Task CGI010_near_miss() => Verify("""
        public static class H
        {
            [Get("/a")] public static Task<string> A() => Task.FromResult("");
            [Get("/b")] public static ValueTask B() => default;
            [Get("/c")] public static byte[] C() => [];
            [Get("/d")] [Produces(204)] public static Task<Response> D() => Task.FromResult(Response.Empty());
            [Get("/e")] public static void E() { }
        }
        """);

    [Fact]
    public async Task CGI010_near_miss_streamed_items()
    {
        var test = await Verify("""
            [System.Text.Json.Serialization.JsonSerializable(typeof(NewItem))]
            internal partial class Ctx : System.Text.Json.Serialization.JsonSerializerContext { }
            public static class H
            {
                [Get("/s")] public static async System.Collections.Generic.IAsyncEnumerable<NewItem> S() { await Task.Yield(); yield return new NewItem("a"); }
            }
            """);
        // The item type has a generated writer: the stream never touches its JsonTypeInfo.
        Assert.Contains("HandlerResults.Stream(global::H.S(), request, null)", test.Dispatcher);
    }

    [Fact]
    public async Task CGI011_streamed_item_type_without_context()
        => await Verify("""public static class H { [Get("/x")] public static {|CGI011:System.Collections.Generic.IAsyncEnumerable<NewItem>|} A() => null!; }""");

    [Fact]
    public async Task CGI011_json_type_without_context()
    {
        await Verify("""public static class H { [Post("/x")] public static string A(NewItem {|CGI011:item|}) => ""; }""");
        await Verify("""public static class H { [Get("/x")] public static {|CGI011:NewItem|} A() => null!; }""");
        var declared = await Verify("""
            [System.Text.Json.Serialization.JsonSerializable(typeof(NewItem))]
            internal partial class Ctx : System.Text.Json.Serialization.JsonSerializerContext { }
            public static class H { [Post("/x")] public static NewItem A(NewItem item) => item; }
            """);
        // Found through the context, the type is read and written by generated code, without its JsonTypeInfo.
        Assert.Contains("var p_item = JsonReaders.Read_NewItem(request);", declared.Dispatcher);
        Assert.Contains("JsonWriters.Respond_NewItem(", declared.Dispatcher);
        Assert.DoesNotContain("GetTypeInfo", declared.Dispatcher);
    }

    private const string FormHint = "; if it comes from an HTML form, mark it [Form]";

    [Fact]
    public Task CGI011_hints_form_for_a_posted_record_of_simple_values() => Verify("""
        public sealed record Signup(string Name, int Age, Color Favourite, string[] Tags, bool Newsletter = false);
        public sealed class Profile { public string? Bio { get; set; } public DateOnly Born { get; init; } }
        public static class H
        {
            [Post("/signup")] public static string A(Signup {|#0:signup|}) => "";
            [Post("/profile")] public static string B(Profile {|#1:profile|}) => "";
        }
        """,
        At(DiagnosticDescriptors.MissingJsonContext, 0).WithMessage(
            "Parameter 'signup' of H.A is JSON of type 'Signup', but no JsonSerializerContext in this project declares [JsonSerializable(typeof(Signup))]" + FormHint),
        At(DiagnosticDescriptors.MissingJsonContext, 1).WithMessage(
            "Parameter 'profile' of H.B is JSON of type 'Profile', but no JsonSerializerContext in this project declares [JsonSerializable(typeof(Profile))]" + FormHint));

    /// <summary>No hint where [Form] could not bind the type, or where no HTML form would send it (not POST, or a return value).</summary>
    [Fact]
    public Task CGI011_no_form_hint_when_form_would_not_bind_it() => Verify("""
        public sealed record Order(string Id, NewItem Item);
        public sealed record Empty();
        public static class H
        {
            [Post("/list")] public static string A(WithList {|#0:list|}) => "";
            [Post("/order")] public static string B(Order {|#1:order|}) => "";
            [Put("/item")] public static string C(NewItem {|#2:item|}) => "";
            [Post("/empty")] public static string D(Empty {|#3:empty|}) => "";
            [Post("/back")] public static {|#4:NewItem|} E() => null!;
        }
        """,
        At(DiagnosticDescriptors.MissingJsonContext, 0).WithMessage(
            "Parameter 'list' of H.A is JSON of type 'WithList', but no JsonSerializerContext in this project declares [JsonSerializable(typeof(WithList))]"),
        At(DiagnosticDescriptors.MissingJsonContext, 1).WithMessage(
            "Parameter 'order' of H.B is JSON of type 'Order', but no JsonSerializerContext in this project declares [JsonSerializable(typeof(Order))]"),
        At(DiagnosticDescriptors.MissingJsonContext, 2).WithMessage(
            "Parameter 'item' of H.C is JSON of type 'NewItem', but no JsonSerializerContext in this project declares [JsonSerializable(typeof(NewItem))]"),
        At(DiagnosticDescriptors.MissingJsonContext, 3).WithMessage(
            "Parameter 'empty' of H.D is JSON of type 'Empty', but no JsonSerializerContext in this project declares [JsonSerializable(typeof(Empty))]"),
        At(DiagnosticDescriptors.MissingJsonContext, 4).WithMessage(
            "The return value of H.E is JSON of type 'NewItem', but no JsonSerializerContext in this project declares [JsonSerializable(typeof(NewItem))]"));

    [Fact]
    public async Task CGI012_conflict_names_both_routes_and_a_path()
    {
        await new CgiRoutingTest(Types,
            """public static class A { [Get({|#1:"/u/<id>"|})] public static string ById(int id) => ""; }""",
            """public static class B { [Get({|#0:"/u/<n>"|})] public static string ByNumber(int n) => ""; }""")
        {
            ExpectedDiagnostics =
            {
                At(DiagnosticDescriptors.RouteConflict, 0).WithLocation(1)
                    .WithArguments("GET", "/u/<n>", "B.ByNumber", "/u/<id>", "A.ById", "/u/1"),
            },
        }.RunAsync();
        await Verify("""public static class A { [Get("/u/<id>")] public static string ById(int id) => ""; [Get("/u/<n>")] public static string ByName(string n) => ""; }""");
    }

    [Fact]
    public Task CGI012_same_route_twice_on_one_method() =>
        Verify("""public static class A { [Get({|#1:"/a"|})] [Get({|#0:"/a"|})] public static string Twice() => ""; }""",
            At(DiagnosticDescriptors.RouteConflict, 0).WithLocation(1).WithArguments("GET", "/a", "A.Twice", "/a", "A.Twice", "/a"));

    [Theory]
    [InlineData("")]
    [InlineData("GE T")]
    [InlineData("GET\\n")]
    public Task CGI013_invalid_http_method(string method) =>
        Verify($$"""public static class H { [Route({|CGI013:"{{method}}"|}, "/x")] public static string A() => ""; }""");

    [Fact]
    public Task CGI013_near_miss() => Verify("""public static class H { [Route("PROPFIND", "/x")] public static string A() => ""; }""");

    [Fact]
    public async Task CGI014_catch_all_not_string()
    {
        await Verify("""public static class H { [Get("/f/<p...>")] public static string A(int {|CGI014:p|}) => ""; }""");
        await Verify("""public static class H { [Get("/f/<p...>")] public static string A(string p) => ""; }""");
    }

    [Theory]
    [InlineData("[Header(\"X Bad\")] string")]
    [InlineData("[Header(\"X-Item\")] NewItem")]
    [InlineData("[Header(\"X-Items\")] int[]")]
    [InlineData("[Query] NewItem")]
    [InlineData("[Header(\"X\")][Query] string")]
    [InlineData("[Cookie(\"a b\")] string")]
    [InlineData("[Cookie(\"ids\")] int[]")]
    [InlineData("[Cookie(\"item\")] NewItem")]
    [InlineData("[Cookie(\"c\")][Header(\"X\")] string")]
    [InlineData("[Form] System.Collections.Generic.Dictionary<string, string>")]
    [InlineData("[Form] WithList")]
    [InlineData("[Form] Abstract")]
    [InlineData("[Form] TwoConstructors")]
    [InlineData("[Form][Query] string")]
    public Task CGI015_invalid_binding_attribute(string attributesAndType) =>
        Verify($$"""public static class H { [Get("/x")] public static string A({{attributesAndType}} {|CGI015:h|}) => ""; }""");

    [Fact]
    public Task CGI015_near_miss() => Verify("""
        public static class H { [Get("/x")] public static string A([Header("X-Count")] int? h, [Query("n")] int[]? numbers, [Cookie("theme")] string? theme, [Cookie("n")] int visits = 0) => ""; }
        """);

    [Fact]
    public Task CGI015_near_miss_form_types() => Verify("""
        public sealed record Guest(string Name, [Form("msg")] string Message, int? Age = null, bool Subscribe = false, CgiRouting.FormFile? Photo = null);
        public sealed class Settable { public string Title { get; set; } = ""; public int Count { get; set; } = 5; public string[] Tags { get; set; } = []; [Form("file")] public CgiRouting.FormFile[] Files { get; set; } = []; }
        public sealed class InitOnly { public required string Title { get; init; } public System.Guid? Id { get; init; } }
        public record struct Point(int X, int Y);
        public static class H
        {
            [Post("/a")] public static string A([Form] Guest g) => "";
            [Post("/b")] public static string B([Form] Settable s) => "";
            [Post("/c")] public static string C([Form] InitOnly i, [Form] Point p) => "";
        }
        """);

    [Fact]
    public Task A_handler_with_several_route_attribute_kinds_is_reported_once() =>
        Verify("""public class H { [Get("/x")] [Post("/x")] [Delete("/y")] public string {|CGI007:A|}() => ""; }""");

    [Fact]
    public void Every_descriptor_is_tested_here()
    {
        var ids = Catalogue.All().Select(d => d.Id).Where(id => id != "CGI000");
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name.Split('_')[0]).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id, tested));
    }
}
