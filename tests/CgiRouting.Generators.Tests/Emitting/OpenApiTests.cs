using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The OpenAPI document the generator writes: a snapshot for a representative route table (Snapshots/OpenApi.json,
/// indented here for review; UPDATE_SNAPSHOTS=1 rewrites it), and every route of the table in the document that
/// the app's route table carries (what <c>--openapi</c> prints).
/// </summary>
public class OpenApiTests
{
    private const string Shop = """
        namespace Shop;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;

        public enum Size { Small, Large }
        [JsonConverter(typeof(JsonStringEnumConverter<Shade>))] public enum Shade { Light, Dark }

        public sealed record Product(int Id, string Name, string? Description, decimal Price, Size Size, Shade Shade,
            List<string> Tags, Guid Sku, DateTime Added, long? Stock)
        {
            [JsonPropertyName("in_stock")] public bool InStock { get; init; }
            [JsonIgnore] public string Secret { get; init; } = "";
            public required string Maker { get; init; }
        }

        public sealed record NewProduct(string Name, decimal Price);

        public sealed record Entry(string Name, [Form("msg")] string Message, bool Public, int Stars = 3);

        [JsonSerializable(typeof(Product))]
        [JsonSerializable(typeof(NewProduct))]
        [JsonSerializable(typeof(List<Product>))]
        [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
        internal partial class ShopJson : JsonSerializerContext { }

        [RoutePrefix("/api")]
        public static class Products
        {
            /// <summary>The products, a page at a time.</summary>
            /// <param name="q">Words to look for in names.</param>
            /// <param name="page">The page, from 1.</param>
            [Get("/products")]
            public static List<Product> List(string? q, int page = 1, Size size = Size.Large, int[]? ids = null,
                [Header("Accept-Language")] string? language = null, [Cookie("session")] string? session = null) => [];

            /// <summary>One product.</summary>
            /// <param name="id">The product's number.</param>
            /// <returns>The product, as <see cref="Product"/>.</returns>
            [Get("/products/<id>")] public static Product? ById(int id) => null;

            [Get("/products/<slug>")] public static Product? BySlug(string slug) => null;

            /// <summary>Adds a product.</summary>
            /// <remarks>Only for the <c>shop</c> team.</remarks>
            /// <response code="201">The product, with its number.</response>
            /// <response code="409">A product of that name exists.</response>
            [Post("/products")]
            [Authorize]
            [Produces(201, typeof(Product))]
            [Produces(409)]
            public static Response Create(NewProduct product) => Response.Empty(201);

            /// <response code="409">The product is in an order.</response>
            [Delete("/products/<id>")] [Authorize] [Produces(409)] public static void Delete(int id) { }

            [Get("/days/<day>/<sku>")] public static string Day(DateOnly day, Guid sku, bool? all = null, double ratio = 0.5) => "";

            [Get("/files/<path...>")] public static byte[] File(string path) => [];

            [Put("/notes/<name>")] [AllowCrossOrigin] public static string Note(string name, [Body] string text) => "";

            [Post("/entries")] public static void Sign([Form] Entry entry) { }

            [Post("/photos")] public static void Upload(FormFile photo, [Form("caption")] string? caption) { }

            [Get("/feed")] public static async IAsyncEnumerable<Product> Feed() { await Task.Yield(); yield break; }

            [Route("PURGE", "/cache/<key>")] public static string Purge(Guid key) => "";
        }

        public static class Other
        {
            [Get("/api/products/<id>/other")] public static string ById(long id) => "";
            [Get("/size/<size>")] [Get("/size")] public static string Sized(Size size) => "";
        }
        """;

    [Fact]
    public void Document_of_a_representative_table()
    {
        var result = GeneratorHarness.Run(Shop);
        Assert.Empty(result.Diagnostics);
        string document = Indented(DocumentIn(result.OpenApiSource!));
        string path = SnapshotPath("OpenApi.json");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
            File.WriteAllText(path, document);
        Assert.True(File.Exists(path), $"No snapshot {path}; run with UPDATE_SNAPSHOTS=1 to create it.");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), document);
    }

    [Fact]
    public void Every_route_of_the_table_is_in_the_document()
    {
        var assembly = DispatcherLoader.LoadAssembly(Shop, out _);
        var getRoutes = assembly.GetType("CgiRouting.Generated.CgiDispatcher")!.GetMethod("GetRoutes", BindingFlags.NonPublic | BindingFlags.Static)!;
        var routes = Assert.IsType<RouteList>(getRoutes.Invoke(null, null));
        using var document = JsonDocument.Parse(routes.OpenApiDocument!);
        var paths = document.RootElement.GetProperty("paths").EnumerateObject()
            .ToDictionary(p => Shape(p.Name), p => p.Value, StringComparer.Ordinal);
        Assert.Equal(15, routes.Count);
        foreach (var route in routes)
        {
            if (route.Method == "PURGE")
            {
                // OpenAPI 3.1 has no operations of other methods: the route is left out, and nothing else is there.
                Assert.False(paths.ContainsKey("/api/cache/{}"), "PURGE has no OpenAPI operation");
                continue;
            }
            string shape = Shape(string.Join("/", route.Template.Split('/').Select(s => s.StartsWith('<') ? "{" + s.Trim('<', '>', '.') + "}" : s)));
            Assert.True(paths.TryGetValue(shape, out var item), $"{route.Method} {route.Template} is not in the document");
            Assert.True(item.TryGetProperty(route.Method.ToLowerInvariant(), out _), $"{route.Method} {route.Template} has no operation");
        }
        // Every operation is one of the table's routes (a template with its parameters' names) and its ID is unique.
        var ids = paths.Values.SelectMany(p => p.EnumerateObject()).Select(o => o.Value.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(13, ids.Count); // 15 routes, less PURGE, less BySlug, which shares GET /api/products/{} with ById
    }

    [Fact]
    public void Operations_say_what_the_table_says()
    {
        using var document = JsonDocument.Parse(DocumentIn(GeneratorHarness.Run(Shop).OpenApiSource!));
        var root = document.RootElement;
        Assert.Equal("3.1.0", root.GetProperty("openapi").GetString());
        Assert.Equal("App", root.GetProperty("info").GetProperty("title").GetString());
        var byId = root.GetProperty("paths").GetProperty("/api/products/{id}").GetProperty("get");
        Assert.Equal("Products_ById", byId.GetProperty("operationId").GetString()); // two handlers are named ById
        Assert.Equal("integer", byId.GetProperty("parameters")[0].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("int32", byId.GetProperty("parameters")[0].GetProperty("schema").GetProperty("format").GetString());
        Assert.True(byId.GetProperty("responses").TryGetProperty("404", out _)); // a nullable result
        Assert.Contains("BySlug", byId.GetProperty("description").GetString());
        var create = root.GetProperty("paths").GetProperty("/api/products").GetProperty("post");
        Assert.Equal("basic", create.GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.Equal(["201", "400", "401", "403", "409", "413", "415"], create.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        var product = root.GetProperty("components").GetProperty("schemas").GetProperty("Product");
        var properties = product.GetProperty("properties");
        Assert.True(properties.TryGetProperty("in_stock", out _));           // [JsonPropertyName]
        Assert.False(properties.TryGetProperty("secret", out _));            // [JsonIgnore]
        Assert.True(properties.TryGetProperty("description", out var description)); // camelCase
        Assert.Equal("[\"string\",\"null\"]", description.GetProperty("type").GetRawText());
        Assert.Equal("[\"maker\"]", product.GetProperty("required").GetRawText()); // the required member
        // [Produces] on a handler that does not return Response adds to what its return type says.
        var delete = root.GetProperty("paths").GetProperty("/api/products/{id}").GetProperty("delete").GetProperty("responses");
        Assert.Equal(["204", "401", "403", "404", "409"], delete.EnumerateObject().Select(r => r.Name));
        Assert.Equal("The product is in an order.", delete.GetProperty("409").GetProperty("description").GetString());
        Assert.Equal("Other_ById", root.GetProperty("paths").GetProperty("/api/products/{id}/other").GetProperty("get").GetProperty("operationId").GetString());
    }

    /// <summary>The JSON of the generated <c>CgiOpenApi.Document</c> literal.</summary>
    internal static string DocumentIn(string source)
    {
        var literal = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>()
            .Single(l => l.Token.IsKind(SyntaxKind.Utf8StringLiteralToken));
        return literal.Token.ValueText;
    }

    /// <summary>The document indented, non-ASCII and HTML characters as they are, for a snapshot to read.</summary>
    private static string Indented(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>A path with its parameters' names left out: <c>/a/{}</c>.</summary>
    private static string Shape(string path) => System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]*\\}", "{}");

    private static string SnapshotPath(string name, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "..", "Snapshots", name);
}
