using System.Collections.Generic;
using CgiRouting;

namespace Todo;

/// <summary>The Todo JSON API, under <c>/todos</c>.</summary>
[RoutePrefix("/todos")]
public static class TodoApi
{
    private const int MaxTitleLength = 1000;

    /// <summary>All todos, or those with the given state: <c>GET /todos?done=true</c>.</summary>
    [Get("/")]
    public static List<TodoItem> List(bool? done = null)
    {
        using var store = TodoStore.Open();
        return store.List(done);
    }

    [Post("/")]
    public static Response Create(NewTodo todo, CgiRequest request)
    {
        if (CheckTitle(todo.Title, required: true) is { } problem)
            return problem;
        using var store = TodoStore.Open();
        var created = store.Create(todo.Title!.Trim());
        return Response.Json(created, 201)
            .WithHeader("Location", request.ScriptName + "/todos/" + created.Id);
    }

    /// <summary>One todo; 404 (a null result) when there is none.</summary>
    [Get("/<id>")]
    public static TodoItem? Get(long id)
    {
        using var store = TodoStore.Open();
        return store.Find(id);
    }

    [Patch("/<id>")]
    public static Response Update(long id, TodoPatch patch)
    {
        if (patch.Title is null && patch.Done is null)
            return Response.BadRequest("Give a title, done, or both.");
        if (CheckTitle(patch.Title, required: false) is { } problem)
            return problem;
        using var store = TodoStore.Open();
        return store.Update(id, patch.Title?.Trim(), patch.Done) is { } updated
            ? Response.Json(updated)
            : Response.NotFound("No todo " + id + ".");
    }

    [Delete("/<id>")]
    public static Response Delete(long id)
    {
        using var store = TodoStore.Open();
        return store.Delete(id) ? Response.Empty(204) : Response.NotFound("No todo " + id + ".");
    }

    private static Response? CheckTitle(string? title, bool required)
    {
        if (title is null)
            return required ? Response.BadRequest("A todo needs a title.") : null;
        if (string.IsNullOrWhiteSpace(title))
            return Response.BadRequest("A todo's title must not be empty.");
        if (title.Length > MaxTitleLength)
            return Response.BadRequest($"A todo's title has at most {MaxTitleLength} characters.");
        return null;
    }
}
