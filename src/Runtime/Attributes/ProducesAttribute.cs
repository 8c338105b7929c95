using System;

namespace CgiRouting;

/// <summary>
/// Declares one answer a handler that returns <see cref="Response"/> can give, for the app's OpenAPI document
/// (<c>app --openapi</c>): <c>[Produces(201, typeof(TodoItem))]</c> for a JSON body of that type,
/// <c>[Produces(404)]</c> for an answer without one. Repeat it for each status. The generator cannot see which
/// answers a <see cref="Response"/> holds, so without it such a handler is warning CGI021. Handlers that return
/// anything else are documented from their return type; on them it adds answers the type does not show (the 409 of
/// a <see cref="CgiRequestException"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ProducesAttribute : Attribute
{
    /// <summary>The handler may answer <paramref name="status"/>, with a JSON body of <paramref name="type"/> when it is not null.</summary>
    public ProducesAttribute(int status, Type? type = null)
    {
        Status = status;
        Type = type;
    }

    /// <summary>
    /// The media type of the answer's body, such as <c>text/html</c> for a page; by default <c>application/json</c> when
    /// <see cref="Type"/> is given, and no body otherwise.
    /// </summary>
    public string? ContentType { get; set; }

    /// <summary>The HTTP status, such as 201.</summary>
    public int Status { get; }

    /// <summary>The type of the JSON body (a type of the app's <c>JsonSerializerContext</c>), or null for none.</summary>
    public Type? Type { get; }
}
