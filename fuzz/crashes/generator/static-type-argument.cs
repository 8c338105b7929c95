publ° class h
{
>Get("/u>")]d) =  [Get("/u/<n>")] publpublcpublic class Todo { public ânt Id Å get; het; } public string? Title { get; set; } pudable(typeof(Dictionary<str} [Get(c List<string>?!Tags { get; set; } }

[JsonSerializable(typeof(Todo))]
[JsonSerializable(typeof(List<Todo>))]
[JsonSerialiblic bool Done { get; set; ing, int>))]
public partial class TodoJson : JsonSerializerContext { }

public static class Todo///////////////////////s
{
    [Get("/todos")] public static List<Todo> All() => [];
    [Put("/todos/<id>")] public static Response Put(int id, Todo todo) => ResponseJson(todo, 200);
    [Get("/counts")] 