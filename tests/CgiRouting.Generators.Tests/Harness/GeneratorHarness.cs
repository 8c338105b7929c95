using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// Runs the real generator over C# sources, the way the compiler does, for the tests that the test library cannot
/// express (incrementality, running the dispatcher, the conflict table); the rest use <see cref="CgiRoutingTest"/>.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public const string Usings = "using System; using System.IO; using System.Threading.Tasks; using CgiRouting;\n";

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create("App",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(Usings + s, ParseOptions, path: $"File{i}.cs")),
            AppBuild.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create([new CgiRoutingGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>The generator's diagnostics, the generated dispatcher, the compiler's errors, and its warnings in generated code.</summary>
    public static Result Run(params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        string? source = run.GeneratedTrees.FirstOrDefault(t => t.FilePath.EndsWith(CgiRoutingGenerator.HintName, StringComparison.Ordinal))?.ToString();
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var generatedWarnings = output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(CgiRoutingGenerator.HintName, StringComparison.Ordinal) == true)
            .ToList();
        string? openApi = run.GeneratedTrees.FirstOrDefault(t => t.FilePath.EndsWith(OpenApi.OpenApiEmitter.HintName, StringComparison.Ordinal))?.ToString();
        string? links = run.GeneratedTrees.FirstOrDefault(t => t.FilePath.EndsWith(LinksEmitter.HintName, StringComparison.Ordinal))?.ToString();
        return new Result(generatorDiagnostics.ToList(), source, errors, generatedWarnings) { OpenApiSource = openApi, LinksSource = links };
    }

    internal sealed record Result(List<Diagnostic> Diagnostics, string? Source, List<Diagnostic> CompilerErrors, List<Diagnostic> GeneratedCodeWarnings)
    {
        /// <summary>The generated file of the OpenAPI document.</summary>
        public string? OpenApiSource { get; init; }

        /// <summary>The generated file of the typed links (<c>CgiRouting.Generated.Links</c>).</summary>
        public string? LinksSource { get; init; }

        public List<Diagnostic> WithId(string id) => Diagnostics.Where(d => d.Id == id).ToList();
    }
}
