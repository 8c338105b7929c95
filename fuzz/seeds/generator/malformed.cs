public static class Bad
{
    [Get("users")] public static string A() => "";
    [Get("/u/<id")] public static string B(int id) => "";
    [Get("/u/<>")] public static string C() => "";
    [Get("/a%20b")] public static string D() => "";
    [Get("/x/<p...>/y")] public static string E(string p) => "";
    [Route("", "/m")] public static string F() => "";
}
