namespace CgiRouting.Tests;

/// <summary>Handlers behind the web server's authentication: [Authorize] on the class, one opted out.</summary>
[Authorize]
public static class AuthRoutes
{
    [Get("/auth/me")] public static string Me() => "secret";

    [Get("/auth/open")] [AllowAnonymous] public static string Open() => "open to all";

    /// <summary>Binding runs after the check: a missing query value of an anonymous request is 401, not 400.</summary>
    [Get("/auth/page")] public static string Page(int page) => "page " + page;
}

/// <summary>[Authorize] on one handler, and [User] parameters without it.</summary>
public static class UserRoutes
{
    [Get("/user/name")] public static string Name([User] string user) => "hello " + user;

    [Get("/user/maybe")] public static string Maybe([User] string? user) => user ?? "nobody";

    [Get("/user/guest")] public static string Guest([User] string user = "guest") => user;

    [Post("/user/only")] [Authorize] public static string Only() => "authorized";

    [Get("/user/public")] public static string Public() => "public";
}
