using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;

namespace CgiRouting.Dispatching;

/// <summary>
/// Turns what a handler returns into a <see cref="Response"/>, for the generated dispatcher. A <see langword="null"/>
/// text or JSON result is 404 Not Found; <c>void</c> and <c>Task</c> are 204 No Content.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HandlerResults
{
    /// <summary>200 <c>text/plain</c>, or 404 for <see langword="null"/>.</summary>
    public static Response Text(string? text) => text is null ? Response.Error(404, "Not Found") : Response.Text(text);

    /// <summary>200 JSON, or 404 for <see langword="null"/>.</summary>
    public static Response Json<T>(T? value, JsonTypeInfo<T> typeInfo) => value is null ? Response.Error(404, "Not Found") : Response.Json(value, typeInfo);

    /// <summary>200 JSON written by a generated JSON writer, or 404 for <see langword="null"/>.</summary>
    public static Response JsonUtf8(JsonUtf8Builder? json) => json is null ? Response.Error(404, "Not Found") : Response.Json(json, 200);

    /// <summary>200 <c>application/octet-stream</c>, or 404 for <see langword="null"/>.</summary>
    public static Response Bytes(byte[]? body) => body is null ? Response.Error(404, "Not Found") : Response.Bytes(body);

    /// <summary>The handler's own response; <see langword="null"/> is a handler bug (500).</summary>
    public static Response From(Response? response) => response ?? throw new InvalidOperationException("The handler returned a null Response.");

    /// <summary>204 No Content.</summary>
    public static Response NoContent() => Response.Empty(204);

    /// <summary>Awaits an asynchronous handler and converts its result.</summary>
    public static async ValueTask<Response> Await<T>(Task<T> task, Func<T, Response> toResponse)
        => toResponse(await task.ConfigureAwait(false));

    /// <summary>Awaits an asynchronous handler and converts its result.</summary>
    public static async ValueTask<Response> Await<T>(ValueTask<T> task, Func<T, Response> toResponse)
        => toResponse(await task.ConfigureAwait(false));

    /// <summary>Awaits an asynchronous handler without a result: 204.</summary>
    public static async ValueTask<Response> Await(Task task)
    {
        await task.ConfigureAwait(false);
        return NoContent();
    }

    /// <summary>Awaits an asynchronous handler without a result: 204.</summary>
    public static async ValueTask<Response> Await(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return NoContent();
    }

    /// <summary>
    /// A streamed <c>IAsyncEnumerable&lt;T&gt;</c> result: server-sent events (<c>text/event-stream</c>, one
    /// <c>data:</c> event per item) when the request's <c>Accept</c> asks for them, as <c>EventSource</c> does, and
    /// newline-delimited JSON (<c>application/x-ndjson</c>) otherwise; each item is written and flushed as the handler
    /// yields it. The first item is awaited here, so that a handler that fails at once gets a 500 (a later failure can
    /// only end the stream early, the status being sent). <see langword="null"/> is 404. Items are written by the
    /// type's generated writer, or through <paramref name="typeInfo"/>.
    /// </summary>
    public static async ValueTask<Response> Stream<T>(IAsyncEnumerable<T>? items, CgiRequest request, JsonTypeInfo<T>? typeInfo)
    {
        if (items is null)
            return Response.Error(404, "Not Found");
        var enumerator = items.GetAsyncEnumerator();
        bool first;
        try
        {
            first = await enumerator.MoveNextAsync().ConfigureAwait(false);
        }
        catch
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        bool events = request.GetHeader("Accept") is { } accept && accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
        return Response.Stream(new JsonItemStream<T>(enumerator, first, typeInfo, events), events ? "text/event-stream" : "application/x-ndjson")
            .WithHeader("Cache-Control", "no-cache");
    }
}
