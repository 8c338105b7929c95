public static class Multi
{
    [Get("/cgi")]
    [Get("/cgi/<rest...>")]
    [Post("/cgi")]
    public static string Cgi(CgiRequest request, string? rest = null) => request.Method + rest;

    [Get("/x/<id>")] [Get("/x")] public static string B(int id = 7) => "B " + id;
}
