using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

namespace CgiRouting.Fuzz;

public sealed record Item(int Id, string Name, string[] Tags);

public sealed record Entry(string Name, int? Age, string[] Tags, bool On, [Form("f")] FormFile? File);

public enum Color
{
    Red,
    Green,
}

[JsonSerializable(typeof(Item))]
internal sealed partial class FuzzJson : JsonSerializerContext
{
}

/// <summary>One handler for each binding kind, so that every path of the generated dispatcher can be reached.</summary>
public static class Routes
{
    [Get("/")] public static string Root() => "root";
    [Get("/a/c/x")] public static string Literal() => "a/c/x";
    [Get("/a/<p>/b")] public static string Backtrack(string p) => p;
    [Get("/n/<id>")] public static string Int(int id) => "int " + id;
    [Get("/n/<name>")] public static string Text(string name) => "text " + name;
    [Get("/w/<big>")] public static string Long(long big) => "long " + big;
    [Get("/g/<id>")] public static string Guid(Guid id) => id.ToString();
    [Get("/d/<day>")] public static string Day(DateOnly day) => day.ToString("O");
    [Get("/t/<at>")] public static string Time(DateTimeOffset at) => at.ToString("O");
    [Get("/f/<x>")] public static string Float(double x) => x.ToString("R");
    [Get("/m/<x>")] public static string Money(decimal x) => x.ToString();
    [Get("/b/<on>")] public static string Bool(bool on) => on ? "on" : "off";
    [Get("/c/<color>")] public static string Enum(Color color) => color.ToString();
    [Get("/files/<path...>")] public static string CatchAll(string path) => path;
    [Get("/items/<id>")] public static Item? Json(int id) => id == 0 ? null : new Item(id, "item\u00e9<>&" + id, ["a", "\u2028"]);
    [Get("/search")]
    public static string Search(string q, int page = 1, long? limit = null, Color color = Color.Green, string[]? tag = null, int[]? ids = null,
        [Header("X-Version")] int? version = null, [Header("X-Name")] string? name = null)
        => $"{q} {page} {limit} {color} {tag?.Length} {ids?.Length} {version} {name}";
    [Post("/items")] [Produces(201, typeof(Item))] public static Response Create(Item item) => Response.Json(item, 201);
    [Put("/notes/<name>")] public static string Note(string name, [Body] string text) => name + text.Length;
    [Post("/bytes")] public static byte[] Bytes([Body] byte[] body) => body;
    [Post("/stream")] public static string Stream([Body] Stream body) => new StreamReader(body).ReadToEnd().Length.ToString();
    [Post("/form")] public static string Form(CgiRequest request) => request.ReadForm().GetFirst("a") ?? "-";
    [Delete("/items/<id>")] public static void Delete(int id) { }
    [Get("/async/<id>")] public static async Task<string> Async(int id) { await Task.Yield(); return id.ToString(); }
    // A handler that puts request data in a response header: the writer must refuse CR, LF and the like (a 500).
    [Get("/header")] [Produces(200)] public static Response Header([Header("X-Echo")] string? echo) => Response.Text("h").WithHeader("X-Echo", echo ?? "");
    [Route("PURGE", "/cache/<key>")] public static string Purge(Guid key) => "purged";
    [Post("/entry")] public static string FormRecord([Form] Entry entry) => $"{entry.Name} {entry.Age} {entry.Tags.Length} {entry.On} {entry.File?.Length}";
    [Post("/upload")] public static string Upload(FormFile[] files, [Form("note")] string? note) => files.Length + " " + note;
    [Get("/cookie")] public static string Cookie([Cookie("id")] int id, [Cookie("name")] string? name) => id + " " + name;
    // A cookie from request data: a value RFC 6265 refuses is an ArgumentException, answered here as a 400.
    [Get("/set-cookie")]
    [Produces(200)]
    [Produces(400)]
    public static Response SetCookie([Header("X-Value")] string value)
    {
        try { return Response.Text("set").WithCookie("c", value); }
        catch (ArgumentException) { return Response.BadRequest("not a cookie value"); }
    }
    [Get("/ndjson/<count>")]
    public static async IAsyncEnumerable<Item> Items(int count)
    {
        for (int i = 0; i < Math.Min(count, 5); i++)
        {
            await Task.Yield();
            yield return new Item(i, "n" + i, []);
        }
    }
}
