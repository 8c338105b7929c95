using System.Collections.Generic;
using System.Globalization;
using System.Text;
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
        return Response.Json(created, 201).WithETag(ETag(created)).WithHeader("Location", Links.TodoApi.Get(created.Id));
    }

    /// <summary>One todo.</summary>
    /// <remarks>With its <c>ETag</c>: a GET whose <c>If-None-Match</c> names it gets 304 Not Modified.</remarks>
    /// <param name="id">The todo's id.</param>
    /// <response code="200">The todo.</response>
    /// <response code="304">It is as the <c>If-None-Match</c> names it.</response>
    /// <response code="404">There is no todo with this id.</response>
    [Get("/<id>")]
    [Produces(200, typeof(TodoItem))]
    [Produces(304)]
    [Produces(404)]
    public static Response Get(long id)
    {
        using var store = TodoStore.Open();
        return store.Find(id) is { } todo ? Response.Json(todo).WithETag(ETag(todo)) : Response.NotFound("No todo " + id + ".");
    }

    /// <summary>Changes a todo's title, its state, or both.</summary>
    /// <remarks>
    /// With <c>If-Match</c> (the <c>ETag</c> of the todo as the client last read it), only if nobody changed it since:
    /// else 412, and nothing is changed.
    /// </remarks>
    /// <param name="id">The todo's id.</param>
    /// <param name="patch">The fields to change; those absent or null stay as they are.</param>
    /// <param name="request">Its <c>If-Match</c>.</param>
    /// <response code="200">The todo as changed, with its new <c>ETag</c>.</response>
    /// <response code="400">Neither field given, an empty or too long title, or JSON that cannot be read.</response>
    /// <response code="404">There is no todo with this id.</response>
    /// <response code="412">The todo is no longer as the <c>If-Match</c> names it.</response>
    [Patch("/<id>")]
    [Produces(200, typeof(TodoItem))]
    [Produces(400)]
    [Produces(404)]
    [Produces(412)]
    public static Response Update(long id, TodoPatch patch, CgiRequest request)
    {
        if (patch.Title is null && patch.Done is null)
            return Response.BadRequest("Give a title, done, or both.");
        // [StringLength] bounds a new title; a blank one is this handler's to refuse ([Required] would refuse an absent one).
        if (patch.Title is not null && string.IsNullOrWhiteSpace(patch.Title))
            return Response.BadRequest("A todo's title must not be empty.");
        using var store = TodoStore.Open();
        while (store.Find(id) is { } current)
        {
            if (request.CheckPreconditions(ETag(current), null) is { } answer)
                return answer;
            // Written only if it is still as read: a change made in between is checked again, never overwritten unseen.
            if (store.Update(current, patch.Title?.Trim(), patch.Done) is { } updated)
                return Response.Json(updated).WithETag(ETag(updated));
        }
        return Response.NotFound("No todo " + id + ".");
    }

    /// <summary>
    /// The <c>ETag</c> of a todo: a hash of what its JSON shows, so that any change to the todo changes it. Made from
    /// the row itself, it needs no version column, which databases made before it (SQLite files, the PostgreSQL tables
    /// of an earlier <c>--migrate</c>) do not have.
    /// </summary>
    public static string ETag(TodoItem todo)
    {
        // FNV-1a over the title's UTF-8 and one byte for the state: the same in every process, unlike string.GetHashCode.
        ulong hash = 14695981039346656037;
        foreach (byte b in Encoding.UTF8.GetBytes(todo.Title))
            hash = (hash ^ b) * 1099511628211;
        hash = (hash ^ (todo.Done ? 1UL : 0UL)) * 1099511628211;
        return hash.ToString("x16", CultureInfo.InvariantCulture);
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
