using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// Conditional requests (RFC 9110 §13, issue 20): a GET or HEAD of a 200 with an ETag or Last-Modified gets 304 or
/// 412 from the framework, and handlers guard their changes with CheckPreconditions. Routes: ConditionalRoutes.cs.
/// </summary>
public class ConditionalRequestTests
{
    /// <summary>The CGI output of one request with the given request headers, as a web server would get it.</summary>
    internal static string Run(string method, string path, params (string Name, string Value)[] headers)
    {
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = method, ["PATH_INFO"] = path, ["QUERY_STRING"] = "" };
        foreach (var (name, value) in headers)
            environment["HTTP_" + name.ToUpperInvariant().Replace('-', '_')] = value;
        var output = new MemoryStream();
        Assert.Equal(0, CgiApp.Run(environment, new MemoryStream(), output, new CgiOptions { ErrorLog = TextWriter.Null }));
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static int Status(string method, string path, params (string Name, string Value)[] headers)
        => Http.Send(method, path, null, headers).StatusCode;

    private const string Date = "Mon, 06 May 2024 07:08:09 GMT"; // ConditionalRoutes.Modified
    private const string Before = "Mon, 06 May 2024 07:08:08 GMT";
    private const string After = "Mon, 06 May 2024 07:08:10 GMT";

    [Fact]
    public void WithETag_quotes_the_tag_and_WithLastModified_writes_an_HTTP_date()
    {
        var response = Http.Get("/cond/both");
        Assert.Equal("\"v1\"", response.GetHeader("ETag"));
        Assert.Equal(Date, response.GetHeader("Last-Modified"));
        Assert.Equal("W/\"v1\"", Http.Get("/cond/weak").GetHeader("ETag"));
    }

    [Fact]
    public void A_304_keeps_the_cache_headers_and_drops_the_body_its_length_and_the_others()
    {
        string output = Run("GET", "/cond/headers", ("If-None-Match", "\"v1\""));
        Assert.Equal("Status: 304 Not Modified\r\nETag: \"v1\"\r\nLast-Modified: " + Date + "\r\nCache-Control: max-age=60\r\n"
            + "Expires: Thu, 01 Jan 2099 00:00:00 GMT\r\nVary: Accept\r\nContent-Location: /cond/headers.json\r\n\r\n", output);
    }

    [Fact]
    public void The_same_request_without_the_condition_is_the_whole_200()
    {
        string output = Run("GET", "/cond/headers");
        Assert.StartsWith("Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 21\r\n", output);
        Assert.Contains("X-Other: dropped\r\n", output);
        Assert.Contains("Set-Cookie: session=abc", output);
        Assert.EndsWith("\r\n\r\n{\"Id\":1,\"Name\":\"one\"}", output);
    }

    [Fact]
    public void HEAD_gets_304_too()
        => Assert.Equal("Status: 304 Not Modified\r\nETag: \"v1\"\r\n\r\n", Run("HEAD", "/cond/tagged", ("If-None-Match", "\"v1\"")));

    [Theory]
    [InlineData("/cond/tagged", "\"v1\"")]
    [InlineData("/cond/tagged", "W/\"v1\"")]            // If-None-Match compares weakly: W/ on either side matches
    [InlineData("/cond/weak", "\"v1\"")]
    [InlineData("/cond/weak", "W/\"v1\"")]
    [InlineData("/cond/tagged", "*")]
    [InlineData("/cond/tagged", " \"v0\", \"a,b\" ,\"v1\"")] // a list; a comma inside a tag is part of it
    [InlineData("/cond/tagged", "\"v0\",,\"v1\"")]         // empty members are skipped
    [InlineData("/cond/both", "\"v1\"")]
    public void If_None_Match_that_names_the_ETag_is_304(string path, string ifNoneMatch)
        => Assert.Equal(304, Status("GET", path, ("If-None-Match", ifNoneMatch)));

    [Theory]
    [InlineData("/cond/tagged", "\"v2\"")]
    [InlineData("/cond/tagged", "\"V1\"")]               // tags are case-sensitive
    [InlineData("/cond/tagged", "v1")]                   // not quoted: malformed, matches nothing
    [InlineData("/cond/tagged", "\"v0\" \"v1\"")]          // no comma: malformed after the first
    [InlineData("/cond/tagged", "\"v1")]
    [InlineData("/cond/tagged", "")]                     // set but empty: no condition
    [InlineData("/cond/dated", "\"v1\"")]                 // no ETag to match
    public void If_None_Match_that_does_not_name_it_is_200(string path, string ifNoneMatch)
        => Assert.Equal(200, Status("GET", path, ("If-None-Match", ifNoneMatch)));

    [Fact]
    public void If_None_Match_star_matches_a_representation_that_has_only_a_date()
        => Assert.Equal(304, Status("GET", "/cond/dated", ("If-None-Match", "*")));

    [Theory]
    [InlineData(Date, 304)]
    [InlineData(After, 304)]
    [InlineData(Before, 200)]
    [InlineData("Monday, 06-May-24 07:08:09 GMT", 304)] // RFC 850
    [InlineData("Mon May  6 07:08:09 2024", 304)]      // asctime
    public void If_Modified_Since_not_before_Last_Modified_is_304(string ifModifiedSince, int status)
        => Assert.Equal(status, Status("GET", "/cond/dated", ("If-Modified-Since", ifModifiedSince)));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("Mon, 06 May 2024 07:08:09 UTC")]
    [InlineData("Mon, 31 Feb 2024 07:08:09 GMT")]
    [InlineData("Mon, 06 May 2024 25:08:09 GMT")]
    [InlineData("mon, 06 may 2024 07:08:09 gmt")]
    [InlineData("Mon, 06 May 2024 07:08:09 GMT, Tue, 07 May 2024 07:08:09 GMT")]
    [InlineData("1715000000")]
    public void An_invalid_date_is_ignored(string date)
    {
        Assert.Equal(200, Status("GET", "/cond/dated", ("If-Modified-Since", date)));
        Assert.Equal(200, Status("GET", "/cond/dated", ("If-Unmodified-Since", date)));
    }

    [Fact]
    public void If_Modified_Since_is_ignored_when_If_None_Match_is_present()
        => Assert.Equal(200, Status("GET", "/cond/both", ("If-None-Match", "\"v0\""), ("If-Modified-Since", After)));

    [Fact]
    public void If_Modified_Since_is_ignored_without_a_Last_Modified()
        => Assert.Equal(200, Status("GET", "/cond/tagged", ("If-Modified-Since", After)));

    [Fact]
    public void Only_a_GET_or_HEAD_of_a_200_with_validators_is_answered_from_them()
    {
        Assert.Equal(201, Status("GET", "/cond/created", ("If-None-Match", "\"v1\"")));
        Assert.Equal(200, Status("POST", "/cond/tagged", ("If-None-Match", "\"v1\"")));
        Assert.Equal(200, Status("POST", "/cond/tagged", ("If-Match", "\"v0\"")));
        // Without validators the handler did not opt in: even If-Match, which nothing could satisfy, is let through.
        Assert.Equal(200, Status("GET", "/cond/plain", ("If-None-Match", "*")));
        Assert.Equal(200, Status("GET", "/cond/plain", ("If-Match", "\"v0\"")));
        // Nor is an ETag set as a plain header: WithETag is the opt-in (it attaches the code that answers, see ConditionalAnswer).
        Assert.Equal(200, Status("GET", "/cond/by-header", ("If-None-Match", "\"v1\"")));
    }

    [Theory]
    [InlineData("\"v1\"", 200)]
    [InlineData("*", 200)]
    [InlineData("\"v0\", \"v1\"", 200)]
    [InlineData("\"v0\"", 412)]
    [InlineData("W/\"v1\"", 412)] // If-Match compares strongly: a weak tag never matches
    [InlineData("v1", 412)]       // unreadable: matches nothing, so the guarded request fails
    public void If_Match_on_a_GET_is_412_unless_it_names_the_ETag_strongly(string ifMatch, int status)
        => Assert.Equal(status, Status("GET", "/cond/tagged", ("If-Match", ifMatch)));

    [Fact]
    public void If_Match_with_a_weak_ETag_fails_even_for_the_same_tag()
        => Assert.Equal(412, Status("GET", "/cond/weak", ("If-Match", "W/\"v1\"")));

    [Theory]
    [InlineData(Before, 412)]
    [InlineData(Date, 200)]
    [InlineData(After, 200)]
    public void If_Unmodified_Since_before_Last_Modified_is_412(string ifUnmodifiedSince, int status)
        => Assert.Equal(status, Status("GET", "/cond/dated", ("If-Unmodified-Since", ifUnmodifiedSince)));

    // RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since.
    [Theory]
    [InlineData("If-Match", "\"v0\"", "If-None-Match", "\"v1\"", 412)]          // If-Match first: 412 beats 304
    [InlineData("If-Match", "\"v1\"", "If-None-Match", "\"v1\"", 304)]
    [InlineData("If-Match", "\"v1\"", "If-Unmodified-Since", Before, 200)]     // If-Unmodified-Since ignored beside If-Match
    [InlineData("If-Unmodified-Since", Before, "If-None-Match", "\"v1\"", 412)]
    [InlineData("If-Unmodified-Since", After, "If-Modified-Since", After, 304)]
    [InlineData("If-None-Match", "\"v0\"", "If-Modified-Since", After, 200)]
    public void Preconditions_are_evaluated_in_the_RFCs_order(string first, string firstValue, string second, string secondValue, int status)
        => Assert.Equal(status, Status("GET", "/cond/both", (first, firstValue), (second, secondValue)));

    [Fact]
    public void The_412_of_a_GET_is_a_framework_error_in_plain_text_or_problem_details()
    {
        var text = Http.Send("GET", "/cond/tagged", null, ("If-Match", "\"v0\""));
        Assert.Equal(Response.TextContentType, text.ContentType);
        Assert.StartsWith("Precondition Failed", text.BodyText);
        var json = Http.Send("GET", "/cond/tagged", null, ("If-Match", "\"v0\""), ("Accept", "application/json"));
        Assert.Equal(Response.ProblemJsonContentType, json.ContentType);
        Assert.Contains("\"status\":412", json.BodyText);
    }

    [Fact]
    public void A_304_of_a_streamed_response_disposes_its_stream_unread()
    {
        Assert.Equal("Status: 304 Not Modified\r\nETag: \"s1\"\r\n\r\n", Run("GET", "/cond/streamed", ("If-None-Match", "\"s1\"")));
        Assert.True(ConditionalRoutes.LastStream!.Disposed);
    }

    [Fact]
    public void CheckPreconditions_lets_a_change_with_the_current_ETag_through_and_refuses_a_stale_one()
    {
        ConditionalRoutes.Docs[1] = ("first", 1);
        Assert.Equal(412, Http.Send("PUT", "/docs/1", "lost", ("If-Match", "\"doc-0\"")).StatusCode);
        Assert.Equal(("first", 1), ConditionalRoutes.Docs[1]);
        var changed = Http.Send("PUT", "/docs/1", "second", ("If-Match", "\"doc-1\""));
        Assert.Equal(200, changed.StatusCode);
        Assert.Equal("\"doc-2\"", changed.GetHeader("ETag"));
        // The ETag the client saw last time is stale now.
        Assert.Equal(412, Http.Send("PUT", "/docs/1", "third", ("If-Match", "\"doc-1\"")).StatusCode);
        Assert.Equal(412, Http.Send("DELETE", "/docs/1", null, ("If-Match", "\"doc-1\"")).StatusCode);
        Assert.Equal(("second", 2), ConditionalRoutes.Docs[1]);
        Assert.Equal(204, Http.Send("DELETE", "/docs/1", null, ("If-Match", "\"doc-2\"")).StatusCode);
    }

    [Theory]
    [InlineData(101, "If-Match", "W/\"doc-1\"", 412)]   // strong comparison
    [InlineData(102, "If-Match", "*", 200)]
    [InlineData(103, "If-None-Match", "*", 412)]        // "create only", but it exists: 412 for a PUT, not 304
    [InlineData(104, "If-None-Match", "\"doc-1\"", 412)]
    [InlineData(105, "If-None-Match", "\"doc-0\"", 200)]
    [InlineData(106, "If-Unmodified-Since", "Sun, 05 May 2024 00:00:00 GMT", 412)]
    [InlineData(107, "If-Unmodified-Since", "Tue, 07 May 2024 07:08:09 GMT", 200)] // Modified plus one day: the version's date
    [InlineData(108, "If-Unmodified-Since", "not a date", 200)]
    [InlineData(109, "If-Modified-Since", "Sun, 05 May 2024 00:00:00 GMT", 200)] // only for GET and HEAD
    public void CheckPreconditions_on_a_PUT(int id, string header, string value, int status)
    {
        ConditionalRoutes.Docs[id] = ("first", 1);
        Assert.Equal(status, Http.Send("PUT", "/docs/" + id, "new", (header, value)).StatusCode);
        ConditionalRoutes.Docs.TryRemove(id, out _);
    }

    [Fact]
    public void If_Match_star_fails_and_If_None_Match_star_passes_when_there_is_nothing_yet()
    {
        Assert.Equal(412, Http.Send("PUT", "/docs/2", "new", ("If-Match", "*")).StatusCode);
        Assert.False(ConditionalRoutes.Docs.ContainsKey(2));
        Assert.Equal(201, Http.Send("PUT", "/docs/2", "new", ("If-None-Match", "*")).StatusCode);
        Assert.Equal(412, Http.Send("PUT", "/docs/2", "again", ("If-None-Match", "*")).StatusCode);
        Assert.Equal("new", ConditionalRoutes.Docs[2].Text);
    }

    [Fact]
    public void CheckPreconditions_on_a_GET_gives_a_304_with_the_validators()
    {
        ConditionalRoutes.Docs[3] = ("text", 1);
        string output = Run("GET", "/docs/3", ("If-None-Match", "\"doc-1\""));
        Assert.Equal("Status: 304 Not Modified\r\nETag: \"doc-1\"\r\nLast-Modified: Tue, 07 May 2024 07:08:09 GMT\r\n\r\n", output);
        Assert.Equal(304, Status("GET", "/docs/3", ("If-Modified-Since", "Tue, 07 May 2024 07:08:09 GMT")));
        Assert.Equal(200, Status("GET", "/docs/3", ("If-Modified-Since", "Tue, 07 May 2024 07:08:08 GMT")));
    }

    [Fact]
    public void CheckPreconditions_without_conditions_is_null()
    {
        var request = CgiRequest.Create("PATCH", "/x");
        Assert.Null(request.CheckPreconditions("v1", ConditionalRoutes.Modified));
        Assert.Null(request.CheckPreconditions(null, null));
    }

    [Fact]
    public void CheckPreconditions_takes_the_tag_as_WithETag_does()
    {
        var request = CgiRequest.Create("PATCH", "/x", headers: [new("If-Match", "W/\"v1\"")]);
        Assert.Equal(412, request.CheckPreconditions("W/\"v1\"", null)!.StatusCode);
        Assert.Null(CgiRequest.Create("PATCH", "/x", headers: [new("If-Match", "\"v1\"")]).CheckPreconditions("v1", null));
        Assert.Throws<System.ArgumentException>(() => request.CheckPreconditions("a b", null));
    }
}
