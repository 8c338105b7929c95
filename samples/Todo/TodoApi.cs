using System.Collections.Generic;
using CgiRouting;

namespace Todo;

/// <summary>The Todo JSON API, under <c>/todos</c>.</summary>
[RoutePrefix("/todos")]
public static class TodoApi
{
    /// <summary>The longest title, in characters: [StringLength] on <see cref="NewTodo"/> and <see cref="TodoPatch"/>.</summary>
    public const int MaxTitleLength = 1000;

    /// <summary>All todos, or those with the given state: <c>GET /todos?done=true</c>.</summary>
    [Get("/")]
    public static List<TodoItem> List(bool? done = null)
    {
        using var store = TodoStore.Open();
        return store.List(done);
    }

    /// <summary>A new todo; the dispatcher has validated its title ([Required], [StringLength]).</summary>
    [Post("/")]
    public static Response Create(NewTodo todo, CgiRequest request)
    {
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
        // [StringLength] bounds a new title; a blank one is this handler's to refuse ([Required] would refuse an absent one).
        if (patch.Title is not null && string.IsNullOrWhiteSpace(patch.Title))
            return Response.BadRequest("A todo's title must not be empty.");
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
}
