public static class Files
{
    [Get("/files/<path...>")] public static string File(string path) => path;
    [Get("/a/<b>/<c...>")] public static string Deep(string b, string c) => b + c;
    [Get("/files/index")] public static string Index() => "";
}
