public static class Clash
{
    [Get("/u/<id>")] public static string ById(int id) => "";
    [Get("/u/<n>")] public static string ByNumber(int n) => "";
    [Get("/u/<name>")] public static string ByName(string name) => "";
    [Get("/u/new")] public static string New() => "";
}
