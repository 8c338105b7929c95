public static class Search
{
    [Get("/search")]
    public static string Find(string q, int page = 1, double? min = null, string[]? tag = null, [Query("n")] int[]? numbers = null) => q;

    [Get("/who")]
    public static string Who([Header("X-User")] string? user, [Header("X-Count")] int? count, CgiRequest request) => user ?? request.Path;
}
