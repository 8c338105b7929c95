// On the old harness (GeneratorHarness): one theory over 36 generated route pairs, asserting that the message names
// both routes and the shared path, whichever of the two is reported first. The test library would need each row to
// state which route carries the diagnostic and the exact message arguments; CGI012 itself is on the library in
// DiagnosticTests (both locations marked, arguments exact).
using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// Pairs of routes, each in its own class and file, through the real generator: a conflict is reported exactly
/// when some path matches both with equal precedence at every segment, with that path in the message.
/// </summary>
public class ConflictTableTests
{
    private const string Enums = """
        public enum Color { Red, Green }
        public enum Shade { Dark, Light }
        public enum Tone { red, Blue }
        """;

    [Theory]
    // method, template, parameters of the first route | the second | a path both match, or null
    [InlineData("GET", "/a", "", "GET", "/a", "", "/a")]
    [InlineData("GET", "/a", "", "POST", "/a", "", null)]
    [InlineData("GET", "/x", "", "HEAD", "/x", "", null)]
    [InlineData("PROPFIND", "/x", "", "PROPFIND", "/x", "", "/x")]
    [InlineData("GET", "/", "", "GET", "/", "", "/")]
    [InlineData("GET", "/", "", "GET", "/a", "", null)]
    [InlineData("GET", "/A", "", "GET", "/a", "", null)]
    [InlineData("GET", "/u/<id>", "int id", "GET", "/u/<x>", "int x", "/u/1")]
    [InlineData("GET", "/u/<id>", "int id", "GET", "/u/<n>", "string n", null)]
    [InlineData("GET", "/users/me", "", "GET", "/users/<id>", "int id", null)]
    [InlineData("GET", "/users/me", "", "GET", "/users/<name>", "string name", null)]
    [InlineData("GET", "/a/<x>", "string x", "GET", "/a/<x>/b", "string x", null)]
    [InlineData("GET", "/a/c/x", "", "GET", "/a/<p>/b", "string p", null)]
    [InlineData("GET", "/f/<p...>", "string p", "GET", "/f/readme", "", null)]
    [InlineData("GET", "/f/<p...>", "string p", "GET", "/f/<q...>", "string q", "/f/x/y")]
    [InlineData("GET", "/f/<p...>", "string p", "GET", "/f/<name>", "string name", null)]
    [InlineData("GET", "/<a>/<b>", "string a, string b", "GET", "/<c>/<d>", "string c, string d", "/x/x")]
    [InlineData("GET", "/a/<x>", "int x", "GET", "/a/<y>", "long y", null)]
    [InlineData("GET", "/a/<x>", "long x", "GET", "/a/<y>", "long y", "/a/1")]
    [InlineData("GET", "/c/<c>", "Color c", "GET", "/c/<d>", "Color d", "/c/Red")]
    [InlineData("GET", "/c/<c>", "Color c", "GET", "/c/<d>", "Shade d", null)]
    [InlineData("GET", "/c/<c>", "Color c", "GET", "/c/<d>", "Tone d", "/c/Red")]
    [InlineData("GET", "/c/<c>", "Color c", "GET", "/c/red", "", null)]
    [InlineData("GET", "/g/<id>", "Guid id", "GET", "/g/<key>", "Guid key", "/g/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/a/<x>/b", "int x", "GET", "/a/<y>/c", "int y", null)]
    [InlineData("GET", "/a/<x>/b", "int x", "GET", "/a/<y>/b", "int y", "/a/1/b")]
    [InlineData("GET", "/a/<x>/<y>", "string x, int y", "GET", "/a/<p>/<q>", "string p, int q", "/a/x/1")]
    [InlineData("GET", "/a/<x>", "bool x", "GET", "/a/<y>", "bool y", "/a/true")]
    [InlineData("GET", "/a/<x>", "bool x", "GET", "/a/<y>", "string y", null)]
    [InlineData("GET", "/a/<x>", "double x", "GET", "/a/<y>", "decimal y", null)]
    [InlineData("GET", "/a/<x>", "DateOnly x", "GET", "/a/<y>", "DateOnly y", "/a/2024-01-31")]
    [InlineData("GET", "/a/<x>", "int? x", "GET", "/a/<y>", "int y", "/a/1")]
    [InlineData("GET", "/a/b/<rest...>", "string rest", "GET", "/a/<x>/<rest...>", "string x, string rest", null)]
    [InlineData("GET", "/a/<x>", "int x", "GET", "/a/<x>/<y...>", "int x, string y", null)]
    [InlineData("GET", "/a/<x>", "int x", "GET", "/a/<x>", "uint x", null)]
    [InlineData("DELETE", "/a/<x>", "int x", "DELETE", "/a/<y>", "int y", "/a/1")]
    public void Route_pairs(string method1, string template1, string parameters1, string method2, string template2,
        string parameters2, string? sharedPath)
    {
        var result = Run(Enums,
            $$"""public static class First { [Route("{{method1}}", "{{template1}}")] public static string One({{parameters1}}) => ""; }""",
            $$"""public static class Second { [Route("{{method2}}", "{{template2}}")] public static string Two({{parameters2}}) => ""; }""");
        var conflicts = result.WithId("CGI012");
        if (sharedPath is null)
        {
            Assert.Empty(result.Diagnostics);
            Assert.Empty(result.CompilerErrors);
            Assert.Empty(result.GeneratedCodeWarnings);
            return;
        }
        var conflict = Assert.Single(conflicts);
        string message = conflict.GetMessage();
        Assert.Contains("First.One", message);
        Assert.Contains("Second.Two", message);
        Assert.Contains(template1, message);
        Assert.Contains(template2, message);
        Assert.Contains($"both match '{sharedPath}' with equal precedence; make one route more specific", message);
        Assert.Single(conflict.AdditionalLocations);
    }
}
