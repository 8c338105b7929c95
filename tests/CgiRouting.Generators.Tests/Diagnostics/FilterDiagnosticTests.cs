using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>A [Filter] whose method cannot be called as a filter is CGI027 on the attribute: once for a class's filter.</summary>
public partial class DiagnosticTests
{
    private const string FilterMethods = """
        public static class F
        {
            public static Response? Before(CgiRequest request) => null;
            public static Response After(CgiRequest request, Response response) => response;
            public static Response Timed(CgiRequest request, Response response, TimeSpan elapsed) => response;
            public static Response? Instance(CgiRequest request) => null;
            public static string Wrong(CgiRequest request) => "";
            public static Response? Twice(CgiRequest request) => null;
            public static Response? Twice(CgiRequest request, int n) => null;
            public static Task<Response> Later(CgiRequest request) => Task.FromResult(Response.Empty());
            public static Response? Generic<T>(CgiRequest request) => null;
            private static Response? Hidden(CgiRequest request) => null;
            public static Response? Extra(CgiRequest request, int n) => null;
        }
        public sealed class Instances { public Response? Instance(CgiRequest request) => null; }
        """;

    private const string Signatures = "a filter is 'static Response? M(CgiRequest request)' (before the handler; a response answers instead of it), "
        + "'static Response M(CgiRequest request, Response response)' or 'static Response M(CgiRequest request, Response response, TimeSpan elapsed)' (after it)";

    [Theory]
    [InlineData("typeof(F), \"Missing\"", "F.Missing", "'F' has no method 'Missing'")]
    [InlineData("typeof(Instances), nameof(Instances.Instance)", "Instances.Instance", "it must be static: CgiRouting creates no instances")]
    [InlineData("typeof(F), nameof(F.Twice)", "F.Twice", "the method is overloaded; a filter names one method")]
    [InlineData("typeof(F), \"Generic\"", "F.Generic", "it is generic or declared in a generic type")]
    [InlineData("typeof(F), \"Hidden\"", "F.Hidden", "it and its containing types must be public or internal")]
    [InlineData("typeof(F), nameof(F.Wrong)", "F.Wrong", "'F.Wrong(CgiRequest)' does not fit; " + Signatures)]
    [InlineData("typeof(F), nameof(F.Later)", "F.Later", "'F.Later(CgiRequest)' does not fit; " + Signatures)]
    [InlineData("typeof(F), nameof(F.Extra)", "F.Extra", "'F.Extra(CgiRequest, int)' does not fit; " + Signatures)]
    public Task CGI027_a_handler_filter_that_cannot_be_called(string arguments, string name, string reason) =>
        Verify(FilterMethods + $$"""public static class H { [Get("/x")] [{|#0:Filter({{arguments}})|}] public static string A() => ""; }""",
            At(DiagnosticDescriptors.InvalidFilter, 0).WithArguments(name, "H.A", reason));

    [Fact]
    public Task CGI027_a_class_filter_is_reported_once() => Verify(FilterMethods + """
        [{|#0:Filter(typeof(F), nameof(F.Wrong))|}]
        public static class H
        {
            [Get("/a")] public static string A() => "";
            [Get("/b")] public static string B() => "";
        }
        """,
        At(DiagnosticDescriptors.InvalidFilter, 0).WithArguments("F.Wrong", "class H", "'F.Wrong(CgiRequest)' does not fit; " + Signatures));

    [Fact]
    public Task CGI027_near_miss() => Verify(FilterMethods + """
        [Filter(typeof(F), nameof(F.Before))]
        [Filter(typeof(F), nameof(F.After))]
        public static class H
        {
            [Get("/a")] [Filter(typeof(F), nameof(F.Timed))] [Filter(typeof(F), nameof(F.Before))] public static Task<string> A(int page = 1) => Task.FromResult("");
            [Post("/b")] [Authorize] [Filter(typeof(F), nameof(F.After))] public static void B([Body] string body) { }
        }
        """);
}
