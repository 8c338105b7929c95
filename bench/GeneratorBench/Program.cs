using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using CgiRouting.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Usage: GeneratorBench ROUTES RUNS OUTPUT.json
int routes = int.Parse(args[0]);
int runs = int.Parse(args[1]);

var parse = new CSharpParseOptions(LanguageVersion.Preview);
var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
    .Append(typeof(CgiRouting.CgiApp).Assembly.Location)
    .Select(p => MetadataReference.CreateFromFile(p)).ToArray();

// One file per 100 handlers, as a real app would spread them.
var files = new List<SyntaxTree>();
for (int start = 0; start < routes; start += 100)
{
    var source = new StringBuilder("using CgiRouting;\nnamespace Bench;\n");
    source.Append($"public static class Routes{start / 100}\n{{\n");
    for (int i = start; i < Math.Min(start + 100, routes); i++)
        source.Append($"    [Get(\"/r{i}/<id>\")] public static string R{i}(int id) => \"r{i} \" + id;\n");
    source.Append("}\n");
    files.Add(CSharpSyntaxTree.ParseText(source.ToString(), parse, path: $"Routes{start / 100}.cs"));
}
var compilation = CSharpCompilation.Create("Bench", files, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create([new CgiRoutingGenerator().AsSourceGenerator()], parseOptions: parse,
    driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

// Full runs: a new driver each time, as a command-line build does.
var full = new List<double>();
GeneratorDriver driver = NewDriver();
for (int run = 0; run < runs + 2; run++)
{
    var stopwatch = Stopwatch.StartNew();
    driver = NewDriver().RunGenerators(compilation);
    stopwatch.Stop();
    if (run >= 2) // the first runs pay for JIT compilation of Roslyn and the generator
        full.Add(stopwatch.Elapsed.TotalMilliseconds);
}
var result = driver.GetRunResult();
if (result.Diagnostics.Length > 0 || result.GeneratedTrees.Length != 3) // the dispatcher, the OpenAPI document, the links
    throw new InvalidOperationException("unexpected generator output: " + string.Join("; ", result.Diagnostics));

// Incremental runs: edit one handler's body, as an IDE does on each keystroke.
var incremental = new List<double>();
bool regeneratedNothing = true;
var current = compilation;
for (int run = 0; run < runs; run++)
{
    var tree = current.SyntaxTrees.First();
    string text = tree.ToString().Replace("=> \"r0 \"", $"=> \"edit{run} \"").Replace($"=> \"edit{run - 1} \"", $"=> \"edit{run} \"");
    current = current.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text, parse, path: tree.FilePath));
    var stopwatch = Stopwatch.StartNew();
    driver = driver.RunGenerators(current);
    stopwatch.Stop();
    incremental.Add(stopwatch.Elapsed.TotalMilliseconds);
    var steps = driver.GetRunResult().Results[0];
    regeneratedNothing &= steps.TrackedSteps[TrackingNames.RouteTable].SelectMany(s => s.Outputs)
        .All(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

string json = $$"""
    {"routes": {{routes}}, "runs": {{runs}}, "full_median_ms": {{Median(full):F2}}, "full_min_ms": {{full.Min():F2}}, "incremental_median_ms": {{Median(incremental):F2}}, "edit_regenerates_nothing": {{(regeneratedNothing ? "true" : "false")}}}
    """;
File.WriteAllText(args[2], json);
Console.WriteLine(json);
