public class Wrong
{
    [Get("/i")] public string Instance() => "";
    [Get("/p")] private static string Hidden() => "";
    [Get("/g")] public static string Generic<T>() => "";
    [Get("/u/<id>")] public static string Unbound(int ident) => "";
    [Post("/b")] public static string Two([Body] string a, [Body] string b) => "";
    [Get("/body")] public static string BodyOnGet([Body] string a) => a;
    [Get("/c/<rest...>")] public static string CatchAllInt(int rest) => "";
    [Get("/o")] public static object Obj() => new();
}
