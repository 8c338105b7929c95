using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CgiRouting;

/// <summary>
/// An HTTP response as a handler builds it: a status code, headers and a body. <see cref="CgiApp"/> writes it to
/// standard output as a CGI response (RFC 3875 §6), with <c>Content-Length</c> computed from the body.
/// </summary>
public sealed class Response
{
    /// <summary>The media type of <see cref="Text"/> responses.</summary>
    public const string TextContentType = "text/plain; charset=utf-8";

    /// <summary>The media type of JSON responses.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    private List<KeyValuePair<string, string>>? _headers;

    private Response(int statusCode, string? contentType, ReadOnlyMemory<byte> body)
    {
        if (statusCode is < 100 or > 599)
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "An HTTP status code is from 100 to 599.");
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
    }

    /// <summary>The status code.</summary>
    public int StatusCode { get; }

    /// <summary>The <c>Content-Type</c>, or <see langword="null"/> for a response without a body.</summary>
    public string? ContentType { get; private set; }

    /// <summary>The body bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body decoded as UTF-8, for tests and logs.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>Headers other than <c>Status</c>, <c>Content-Type</c> and <c>Content-Length</c>, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers ?? (IReadOnlyList<KeyValuePair<string, string>>)[];

    /// <summary>A text response, <c>text/plain; charset=utf-8</c>.</summary>
    public static Response Text(string text, int status = 200) => new(status, TextContentType, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// A JSON response, with the status of your choice, of a type that a <c>JsonSerializerContext</c> of the app
    /// declares and the generator's JSON writers cover (docs/json.md): <c>Response.Json(user, 201)</c>. The bytes are
    /// those System.Text.Json writes with that context, written without System.Text.Json's start-up. For a type
    /// outside that subset, pass its metadata: <c>Response.Json(value, AppJson.Default.T, status)</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No generated writer covers <typeparamref name="T"/>.</exception>
    public static Response Json<T>(T value, int status = 200)
    {
        if (Dispatching.GeneratedJson<T>.Write is not { } write)
        {
            throw new InvalidOperationException(
                $"No generated JSON writer covers {typeof(T).Name}: declare it with [JsonSerializable] in a JsonSerializerContext of the app, "
                + "or, for a type outside the writers' subset (see --routes and docs/json.md), use Response.Json(value, AppJson.Default.Type, status).");
        }
        var json = new Dispatching.JsonUtf8Builder();
        write(json, value);
        return Json(json, status);
    }

    /// <summary>A JSON response of what a generated writer wrote into <paramref name="json"/>, without copying it.</summary>
    internal static Response Json(Dispatching.JsonUtf8Builder json, int status) => new(status, JsonContentType, json.WrittenMemory);

    /// <summary>A JSON response, serialized through the app's source-generated <paramref name="typeInfo"/>.</summary>
    public static Response Json<T>(T value, JsonTypeInfo<T> typeInfo, int status = 200)
        => new(status, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    /// <summary>A binary response.</summary>
    public static Response Bytes(byte[] body, string contentType = "application/octet-stream", int status = 200)
        => new(status, contentType, body);

    /// <summary>
    /// A client redirect: <c>Status: 302 Found</c> (or <paramref name="status"/>) and <c>Location</c>, so that every
    /// server sends a real redirect rather than re-dispatching a local one (RFC 3875 §6.2.2).
    /// </summary>
    public static Response Redirect(string location, int status = 302)
    {
        if (status is < 300 or > 399)
            throw new ArgumentOutOfRangeException(nameof(status), status, "A redirect has a 3xx status code.");
        return new Response(status, null, ReadOnlyMemory<byte>.Empty).WithHeader("Location", location);
    }

    /// <summary>A response with no body, such as 204 No Content.</summary>
    public static Response Empty(int status = 204) => new(status, null, ReadOnlyMemory<byte>.Empty);

    /// <summary>404 Not Found with a short text body.</summary>
    public static Response NotFound(string message = "Not Found") => Text(message, 404);

    /// <summary>400 Bad Request with a short text body.</summary>
    public static Response BadRequest(string message) => Text(message, 400);

    /// <summary>
    /// Adds a header and returns this response, so calls chain. A second header of the same name replaces the
    /// first, except <c>Set-Cookie</c>, which may occur many times; <c>Content-Type</c> sets <see cref="ContentType"/>.
    /// Names and values that could split the response are not written: the response becomes a 500.
    /// </summary>
    public Response WithHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            ContentType = value;
            return this;
        }
        _headers ??= [];
        if (!name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
            _headers.RemoveAll(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        _headers.Add(new(name, value));
        return this;
    }

    /// <summary>The first header named <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    public string? GetHeader(string name)
    {
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            return ContentType;
        foreach (var header in Headers)
        {
            if (header.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                return header.Value;
        }
        return null;
    }
}
