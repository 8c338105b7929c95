// On the old harness (GeneratorHarness): these tests emit the compilation, load it and call the dispatcher; the test
// library compares diagnostics and whole sources, it does not hand out a compilation to emit and run.
using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// Compiles handlers with the generator's dispatcher, typed links and OpenAPI document (and System.Text.Json's
/// generator for the app's contexts), loads the assembly and returns its <c>DispatchAsync</c>, the way ASP.NET's
/// RequestDelegateCreationTestBase compiles, loads and invokes endpoints.
/// </summary>
internal static class DispatcherLoader
{
    public static Func<CgiRequest, ValueTask<Response>> Load(string code, out string source)
    {
        var dispatch = LoadAssembly(code, out source).GetType("CgiRouting.Generated.CgiDispatcher")!.GetMethod("DispatchAsync")!;
        return dispatch.CreateDelegate<Func<CgiRequest, ValueTask<Response>>>();
    }

    /// <summary>The app of <paramref name="code"/>, compiled with the generated code and loaded.</summary>
    public static System.Reflection.Assembly LoadAssembly(string code, out string source)
    {
        var result = Run(code);
        Assert.Empty(result.Diagnostics);
        source = result.Source!;
        Compilation compilation = Compile(code).AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: CgiRoutingGenerator.HintName),
            CSharpSyntaxTree.ParseText(result.OpenApiSource!, GeneratorHarness.ParseOptions, path: OpenApi.OpenApiEmitter.HintName),
            CSharpSyntaxTree.ParseText(result.LinksSource!, GeneratorHarness.ParseOptions, path: LinksEmitter.HintName));
        var json = ((IIncrementalGenerator)Activator.CreateInstance(AppBuild.JsonSourceGenerator)!).AsSourceGenerator();
        CSharpGeneratorDriver.Create([json], parseOptions: GeneratorHarness.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return new AssemblyLoadContext("dispatcher", isCollectible: true).LoadFromStream(new MemoryStream(image.ToArray()));
    }

    /// <summary>The status and body text of the response to <paramref name="method"/> <paramref name="target"/>.</summary>
    public static async Task<string> Get(this Func<CgiRequest, ValueTask<Response>> dispatch, string method, string target)
    {
        var response = await dispatch(CgiRequest.Create(method, target));
        return response.StatusCode + " " + response.BodyText;
    }
}
