using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The generator's folders depend one way (docs/architecture.md): Parsing → Model ← Emitting, Helpers below all. Every
/// name in the generator's source is resolved, and a use of a type declared in a folder that its own folder may not
/// use fails the test, with the file and the name.
/// </summary>
public class LayeringTests
{
    /// <summary>What each folder may use besides itself; the files at the generator's root (the pipeline) use all.</summary>
    private static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Helpers"] = ["Shared"],
        ["Model"] = ["Helpers", "Shared", "Catalogue"],
        ["Parsing"] = ["Model", "Helpers", "Shared", "Catalogue"],
        ["Emitting"] = ["Model", "Helpers", "Shared"],
    };

    [Fact]
    public void Parsing_and_Emitting_use_Model_and_Helpers_and_never_each_other()
    {
        string root = GeneratorFolder();
        var trees = SourceFiles(root).Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f)).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => !Path.GetFileName(p).StartsWith("CgiRouting.Generators", StringComparison.Ordinal)) // the sources stand for it
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Layering", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var uses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in trees)
        {
            string from = FolderOf(root, tree.FilePath);
            if (!MayUse.TryGetValue(from, out var allowed))
                continue;
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var symbol = model.GetSymbolInfo(name).Symbol;
                for (var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType; type is not null; type = type.ContainingType)
                {
                    foreach (var declaration in type.OriginalDefinition.DeclaringSyntaxReferences)
                    {
                        string to = FolderOf(root, declaration.SyntaxTree.FilePath);
                        if (to != from && !allowed.Contains(to))
                            uses.Add($"{Path.GetRelativePath(root, tree.FilePath)} ({from}) uses {type.Name} ({to})");
                    }
                }
            }
        }
        Assert.True(uses.Count == 0, string.Join("\n", uses));
    }

    /// <summary>The generator's own files, and the runtime files it links (its Shared/).</summary>
    private static IEnumerable<string> SourceFiles(string root)
    {
        var own = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar)[0].Equals("obj", StringComparison.Ordinal)
                && !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar)[0].Equals("bin", StringComparison.Ordinal));
        var linked = Regex.Matches(File.ReadAllText(Path.Combine(root, "CgiRouting.Generators.csproj")), "<Compile Include=\"([^\"]+)\"")
            .Select(m => Path.GetFullPath(Path.Combine(root, m.Groups[1].Value)));
        return own.Concat(linked);
    }

    /// <summary>The stage a file belongs to: its first folder under src/Generators; Catalogue, Pipeline or Shared else.</summary>
    private static string FolderOf(string root, string path)
    {
        string relative = Path.GetRelativePath(root, path);
        if (relative.StartsWith("..", StringComparison.Ordinal))
            return "Shared";
        var parts = relative.Split(Path.DirectorySeparatorChar);
        return parts.Length > 1 ? parts[0] : parts[0] == "DiagnosticDescriptors.cs" ? "Catalogue" : "Pipeline";
    }

    private static string GeneratorFolder([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "src", "Generators"));
}
