using System;
using CgiRouting.Dispatching;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>What a handler can build: status ranges, headers, and the results the dispatcher turns into responses.</summary>
public class ResponseTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(599)]
    public void A_status_is_from_100_to_599(int status) => Assert.Equal(status, Response.Text("x", status).StatusCode);

    [Theory]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(0)]
    public void Other_statuses_are_refused(int status)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Response.Empty(status));
        Assert.Equal("statusCode", e.ParamName);
        Assert.StartsWith("An HTTP status code is from 100 to 599.", e.Message);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(301)]
    [InlineData(399)]
    public void A_redirect_is_3xx_with_a_location(int status)
    {
        var response = Response.Redirect("/there", status);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("/there", response.GetHeader("Location"));
        Assert.Null(response.ContentType);
        Assert.True(response.Body.IsEmpty);
    }

    [Theory]
    [InlineData(299)]
    [InlineData(400)]
    [InlineData(200)]
    public void A_redirect_with_another_status_is_refused(int status)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Response.Redirect("/there", status));
        Assert.Equal("status", e.ParamName);
        Assert.StartsWith("A redirect has a 3xx status code.", e.Message);
    }

    [Fact]
    public void Header_names_and_values_may_not_be_null()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => Response.Text("x").WithHeader(null!, "v")).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => Response.Text("x").WithHeader("X-A", null!)).ParamName);
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("content-type")]
    [InlineData("CONTENT-TYPE")]
    public void A_content_type_header_sets_the_content_type(string name)
    {
        var response = Response.Text("<p>x</p>").WithHeader(name, "text/html");
        Assert.Equal("text/html", response.ContentType);
        Assert.Empty(response.Headers);
        Assert.Equal("text/html", response.GetHeader("Content-Type"));
        Assert.Equal("text/html", response.GetHeader("content-TYPE"));
    }

    [Fact]
    public void A_streamed_response_needs_a_stream_and_a_content_type()
    {
        Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => Response.Stream(null!, "text/plain")).ParamName);
        Assert.Equal("contentType", Assert.Throws<ArgumentNullException>(() => Response.Stream(new System.IO.MemoryStream(), null!)).ParamName);
    }

    [Fact]
    public void A_download_name_may_not_be_null()
        => Assert.Equal("fileName", Assert.Throws<ArgumentNullException>(() => Response.Empty().AsAttachment(null!)).ParamName);

    [Theory]
    [InlineData(".")]
    [InlineData("reports/.")]
    [InlineData("reports/")]
    public void A_download_name_that_is_only_a_dot_or_a_folder_is_download(string fileName)
        => Assert.Equal("attachment; filename=\"download\"; filename*=UTF-8''download", Response.Empty().AsAttachment(fileName).GetHeader("Content-Disposition"));

    // RFC 8187 attr-char: the ends of the ALPHA and DIGIT ranges go as they are; '~' (0x7E) is the last printable
    // ASCII character kept in the plain filename, DEL (0x7F) the first one replaced.
    [Fact]
    public void The_ends_of_the_letter_and_digit_ranges_are_not_percent_encoded()
        => Assert.Equal("attachment; filename=\"AZaz09~_\"; filename*=UTF-8''AZaz09~%7F",
            Response.Empty().AsAttachment("AZaz09~\x7F").GetHeader("Content-Disposition"));

    [Fact]
    public void The_characters_just_outside_the_letter_and_digit_ranges_are_percent_encoded()
        => Assert.Equal("attachment; filename=\"@[`{:\"; filename*=UTF-8''%40%5B`%7B%3A",
            Response.Empty().AsAttachment("@[`{:").GetHeader("Content-Disposition"));

    [Fact]
    public void Get_header_finds_the_first_header_of_a_name_in_any_case()
    {
        var response = Response.Text("x").WithHeader("Set-Cookie", "a=1").WithHeader("set-cookie", "b=2").WithHeader("X-A", "1");
        Assert.Equal("a=1", response.GetHeader("SET-COOKIE"));
        Assert.Equal("1", response.GetHeader("x-a"));
        Assert.Null(response.GetHeader("X-B"));
        Assert.Equal(Response.TextContentType, response.GetHeader("Content-Type"));
        Assert.Null(Response.Empty().GetHeader("Content-Type"));
    }

    [Fact]
    public void Null_results_are_404_and_others_200()
    {
        Assert.Equal(404, HandlerResults.Json<Item>(null, TestJson.Default.Item).StatusCode);
        var json = HandlerResults.Json(new Item(1, "a"), TestJson.Default.Item);
        Assert.Equal(200, json.StatusCode);
        Assert.Equal("""{"Id":1,"Name":"a"}""", json.BodyText);
        Assert.Equal(404, HandlerResults.Bytes(null).StatusCode);
        var bytes = HandlerResults.Bytes([1, 2]);
        Assert.Equal(200, bytes.StatusCode);
        Assert.Equal([1, 2], bytes.Body.ToArray());
        Assert.Equal(404, HandlerResults.Text(null).StatusCode);
        Assert.Equal(404, HandlerResults.JsonUtf8(null).StatusCode);
    }

    [Fact]
    public void A_null_response_from_a_handler_is_a_bug_it_is_told_about()
    {
        var e = Assert.Throws<InvalidOperationException>(() => HandlerResults.From(null));
        Assert.Equal("The handler returned a null Response.", e.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_failed_task_without_a_result_is_not_a_204()
    {
        var failed = System.Threading.Tasks.Task.FromException(new TimeoutException("slow"));
        await Assert.ThrowsAsync<TimeoutException>(async () => await HandlerResults.Await(failed));
        var failedValueTask = System.Threading.Tasks.ValueTask.FromException(new TimeoutException("slow"));
        await Assert.ThrowsAsync<TimeoutException>(async () => await HandlerResults.Await(failedValueTask));
        Assert.Equal(204, (await HandlerResults.Await(System.Threading.Tasks.Task.CompletedTask)).StatusCode);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(499)]
    public void A_request_exception_has_a_4xx_status(int status)
        => Assert.Equal(status, new CgiRequestException(status, "No.").StatusCode);

    [Theory]
    [InlineData(399)]
    [InlineData(500)]
    [InlineData(200)]
    public void A_request_exception_with_another_status_is_refused(int status)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CgiRequestException(status, "No."));
        Assert.Equal("statusCode", e.ParamName);
        Assert.StartsWith("A request error has a 4xx status code.", e.Message);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public void Each_verb_attribute_routes_its_method(string method)
    {
        RouteAttribute attribute = method switch
        {
            "GET" => new GetAttribute("/t"),
            "POST" => new PostAttribute("/t"),
            "PUT" => new PutAttribute("/t"),
            "PATCH" => new PatchAttribute("/t"),
            "DELETE" => new DeleteAttribute("/t"),
            "HEAD" => new HeadAttribute("/t"),
            _ => new OptionsAttribute("/t"),
        };
        Assert.Equal(method, attribute.Method);
        Assert.Equal("/t", attribute.Template);
        var custom = new RouteAttribute("PROPFIND", "/dav");
        Assert.Equal("PROPFIND", custom.Method);
        Assert.Equal("/dav", custom.Template);
    }
}
