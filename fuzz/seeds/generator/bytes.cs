public static class Raw
{
    [Get("/assets/<path...>")] public static byte[] Asset(string path) => [];
    [Get("/text")] public static Response Open() => Response.Bytes([1, 2], "image/png");
    [Get("/r")] public static Response R() => Response.Text("x", 418).WithHeader("X-A", "b");
}
