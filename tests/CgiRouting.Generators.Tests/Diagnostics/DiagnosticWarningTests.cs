using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The warnings: legal but suspicious route tables. That #pragma suppresses them is tested by a real build
/// (CgiRouting.EndToEnd.Tests/BuildTests), since only the compiler applies #pragma.
/// </summary>
public partial class DiagnosticTests
{
    [Theory]
    [InlineData("Get", "[Body] string")]
    [InlineData("Head", "[Body] byte[]")]
    [InlineData("Get", "NewItem")]
    [InlineData("Get", "[Form] NewItem")]
    [InlineData("Get", "[Form(\"q\")] string")]
    [InlineData("Head", "CgiRouting.FormFile")]
    public async Task CGI016_body_on_get_or_head(string verb, string attributesAndType)
    {
        var test = await Verify($$"""
            [System.Text.Json.Serialization.JsonSerializable(typeof(NewItem))]
            internal partial class Ctx : System.Text.Json.Serialization.JsonSerializerContext { }
            public static class H { [{{verb}}("/x")] public static string A({{attributesAndType}} {|CGI016:b|}) => ""; }
            """);
        // A warning: the route is still served.
        Assert.Contains($"// {verb.ToUpperInvariant()} /x -> H.A", test.Dispatcher);
    }

    [Fact]
    public Task CGI016_near_miss() => Verify("""
        public static class H { [Post("/x")] [Put("/x")] [Delete("/x")] public static string A([Body] string b) => ""; }
        """);

    [Fact]
    public async Task CGI017_percent_encoded_literal()
    {
        await Verify("""public static class H { [Get({|CGI017:"/a%20b"|})] public static string A() => ""; }""");
        await Verify("""public static class H { [Get("/a b/100%/%zz")] public static string A() => ""; }""");
    }

    [Fact]
    public async Task CGI018_route_that_can_never_match()
    {
        await Verify("""public enum Empty { } public static class H { [Get("/x/<e>")] public static string A(Empty {|CGI018:e|}) => ""; }""");
        await Verify("""public enum One { A } public static class H { [Get("/x/<e>")] public static string A(One e) => ""; }""");
    }

    [Fact]
    public async Task CGI021_response_without_produces()
    {
        await Verify("""
            public static class H
            {
                [Get("/a")] public static Response {|#0:A|}() => Response.Empty();
                [Post("/b")] public static async Task<Response> {|#1:B|}() { await Task.Yield(); return Response.Empty(201); }
            }
            """,
            At(DiagnosticDescriptors.UndeclaredResponse, 0).WithArguments("H.A"),
            At(DiagnosticDescriptors.UndeclaredResponse, 1).WithArguments("H.B"));
    }

    [Fact]
    public async Task CGI021_near_miss()
    {
        // Declared answers, and handlers whose return type says what they answer.
        var test = await Verify("""
            public static class H
            {
                [Get("/a")] [Produces(200)] public static Response A() => Response.Empty(200);
                [Post("/b")] [Produces(201, typeof(NewItem))] [Produces(400)] public static ValueTask<Response> B() => new(Response.Empty(201));
                [Get("/c")] public static string C() => "";
                [Get("/d")] public static void D() { }
            }
            """);
        Assert.Contains("// GET /a -> H.A", test.Dispatcher);
    }
}
