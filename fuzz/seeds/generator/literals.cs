public static class Odd
{
    [Get("/x.y/a_b/~z")] public static string A() => "";
    [Get(@"/q""uote\back")] public static string B() => "";
    [Get("/ünï/\u00e9")] public static string C() => "";
    [Get("/" + "concat/<id>")] public static string D(int id) => "";
    [Get(Consts.Path)] public static string E() => "";
}
public static class Consts { public const string Path = "/const"; }
