using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.IO;
using System.Text;
using CgiRouting;
using CgiRouting.Generated;

namespace Todo;

/// <summary>The field of the page's "add" form, named <c>title</c> on the wire, and its rules.</summary>
public sealed record TodoForm(
    [Form("title")]
    [Required(ErrorMessage = "Write what needs doing.")]
    [StringLength(1000, ErrorMessage = "A todo's title has at most {1} characters.")]
    string Title);

/// <summary>
/// The Todo page at <c>/</c>: server-rendered HTML, no JavaScript. Forms post and answer 303 back to the page, so a
/// reload never posts twice; the list's filter is remembered in a cookie. Every URL of the page is a typed link
/// (<c>Links.TodoPage.Toggle(id)</c>, checked by the compiler against the routes), made absolute for wherever the
/// server mounts the app by <c>request.Url</c>, or by <c>SeeOther</c> itself. Pages are no API: they
/// stay out of the OpenAPI document.
/// </summary>
[ExcludeFromDescription]
public static class TodoPage
{
    private const string FilterCookie = "filter";

    /// <summary>The largest attachment, in bytes (Program.cs allows a body that large on attachment uploads only).</summary>
    public const int MaxAttachmentSize = 1024 * 1024;

    /// <summary>The page: the list (filtered by <c>?filter=</c>, or the filter remembered in a cookie) and the forms.</summary>
    [Get("/")]
    [Produces(200, ContentType = "text/html")]
    public static Response Page(CgiRequest request, string? filter = null, [Cookie(FilterCookie)] string? remembered = null)
    {
        string shown = filter is "all" or "open" or "done" ? filter : remembered is "open" or "done" ? remembered : "all";
        var response = Response.Html(Render(request, shown));
        // Choosing a filter remembers it: the next visit without ?filter= shows the same list.
        if (filter is "all" or "open" or "done")
            response.WithCookie(FilterCookie, filter, new CookieOptions { Path = request.Url("~/"), MaxAge = TimeSpan.FromDays(365) });
        return response;
    }

    /// <summary>
    /// Adds a todo from the page's form, and answers 303 back to the page; an invalid form is the page again (400),
    /// with each message next to its field and what was typed still in it.
    /// </summary>
    [Post("/")]
    [Produces(303)]
    [Produces(400, ContentType = "text/html")]
    public static Response Add([Form] Validated<TodoForm> form, CgiRequest request, [Cookie(FilterCookie)] string? remembered = null)
    {
        if (!form.IsValid)
        {
            string shown = remembered is "open" or "done" ? remembered : "all";
            return Response.Html(Render(request, shown, form.Errors, request.ReadForm().GetFirst("title")), 400);
        }
        string title = form.Value.Title.Trim();
        using var store = TodoStore.Open();
        store.Create(title);
        return Response.SeeOther(Links.TodoPage.Page());
    }

    /// <summary>Marks a todo done, or open again, and answers 303 back to the page.</summary>
    [Post("/todos/<id>/toggle")]
    [Produces(303)]
    [Produces(404)]
    public static Response Toggle(long id)
    {
        using var store = TodoStore.Open();
        return store.Toggle(id) is null ? Response.NotFound("No todo " + id + ".") : Response.SeeOther(Links.TodoPage.Page());
    }

    /// <summary>Deletes a todo, and answers 303 back to the page.</summary>
    [Post("/todos/<id>/delete")]
    [Produces(303)]
    [Produces(404)]
    public static Response Remove(long id)
    {
        using var store = TodoStore.Open();
        return store.Delete(id) ? Response.SeeOther(Links.TodoPage.Page()) : Response.NotFound("No todo " + id + ".");
    }

    /// <summary>Attaches an uploaded file (up to 1 MiB) to a todo, and answers 303 back to the page.</summary>
    [Post("/todos/<id>/attachments")]
    [Produces(303)]
    [Produces(400)]
    [Produces(404)]
    public static Response Attach(long id, FormFile file)
    {
        if (file.Length == 0)
            return Response.BadRequest("Choose a file to attach.");
        var content = new MemoryStream();
        using (var stream = file.OpenReadStream())
            stream.CopyTo(content);
        // The browser's file name is a label: it is shown and offered back as the download's name, never used as a path.
        string name = file.FileName.Length is > 0 and <= 255 ? file.FileName : "attachment";
        using var store = TodoStore.Open();
        return store.Attach(id, name, file.ContentType, content.ToArray()) is null
            ? Response.NotFound("No todo " + id + ".")
            : Response.SeeOther(Links.TodoPage.Page());
    }

    /// <summary>An attachment, always as a download.</summary>
    /// <remarks>A download can be resumed (<c>Range</c>, with <c>If-Range</c>) and revalidated (304).</remarks>
    [Get("/todos/<id>/attachments/<attachment>")]
    [Produces(200)]
    [Produces(404)]
    public static Response Download(long id, long attachment)
    {
        using var store = TodoStore.Open();
        if (store.Attachment(id, attachment) is not { } file)
            return Response.NotFound("No such attachment.");
        // Always a download, never rendered: an uploaded HTML file must not run as this site's page. An attachment never
        // changes (a new one gets a new id), so its id is its ETag.
        return Response.Bytes(file.Content, file.ContentType).AsAttachment(file.FileName).WithHeader("X-Content-Type-Options", "nosniff")
            .WithETag("attachment-" + attachment.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The page with the list <paramref name="shown"/>; after an invalid "add" form, its <paramref name="errors"/> by
    /// field name, next to the field, which keeps the <paramref name="submitted"/> title (encoded, as all text here).
    /// </summary>
    private static string Render(CgiRequest request, string shown, IReadOnlyDictionary<string, string[]>? errors = null, string? submitted = null)
    {
        using var store = TodoStore.Open();
        var todos = store.List(shown == "all" ? null : shown == "done");
        var attachments = store.AttachmentNames();
        string Url(string link) => Html.Encode(request.Url(link));
        string titleErrors = "";
        if (errors is not null && errors.TryGetValue("title", out var messages))
            titleErrors = $"""<span class="error" id="title-error">{Html.Encode(string.Join(" ", messages))}</span>""";
        var html = new StringBuilder();
        html.Append($$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Todo</title>
            <style>
              body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
              h1 { font-size: 1.6rem; } nav a { margin-right: .8rem; } nav a.current { font-weight: bold; text-decoration: none; }
              ul#todos { list-style: none; padding: 0; } li.todo { border-bottom: 1px solid #ddd; padding: .6rem 0; }
              li.todo.done .title { text-decoration: line-through; color: #888; } form { display: inline; margin-right: .4rem; }
              .attachments { margin: .3rem 0 0 1rem; font-size: .9rem; } input[name=title] { width: 60%; }
              .error { display: block; color: #b00020; font-size: .9rem; }
            </style>
            </head>
            <body>
            <h1>Todo</h1>
            <form id="add" method="post" action="{{Url(Links.TodoPage.Add())}}">
              <input name="title" placeholder="What needs doing?" required maxlength="1000" autofocus value="{{Html.Encode(submitted ?? "")}}"{{(titleErrors.Length > 0 ? " aria-invalid=\"true\" aria-describedby=\"title-error\"" : "")}}>
              <button>Add</button>
              {{titleErrors}}
            </form>
            <nav>
            """);
        foreach (string filter in new[] { "all", "open", "done" })
            html.Append($"""<a class="filter{(filter == shown ? " current" : "")}" data-filter="{filter}" href="{Url(Links.TodoPage.Page(filter))}">{filter}</a>""");
        html.Append($"</nav>\n<ul id=\"todos\" data-filter=\"{shown}\">\n");
        foreach (var todo in todos)
        {
            html.Append($$"""
                <li class="todo{{(todo.Done ? " done" : "")}}" data-id="{{todo.Id}}">
                  <span class="title">{{Html.Encode(todo.Title)}}</span>
                  <form class="toggle" method="post" action="{{Url(Links.TodoPage.Toggle(todo.Id))}}"><button>{{(todo.Done ? "Undo" : "Done")}}</button></form>
                  <form class="delete" method="post" action="{{Url(Links.TodoPage.Remove(todo.Id))}}"><button>Delete</button></form>
                  <form class="upload" method="post" action="{{Url(Links.TodoPage.Attach(todo.Id))}}" enctype="multipart/form-data">
                    <input type="file" name="file" required> <button>Attach</button>
                  </form>
                """);
            if (attachments.TryGetValue(todo.Id, out var files))
            {
                html.Append("  <ul class=\"attachments\">");
                foreach (var (fileId, fileName) in files)
                    html.Append($"<li><a href=\"{Url(Links.TodoPage.Download(todo.Id, fileId))}\">{Html.Encode(fileName)}</a></li>");
                html.Append("</ul>\n");
            }
            html.Append("</li>\n");
        }
        html.Append(todos.Count == 0 ? "</ul>\n<p class=\"empty\">Nothing here.</p>\n</body>\n</html>\n" : "</ul>\n</body>\n</html>\n");
        return html.ToString();
    }
}
