using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using CgiRouting;

namespace Hello;

public sealed record Greeting(string Message, int Count);

public sealed record NewGreeting(string Name, int Times = 1);

/// <summary>A JSON shape with a string, a number, an array and a nested record (the benchmark's JSON request).</summary>
public sealed record Item(int Id, string Name, string[] Tags, Owner Owner);

public sealed record Owner(string Name, int Since);

/// <summary>One tick of <c>/ticks/&lt;count&gt;</c>.</summary>
public sealed record Tick(int Number, int Of);

public enum Mood
{
    Happy,
    Grumpy,
}

/// <summary>The routes of the Hello sample: one of each binding and return rule.</summary>
public static class Greetings
{
    [Get("/")]
    public static string Index() =>
        "Hello from CgiRouting. Try /hello/<name>, /greet/<count>, /search?q=..., /files/<path...>, /whoami.\n";

    /// <summary>
    /// A streamed result: <paramref name="count"/> ticks, a quarter of a second apart, each sent as it is made
    /// (newline-delimited JSON, or server-sent events for an <c>EventSource</c>).
    /// </summary>
    [Get("/ticks/<count>")]
    public static async IAsyncEnumerable<Tick> Ticks(int count)
    {
        for (int i = 1; i <= Math.Min(count, 20); i++)
        {
            if (i > 1)
                await Task.Delay(250);
            yield return new Tick(i, count);
        }
    }

    [Get("/hello/<name>")]
    public static string Hello(string name) => $"Hello, {name}!";

    [Get("/hello/me")]
    public static string HelloMe() => "Hello, me!";

    [Get("/greet/<count>")]
    public static Greeting Greet(int count) => new("Hello", count);

    [Post("/greet")]
    [Produces(201, typeof(Greeting))]
    public static Response Create(NewGreeting greeting) =>
        Response.Json(new Greeting($"Hello, {greeting.Name}", greeting.Times), 201)
            .WithHeader("Location", "/greet/" + greeting.Times);

    [Put("/notes/<name>")]
    public static string PutNote(string name, [Body] string text) => $"{name}: {text.Length} bytes";

    [Delete("/notes/<id>")]
    public static void DeleteNote(int id) { }

    [Get("/search")]
    public static string Search(string q, int page = 1, string? sort = null, int[]? ids = null) =>
        $"q={q} page={page} sort={sort ?? "none"} ids={string.Join(",", ids ?? [])}";

    [Get("/files/<path...>")]
    public static string File(string path) => "file " + path;

    [Get("/whoami")]
    public static string Who([Header("X-User")] string? user) => user ?? "anonymous";

    [Get("/req")]
    public static string Req(CgiRequest request) => request.Method + " " + request.Path;

    [Get("/slow/<id>")]
    public static async Task<string> Slow(int id)
    {
        await Task.Yield();
        return "slow " + id;
    }

    [Get("/mood/<mood>")]
    public static string MoodOf(Mood mood) => "mood " + mood;

    /// <summary>Who the web server says the client is: it answers 401 unless the server authenticated the request.</summary>
    [Authorize]
    [Get("/me")]
    public static string Me([User] string user) => "you are " + user;

    private static int s_count;

    /// <summary>
    /// How many requests this process has counted: 1 every time in CGI mode and with <c>--prefork N --max-requests 1</c>,
    /// one more each time from a long-lived FastCGI worker, whose static fields live on.
    /// </summary>
    [Get("/count")]
    public static string Count() => System.Threading.Interlocked.Increment(ref s_count).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Get("/go")]
    [Produces(302)]
    public static Response Go() => Response.Redirect("/hello/world");

    [Get("/boom")]
    public static string Boom() => throw new InvalidOperationException("secret detail");

    /// <summary>What the web server passed: the CGI meta-variables that differ between servers.</summary>
    [Get("/cgi")]
    [Get("/cgi/<rest...>")]
    public static string Cgi(CgiRequest request, string? rest = null)
    {
        var text = new System.Text.StringBuilder();
        foreach (var name in new[] { "SCRIPT_NAME", "PATH_INFO", "REQUEST_URI", "QUERY_STRING", "CONTENT_LENGTH", "SERVER_SOFTWARE" })
            text.Append(name).Append('=').Append(request.Get(name) ?? "(unset)").Append('\n');
        return text.ToString();
    }

    [Get("/items/<id>")]
    public static Item ItemById(int id) => new(id, "item" + id, ["a", "b"], new Owner("Ann", 2019));

    [Get("/maybe/<id>")]
    public static Greeting? Maybe(int id) => id == 1 ? new Greeting("found", 1) : null;
}
