using System.Collections.Generic;
using CgiRouting;
using CgiRouting.Generated;

namespace Todo;

/// <summary>The Todo JSON API, under <c>/todos</c>.</summary>
[RoutePrefix("/todos")]
public static class TodoApi
{
    /// <summary>The longest title, in characters: [StringLength] on <see cref="NewTodo"/> and <see cref="TodoPatch"/>.</summary>
    public const int MaxTitleLength = 1000;

    /// <summary>All todos, or those with the given state: <c>GET /todos?done=true</c>.</summary>
    /// <param name="done">Only the todos done (<c>true</c>) or open (<c>false</c>); all when absent.</param>
    [Get("/")]
    public static List<TodoItem> List(bool? done = null)
    {
        using var store = TodoStore.Open();
        return store.List(done);
    }

    /// <summary>Adds a todo.</summary>
    /// <param name="todo">The new todo: its title, 1 to 1000 characters.</param>
    /// <response code="201">The todo, with its id; <c>Location</c> names it.</response>
    /// <response code="400">No title, an empty one, a longer one, or JSON that cannot be read.</response>
    [Post("/")]
    [Produces(201, typeof(TodoItem))]
    [Produces(400)]
    public static Response Create(NewTodo todo)
    {
        using var store = TodoStore.Open();
        var created = store.Create(todo.Title!.Trim());
        // An app-relative Location (~/todos/5): the response is resolved against the app's SCRIPT_NAME.
        return Response.Json(created, 201).WithHeader("Location", Links.TodoApi.Get(created.Id));
    }

    /// <summary>One todo; 404 (a null result) when there is none.</summary>
    /// <param name="id">The todo's id.</param>
    [Get("/<id>")]
    public static TodoItem? Get(long id)
    {
        using var store = TodoStore.Open();
        return store.Find(id);
    }

    /// <summary>Changes a todo's title, its state, or both.</summary>
    /// <param name="id">The todo's id.</param>
    /// <param name="patch">The fields to change; those absent or null stay as they are.</param>
    /// <response code="200">The todo as changed.</response>
    /// <response code="400">Neither field given, an empty or too long title, or JSON that cannot be read.</response>
    /// <response code="404">There is no todo with this id.</response>
    [Patch("/<id>")]
    [Produces(200, typeof(TodoItem))]
    [Produces(400)]
    [Produces(404)]
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

    /// <summary>Deletes a todo, and its attachments.</summary>
    /// <param name="id">The todo's id.</param>
    /// <response code="204">Deleted.</response>
    /// <response code="404">There is no todo with this id.</response>
    [Delete("/<id>")]
    [Produces(204)]
    [Produces(404)]
    public static Response Delete(long id)
    {
        using var store = TodoStore.Open();
        return store.Delete(id) ? Response.Empty(204) : Response.NotFound("No todo " + id + ".");
    }
}
