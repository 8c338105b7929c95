public enum Size { Small, Large }
public static class Typed
{
    [Get("/u/<id>")] public static string ById(int id) => "" + id;
    [Get("/u/<name>/x")] public static string ByName(string name) => name;
    [Get("/g/<g>")] public static string G(Guid g) => "";
    [Get("/p/<id>/sizes/<size>")] public static string Sized(long id, Size size) => "";
    [Get("/d/<day>")] public static string Day(DateOnly day) => "";
    [Get("/n/<n>")] public static string N(int? n) => "";
    [Get("/f/<f>")] public static string F(double f, bool b = false) => "";
}
