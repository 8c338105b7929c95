using System;
using System.IO;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// Range requests (RFC 9110 §14, issue 20) of Response.Bytes and Response.File: one range is a 206, a range past the
/// end a 416, anything else (malformed, several ranges, a stale If-Range) the whole 200. Routes: ConditionalRoutes.cs.
/// </summary>
public class RangeRequestTests
{
    private static string Run(string method, string path, params (string Name, string Value)[] headers)
        => ConditionalRequestTests.Run(method, path, headers);

    private static Response Send(string path, params (string Name, string Value)[] headers) => Http.Send("GET", path, null, headers);

    [Fact]
    public void One_range_is_a_206_with_its_bytes_length_and_Content_Range()
    {
        Assert.Equal("Status: 206 Partial Content\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nETag: \"d1\"\r\n"
            + "Last-Modified: Mon, 06 May 2024 07:08:09 GMT\r\nAccept-Ranges: bytes\r\nContent-Range: bytes 2-5/10\r\n\r\n2345",
            Run("GET", "/bytes/digits", ("Range", "bytes=2-5")));
    }

    [Theory]
    [InlineData("bytes=0-0", "0", "0-0")]
    [InlineData("bytes=7-", "789", "7-9")]
    [InlineData("bytes=-3", "789", "7-9")]            // the last three
    [InlineData("bytes=-20", "0123456789", "0-9")]    // more than there is: all of it
    [InlineData("bytes=5-100", "56789", "5-9")]       // an end past the end: up to the end
    [InlineData("bytes=9-99999999999999999999999", "9", "9-9")]
    [InlineData("BYTES=1-2", "12", "1-2")]            // the unit in any case
    [InlineData(" bytes=1-2 , ", "12", "1-2")]        // an empty member after it is not a second range
    public void A_range_is_the_bytes_it_names(string range, string body, string positions)
    {
        var response = Send("/bytes/digits", ("Range", range));
        Assert.Equal(206, response.StatusCode);
        Assert.Equal(body, response.BodyText);
        Assert.Equal($"bytes {positions}/10", response.GetHeader("Content-Range"));
    }

    [Theory]
    [InlineData("bytes=10-")]
    [InlineData("bytes=10-20")]
    [InlineData("bytes=99999999999999999999-")]
    [InlineData("bytes=-0")]
    public void A_range_past_the_end_is_416_with_the_length(string range)
    {
        string output = Run("GET", "/bytes/digits", ("Range", range));
        Assert.StartsWith("Status: 416 Range Not Satisfiable\r\nContent-Type: text/plain; charset=utf-8\r\n", output);
        Assert.Contains("\r\nContent-Range: bytes */10\r\n", output);
    }

    [Theory]
    [InlineData("bytes=5-2")]       // last before first: invalid
    [InlineData("bytes=abc")]
    [InlineData("bytes=a-2")]
    [InlineData("bytes=1-b")]
    [InlineData("bytes=-")]
    [InlineData("bytes=")]
    [InlineData("bytes=1 -2")]
    [InlineData("bytes 1-2")]
    [InlineData("items=0-1")]       // an unknown unit
    [InlineData("bytes=0-1,4-5")]   // several ranges: the whole body (not multipart/byteranges)
    [InlineData("bytes=0-1, 0-1")]
    [InlineData("bytes=-1,20-30")]
    [InlineData("")]
    public void Anything_else_is_the_whole_200(string range)
    {
        var response = Send("/bytes/digits", ("Range", range));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("0123456789", response.BodyText);
        Assert.Null(response.GetHeader("Content-Range"));
        Assert.Equal("bytes", response.GetHeader("Accept-Ranges"));
    }

    [Fact]
    public void Bytes_and_File_say_they_accept_ranges_on_GET_and_HEAD_only()
    {
        Assert.Equal("bytes", Http.Get("/bytes/untagged").GetHeader("Accept-Ranges"));
        Assert.Equal("bytes", Http.Send("HEAD", "/bytes/untagged").GetHeader("Accept-Ranges"));
        Assert.Null(Http.Send("POST", "/bytes/digits").GetHeader("Accept-Ranges"));
        Assert.Null(Http.Get("/bytes/text").GetHeader("Accept-Ranges"));
    }

    [Fact]
    public void Other_responses_and_methods_ignore_Range()
    {
        Assert.Equal(200, Send("/bytes/text", ("Range", "bytes=0-1")).StatusCode);
        var post = Http.Send("POST", "/bytes/digits", null, ("Range", "bytes=0-1"));
        Assert.Equal((200, "0123456789"), (post.StatusCode, post.BodyText));
        // HEAD: Range is defined for GET only (RFC 9110 §14.2); the head is the whole 200's, without its body.
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nETag: \"d1\"\r\n"
            + "Last-Modified: Mon, 06 May 2024 07:08:09 GMT\r\nAccept-Ranges: bytes\r\n\r\n", Run("HEAD", "/bytes/digits", ("Range", "bytes=0-1")));
        // An empty body has no byte to send: its 200 is the answer.
        Assert.Equal(200, Send("/bytes/empty", ("Range", "bytes=0-1")).StatusCode);
        Assert.Equal(200, Send("/bytes/empty", ("Range", "bytes=-1")).StatusCode);
    }

    [Theory]
    [InlineData("\"d1\"", 206)]
    [InlineData("\"d0\"", 200)]                                   // another version: the whole new one
    [InlineData("W/\"d1\"", 200)]                                 // If-Range compares strongly
    [InlineData("Mon, 06 May 2024 07:08:09 GMT", 206)]            // exactly Last-Modified
    [InlineData("Mon, 06 May 2024 07:08:10 GMT", 200)]            // a date is not "not after": it must be equal
    [InlineData("Mon, 06 May 2024 07:08:08 GMT", 200)]
    [InlineData("not a date", 200)]
    public void If_Range_gives_the_part_only_of_the_version_it_names(string ifRange, int status)
        => Assert.Equal(status, Send("/bytes/digits", ("Range", "bytes=0-1"), ("If-Range", ifRange)).StatusCode);

    [Fact]
    public void If_Range_never_matches_a_weak_ETag_or_a_response_without_validators()
    {
        Assert.Equal(200, Send("/bytes/weak", ("Range", "bytes=0-1"), ("If-Range", "W/\"d1\"")).StatusCode);
        Assert.Equal(200, Send("/bytes/untagged", ("Range", "bytes=0-1"), ("If-Range", "\"d1\"")).StatusCode);
        Assert.Equal(206, Send("/bytes/untagged", ("Range", "bytes=0-1")).StatusCode);
    }

    [Fact]
    public void If_Range_without_Range_changes_nothing()
        => Assert.Equal(200, Send("/bytes/digits", ("If-Range", "\"d0\"")).StatusCode);

    [Fact]
    public void A_304_beats_a_206_and_a_412_beats_both()
    {
        Assert.Equal("Status: 304 Not Modified\r\nETag: \"d1\"\r\nLast-Modified: Mon, 06 May 2024 07:08:09 GMT\r\n\r\n",
            Run("GET", "/bytes/digits", ("Range", "bytes=0-1"), ("If-None-Match", "\"d1\"")));
        Assert.Equal(412, Send("/bytes/digits", ("Range", "bytes=0-1"), ("If-Match", "\"d0\"")).StatusCode);
        Assert.Equal(206, Send("/bytes/digits", ("Range", "bytes=0-1"), ("If-Match", "\"d1\"")).StatusCode);
    }

    [Fact]
    public void A_416_is_problem_details_for_a_client_that_prefers_JSON()
    {
        var response = Send("/bytes/digits", ("Range", "bytes=20-"), ("Accept", "application/json"));
        Assert.Equal(416, response.StatusCode);
        Assert.Equal(Response.ProblemJsonContentType, response.ContentType);
        Assert.Equal("bytes */10", response.GetHeader("Content-Range"));
    }
}
