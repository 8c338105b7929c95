using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Todo;

/// <summary>A todo as the API shows it.</summary>
public sealed record TodoItem(long Id, string Title, bool Done);

/// <summary>The body of <c>POST /todos</c>: a title is required (not empty or blank) and has at most 1000 characters, checked by the generated dispatcher.</summary>
public sealed record NewTodo([Required, StringLength(TodoApi.MaxTitleLength)] string? Title);

/// <summary>The body of <c>PATCH /todos/&lt;id&gt;</c>: the fields to change.</summary>
public sealed record TodoPatch([StringLength(TodoApi.MaxTitleLength)] string? Title, bool? Done);

[JsonSerializable(typeof(TodoItem))]
[JsonSerializable(typeof(List<TodoItem>))]
[JsonSerializable(typeof(NewTodo))]
[JsonSerializable(typeof(TodoPatch))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class TodoJson : JsonSerializerContext
{
}
