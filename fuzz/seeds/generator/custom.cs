public static class Dav
{
    [Route("PROPFIND", "/dav/<path...>")] public static string Find(string path) => path;
    [Route("PURGE", "/cache")] public static void Purge() { }
    [Route("GET", "/r")] [Route("POST", "/r")] public static string Both() => "";
}
