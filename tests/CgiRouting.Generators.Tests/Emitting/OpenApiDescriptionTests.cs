using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// OpenAPI for apps that are also pages (issue 20, item 7): [ExcludeFromDescription] leaves routes out and silences
/// CGI021; [Produces(..., ContentType = ...)] describes a body that is not JSON; info takes the project's own metadata.
/// </summary>
public class OpenApiDescriptionTests
{
    private const string App = """
        public static class Api
        {
            [Get("/items/<id>")] public static string Item(int id) => "";
            [Get("/help")] [Produces(200, ContentType = "text/html")] [Produces(404)] public static Response Help() => Response.Html("<p>");
        }
        [ExcludeFromDescription]
        public static class Pages
        {
            [Get("/")] public static Response Index() => Response.Html("<p>");       // a Response without [Produces]: no CGI021
            [Post("/form")] public static Response Post() => Response.SeeOther("/");
        }
        public static class Mixed
        {
            [Get("/shown")] public static string Shown() => "";
            [Get("/hidden")] [ExcludeFromDescription] public static Response Hidden() => Response.Text("");
        }
        """;

    private static (JsonDocument Document, ImmutableArray<Diagnostic> Diagnostics) Run(Dictionary<string, string>? properties = null)
    {
        var compilation = GeneratorHarness.Compile(App);
        var driver = CSharpGeneratorDriver.Create([new CgiRoutingGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions,
            optionsProvider: new Options(properties ?? []));
        var run = driver.RunGenerators(compilation).GetRunResult();
        string source = run.GeneratedTrees.Single(t => t.FilePath.EndsWith(OpenApi.OpenApiEmitter.HintName, System.StringComparison.Ordinal)).ToString();
        return (JsonDocument.Parse(OpenApiTests.DocumentIn(source)), run.Diagnostics);
    }

    [Fact]
    public void Excluded_routes_are_left_out_and_warn_of_nothing()
    {
        var (document, diagnostics) = Run();
        Assert.Empty(diagnostics); // Pages.Index and Mixed.Hidden return Response without [Produces]: CGI021 but for the attribute
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["/help", "/items/{id}", "/shown"], paths);
    }

    [Fact]
    public void A_declared_content_type_describes_the_answer()
    {
        var help = Run().Document.RootElement.GetProperty("paths").GetProperty("/help").GetProperty("get").GetProperty("responses");
        Assert.Equal("string", help.GetProperty("200").GetProperty("content").GetProperty("text/html").GetProperty("schema").GetProperty("type").GetString());
        Assert.False(help.GetProperty("404").TryGetProperty("content", out _));
    }

    [Fact]
    public void Info_takes_the_projects_metadata_and_leaves_out_the_sdks_placeholders()
    {
        var info = Run(new()
        {
            ["build_property.Description"] = "A shop.", ["build_property.Authors"] = "Ann Lee",
            ["build_property.PackageLicenseExpression"] = "Apache-2.0", ["build_property.PackageProjectUrl"] = "https://example.org/shop",
        }).Document.RootElement.GetProperty("info");
        Assert.Equal("A shop.", info.GetProperty("description").GetString());
        Assert.Equal("Ann Lee", info.GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal("https://example.org/shop", info.GetProperty("contact").GetProperty("url").GetString());
        Assert.Equal("Apache-2.0", info.GetProperty("license").GetProperty("identifier").GetString());

        var placeholders = Run(new() { ["build_property.Description"] = "Package Description", ["build_property.Authors"] = "App" })
            .Document.RootElement.GetProperty("info");
        Assert.Equal(["title", "version"], placeholders.EnumerateObject().Select(p => p.Name));
    }

    private sealed class Options(Dictionary<string, string> properties) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(properties);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values([]);
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Values([]);
    }

    private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
