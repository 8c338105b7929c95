using System;
using System.Linq;
using System.IO;
using Xunit;
using static CgiRouting.Tests.Http;

namespace CgiRouting.Tests;

/// <summary>The generated dispatcher of <see cref="Routes"/>, called with CGI requests.</summary>
public class DispatchTests
{
    [Theory]
    [InlineData("/a/c/x", "a/c/x")]
    [InlineData("/a/c/b", "a/<p>/b p=c")] // the literal branch fails further right: the parameter branch is tried
    [InlineData("/a/z/b", "a/<p>/b p=z")]
    [InlineData("/n/42", "int 42")]
    [InlineData("/n/-7", "int -7")]
    [InlineData("/n/abc", "string abc")]
    [InlineData("/n/99999999999", "string 99999999999")] // int overflow falls to the string route
    [InlineData("/w/42", "int 42")]
    [InlineData("/w/99999999999", "long 99999999999")]
    [InlineData("/users/me", "me")]
    [InlineData("/files/readme", "readme")]
    [InlineData("/files/a", "file a")]
    [InlineData("/files/a/b/c.txt", "file a/b/c.txt")]
    [InlineData("/files/readme/more", "file readme/more")]
    [InlineData("/colors/red", "color Red")]
    [InlineData("/colors/GREEN", "color Green")]
    [InlineData("/ids/6f9619ff-8b86-d011-b42d-00cf4fc964ff", "guid 6f9619ff-8b86-d011-b42d-00cf4fc964ff")]
    [InlineData("/days/2024-02-29", "day 2024-02-29")]
    [InlineData("/flags/true", "flag True")]
    [InlineData("/prices/12.50", "price 12.50")]
    public void Routes_by_precedence(string path, string expected)
    {
        var response = Get(path);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(expected, response.BodyText);
    }

    [Theory]
    [InlineData("/users/abc")]      // not an int, and no string route
    [InlineData("/users/")]         // empty segment
    [InlineData("/users/42/")]      // trailing slash is another path
    [InlineData("/users/ 42")]      // white space is not a number
    [InlineData("/colors/1")]       // numbers are not enum members
    [InlineData("/colors/Blue")]
    [InlineData("/days/2024-02-30")]
    [InlineData("/ids/not-a-guid")]
    [InlineData("/files")]          // a catch-all needs at least one segment
    [InlineData("/files/")]
    [InlineData("/nowhere")]
    [InlineData("/a/c")]
    [InlineData("/a/c/x/y")]
    public void Unmatched_paths_are_404(string path)
    {
        Assert.Equal(404, Get(path).StatusCode);
    }

    [Fact]
    public void Typed_path_values_bind()
    {
        var response = Get("/users/42");
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Response.JsonContentType, response.ContentType);
        Assert.Equal("{\"Id\":42,\"Name\":\"user42\"}", response.BodyText);
    }

    [Fact]
    public void Query_values_bind_with_defaults_nullables_arrays_and_renames()
    {
        Assert.Equal("q=a b page=1 sort=- limit=- color=Green tags= ids= exact=False", Get("/search?q=a+b").BodyText);
        Assert.Equal("q=x page=3 sort=new limit=5 color=Red tags=t1,t2 ids=1,9999999999 exact=True",
            Get("/search?q=x&page=3&sort=new&limit=5&color=red&tag=t1&tag=t2&ids=1&ids=9999999999&exact=TRUE").BodyText);
        Assert.Equal("q=%zz é page=1 sort=- limit=- color=Green tags= ids= exact=False", Get("/search?q=%zz%20%C3%A9").BodyText);
    }

    [Theory]
    [InlineData("/search", "Missing required query parameter 'q'.")]
    [InlineData("/search?q=x&page=two", "The query parameter 'page' must be an integer from -2147483648 to 2147483647.")]
    [InlineData("/search?q=x&page=", "The query parameter 'page' must be an integer from -2147483648 to 2147483647.")]
    [InlineData("/search?q=x&limit=1.5", "The query parameter 'limit' must be an integer from -2147483648 to 2147483647.")]
    [InlineData("/search?q=x&color=blue", "The query parameter 'color' must be one of Red, Green.")]
    [InlineData("/search?q=x&ids=1&ids=x", "The query parameter 'ids' must be a 64-bit integer.")]
    [InlineData("/search?q=x&exact=yes", "The query parameter 'exact' must be true or false.")]
    [InlineData("/need?id=6f9619ff-8b86-d011-b42d-00cf4fc964ff", "Missing required query parameter 'n'.")]
    [InlineData("/need?n=1&id=zz", "The query parameter 'id' must be a GUID.")]
    public void Missing_or_unparsable_values_are_400_naming_the_parameter(string target, string message)
    {
        var response = Get(target);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(message, response.BodyText);
    }

    [Fact]
    public void Headers_bind_case_insensitively()
    {
        Assert.Equal("anonymous", Get("/whoami").BodyText);
        Assert.Equal("ann", Send("GET", "/whoami", null, ("x-user", "ann")).BodyText);
        Assert.Equal("v3", Send("GET", "/version", null, ("X-VERSION", "3")).BodyText);
        Assert.Equal(400, Get("/version").StatusCode);
        Assert.Equal("The header 'X-Version' must be an integer from -2147483648 to 2147483647.",
            Send("GET", "/version", null, ("X-Version", "three")).BodyText);
    }

    [Fact]
    public void The_request_binds()
    {
        Assert.Equal("GET /req a=1&b", Get("/req?a=1&b").BodyText);
        Assert.Equal("can cancel: True", Get("/cancel").BodyText); // CgiRequest.RequestAborted
    }

    [Fact]
    public void Raw_bodies_bind_as_string_bytes_and_stream()
    {
        Assert.Equal("todo=buy milk", Send("PUT", "/notes/todo", "buy milk").BodyText);
        var bytes = Send("POST", "/bytes", "héllo");
        Assert.Equal("application/octet-stream", bytes.ContentType);
        Assert.Equal("héllo", bytes.BodyText);
        Assert.Equal("read 5", Send("POST", "/stream", "12345").BodyText);
        Assert.Equal("patched 3 x", Send("PATCH", "/users/3", "x").BodyText);
    }

    [Fact]
    public void Json_bodies_bind_through_the_apps_context()
    {
        var created = Send("POST", "/items", "{\"Name\":\"pen\"}", ("Content-Type", "application/json"));
        Assert.Equal(201, created.StatusCode);
        Assert.Equal("/users/7", created.GetHeader("Location"));
        Assert.Equal("{\"Id\":7,\"Name\":\"pen\"}", created.BodyText);
        Assert.Equal(201, Send("POST", "/items", "{\"Name\":\"pen\"}").StatusCode); // no Content-Type: taken as JSON
        Assert.Equal(201, Send("POST", "/items", "{\"Name\":\"pen\"}", ("Content-Type", "application/problem+json; charset=utf-8")).StatusCode);
    }

    [Theory]
    [InlineData("{\"Name\":", 400)]
    [InlineData("not json", 400)]
    [InlineData("[1,2]", 400)]
    [InlineData("", 400)]      // required JSON body missing
    [InlineData("null", 400)]
    public void Bad_json_is_400(string body, int status)
    {
        var response = Send("POST", "/items", body, ("Content-Type", "application/json"));
        Assert.Equal(status, response.StatusCode);
        Assert.DoesNotContain("Exception", response.BodyText);
    }

    [Fact]
    public void A_json_value_of_the_wrong_type_says_what_it_must_be()
    {
        var response = Send("POST", "/items", "{\"Name\":5}", ("Content-Type", "application/json"));
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("The JSON body is not valid: '$.Name' must be a string.", response.BodyText);
    }

    [Theory]
    [InlineData("", "No request body was sent (CONTENT_LENGTH is missing or 0): parameter 'item' needs a JSON body.")]
    [InlineData("null", "The JSON body for parameter 'item' must not be null.")]
    public void A_missing_json_body_says_whether_anything_was_sent(string body, string message)
    {
        var response = Send("POST", "/items", body, ("Content-Type", "application/json"));
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(message, response.BodyText);
    }

    [Fact]
    public void Deep_json_is_400_not_a_crash()
    {
        string deep = new string('[', 5000) + new string(']', 5000);
        Assert.Equal(400, Send("POST", "/items", deep, ("Content-Type", "application/json")).StatusCode);
    }

    [Fact]
    public void Json_with_a_foreign_content_type_is_415()
    {
        var response = Send("POST", "/items", "{\"Name\":\"pen\"}", ("Content-Type", "text/plain"));
        Assert.Equal(415, response.StatusCode);
        // Python's CGI server sets CONTENT_TYPE=text/plain with no body: no body is not a media type error.
        Assert.Equal("no body", Send("POST", "/maybe", null, ("Content-Type", "text/plain")).BodyText);
    }

    [Fact]
    public void Optional_json_body_may_be_empty()
    {
        Assert.Equal("no body", Send("POST", "/maybe", "").BodyText);
        Assert.Equal("x", Send("POST", "/maybe", "{\"Name\":\"x\"}").BodyText);
    }

    [Fact]
    public void Results_map_to_responses()
    {
        var deleted = Send("DELETE", "/users/5");
        Assert.Equal(204, deleted.StatusCode);
        Assert.True(deleted.Body.IsEmpty);
        Assert.Null(deleted.ContentType);
        Assert.Equal(204, Send("POST", "/tasks").StatusCode);
        Assert.Equal(204, Send("POST", "/valuetasks").StatusCode);
        Assert.Equal("{\"Id\":9,\"Name\":\"async\"}", Get("/async/9").BodyText);
        var text = Get("/vasync");
        Assert.Equal("value task", text.BodyText);
        Assert.Equal("text/plain; charset=utf-8", text.ContentType);
        var redirect = Get("/go");
        Assert.Equal(302, redirect.StatusCode);
        Assert.Equal("/users/me", redirect.GetHeader("Location"));
        Assert.Equal(404, Get("/nothing").StatusCode);
        Assert.Equal(404, Get("/users/404").StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Handler_exceptions_are_500_with_a_generic_body_and_details_in_the_error_log()
    {
        var log = new StringWriter();
        var response = await CgiApp.DispatchAsync(CgiRequest.Create("GET", "/boom"), new CgiOptions { ErrorLog = log });
        Assert.Equal(500, response.StatusCode);
        Assert.Equal("Internal Server Error", response.BodyText);
        Assert.Contains("secret detail 1234", log.ToString());
        Assert.Contains("InvalidOperationException", log.ToString());
    }

    [Fact]
    public void Request_exceptions_from_handlers_keep_their_status()
    {
        var response = Get("/bad");
        Assert.Equal(422, response.StatusCode);
        Assert.Equal("Nope.", response.BodyText);
    }

    [Fact]
    public void Wrong_method_is_405_with_allow()
    {
        var response = Send("POST", "/users/5");
        Assert.Equal(405, response.StatusCode);
        Assert.Equal("GET, HEAD, PATCH, DELETE, OPTIONS", response.GetHeader("Allow"));
        Assert.Equal("GET, HEAD, OPTIONS", Send("get", "/users/me").GetHeader("Allow")); // methods are case-sensitive
        Assert.Equal(405, Send("FOO", "/users/me").StatusCode);
        Assert.Equal(404, Send("FOO", "/nowhere").StatusCode);
    }

    [Fact]
    public void Options_is_204_with_allow_unless_a_handler_claims_it()
    {
        var options = Send("OPTIONS", "/multi");
        Assert.Equal(204, options.StatusCode);
        Assert.Equal("GET, HEAD, POST, OPTIONS", options.GetHeader("Allow"));
        var claimed = Send("OPTIONS", "/claimed");
        Assert.Equal(200, claimed.StatusCode);
        Assert.Equal("yes", claimed.GetHeader("X-Claimed"));
        Assert.Equal(404, Send("OPTIONS", "/nowhere").StatusCode);
    }

    [Fact]
    public void Head_is_served_by_get_unless_a_head_handler_exists()
    {
        Assert.Equal("me", Send("HEAD", "/users/me").BodyText); // the writer drops the body; see ProtocolTests
        Assert.Equal("explicit", Send("HEAD", "/headonly").GetHeader("X-Head"));
        Assert.Equal("get body", Get("/headonly").BodyText);
    }

    [Fact]
    public void One_handler_serves_several_routes_and_custom_methods_route()
    {
        Assert.Equal("multi GET /multi", Get("/multi").BodyText);
        Assert.Equal("multi POST /multi", Send("POST", "/multi").BodyText);
        Assert.Equal("multi GET /multi/again", Get("/multi/again").BodyText);
        Assert.Equal("dav", Send("PROPFIND", "/dav").BodyText);
        Assert.Equal("PROPFIND, OPTIONS", Get("/dav").GetHeader("Allow"));
    }

    [Fact]
    public void Set_cookie_repeats_and_other_headers_replace()
    {
        var response = Get("/cookies");
        Assert.Equal(
            ["Set-Cookie: a=1", "Set-Cookie: b=2", "X-One: 2"],
            response.Headers.Select(h => h.Key + ": " + h.Value));
    }
}
