using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The warnings: legal but suspicious route tables. That #pragma suppresses them is tested by a real build
/// (CgiRouting.EndToEnd.Tests/BuildTests), since only the compiler applies #pragma.
/// </summary>
public partial class DiagnosticTests
{
    [Theory]
    [InlineData("Get", "[Body] string b")]
    [InlineData("Head", "[Body] byte[] b")]
    [InlineData("Get", "NewItem b")]
    public void CGI016_body_on_get_or_head(string verb, string parameter)
    {
        string code = $$"""
            [System.Text.Json.Serialization.JsonSerializable(typeof(NewItem))]
            internal partial class Ctx : System.Text.Json.Serialization.JsonSerializerContext { }
            public static class H { [{{verb}}("/x")] public static string A({{parameter}}) => ""; }
            """;
        AssertFires("CGI016", "b", code);
        Assert.NotNull(Run(Types + code).Source); // a warning: the route is still served
    }

    [Fact]
    public void CGI016_near_miss() => AssertLegal("""
        public static class H { [Post("/x")] [Put("/x")] [Delete("/x")] public static string A([Body] string b) => ""; }
        """);

    [Fact]
    public void CGI017_percent_encoded_literal()
    {
        AssertFires("CGI017", "\"/a%20b\"", """public static class H { [Get("/a%20b")] public static string A() => ""; }""");
        AssertLegal("""public static class H { [Get("/a b/100%/%zz")] public static string A() => ""; }""");
    }

    [Fact]
    public void CGI018_route_that_can_never_match()
    {
        AssertFires("CGI018", "e", """public enum Empty { } public static class H { [Get("/x/<e>")] public static string A(Empty e) => ""; }""");
        AssertLegal("""public enum One { A } public static class H { [Get("/x/<e>")] public static string A(One e) => ""; }""");
    }
}
