using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// The OpenAPI documents of the published samples: <c>app --openapi</c> prints the document the build wrote beside
/// the binary, Microsoft.OpenApi reads it as OpenAPI 3.1 with no error, and Redocly's linter passes it with its
/// recommended rules (tests/openapi, installed by test.sh).
/// </summary>
public class OpenApiTests
{
    public static TheoryData<string, string> Samples => new() { { "Hello", "hello" }, { "Todo", "todo" } };

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_document_is_printed_by_the_binary_and_written_beside_it(string sample, string binary)
    {
        string path = Repository.PublishedSample(sample, binary);
        string printed = Document(path);
        string written = Path.Combine(Path.GetDirectoryName(path)!, binary + ".openapi.json");
        Assert.True(File.Exists(written), $"The publish wrote no {written}");
        Assert.Equal(printed, File.ReadAllText(written));
        // Every route of --routes is an operation of the document. A path is named after the first route of its shape
        // (PUT /notes/<name> and DELETE /notes/<id> are both /notes/{name}), so paths compare with their parameters unnamed.
        using var document = System.Text.Json.JsonDocument.Parse(printed);
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().ToDictionary(p => Shape(p.Name), p => p.Value);
        // Todo's page and its document's own route are [ExcludeFromDescription]: they are served, and not described.
        using var routes = System.Text.Json.JsonDocument.Parse(Repository.Run(Path.GetDirectoryName(path)!, path, ["--routes", "--json"]));
        foreach (var route in routes.RootElement.EnumerateArray())
        {
            string method = route.GetProperty("method").GetString()!, template = route.GetProperty("template").GetString()!;
            string handler = route.GetProperty("handler").GetString()!;
            bool excluded = handler.StartsWith("TodoPage.", StringComparison.Ordinal) || handler == "ApiDescription.OpenApi";
            bool described = paths.TryGetValue(Shape(template), out var item) && item.TryGetProperty(method.ToLowerInvariant(), out _);
            Assert.True(described != excluded, $"{method} {template} ({handler}) is {(excluded ? "" : "not ")}in the document of {sample}");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Microsoft_OpenApi_reads_the_document_without_errors(string sample, string binary)
    {
        var (document, diagnostic) = OpenApiDocument.Parse(Document(Repository.PublishedSample(sample, binary)), "json");
        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty(document!.Validate(Microsoft.OpenApi.ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.Equal(binary, document.Info.Title);
        Assert.NotEmpty(document.Paths);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Redocly_lint_passes_with_the_recommended_rules(string sample, string binary)
    {
        string lint = Path.Combine(Repository.Root, "tests", "openapi");
        string redocly = Path.Combine(lint, "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), "@redocly/cli is not installed: run `npm ci` in tests/openapi (./test.sh does)");
        string file = Path.Combine(Path.GetTempPath(), $"cgirouting-{binary}-{Environment.ProcessId}.openapi.json");
        File.WriteAllText(file, Document(Repository.PublishedSample(sample, binary)));
        try
        {
            // Errors fail it (a non-zero exit). Todo's document has no warning either: its pages are excluded and its
            // license is its project's. samples/Hello's demonstration routes that cannot answer a 4xx (GET /count) keep
            // operation-4xx-response, and /go, which only redirects, operation-2xx-response: nothing else.
            string output = Repository.Run(lint, redocly, ["lint", file, "--extends=recommended", "--format=summary"], includeError: true);
            Assert.Contains("Your API description is valid", output);
            var warnings = System.Text.RegularExpressions.Regex.Matches(output, @"^warning (\S+):", System.Text.RegularExpressions.RegexOptions.Multiline)
                .Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(sample == "Todo" ? [] : ["operation-2xx-response", "operation-4xx-response"], warnings.Order());
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// samples/Todo's document, indented, against Snapshots/todo.openapi.json (UPDATE_SNAPSHOTS=1 rewrites it; review the
    /// diff): what the sample's API promises its clients changes only on purpose.
    /// </summary>
    [Fact]
    public void The_Todo_document_matches_its_snapshot()
    {
        string document = Indented(Document(Repository.PublishedSample("Todo", "todo")));
        string path = Path.Combine(Repository.Root, "tests", "CgiRouting.EndToEnd.Tests", "Snapshots", "todo.openapi.json");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, document);
        }
        Assert.True(File.Exists(path), $"No snapshot {path}; run with UPDATE_SNAPSHOTS=1 to create it.");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), document);
    }

    private static string Indented(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions
                   { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>A template (<c>/a/&lt;id&gt;</c>) or an OpenAPI path (<c>/a/{id}</c>) without its parameters' names: <c>/a/{}</c>.</summary>
    private static string Shape(string path) => System.Text.RegularExpressions.Regex.Replace(path, "<[^>]*>|\\{[^}]*\\}", "{}");

    /// <summary>What <c>app --openapi</c> prints, run by hand (no <c>REQUEST_METHOD</c>).</summary>
    private static string Document(string binary)
    {
        var start = new ProcessStartInfo(binary, ["--openapi"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("REQUEST_METHOD");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{binary} --openapi failed ({process.ExitCode}): {error.Result}");
        return output;
    }
}
