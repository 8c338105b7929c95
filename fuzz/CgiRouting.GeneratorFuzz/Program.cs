using System;
using System.IO;
using System.Linq;
using System.Text;
using CgiRouting.Generators;
using CgiRouting.Generators.Tests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SharpFuzz;

// Fuzz target "generator" (fuzz/run.sh generator SECONDS). The input is one C# file of an app, as UTF-8; the CgiRouting
// generator runs over it as in a build (beside System.Text.Json's generator, which writes the app's contexts), and for
// any input:
//   (a) the generator never fails: it throws nothing and reports no CGI000, its internal error;
//   (b) when it reports no error, the code it emits compiles: no compiler error is located in its generated file.
// Errors in the input file itself are the user's, and fine.
// "dotnet CgiRouting.GeneratorFuzz.dll generator FILE..." checks inputs without the fuzzer (seeds, crash regressions).
if (args.Length == 0 || args[0] != "generator")
    throw new ArgumentException("Targets: generator.");
if (args.Length > 1)
{
    foreach (string file in args[1..])
    {
        try
        {
            GeneratorProperty.Check(File.ReadAllBytes(file));
        }
        catch (Exception e)
        {
            throw new InvalidDataException(file + ": " + e.Message, e);
        }
    }
    return;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    GeneratorProperty.Check(memory.ToArray());
});

/// <summary>Runs the generator over one file of an app and checks properties (a) and (b) above.</summary>
internal static class GeneratorProperty
{
    /// <summary>
    /// A second, fixed file of the app: the global usings an SDK project with ImplicitUsings writes, and CgiRouting's
    /// namespace. The input is then exactly the file under test (locations in it are its own), and a seed needs no
    /// using directives to reach the generator, which keeps inputs short for the fuzzer.
    /// </summary>
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using System.Text.Json.Serialization;
        global using CgiRouting;
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);
    private static readonly ISourceGenerator Generator;
    private static readonly ISourceGenerator JsonGenerator;
    private static readonly GeneratorDriver Driver;
    private static readonly CSharpCompilation App;

    // Once per process, and explicitly in a static constructor (so not before the first input): the generator's code
    // is instrumented, and instrumented code must not run before SharpFuzz has set up afl++'s coverage map.
    static GeneratorProperty()
    {
        Generator = new CgiRoutingGenerator().AsSourceGenerator();
        JsonGenerator = ((IIncrementalGenerator)Activator.CreateInstance(AppBuild.JsonSourceGenerator)!).AsSourceGenerator();
        // A driver that has run nothing: each input is run from scratch, never incrementally on the last one.
        Driver = CSharpGeneratorDriver.Create([Generator, JsonGenerator], parseOptions: ParseOptions);
        App = CSharpCompilation.Create("App",
            [CSharpSyntaxTree.ParseText(GlobalUsings, ParseOptions, path: "GlobalUsings.cs")],
            AppBuild.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static void Check(byte[] input)
    {
        var file = CSharpSyntaxTree.ParseText(Encoding.UTF8.GetString(input), ParseOptions, path: "App.cs");
        var run = Driver.RunGeneratorsAndUpdateCompilation(App.AddSyntaxTrees(file), out var output, out _).GetRunResult();
        var ours = run.Results.Single(r => r.Generator == Generator);
        if (ours.Exception is { } exception)
            throw new InvalidOperationException("The generator threw: " + exception, exception);
        var internalErrors = ours.Diagnostics.Where(d => d.Id == "CGI000").ToList();
        if (internalErrors.Count > 0)
            throw new InvalidOperationException("The generator reported an internal error:\n" + string.Join("\n", internalErrors));
        if (ours.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            return;
        // Where System.Text.Json's generator failed, the app's contexts lack the members the dispatcher uses; the
        // build already has that generator's CS8785, and the fault is not ours.
        if (run.Results.Single(r => r.Generator == JsonGenerator).Exception is not null)
            return;
        foreach (var source in ours.GeneratedSources)
        {
            var errors = output.GetSemanticModel(source.SyntaxTree).GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                var text = source.SyntaxTree.GetText();
                throw new InvalidOperationException($"The generator reported no error, but {source.HintName} does not compile:\n"
                    + string.Join("\n", errors.Select(e => e + "\n    " + text.Lines[e.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim())));
            }
        }
    }
}
