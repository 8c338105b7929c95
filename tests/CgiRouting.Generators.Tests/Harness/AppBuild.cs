using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// What `dotnet build` gives a test app, taken from the SDK that runs the tests, so that no test needs the package
/// feed: the reference assemblies of its packs/Microsoft.NETCore.App.Ref, the System.Text.Json source generator
/// shipped in that pack (an app's JsonSerializerContext compiles only with it), and the CgiRouting runtime.
/// </summary>
internal static class AppBuild
{
    private static readonly Lazy<string> Pack = new(FindPack);

    private static readonly Lazy<MetadataReference[]> AllReferences = new(() =>
        Directory.GetFiles(Path.Combine(Pack.Value, "ref", $"net{Environment.Version.Major}.0"), "*.dll")
            .Append(typeof(CgiApp).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    private static readonly Lazy<Type> JsonGenerator = new(() =>
        Assembly.LoadFrom(Path.Combine(Pack.Value, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"))
            .GetType("System.Text.Json.SourceGeneration.JsonSourceGenerator", throwOnError: true)!);

    public static MetadataReference[] References => AllReferences.Value;

    public static Type JsonSourceGenerator => JsonGenerator.Value;

    /// <summary>The newest Microsoft.NETCore.App.Ref of the running major version, beside the running runtime.</summary>
    private static string FindPack()
    {
        // <dotnet root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        string packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        int major = Environment.Version.Major;
        string? version = Directory.Exists(packs)
            ? Directory.GetDirectories(packs).Select(Path.GetFileName)
                .Where(v => Version.TryParse(v, out var parsed) && parsed.Major == major)
                .OrderByDescending(v => Version.Parse(v!)).FirstOrDefault()
            : null;
        if (version is null)
            throw new InvalidOperationException($"No .NET {major} reference pack in {packs}: the tests need the SDK they run under.");
        return Path.Combine(packs, version);
    }
}
