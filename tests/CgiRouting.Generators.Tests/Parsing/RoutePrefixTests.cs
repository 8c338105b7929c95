using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// <c>[RoutePrefix]</c>: the full template is what the dispatcher matches, what the conflict check compares, what
/// <c>--routes</c> lists and what diagnostics name; a malformed prefix is CGI020 on its argument, once per class.
/// </summary>
public class RoutePrefixTests
{
    private static DiagnosticResult At(DiagnosticDescriptor descriptor, int markup) => new DiagnosticResult(descriptor).WithLocation(markup);

    [Fact]
    public async Task Prefixed_routes_match_under_the_prefix_and_nowhere_else()
    {
        var dispatch = DispatcherLoader.Load("""
            [RoutePrefix("/api/v1")]
            public static class Todos
            {
                [Get("/")] public static string Root() => "root";
                [Get("/todos")] public static string List() => "list";
                [Get("/todos/<id>")] public static string ById(int id) => "todo " + id;
            }
            [RoutePrefix("/tenants/<tenant>")]
            public static class Tenants
            {
                [Get("/users/<id>")] public static string User(string tenant, int id) => tenant + " " + id;
            }
            public static class Plain
            {
                [Get("/todos")] public static string List() => "plain";
            }
            """, out string source);
        Assert.Equal("200 root", await dispatch.Get("GET", "/api/v1"));
        Assert.Equal("404 Not Found", await dispatch.Get("GET", "/api/v1/"));
        Assert.Equal("200 list", await dispatch.Get("GET", "/api/v1/todos"));
        Assert.Equal("200 todo 7", await dispatch.Get("GET", "/api/v1/todos/7"));
        Assert.Equal("404 Not Found", await dispatch.Get("GET", "/todos/7"));
        Assert.Equal("200 plain", await dispatch.Get("GET", "/todos"));
        Assert.Equal("200 acme 3", await dispatch.Get("GET", "/tenants/acme/users/3"));
        // The route table (--routes) and the dispatcher's comments have the full templates.
        Assert.Contains("GET\t/api/v1/todos/<id>\tTodos.ById", source);
        Assert.Contains("GET\t/tenants/<tenant>/users/<id>\tTenants.User", source);
        Assert.Contains("// GET /api/v1 -> Todos.Root", source);
    }

    [Fact]
    public Task A_prefixed_route_conflicts_with_a_plain_route_of_the_same_full_template() =>
        new CgiRoutingTest(
            """[RoutePrefix("/api")] public static class A { [Get({|#1:"/u/<id>"|})] public static string ById(int id) => ""; }""",
            """public static class B { [Get({|#0:"/api/u/<n>"|})] public static string ByNumber(int n) => ""; }""")
        {
            ExpectedDiagnostics =
            {
                At(DiagnosticDescriptors.RouteConflict, 0).WithLocation(1)
                    .WithArguments("GET", "/api/u/<n>", "B.ByNumber", "/api/u/<id>", "A.ById", "/api/u/1"),
            },
        }.RunAsync();

    [Fact]
    public Task Near_miss_the_same_template_under_another_prefix_or_none_is_legal() => new CgiRoutingTest(
        """[RoutePrefix("/api")] public static class A { [Get("/u/<id>")] public static string ById(int id) => ""; [Get("/")] public static string Root() => ""; }""",
        """[RoutePrefix("/v2")] public static class B { [Get("/u/<id>")] public static string ById(int id) => ""; }""",
        """public static class C { [Get("/u/<id>")] public static string ById(int id) => ""; [Get("/api/u/<name>")] public static string ByName(string name) => ""; }""")
        .RunAsync();

    [Fact]
    public Task The_root_under_a_prefix_is_the_prefix_itself() =>
        new CgiRoutingTest(
            """[RoutePrefix("/api")] public static class A { [Get({|#1:"/"|})] public static string Root() => ""; }""",
            """public static class B { [Get({|#0:"/api"|})] public static string Api() => ""; }""")
        {
            ExpectedDiagnostics =
            {
                At(DiagnosticDescriptors.RouteConflict, 0).WithLocation(1).WithArguments("GET", "/api", "B.Api", "/api", "A.Root", "/api"),
            },
        }.RunAsync();

    [Fact]
    public Task A_parameter_in_both_prefix_and_template_is_CGI001_on_the_template() => new CgiRoutingTest(
        """[RoutePrefix("/t/<id>")] public static class H { [Get({|#0:"/u/<id>"|})] public static string A(int id) => ""; }""")
    {
        ExpectedDiagnostics =
        {
            At(DiagnosticDescriptors.InvalidTemplate, 0).WithArguments("/t/<id>/u/<id>", "parameter 'id' occurs twice (with the prefix '/t/<id>' of H)"),
        },
    }.RunAsync();

    [Fact]
    public Task Percent_encoding_in_a_prefix_is_CGI017_on_the_prefix() => new CgiRoutingTest(
        """[RoutePrefix({|#0:"/a%20b"|})] public static class H { [Get("/x")] public static string A() => ""; }""")
    {
        ExpectedDiagnostics = { At(DiagnosticDescriptors.PercentEncodedLiteral, 0).WithArguments("a%20b", "/a%20b", "%20") },
    }.RunAsync();

    [Fact]
    public void Template_diagnostics_name_the_full_template()
    {
        var result = GeneratorHarness.Run("""
            [RoutePrefix("/api")]
            public static class H { [Get("/u/<id>")] public static string A(int ident) => ""; }
            """);
        var diagnostic = Assert.Single(result.WithId("CGI002"));
        Assert.Contains("'/api/u/<id>'", diagnostic.GetMessage());
    }
}

/// <summary>CGI020, with the other diagnostics (<see cref="DiagnosticTests.Every_descriptor_is_tested_here"/>).</summary>
public partial class DiagnosticTests
{
    [Theory]
    [InlineData("api", "it must start with '/'")]
    [InlineData("", "it must start with '/'")]
    [InlineData("/", "'/' prefixes nothing; remove [RoutePrefix], or give it a segment such as '/api'")]
    [InlineData("/api/", "it must not end with '/'")]
    [InlineData("/a//b", "it has an empty segment ('//')")]
    [InlineData("/files/<path...>", "a prefix cannot end in a catch-all ('<path...>'): the routes' own segments follow it")]
    public Task CGI020_malformed_prefix_is_reported_once_on_its_argument(string prefix, string reason) =>
        new CgiRoutingTest($$"""
            [RoutePrefix({|#0:"{{prefix}}"|})]
            public static class H
            {
                [Get("/a")] public static string A() => "";
                [Get("/b")] public static string B() => "";
            }
            """)
        {
            ExpectedDiagnostics = { At(DiagnosticDescriptors.InvalidRoutePrefix, 0).WithArguments(prefix, "H", reason) },
        }.RunAsync();

    [Fact]
    public Task CGI020_on_one_part_of_a_partial_class_is_reported_once() => new CgiRoutingTest(
        """[RoutePrefix({|#0:"api"|})] public static partial class H { [Get("/a")] public static string A() => ""; }""",
        """public static partial class H { [Get("/b")] public static string B() => ""; }""")
    {
        ExpectedDiagnostics = { At(DiagnosticDescriptors.InvalidRoutePrefix, 0).WithArguments("api", "H", "it must start with '/'") },
    }.RunAsync();

    [Fact]
    public Task CGI020_near_miss() => Verify("""
        [RoutePrefix("/api/<version>/x.y")]
        public static class H { [Get("/")] public static string A(int version) => ""; }
        [RoutePrefix("/v")]
        public sealed record R { [Get("/r")] public static string B() => ""; }
        """);
}
