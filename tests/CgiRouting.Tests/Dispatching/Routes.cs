using System;
using System.IO;
using System.Text;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

namespace CgiRouting.Tests;

public sealed record Item(int Id, string Name);

public sealed record NewItem(string Name);

public enum Color
{
    Red,
    Green,
}

[JsonSerializable(typeof(Item))]
[JsonSerializable(typeof(NewItem))]
internal sealed partial class TestJson : JsonSerializerContext
{
}

/// <summary>Handlers compiled by the real generator; the tests dispatch to them through CgiApp.</summary>
public static class Routes
{
    // Precedence: literal, then typed parameter, then string parameter, then catch-all, with backtracking.
    [Get("/a/c/x")] public static string ACX() => "a/c/x";
    [Get("/a/<p>/b")] public static string APB(string p) => "a/<p>/b p=" + p;
    [Get("/n/<id>")] public static string NumberById(int id) => "int " + id;
    [Get("/n/<name>")] public static string NumberByName(string name) => "string " + name;
    [Get("/w/<small>")] public static string Small(int small) => "int " + small;
    [Get("/w/<big>")] public static string Big(long big) => "long " + big;
    [Get("/users/<id>")] public static Item? ById(int id) => id == 404 ? null : new Item(id, "user" + id);
    [Get("/users/me")] public static string Me() => "me";
    [Get("/files/<path...>")] public static string File(string path) => "file " + path;
    [Get("/files/readme")] public static string Readme() => "readme";
    [Get("/colors/<color>")] public static string ColorOf(Color color) => "color " + color;
    [Get("/ids/<id>")] public static string GuidOf(Guid id) => "guid " + id;
    [Get("/days/<day>")] public static string DayOf(DateOnly day) => "day " + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    [Get("/flags/<on>")] public static string Flag(bool on) => "flag " + on;
    [Get("/prices/<price>")] public static string Price(decimal price) => "price " + price.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Query binding.
    [Get("/search")]
    public static string Search(string q, int page = 1, string? sort = null, int? limit = null, Color color = Color.Green,
        [Query("tag")] string[]? tags = null, long[]? ids = null, bool exact = false)
        => $"q={q} page={page} sort={sort ?? "-"} limit={limit?.ToString() ?? "-"} color={color} tags={string.Join(",", tags ?? [])} ids={string.Join(",", ids ?? [])} exact={exact}";

    [Get("/need")] public static string Need(int n, Guid id) => $"n={n} id={id}";

    // Headers and the request.
    [Get("/whoami")] public static string Who([Header("X-User")] string? user) => user ?? "anonymous";
    [Get("/version")] public static string Version([Header("X-Version")] int version) => "v" + version;
    [Get("/req")] public static string Req(CgiRequest request) => request.Method + " " + request.Path + " " + request.QueryString;
    [Get("/cancel")] public static Task<string> Cancellable(System.Threading.CancellationToken token) => Task.FromResult("can cancel: " + token.CanBeCanceled);

    // Bodies.
    [Put("/notes/<name>")] public static string PutNote(string name, [Body] string text) => name + "=" + text;
    [Post("/bytes")] public static byte[] EchoBytes([Body] byte[] body) => body;
    [Post("/stream")] public static string StreamLength([Body] Stream body) => "read " + new StreamReader(body, Encoding.UTF8).ReadToEnd().Length;
    [Post("/items")] public static Response Create(NewItem item) =>
        Response.Json(new Item(7, item.Name), TestJson.Default.Item, 201).WithHeader("Location", "/users/7");
    [Post("/maybe")] public static string MaybeBody(NewItem? item) => item?.Name ?? "no body";

    // Results.
    [Delete("/users/<id>")] public static void Delete(int id) { }
    [Post("/tasks")] public static Task RunTask() => Task.CompletedTask;
    [Post("/valuetasks")] public static ValueTask RunValueTask() => ValueTask.CompletedTask;
    [Get("/async/<id>")]
    public static async Task<Item> LoadAsync(int id)
    {
        await Task.Yield();
        return new Item(id, "async");
    }
    [Get("/vasync")] public static ValueTask<string> TextAsync() => new("value task");
    [Get("/go")] public static Response Go() => Response.Redirect("/users/me");
    [Get("/nothing")] public static string? Nothing() => null;
    [Get("/split")] public static Response Split() => Response.Text("x").WithHeader("X-Evil", "a\r\nSet-Cookie: stolen=1");
    [Get("/boom")] public static string Boom() => throw new InvalidOperationException("secret detail 1234");
    [Get("/boom/<text>")] public static string BoomAbout(string text) => throw new InvalidOperationException("failed on " + text);
    [Get("/bad")] public static string Bad() => throw new CgiRequestException(422, "Nope.");
    [Get("/cookies")] public static Response Cookies() =>
        Response.Text("c").WithHeader("Set-Cookie", "a=1").WithHeader("Set-Cookie", "b=2").WithHeader("X-One", "1").WithHeader("X-One", "2");

    // Methods.
    [Get("/multi")]
    [Post("/multi")]
    [Get("/multi/again")]
    public static string Multi(CgiRequest request) => "multi " + request.Method + " " + request.Path;
    [Options("/claimed")] public static Response Claimed() => Response.Empty(200).WithHeader("Allow", "GET, OPTIONS").WithHeader("X-Claimed", "yes");
    [Get("/claimed")] public static string ClaimedGet() => "claimed";
    [Head("/headonly")] public static Response HeadOnly() => Response.Empty(200).WithHeader("X-Head", "explicit");
    [Get("/headonly")] public static string HeadOnlyGet() => "get body";
    [Route("PROPFIND", "/dav")] public static string Dav() => "dav";
    [Patch("/users/<id>")] public static string Patch(int id, [Body] string text) => "patched " + id + " " + text;
}
