using CgiRouting.Generated;

namespace CgiRouting.Tests;

/// <summary>
/// Handlers that answer with app-relative URLs (<c>~/...</c>), built by hand and by the typed links
/// (<c>CgiRouting.Generated.Links</c>), which the compiler checks against these routes.
/// </summary>
public static class AppRelativeUrlRoutes
{
    [Get("/relative/url")]
    public static string Url(CgiRequest request) =>
        $"{request.PathBase}|{request.Url("~/items/5")}|{request.Url(Links.AppRelativeUrlRoutes.Landing(7, "a b&c"))}|{request.Url("/absolute")}";

    [Post("/relative/form")] public static Response Form() => Response.SeeOther(Links.AppRelativeUrlRoutes.Landing(1));

    [Get("/relative/landing/<id>")] public static string Landing(int id, string? note = null) => "landing " + id + " " + note;

    [Get("/relative/redirect")] public static Response Redirect(string to) => Response.Redirect(to);

    [Post("/relative/created")]
    public static Response Created() => Response.Text("created", 201).WithHeader("Location", Links.AppRelativeUrlRoutes.Landing(2));
}
