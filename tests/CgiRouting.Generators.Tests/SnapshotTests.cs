using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The emitted dispatcher for representative route tables, compared with the files in Snapshots/. After an
/// intended change to the emitter, run the tests with UPDATE_SNAPSHOTS=1 and review the diff.
/// </summary>
public class SnapshotTests
{
    private static void Verify(string name, string source, [CallerFilePath] string testFile = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots", name + ".g.cs");
        source = source.Replace("\r\n", "\n").TrimStart('\uFEFF');
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
            File.WriteAllText(path, source);
        Assert.True(File.Exists(path), $"No snapshot {path}; run with UPDATE_SNAPSHOTS=1 to create it.");
        Assert.Equal(File.ReadAllText(path), source);
    }

    [Fact]
    public void Empty_app()
    {
        var result = Run("public static class Nothing { }");
        Assert.Empty(result.CompilerErrors);
        Assert.Empty(result.GeneratedCodeWarnings);
        Verify("Empty", result.Source!);
    }

    [Fact]
    public void Representative_table()
    {
        var result = Run("""
            namespace Shop;
            public enum Size { Small, Large }
            public static class Products
            {
                [Get("/")] public static string Index() => "";
                [Get("/products/<id>")] public static string ById(int id) => "";
                [Get("/products/<slug>")] public static string BySlug(string slug) => "";
                [Get("/products/new")] public static string New() => "";
                [Get("/products/<id>/sizes/<size>")] public static string Sized(long id, Size size) => "";
                [Get("/assets/<path...>")] public static byte[] Asset(string path) => [];
                [Get("/search")] public static string Search(string q, int page = 1, double? min = null, string[]? tag = null,
                    [Header("Accept-Language")] string? language = null) => "";
                [Post("/products")] public static Task<Response> Create([Body] string body, CgiRequest request) => Task.FromResult(Response.Empty(201));
                [Put("/products/<id>")] [Patch("/products/<id>")] public static ValueTask Update(int id, [Body] Stream body) => default;
                [Delete("/products/<id>")] public static void Delete(int id) { }
                [Head("/health")] public static Response Health() => Response.Empty(200);
                [Options("/products")] public static Response ProductOptions() => Response.Empty(204);
                [Route("PURGE", "/cache/<key>")] public static string Purge(Guid key) => "";
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilerErrors);
        Assert.Empty(result.GeneratedCodeWarnings);
        Verify("Representative", result.Source!);
    }
}
