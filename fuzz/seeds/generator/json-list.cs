public class Todo { public int Id { get; set; } public string? Title { get; set; } public bool Done { get; set; } public List<string>? Tags { get; set; } }

[JsonSerializable(typeof(Todo))]
[JsonSerializable(typeof(List<Todo>))]
[JsonSerializable(typeof(Dictionary<string, int>))]
public partial class TodoJson : JsonSerializerContext { }

public static class Todos
{
    [Get("/todos")] public static List<Todo> All() => [];
    [Put("/todos/<id>")] public static Response Put(int id, Todo todo) => Response.Json(todo, 200);
    [Get("/counts")] public static Dictionary<string, int> Counts() => new();
}
