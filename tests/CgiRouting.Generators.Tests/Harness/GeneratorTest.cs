using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The generator under Microsoft.CodeAnalysis.Testing: C# sources with diagnostic markup in, and <c>RunAsync</c>
/// fails unless exactly the marked diagnostics are reported, on exactly the marked text. Compiler errors and
/// warnings count too, in the test sources and in the generated dispatcher alike.
/// </summary>
/// <remarks>
/// Markup: <c>{|CGI001:"users"|}</c> expects that ID on that text; <c>{|#0:...|}</c> marks a location for a
/// <see cref="DiagnosticResult"/> built from a descriptor, which also checks severity, message arguments and
/// additional locations (the library ignores those three for the short form). Whatever the form, every generator
/// diagnostic must have its catalogue severity, and the dispatcher must be generated: the generator emits it for
/// any code, broken or not.
/// </remarks>
internal sealed class CgiRoutingTest : CSharpSourceGeneratorTest<CgiRoutingGenerator, DefaultVerifier>
{
    public CgiRoutingTest(params string[] sources)
    {
        // ReferenceAssemblies.Net.Net100 of this library version wants a reference pack that the feed does not
        // serve, so the app compiles against the pack of the SDK that runs the tests (see AppBuild).
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(AppBuild.References);
        foreach (string source in sources)
            TestState.Sources.Add(GeneratorHarness.Usings + source);
        SolutionTransforms.Add((solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            return solution
                .WithProjectCompilationOptions(projectId,
                    ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable))
                .WithProjectParseOptions(projectId, GeneratorHarness.ParseOptions);
        });
        CompilerDiagnostics = CompilerDiagnostics.Warnings;
        // Where the dispatcher's text is the point, a test lists it in GeneratedSources and clears this.
        TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck;
    }

    /// <summary>Whether System.Text.Json's generator runs beside ours, as in a real build; without it an app's
    /// JsonSerializerContext does not compile.</summary>
    public bool RunJsonGenerator { get; init; } = true;

    protected override IEnumerable<Type> GetSourceGenerators() =>
        RunJsonGenerator ? [typeof(CgiRoutingGenerator), AppBuild.JsonSourceGenerator] : [typeof(CgiRoutingGenerator)];

    /// <summary>The dispatcher the generator emitted in the last run.</summary>
    public string Dispatcher { get; private set; } = "";

    /// <summary>The OpenAPI document's source file the generator emitted in the last run.</summary>
    public string OpenApiSource { get; private set; } = "";

    /// <summary>The typed links' source file (<c>CgiRouting.Generated.Links</c>) the generator emitted in the last run.</summary>
    public string LinksSource { get; private set; } = "";

    protected override async Task<(Compilation compilation, ImmutableArray<Diagnostic> generatorDiagnostics)> GetProjectCompilationAsync(
        Project project, IVerifier verifier, CancellationToken cancellationToken)
    {
        var result = await base.GetProjectCompilationAsync(project, verifier, cancellationToken);
        foreach (var diagnostic in result.generatorDiagnostics.Where(d => d.Id.StartsWith("CGI", StringComparison.Ordinal)))
        {
            var descriptor = Catalogue.All().SingleOrDefault(d => d.Id == diagnostic.Id);
            verifier.True(descriptor is not null, $"{diagnostic.Id} is not in the catalogue: {diagnostic}");
            verifier.Equal(descriptor!.DefaultSeverity, diagnostic.Severity, $"{diagnostic.Id} is reported with another severity than its descriptor's: {diagnostic}");
        }
        var dispatcher = result.compilation.SyntaxTrees.SingleOrDefault(t => t.FilePath.EndsWith(CgiRoutingGenerator.HintName, StringComparison.Ordinal));
        verifier.True(dispatcher is not null, "The generator emitted no dispatcher.");
        Dispatcher = dispatcher!.ToString();
        OpenApiSource = result.compilation.SyntaxTrees.SingleOrDefault(t => t.FilePath.EndsWith(OpenApi.OpenApiEmitter.HintName, StringComparison.Ordinal))?.ToString() ?? "";
        LinksSource = result.compilation.SyntaxTrees.SingleOrDefault(t => t.FilePath.EndsWith(LinksEmitter.HintName, StringComparison.Ordinal))?.ToString() ?? "";
        return result;
    }
}
