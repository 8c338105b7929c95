using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using CgiRouting;

namespace Full;

/// <summary>Filters: a before-filter that refuses a header, an after-filter that times the handler.</summary>
public static class Checks
{
    public static Response? RefuseRobots(CgiRequest request) =>
        request.GetHeader("X-Robot") is null ? null : Response.Text("No robots.", 403);

    public static Response Time(CgiRequest request, Response response, TimeSpan elapsed) =>
        response.WithHeader("Server-Timing", "handler;dur=" + elapsed.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>The plain-text route of the benchmark: its answer for <c>/hello/me</c> is the floor's.</summary>
public static class Greetings
{
    [Get("/hello/<name>")]
    public static string Hello(string name) => $"Hello, {name}!";
}

/// <summary>JSON through the app's <c>JsonSerializerContext</c> and its <c>JsonTypeInfo</c> overloads.</summary>
[Filter(typeof(Checks), nameof(Checks.RefuseRobots))]
public static class Notes
{
    /// <summary>A note, through the generated writer.</summary>
    [Get("/notes/<id>")]
    [Filter(typeof(Checks), nameof(Checks.Time))]
    public static Note ById(int id) => new(id, "note " + id, ["a", "b"]);

    /// <summary>Adds a note: the body read and the answer written through the context's metadata.</summary>
    [Post("/notes")]
    [Produces(201, typeof(Note))]
    [Produces(400)]
    public static Response Create(CgiRequest request)
    {
        NewNote? note = request.ReadJson(AppJson.Default.NewNote);
        if (note?.Text is not { Length: > 0 } text)
            return Response.BadRequest("A note needs a text.");
        return Response.Json(new Note(1, text, note.Tags ?? []), AppJson.Default.Note, 201)
            .WithHeader("Location", "/notes/1");
    }

    /// <summary>A note from a bound, validated JSON body, answered through the generated writer.</summary>
    [Put("/notes/<id>")]
    [Produces(200, typeof(Note))]
    public static Response Replace(int id, NewNote note) => Response.Json(new Note(id, note.Text!, note.Tags ?? []));

    /// <summary>A type outside the writers' subset: System.Text.Json writes it.</summary>
    [Get("/uptime")]
    public static Uptime Uptime() =>
        new(TimeSpan.FromSeconds(Environment.TickCount64 / 1000), new Dictionary<string, object> { ["pid"] = Environment.ProcessId });

    /// <summary>A stream of ticks (newline-delimited JSON, or server-sent events).</summary>
    [Get("/ticks/<count>")]
    public static async IAsyncEnumerable<Tick> Ticks(int count)
    {
        for (int i = 1; i <= Math.Min(count, 5); i++)
        {
            await Task.Yield();
            yield return new Tick(i, count);
        }
    }

    /// <summary>A streamed body, written as it is read.</summary>
    [Get("/export")]
    [Produces(200, ContentType = "text/csv")]
    public static Response Export() =>
        Response.Stream(new MemoryStream(Encoding.UTF8.GetBytes("id,text\n1,note 1\n")), "text/csv").AsAttachment("notes.csv");
}

/// <summary>Forms, uploads, cookies, validation and authorization.</summary>
public static class Accounts
{
    /// <summary>Signs up from a form: the messages come back to the page when a rule fails.</summary>
    [Post("/signup")]
    [Produces(303)]
    [Produces(400, ContentType = "text/html")]
    public static Response SignUp([Form] Validated<Signup> form)
    {
        if (!form.IsValid)
        {
            var page = new StringBuilder("<ul>");
            foreach (var (field, messages) in form.Errors)
                page.Append("<li>").Append(Html.Encode(field)).Append(": ").Append(Html.Encode(string.Join(" ", messages))).Append("</li>");
            return Response.Html(page.Append("</ul>").ToString(), 400);
        }
        return Response.SeeOther("~/welcome").WithCookie("email", form.Value.Email, new CookieOptions { HttpOnly = true });
    }

    /// <summary>Greets whoever the cookie names.</summary>
    [Get("/welcome")]
    public static string Welcome([Cookie("email")] string? email) => "Welcome, " + (email ?? "stranger") + ".";

    /// <summary>Takes a file and says its size.</summary>
    [Post("/avatar")]
    public static async Task<string> Avatar(FormFile photo, [Form("caption")] string? caption)
    {
        using var copy = new MemoryStream();
        await photo.CopyToAsync(copy);
        return $"{caption ?? photo.FileName}: {copy.Length} bytes";
    }

    /// <summary>Who the web server says the client is.</summary>
    [Authorize]
    [Get("/me")]
    public static string Me([User] string user) => "you are " + user;

    /// <summary>Searches, with rules on the query.</summary>
    [Get("/search")]
    public static string Search([System.ComponentModel.DataAnnotations.Required] string? q, [System.ComponentModel.DataAnnotations.Range(1, 50)] int size = 10) =>
        $"q={q} size={size}";
}

/// <summary>The app's OpenAPI document, as the build wrote it into the binary.</summary>
[ExcludeFromDescription]
public static class Description
{
    [Get("/openapi.json")]
    public static Response Document() => Response.Bytes(CgiRouting.Generated.CgiOpenApi.Document.ToArray(), "application/json");
}
