using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// DataAnnotations validation (issue 11): the generated dispatcher of this project checks the attributes of
/// <see cref="ValidationRoutes"/>' parameters and bodies after binding, and answers 400 listing every failure.
/// </summary>
public class ValidationTests
{
    private const string ValidSignup = """{"Name":"Ann","Email":"ann@example.org","Age":30,"Origin":{"X":1,"Y":2}}""";

    private static Response Send(string method, string target, string? body = null, params (string Name, string Value)[] headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in headers)
            list.Add(new(name, value));
        return CgiApp.DispatchAsync(CgiRequest.Create(method, target, body, list), new CgiOptions { ErrorLog = TextWriter.Null })
            .AsTask().GetAwaiter().GetResult();
    }

    private static string Answer(Response response) => response.StatusCode + " " + response.BodyText;

    private static Response Json(string path, string body, params (string Name, string Value)[] headers) =>
        Send("POST", path, body, [("Content-Type", "application/json"), .. headers]);

    /// <summary>The signup with one member replaced (or added): <c>"Age":17</c>.</summary>
    private static string Signup(string member) =>
        JsonSerializer.Serialize(Merge(JsonDocument.Parse(ValidSignup).RootElement, JsonDocument.Parse("{" + member + "}").RootElement));

    private static Dictionary<string, JsonElement> Merge(JsonElement a, JsonElement b)
    {
        var merged = new Dictionary<string, JsonElement>();
        foreach (var p in a.EnumerateObject())
            merged[p.Name] = p.Value;
        foreach (var p in b.EnumerateObject())
            merged[p.Name] = p.Value;
        return merged;
    }

    [Fact]
    public void A_valid_body_reaches_the_handler() => Assert.Equal("200 welcome Ann", Answer(Json("/valid/signup", ValidSignup)));

    [Theory]
    [InlineData("\"Name\":null", "The Name field is required.")]
    [InlineData("\"Name\":\"\"", "The Name field is required.")]
    [InlineData("\"Name\":\"  \"", "The Name field is required.")]
    [InlineData("\"Email\":\"ann\"", "The Email field is not a valid e-mail address.")]
    [InlineData("\"Email\":\"@ann\"", "The Email field is not a valid e-mail address.")]
    [InlineData("\"Email\":\"ann@\"", "The Email field is not a valid e-mail address.")]
    [InlineData("\"Email\":\"a@b@c\"", "The Email field is not a valid e-mail address.")]
    [InlineData("\"Age\":17", "The field Age must be between 18 and 130.")]
    [InlineData("\"Age\":131", "The field Age must be between 18 and 130.")]
    [InlineData("\"Homepage\":\"example.org\"", "The Homepage field is not a valid fully-qualified http, https, or ftp URL.")]
    [InlineData("\"Homepage\":\"\"", "The Homepage field is not a valid fully-qualified http, https, or ftp URL.")]
    [InlineData("\"Handle\":\"Ann\"", "The field Handle must match the regular expression '[a-z]+[0-9]?'.")]
    [InlineData("\"Handle\":\"ann12\"", "The field Handle must match the regular expression '[a-z]+[0-9]?'.")]
    [InlineData("\"Handle\":\"x ann1\"", "The field Handle must match the regular expression '[a-z]+[0-9]?'.")]
    [InlineData("\"Tags\":[]", "The field Tags must be a string or array type with a minimum length of '1'.")]
    [InlineData("\"Tags\":[\"a\",\"b\",\"c\",\"d\"]", "The field Tags must be a string or array type with a maximum length of '3'.")]
    [InlineData("\"Nickname\":\"a\"", "The field Nickname must be a string with a minimum length of 2 and a maximum length of 10.")]
    [InlineData("\"Nickname\":\"abcdefghijk\"", "The field Nickname must be a string with a minimum length of 2 and a maximum length of 10.")]
    [InlineData("\"Ratio\":0.5", "The field Ratio must be between 0.5 (exclusive) and 2.5.")]
    [InlineData("\"Ratio\":2.51", "The field Ratio must be between 0.5 (exclusive) and 2.5.")]
    [InlineData("\"Address\":{\"Zip\":\"12345\"}", "Where is Street?")]
    [InlineData("\"Address\":{\"Street\":\"Main\",\"Zip\":\"123456\"}", "The field Zip must be a string with a maximum length of 5.")]
    [InlineData("\"Origin\":null", "The Origin field is required.")]
    [InlineData("\"Origin\":{\"X\":-1,\"Y\":0}", "The field X must be between 0 and 100.")]
    [InlineData("\"Origin\":{\"X\":0,\"Y\":100}", "The field Y must be between 0 and 100 (exclusive).")]
    public void An_invalid_member_is_400_with_its_message_and_the_handler_does_not_run(string member, string message) =>
        Assert.Equal("400 " + message, Answer(Json("/valid/signup", Signup(member))));

    [Theory]
    [InlineData("\"Age\":18")]
    [InlineData("\"Age\":130")]
    [InlineData("\"Email\":\"a@b\"")]
    [InlineData("\"Homepage\":\"HTTPS://example.org\"")]
    [InlineData("\"Homepage\":\"ftp://x\"")]
    [InlineData("\"Homepage\":null")]
    [InlineData("\"Handle\":\"ann1\"")]
    [InlineData("\"Handle\":\"\"")] // an empty string passes [RegularExpression], as in DataAnnotations
    [InlineData("\"Tags\":[\"a\"]")]
    [InlineData("\"Tags\":[\"a\",\"b\",\"c\"]")]
    [InlineData("\"Tags\":null")]
    [InlineData("\"Nickname\":\"ab\"")]
    [InlineData("\"Nickname\":\"abcdefghij\"")]
    [InlineData("\"Ratio\":0.5000001")]
    [InlineData("\"Ratio\":2.5")]
    [InlineData("\"Address\":null")] // the members of an absent object are not checked
    [InlineData("\"Address\":{\"Street\":\"Main\",\"Zip\":\"12345\"}")]
    [InlineData("\"Origin\":{\"X\":100,\"Y\":99}")]
    [InlineData("\"Origin\":{\"X\":0,\"Y\":0}")]
    public void A_boundary_value_is_valid(string member) => Assert.Equal("200 welcome Ann", Answer(Json("/valid/signup", Signup(member))));

    [Fact]
    public void Every_invalid_member_is_listed_in_order_a_line_each()
    {
        var response = Json("/valid/signup", """{"Email":"x","Age":5,"Address":{},"Origin":{"X":200,"Y":-1}}""");
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(Response.TextContentType, response.ContentType);
        Assert.Equal(string.Join("\n",
            "The Name field is required.",
            "The Email field is not a valid e-mail address.",
            "The field Age must be between 18 and 130.",
            "Where is Street?",
            "The field X must be between 0 and 100.",
            "The field Y must be between 0 and 100 (exclusive)."), response.BodyText);
    }

    [Fact]
    public void Problem_details_carry_an_errors_member_keyed_by_member_path()
    {
        var response = Json("/valid/signup", """{"Name":"","Email":"x@","Age":5,"Tags":[],"Address":{},"Origin":{"X":200,"Y":0}}""",
            ("Accept", "application/json"));
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(Response.ProblemJsonContentType, response.ContentType);
        using var json = JsonDocument.Parse(response.Body);
        var root = json.RootElement;
        Assert.Equal("One or more validation errors occurred.", root.GetProperty("title").GetString());
        Assert.Equal(400, root.GetProperty("status").GetInt32());
        Assert.False(root.TryGetProperty("detail", out _));
        var errors = new List<string>();
        foreach (var property in root.GetProperty("errors").EnumerateObject())
        {
            foreach (var message in property.Value.EnumerateArray())
                errors.Add(property.Name + ": " + message.GetString());
        }
        Assert.Equal(new[]
        {
            "Name: The Name field is required.",
            "Email: The Email field is not a valid e-mail address.",
            "Age: The field Age must be between 18 and 130.",
            "Tags: The field Tags must be a string or array type with a minimum length of '1'.",
            "Address.Street: Where is Street?",
            "Origin.X: The field X must be between 0 and 100.",
        }, errors);
    }

    [Fact]
    public void A_key_with_two_failures_lists_both_under_one_name()
    {
        var response = Send("GET", "/valid/search?q=x&sort=a&sort=b&sort=c", headers: ("Accept", "application/problem+json"));
        Assert.Equal("""{"type":"about:blank","title":"One or more validation errors occurred.","status":400,"errors":{"sort":["The field sort must be a string or array type with a maximum length of '2'."]}}""",
            JsonSerializer.Serialize(JsonDocument.Parse(response.Body).RootElement, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        var both = Send("POST", "/valid/comment", "Text=&Stars=3", ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"));
        Assert.Contains("\"errors\":{\"Text\":[\"The Text field is required.\"],\"Tag\":[\"The Tag field is required.\"]}", both.BodyText);
    }

    [Fact]
    public async System.Threading.Tasks.Task UseProblemDetails_makes_validation_failures_problem_json_for_every_client()
    {
        var response = await CgiApp.DispatchAsync(CgiRequest.Create("GET", "/valid/search?q=%20", null, []),
            new CgiOptions { UseProblemDetails = true, ErrorLog = TextWriter.Null });
        Assert.Equal(Response.ProblemJsonContentType, response.ContentType);
        Assert.Contains("\"errors\":{\"q\":[\"The q field is required.\"]}", response.BodyText);
    }

    [Fact]
    public void A_record_struct_body_is_validated()
    {
        Assert.Equal("200 0,99", Answer(Json("/valid/point", """{"X":0,"Y":99}""")));
        Assert.Equal("400 The field X must be between 0 and 100.\nThe field Y must be between 0 and 100 (exclusive).",
            Answer(Json("/valid/point", """{"X":101,"Y":100}""")));
    }

    [Theory]
    [InlineData("Text=hi&Stars=5&Tag=", "200 hi 5")] // AllowEmptyStrings
    [InlineData("Text=hi&Stars=1&Tag=x", "200 hi 1")]
    [InlineData("Text=%20&Stars=1&Tag=x", "400 The Text field is required.")]
    [InlineData("Text=abcdefghijklmnopqrstu&Stars=1&Tag=x", "400 The field Text must be a string with a maximum length of 20.")]
    [InlineData("Text=hi&Stars=6&Tag=x", "400 The field Stars must be between 1 and 5.")]
    [InlineData("Text=hi&Stars=0", "400 The field Stars must be between 1 and 5.\nThe Tag field is required.")]
    public void A_form_record_is_validated(string form, string answer) =>
        Assert.Equal(answer, Answer(Send("POST", "/valid/comment", form, ("Content-Type", "application/x-www-form-urlencoded"))));

    [Theory]
    [InlineData("/valid/search?q=a", "200 a 10  0 ")]
    [InlineData("/valid/search?q=a&size=1&size=50", "200 a 1  0 ")]
    [InlineData("/valid/search?q=a&size=50&sort=x&sort=y&page=9", "200 a 50  2 9")]
    [InlineData("/valid/search", "400 The q field is required.")] // string? is optional to binding; [Required] makes it required
    [InlineData("/valid/search?q=", "400 The q field is required.")]
    [InlineData("/valid/search?q=a&size=0", "400 The field size must be between 1 and 50.")]
    [InlineData("/valid/search?q=a&size=51", "400 The field size must be between 1 and 50.")]
    [InlineData("/valid/search?q=a&page=0", "400 The field page must be between 1 and 9.")]
    [InlineData("/valid/search?q=a&page=10", "400 The field page must be between 1 and 9.")]
    [InlineData("/valid/search?q=&size=0&page=10", "400 The q field is required.\nThe field size must be between 1 and 50.\nThe field page must be between 1 and 9.")]
    [InlineData("/valid/items/1", "200 item 1 ")]
    [InlineData("/valid/items/1000", "200 item 1000 ")]
    [InlineData("/valid/items/0", "400 The field id must be between 1 and 1000.")]
    [InlineData("/valid/items/1001", "400 The field id must be between 1 and 1000.")]
    public void Query_and_path_parameters_are_validated(string target, string answer) => Assert.Equal(answer, Answer(Send("GET", target)));

    [Fact]
    public void Header_and_cookie_parameters_are_validated()
    {
        Assert.Equal("200 a 10 abc 0 ", Answer(Send("GET", "/valid/search?q=a", null, ("X-Lang", "abc"))));
        Assert.Equal("400 The field lang must be a string with a maximum length of 3.", Answer(Send("GET", "/valid/search?q=a", null, ("X-Lang", "abcd"))));
        Assert.Equal("200 item 5 dark", Answer(Send("GET", "/valid/items/5", null, ("Cookie", "theme=dark"))));
        Assert.Equal("400 The field theme must match the regular expression 'light|dark'.", Answer(Send("GET", "/valid/items/5", null, ("Cookie", "theme=darker"))));
    }
}
