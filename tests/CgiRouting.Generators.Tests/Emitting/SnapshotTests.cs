using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The emitted dispatcher, typed links and OpenAPI document for representative route tables, compared by the test
/// library with the files in Snapshots/ (and no diagnostic, compiler error or warning). After an intended change to the
/// emitter, run the tests with UPDATE_SNAPSHOTS=1 and review the diff.
/// </summary>
public class SnapshotTests
{
    private static async Task Verify(string name, string source, [CallerFilePath] string testFile = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(testFile)!, "..", "Snapshots", name + ".g.cs");
        string openApiPath = Path.Combine(Path.GetDirectoryName(testFile)!, "..", "Snapshots", name + ".openapi.g.cs");
        string linksPath = Path.Combine(Path.GetDirectoryName(testFile)!, "..", "Snapshots", name + ".links.g.cs");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            var update = new CgiRoutingTest(source);
            await update.RunAsync();
            File.WriteAllText(path, update.Dispatcher.Replace("\r\n", "\n").TrimStart('\uFEFF'));
            File.WriteAllText(openApiPath, update.OpenApiSource.Replace("\r\n", "\n").TrimStart('\uFEFF'));
            File.WriteAllText(linksPath, update.LinksSource.Replace("\r\n", "\n").TrimStart('\uFEFF'));
        }
        Assert.True(File.Exists(path), $"No snapshot {path}; run with UPDATE_SNAPSHOTS=1 to create it.");
        if (source.Contains("JsonSerializable", StringComparison.Ordinal))
        {
            // System.Text.Json's generator runs too and adds its own files: compare the dispatcher alone.
            var withJson = new CgiRoutingTest(source);
            await withJson.RunAsync();
            Assert.Equal(File.ReadAllText(path), withJson.Dispatcher.Replace("\r\n", "\n").TrimStart('\uFEFF'));
            Assert.Equal(File.ReadAllText(linksPath), withJson.LinksSource.Replace("\r\n", "\n").TrimStart('\uFEFF'));
            return;
        }
        var test = new CgiRoutingTest(source) { TestBehaviors = TestBehaviors.None };
        test.TestState.GeneratedSources.Add((typeof(CgiRoutingGenerator), CgiRoutingGenerator.HintName,
            SourceText.From(File.ReadAllText(path), Encoding.UTF8)));
        test.TestState.GeneratedSources.Add((typeof(CgiRoutingGenerator), LinksEmitter.HintName,
            SourceText.From(File.ReadAllText(linksPath), Encoding.UTF8)));
        test.TestState.GeneratedSources.Add((typeof(CgiRoutingGenerator), OpenApi.OpenApiEmitter.HintName,
            SourceText.From(File.ReadAllText(openApiPath), Encoding.UTF8)));
        await test.RunAsync();
    }

    [Fact]
    public Task Empty_app() => Verify("Empty", "public static class Nothing { }");

    [Fact]
    public Task Representative_table() => Verify("Representative", """
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
            [Post("/products")] [Produces(201)] public static Task<Response> Create([Body] string body, CgiRequest request) => Task.FromResult(Response.Empty(201));
            [Put("/products/<id>")] [Patch("/products/<id>")] public static ValueTask Update(int id, [Body] Stream body) => default;
            [Delete("/products/<id>")] public static void Delete(int id) { }
            [Head("/health")] [Produces(200)] public static Response Health() => Response.Empty(200);
            [Options("/products")] [Produces(204)] public static Response ProductOptions() => Response.Empty(204);
            [Route("PURGE", "/cache/<key>")] public static string Purge(Guid key) => "";
        }
        """);

    [Fact]
    public Task Groups_and_authentication() => Verify("Groups", """
        namespace Admin;
        [RoutePrefix("/api/v1")]
        [Authorize]
        public static class Accounts
        {
            [Get("/")] public static string Index() => "";
            [Get("/accounts/<id>")] public static string ById(int id, [User] string user) => user;
            [Post("/accounts")] public static string Create([Body] string body) => body;
            [Get("/health")] [AllowAnonymous] public static string Health([User] string? user) => user ?? "";
        }
        public static class Site
        {
            [Get("/")] public static string Home([User] string? user, [User] string guest = "guest") => user ?? guest;
            [Get("/api/v1/status")] public static string Status() => "";
        }
        """);

    [Fact]
    public Task Validation() => Verify("Validation", """
        namespace Signups;
        using System.ComponentModel.DataAnnotations;
        public sealed record Address([Required] string? Street, [StringLength(5, MinimumLength = 5)] string? Zip);
        public readonly record struct Range2([Range(0.5, 1.5, MinimumIsExclusive = true)] double Low, [Range(1, 9, MaximumIsExclusive = true)] int High);
        public sealed class Signup
        {
            [Required, EmailAddress] public string? Email { get; set; }
            [Url(ErrorMessage = "{0} must be a link.")] public string? Homepage { get; set; }
            [RegularExpression("[a-z]+")] public string? Handle { get; set; }
            [MinLength(1), MaxLength(3)] public string[]? Tags { get; set; }
            public Address? Address { get; set; }
            public Range2 Range { get; set; }
        }
        public sealed record Comment([Required] string Text, [Range(1, 5)] int Stars);
        [System.Text.Json.Serialization.JsonSerializable(typeof(Signup))]
        internal sealed partial class SignupJson : System.Text.Json.Serialization.JsonSerializerContext;
        public static class Handlers
        {
            [Post("/signups")] public static string Create(Signup signup) => "";
            [Get("/signups/<id>")] public static string Get([Range(1, 1000)] int id, [RegularExpression("[a-z]+")] string? q = null,
                [Header("X-Tag"), StringLength(8)] string? tag = null) => "";
            [Post("/comments")] public static string Comment([Form] Comment comment) => "";
        }
        """);

    /// <summary>
    /// <c>Validated&lt;T&gt;</c> (issue 20, item 6): a form and a JSON body bound as without it, their failures collected
    /// under the names on the wire (a form field's, a JSON property's after the naming policy) instead of returned as 400.
    /// </summary>
    [Fact]
    public Task Validated() => Verify("Validated", """
        namespace Signups;
        using System.ComponentModel.DataAnnotations;
        using System.Text.Json.Serialization;
        public sealed record Comment([Form("comment_text")][Required, StringLength(20)] string Text, [Range(1, 5)] int Stars, int[]? Ids, FormFile? Photo);
        public sealed class Profile { [Required] public required FormFile Picture { get; init; } [StringLength(4)] public string? Label { get; set; } = "x"; }
        public sealed class Owner { [Required, StringLength(3)] public string? Login { get; set; } }
        public sealed class Ticket
        {
            [JsonPropertyName("ticket_title"), Required] public string? Title { get; set; }
            [Range(1, 3)] public int Priority { get; set; }
            public Owner? Owner { get; set; }
        }
        [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
        [JsonSerializable(typeof(Ticket))]
        internal sealed partial class TicketJson : JsonSerializerContext;
        public static class Handlers
        {
            [Post("/comments")] public static string Comment([Form] Validated<Comment> comment, CgiRequest request) => "";
            [Post("/profiles")] public static string Profile([Form] Validated<Profile> profile, [Range(1, 9)] int page = 1) => "";
            [Post("/tickets")] public static string Ticket(Validated<Ticket> ticket) => "";
        }
        """);

    [Fact]
    public Task Filters() => Verify("Filters", """
        namespace Api;
        public static class Tokens
        {
            public static Response? RequireBearer(CgiRequest request) => request.GetHeader("Authorization") == "Bearer t" ? null : Response.Text("", 401);
            public static Response Stamp(CgiRequest request, Response response) => response.WithHeader("X-Api", "1");
            public static Response Time(CgiRequest request, Response response, TimeSpan elapsed) => response;
        }
        [Filter(typeof(Tokens), nameof(Tokens.RequireBearer))]
        [Filter(typeof(Tokens), nameof(Tokens.Stamp))]
        public static class Items
        {
            [Get("/items/<id>")] [Authorize] [Filter(typeof(Tokens), nameof(Tokens.Time))] public static Task<string> Get(int id, int depth = 1) => Task.FromResult("");
            [Delete("/items/<id>")] public static void Delete(int id) { }
        }
        public static class Open { [Get("/")] [Filter(typeof(Tokens), nameof(Tokens.RequireBearer))] public static string Index() => ""; }
        """);
}
