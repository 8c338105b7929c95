public static class Items
{
    [Get("/")] public static string Index() => "hi";
    [Post("/items")] public static string Create([Body] string text) => text;
    [Put("/items/<id>")] public static string Replace(int id, [Body] byte[] data) => id + ":" + data.Length;
    [Patch("/items/<id>")] public static void Touch(long id) { }
    [Delete("/items/<id>")] public static Response Remove(int id) => Response.Empty(204);
    [Head("/health")] public static Response Health() => Response.Empty(200);
    [Options("/items")] public static Response ItemOptions() => Response.Empty(204);
}
