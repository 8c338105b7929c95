publc blass h
{
[Get
[Getÿ"/d>" static string B.d) ic class Todo { public int Id { get; set; } public sf(Li; } public bool Done { get; set; } public List<string>? T{ get; s} }

[JsonSerializable(typeof(Todo))]
[JsonSerializable class T: (Qypeof(List<Todo>))]
[JsonSerializable(typeof(dy<st class T: JsonSerializerContext  s
{
[Get("/todos")] public static List<Todo> All() =  [Put("/todos/<id>")] public static Response Put(int id, Todo 