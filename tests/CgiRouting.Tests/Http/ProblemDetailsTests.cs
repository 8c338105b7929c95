using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>Handlers that answer with problem details themselves.</summary>
public static class ProblemRoutes
{
    [Get("/problem/conflict")] public static Response Conflict() => Response.Problem(409, detail: "The name \"x\" is taken.");

    [Get("/problem/titled")] public static Response Titled() => Response.Problem(422, "Invalid todo");

    [Get("/problem/text")] public static Response Text() => Response.NotFound("No todo 7.");
}

/// <summary>
/// RFC 9457 problem details for the framework's own error answers (issue 11): JSON when the request's Accept ranks JSON
/// above plain text, or with CgiOptions.UseProblemDetails; plain text, exactly as before, otherwise.
/// </summary>
public class ProblemDetailsTests
{
    private static Response Send(string method, string target, string? accept, string? body = null, CgiOptions? options = null,
        params (string Name, string Value)[] headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (accept is not null)
            list.Add(new("Accept", accept));
        foreach (var (name, value) in headers)
            list.Add(new(name, value));
        return CgiApp.DispatchAsync(CgiRequest.Create(method, target, body, list),
            options ?? new CgiOptions { ErrorLog = TextWriter.Null }).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The problem's members, after checking that it is exactly type, title, status and detail (if any).</summary>
    private static (string Type, string Title, int Status, string? Detail) Problem(Response response)
    {
        Assert.Equal("application/problem+json", response.ContentType);
        using var json = JsonDocument.Parse(response.Body);
        var root = json.RootElement;
        var names = new List<string>();
        foreach (var property in root.EnumerateObject())
            names.Add(property.Name);
        Assert.Equal(root.TryGetProperty("detail", out _) ? ["type", "title", "status", "detail"] : ["type", "title", "status"], names);
        Assert.Equal(response.StatusCode, root.GetProperty("status").GetInt32());
        return (root.GetProperty("type").GetString()!, root.GetProperty("title").GetString()!, root.GetProperty("status").GetInt32(),
            root.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
    }

    public static TheoryData<string, string, string?, (string, string)[], int, string> Errors => new()
    {
        { "GET", "/need?id=not-a-guid&n=1", null, [], 400, "The query parameter 'id' must be a GUID." },
        { "GET", "/auth/me", null, [], 401, "Authentication required." },
        { "POST", "/origin/protected", null, [("Sec-Fetch-Site", "cross-site")], 403, "Cross-origin request refused: the browser says another site sent it (Sec-Fetch-Site)." },
        { "GET", "/no/such/route", null, [], 404, "Not Found" },
        { "GET", "/nothing", null, [], 404, "Not Found" },
        { "DELETE", "/users/me", null, [], 405, "Method Not Allowed" },
        { "POST", "/items", "{\"Name\":\"x\"}", [("Content-Type", "text/plain")], 415, "The request body must be JSON (Content-Type: application/json)." },
        { "POST", "/items", "{\"Name\":", [("Content-Type", "application/json")], 400, "" },
        { "GET", "/boom", null, [], 500, "Internal Server Error" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Each_framework_error_is_problem_json_when_JSON_is_preferred_and_text_otherwise(string method, string target, string? body,
        (string, string)[] headers, int status, string message)
    {
        var text = Send(method, target, accept: null, body, null, headers);
        Assert.Equal(status, text.StatusCode);
        Assert.Equal(Response.TextContentType, text.ContentType);
        if (message.Length > 0)
            Assert.Equal(message, text.BodyText);

        var problem = Send(method, target, "application/json", body, null, headers);
        Assert.Equal(status, problem.StatusCode);
        var (type, title, problemStatus, detail) = Problem(problem);
        Assert.Equal("about:blank", type);
        Assert.Equal(HttpStatus.ReasonPhrase(status), title);
        Assert.Equal(status, problemStatus);
        Assert.Equal(text.BodyText, detail); // the same message, as detail
    }

    [Fact]
    public async System.Threading.Tasks.Task A_413_and_a_bad_CONTENT_LENGTH_are_problems_too()
    {
        var options = new CgiOptions { MaxRequestBodySize = 4, ErrorLog = TextWriter.Null };
        var tooLarge = Send("POST", "/items", "application/problem+json", "{\"Name\":\"long\"}", options, ("Content-Type", "application/json"));
        Assert.Equal((413, "The request body is larger than this app accepts."), (tooLarge.StatusCode, Problem(tooLarge).Detail));
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "POST", ["PATH_INFO"] = "/items", ["CONTENT_LENGTH"] = "-1", ["HTTP_ACCEPT"] = "application/json" };
        var invalid = await CgiApp.DispatchAsync(new CgiRequest(environment));
        Assert.Equal((400, "CONTENT_LENGTH is not a valid length."), (invalid.StatusCode, Problem(invalid).Detail));
    }

    [Fact]
    public void The_500_never_carries_the_exception()
    {
        var log = new StringWriter();
        var problem = Send("GET", "/boom", "application/json", options: new CgiOptions { ErrorLog = log });
        Assert.Equal(500, problem.StatusCode);
        Assert.DoesNotContain("secret detail 1234", problem.BodyText);
        Assert.DoesNotContain("InvalidOperationException", problem.BodyText);
        Assert.Contains("secret detail 1234", log.ToString()); // the server's error log has it
    }

    [Fact]
    public void Headers_of_the_error_stay()
    {
        var notAllowed = Send("DELETE", "/users/me", "application/json");
        Problem(notAllowed);
        Assert.Equal("GET, HEAD, OPTIONS", notAllowed.GetHeader("Allow"));
        var unauthorized = Send("GET", "/auth/me", "application/json", options: new CgiOptions { AuthenticationRealm = "Todo" });
        Problem(unauthorized);
        Assert.Equal("Basic realm=\"Todo\"", unauthorized.GetHeader("WWW-Authenticate"));
    }

    [Fact]
    public void UseProblemDetails_makes_every_framework_error_JSON_whatever_Accept_says()
    {
        var options = new CgiOptions { UseProblemDetails = true, ErrorLog = TextWriter.Null };
        Assert.Equal("Not Found", Problem(Send("GET", "/no/such/route", accept: null, options: options)).Detail);
        Assert.Equal("Not Found", Problem(Send("GET", "/no/such/route", "text/plain", options: options)).Detail);
        Assert.Equal("Missing required query parameter 'n'.", Problem(Send("GET", "/need", "text/html", options: options)).Detail);
    }

    [Fact]
    public void Success_and_a_handler_own_answers_are_left_alone()
    {
        var ok = Send("GET", "/users/me", "application/json");
        Assert.Equal((200, Response.TextContentType, "me"), (ok.StatusCode, ok.ContentType, ok.BodyText));
        var own = Send("GET", "/problem/text", "application/json");
        Assert.Equal((404, Response.TextContentType, "No todo 7."), (own.StatusCode, own.ContentType, own.BodyText));
        var thrown = Send("GET", "/bad", "application/json"); // a handler's CgiRequestException is answered by the framework
        Assert.Equal((422, "Nope."), (thrown.StatusCode, Problem(thrown).Detail));
    }

    [Fact]
    public void Response_Problem_is_JSON_for_every_client_with_the_reason_as_default_title()
    {
        var conflict = Send("GET", "/problem/conflict", accept: null);
        Assert.Equal(409, conflict.StatusCode);
        Assert.Equal("{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"The name \\u0022x\\u0022 is taken.\"}", conflict.BodyText);
        Assert.Equal(("about:blank", "Conflict", 409, "The name \"x\" is taken."), Problem(conflict));
        var titled = Send("GET", "/problem/titled", "text/plain");
        Assert.Equal("{\"type\":\"about:blank\",\"title\":\"Invalid todo\",\"status\":422}", titled.BodyText);
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => Response.Problem(200));
        Assert.StartsWith("A problem has a 4xx or 5xx status code.", refused.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Response.Problem(399));
        Assert.Throws<ArgumentOutOfRangeException>(() => Response.Problem(600));
        Assert.Equal(400, Response.Problem(400).StatusCode);
        Assert.Equal(599, Response.Problem(599).StatusCode);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("application/json", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("APPLICATION/JSON", true)]
    [InlineData("text/plain", false)]
    [InlineData("*/*", false)]                                          // equal: text stays
    [InlineData("application/json, text/plain", false)]                 // equal at q=1: text stays
    [InlineData("text/plain, application/json", false)]
    [InlineData("application/json, text/plain;q=0.9", true)]
    [InlineData("text/plain;q=0.5, application/json;q=0.9", true)]
    [InlineData("text/plain;q=0.9, application/json;q=0.5", false)]
    [InlineData("application/json;q=0", false)]                         // not acceptable
    [InlineData("application/json;q=0, */*", false)]                    // */* gives both 1: equal
    [InlineData("application/problem+json;q=0.1, text/plain;q=0", true)] // text is not acceptable at all
    [InlineData("application/*, text/*;q=0.5", true)]                   // wildcards of a type
    [InlineData("application/*;q=0.5, text/*", false)]
    [InlineData("*/*;q=0.1, application/json", true)]                   // json 1 over text by */*, 0.1
    [InlineData("application/json;q=0.2, */*;q=0.8", false)]            // problem+json and text both 0.8 by */*: equal
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false)] // a browser
    [InlineData("application/json; charset=utf-8; q=0.8, text/plain; q=0.7", true)]
    [InlineData("application/json;Q=0.8, text/plain;q=0.7", true)]
    [InlineData("application/json;q=0.801, text/plain;q=0.8", true)]
    [InlineData("application/json;q=1.000, text/plain;q=0.999", true)]
    [InlineData("application/json;q=2, text/plain;q=0.5", false)]       // a malformed q ignores the range
    [InlineData("application/json;q=0.5x, text/plain;q=0.4", false)]
    [InlineData("application/json;q=1.5, text/plain;q=0.4", false)]
    [InlineData("application/json;q=, text/plain;q=0.4", false)]
    [InlineData("application, json", false)]
    [InlineData(" application/json ", true)]
    [InlineData(",,application/json,,", true)]
    [InlineData("application/json;q=0.5;level=1, text/plain;q=0.4", true)]  // q before another parameter
    [InlineData("application/json;level=1;q=0.5, text/plain;q=0.9", false)] // q after another parameter
    [InlineData("application/json;;q=0.5, text/plain;q=0.9", false)]        // an empty parameter is skipped
    [InlineData("application/json;q, text/plain;q=0.9", true)]              // "q" alone is not a q: 1
    [InlineData("application/json;a=0.1, text/plain;q=0.9", true)]          // another parameter: q stays 1
    [InlineData("application/json;qa=0.1, text/plain;q=0.9", true)]         // a name that starts with q
    [InlineData("application/json;q = 0.5, text/plain;q=0.4", true)]        // white space around '='
    [InlineData("application/json;q=0x5, text/plain;q=0.4", false)]         // no dot after the first digit
    [InlineData("application/json;q=2, text/plain;q=0", false)]             // malformed: ignored, not q=0.001
    [InlineData("application/json;q=0.5x, text/plain;q=0", false)]
    [InlineData("application/json;q=1.001, text/plain;q=0", false)]         // over 1
    [InlineData("application/json;q=1., text/plain;q=0.999", true)]
    [InlineData("application/json;q=0.123456, text/plain;q=0", false)]      // too long
    public void Accept_ranking(string? accept, bool prefersJson) => Assert.Equal(prefersJson, ProblemDetails.PrefersJson(accept));

    [Fact]
    public void The_problem_reaches_the_server_with_its_status_and_type()
    {
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = "/no/such/route", ["HTTP_ACCEPT"] = "application/json" };
        var output = new MemoryStream();
        CgiApp.Run(environment, new MemoryStream(), output, new CgiOptions { ErrorLog = TextWriter.Null });
        const string body = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"Not Found\"}";
        Assert.Equal($"Status: 404 Not Found\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n\r\n{body}",
            Encoding.UTF8.GetString(output.ToArray()));
    }
}
