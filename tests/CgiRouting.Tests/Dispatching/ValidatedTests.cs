using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// <c>Validated&lt;T&gt;</c> (issue 20, item 6): a <c>[Form]</c> object or a JSON body that fails binding or its
/// DataAnnotations rules reaches the handler with its errors, keyed by the names on the wire, instead of an automatic
/// 400; a body that cannot be read at all is still answered before the handler.
/// </summary>
public class ValidatedTests
{
    private static Response Post(string path, byte[] body, string? contentType, CgiOptions? options = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = "POST",
            ["PATH_INFO"] = path,
            ["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (contentType is not null)
            environment["CONTENT_TYPE"] = contentType;
        return CgiApp.DispatchAsync(new CgiRequest(environment, new MemoryStream(body)), options ?? new CgiOptions { ErrorLog = TextWriter.Null })
            .AsTask().GetAwaiter().GetResult();
    }

    private static string Form(string path, string body) => Answer(Post(path, Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded"));

    private static string Json(string path, string body) => Answer(Post(path, Encoding.UTF8.GetBytes(body), "application/json"));

    private static string Answer(Response response) => response.StatusCode + " " + response.BodyText;

    [Fact]
    public void A_valid_form_reaches_the_handler_with_its_value_and_no_errors()
        => Assert.Equal("200 valid=True value=Ann errors= form=full_name=Ann&stars=4&email=a@b",
            Form("/validated/enquiry", "full_name=Ann&stars=4&email=a%40b"));

    [Fact]
    public void Binding_failures_reach_the_handler_keyed_by_field_name_with_no_value_and_the_submitted_fields()
        => Assert.Equal("200 valid=False value=null errors=full_name:[The full_name field is required.];Stars:[The Stars field must be an integer from -2147483648 to 2147483647.]"
            + ";Ids:[The Ids field must be an integer from -2147483648 to 2147483647.] form=stars=many&email=<b>&ids=1&ids=x&ids=y",
            Form("/validated/enquiry", "stars=many&email=%3Cb%3E&ids=1&ids=x&ids=y"));

    [Fact]
    public void Rule_failures_keep_the_bound_value_and_list_every_message_by_field_name()
        => Assert.Equal("200 valid=False value=Annabelle Lee errors=full_name:[The field Name must be a string with a maximum length of 10.]"
            + ";Stars:[The field Stars must be between 1 and 5.];Email:[The Email field is not a valid e-mail address.] form=full_name=Annabelle Lee&stars=9&email=ann",
            Form("/validated/enquiry", "full_name=Annabelle+Lee&stars=9&email=ann"));

    [Fact]
    public void A_missing_file_and_a_rule_of_a_settable_property_are_errors_too()
    {
        Assert.Equal("200 valid=False value=null errors=Document:[The Document field is required.]",
            Answer(Post("/validated/upload", FormTests.Multipart(("Label", null, null, "ab")), "multipart/form-data; boundary=----form7MA4YWxkTrZu0gW")));
        Assert.Equal("200 valid=False value=a.txt/toolong errors=Label:[The field Label must be a string with a maximum length of 4.]",
            Answer(Post("/validated/upload", FormTests.Multipart(("Document", "a.txt", "text/plain", "x"), ("Label", null, null, "toolong")),
                "multipart/form-data; boundary=----form7MA4YWxkTrZu0gW")));
        Assert.Equal("200 valid=True value=a.txt/none errors=",
            Answer(Post("/validated/upload", FormTests.Multipart(("Document", "a.txt", "text/plain", "x")), "multipart/form-data; boundary=----form7MA4YWxkTrZu0gW")));
    }

    [Fact]
    public void A_form_that_cannot_be_read_is_still_answered_before_the_handler()
    {
        var tooMany = Post("/validated/enquiry", Encoding.UTF8.GetBytes("a=1&a=2&a=3"), "application/x-www-form-urlencoded", new CgiOptions { MaxFormFields = 2 });
        Assert.Equal("413 The form has more than 2 fields.", Answer(tooMany));
        Assert.Equal(415, Post("/validated/enquiry", Encoding.UTF8.GetBytes("{}"), "application/json").StatusCode);
    }

    [Fact]
    public void A_valid_json_body_reaches_the_handler()
        => Assert.Equal("200 valid=True value=Printer/2/ann errors=", Json("/validated/ticket", """{"ticket_title":"Printer","priority":2,"owner":{"login":"ann"}}"""));

    [Fact]
    public void Json_rule_failures_are_keyed_by_json_name_at_any_depth()
        => Assert.Equal("200 valid=False value=/4/anne errors=ticket_title:[The Title field is required.];priority:[The field Priority must be between 1 and 3.]"
            + ";owner.login:[The field Login must be a string with a maximum length of 3.]",
            Json("/validated/ticket", """{"ticket_title":"","priority":4,"owner":{"login":"anne"}}"""));

    [Theory]
    [InlineData("/validated/ticket", """{"ticket_title":"x","owner":{"login":5}}""", "owner.login:[The owner.login field must be a string.]")]
    [InlineData("/validated/ticket", """{"priority":"high"}""", "priority:[The priority field must be an integer (Int32).]")]
    [InlineData("/validated/labelled", """{"name":"x","level":"high"}""", "level:[The level field must be an integer (Int32).]")]
    [InlineData("/validated/ticket", "[1]", ":[The JSON body must be an object.]")]
    [InlineData("/validated/ticket", "", ":[A JSON body is required.]")]
    [InlineData("/validated/ticket", "null", ":[A JSON body is required.]")]
    public void A_json_value_of_the_wrong_type_or_no_body_is_an_error_without_a_value(string path, string body, string errors)
        => Assert.Equal("200 valid=False value=null errors=" + errors, Json(path, body));

    [Fact]
    public void The_reader_of_System_Text_Json_gives_the_same_keys()
        => Assert.Equal("200 valid=False value=x errors=level:[The field Level must be between 0 and 9.]", Json("/validated/labelled", """{"name":"x","level":10}"""));

    [Theory]
    [InlineData("/validated/ticket", "{\"ticket_title\":", 400)]
    [InlineData("/validated/labelled", "{\"name\":}", 400)]
    public void A_malformed_json_body_is_still_answered_400_before_the_handler(string path, string body, int status)
    {
        var response = Post(path, Encoding.UTF8.GetBytes(body), "application/json");
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("The JSON body is malformed", response.BodyText);
    }

    [Fact]
    public void A_json_body_of_another_media_type_is_still_415()
        => Assert.Equal(415, Post("/validated/ticket", Encoding.UTF8.GetBytes("{}"), "text/plain").StatusCode);
}
