using System;
using System.Threading.Tasks;

namespace CgiRouting.Tests;

/// <summary>The Bearer-token filter of docs/guide/filters.md, and filters that leave a trace of their order.</summary>
public static class Filters
{
    public const string Token = "s3cret";

    /// <summary>401 unless <c>Authorization: Bearer s3cret</c>.</summary>
    public static Response? RequireBearer(CgiRequest request)
    {
        string? authorization = request.GetHeader("Authorization");
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Response.Text("A bearer token is required.", 401).WithHeader("WWW-Authenticate", "Bearer");
        return authorization.AsSpan(7).Trim().SequenceEqual(Token) ? null
            : Response.Text("The token is not valid.", 401).WithHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    public static Response? StopAtClass(CgiRequest request) => request.Query.GetFirst("stop") is "class" or "both" ? Response.Text("stopped by the class", 409) : null;

    public static Response? StopAtMethod(CgiRequest request) => request.Query.GetFirst("stop") is "method" or "both" ? Response.Text("stopped by the method", 409) : null;

    public static Response TraceClass(CgiRequest request, Response response) => Trace(response, "class");

    public static Response TraceMethod(CgiRequest request, Response response) => Trace(response, "method");

    public static Response TraceSecond(CgiRequest request, Response response) => Trace(response, "second");

    /// <summary>Times the handler: <c>Server-Timing: handler;dur=12.3</c>.</summary>
    public static Response Time(CgiRequest request, Response response, TimeSpan elapsed) =>
        response.WithHeader("Server-Timing", "handler;dur=" + elapsed.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));

    private static Response Trace(Response response, string name) =>
        response.WithHeader("X-Trace", response.GetHeader("X-Trace") is { } before ? before + " " + name : name);
}

[Filter(typeof(Filters), nameof(Filters.StopAtClass))]
[Filter(typeof(Filters), nameof(Filters.TraceClass))]
public static class FilterRoutes
{
    [Get("/filters/token")]
    [Filter(typeof(Filters), nameof(Filters.RequireBearer))]
    public static string Secret(int page = 1) => "secret page " + page;

    [Get("/filters/order")]
    [Filter(typeof(Filters), nameof(Filters.StopAtMethod))]
    [Filter(typeof(Filters), nameof(Filters.TraceMethod))]
    [Filter(typeof(Filters), nameof(Filters.TraceSecond))]
    public static string Order() => "ran";

    /// <summary>Before-filters run before binding: no 400 for the missing query value of a refused request.</summary>
    [Get("/filters/bound")]
    [Filter(typeof(Filters), nameof(Filters.RequireBearer))]
    public static string Bound(int required) => "bound " + required;

    [Get("/filters/slow/<ms>")]
    [Filter(typeof(Filters), nameof(Filters.Time))]
    public static async Task<string> Slow(int ms)
    {
        await Task.Delay(ms);
        return "slept";
    }

    [Get("/filters/authorized")]
    [Authorize]
    [Filter(typeof(Filters), nameof(Filters.RequireBearer))]
    public static string Authorized() => "both";
}
