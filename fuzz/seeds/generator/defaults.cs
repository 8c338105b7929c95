public enum Color { Red, Green }
public static class Defaults
{
    [Get("/s")] public static string S(int page = 1, long big = 5, byte b = 2, double d = 1.5, Color c = Color.Green, Color? n = null, uint u = 3, string s = "a\"b", decimal m = 1.5m) => "";
}
