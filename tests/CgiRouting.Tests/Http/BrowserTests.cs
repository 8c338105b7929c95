using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>Pages, downloads, streamed bodies and cookies (issue 10).</summary>
public class BrowserTests
{
    private static (string Output, string Log) Run(string method, string path, params (string, string)[] extra)
    {
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = method, ["PATH_INFO"] = path };
        foreach (var (name, value) in extra)
            environment[name] = value;
        var output = new MemoryStream();
        var log = new StringWriter();
        Assert.Equal(0, CgiApp.Run(environment, new MemoryStream(), output, new CgiOptions { ErrorLog = log }));
        return (Encoding.UTF8.GetString(output.ToArray()), log.ToString());
    }

    [Theory]
    [InlineData("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")]
    [InlineData("Tom & \"Jerry\"", "Tom &amp; &quot;Jerry&quot;")]
    [InlineData("plain text", "plain text")]
    [InlineData(null, "")]
    public void Html_Encode_escapes_what_means_something_in_HTML(string? value, string expected) => Assert.Equal(expected, Html.Encode(value));

    /// <summary>
    /// Beyond those five, what docs/guide/results.md says Html.Encode writes (WebUtility.HtmlEncode's rules): U+00A0 to U+00FF and
    /// characters above U+FFFF as numeric references; other text, ASCII or not, as it is.
    /// </summary>
    [Theory]
    [InlineData("caf\u00E9 \u00A0\u00FF", "caf&#233; &#160;&#255;")]
    [InlineData("\U0001F600!", "&#128512;!")]
    [InlineData("\u017E \u2013 \u201Cq\u201D \u65E5\u672C", "\u017E \u2013 \u201Cq\u201D \u65E5\u672C")]
    [InlineData("\t\n\u007F", "\t\n\u007F")]
    public void Html_Encode_writes_only_latin1_and_astral_characters_as_numeric_references(string value, string expected)
        => Assert.Equal(expected, Html.Encode(value));

    [Fact]
    public void Html_Encode_writes_a_lone_surrogate_as_the_replacement_character()
        => Assert.Equal("a\uFFFDb", Html.Encode("a\uD800b"));

    [Fact]
    public void An_html_page_is_text_html_utf8_with_encoded_values()
    {
        var response = Http.Get("/page/<b>"); // PATH_INFO as the server decoded it
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.Equal("<h1>Hello, &lt;b&gt;</h1>", response.BodyText);
    }

    [Fact]
    public void SeeOther_is_303_with_a_location_and_no_body()
    {
        var (output, _) = Run("POST", "/page/form");
        Assert.Equal("Status: 303 See Other\r\nContent-Length: 0\r\nLocation: /page/done\r\n\r\n", output);
    }

    [Fact]
    public void A_streamed_body_is_written_as_it_is_read_without_a_content_length()
    {
        ChunkStream.Log = new StringBuilder();
        var output = new LoggingStream(ChunkStream.Log);
        CgiApp.Run(new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = "/stream/3" }, new MemoryStream(), output,
            new CgiOptions { ErrorLog = TextWriter.Null });
        string text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Accel-Buffering: no\r\n\r\nchunk 0\nchunk 1\nchunk 2\n", text);
        // Each read reaches the output before the next read: nothing is held back until the end.
        Assert.Equal("write;read 0;write;read 1;write;read 2;write;disposed;", ChunkStream.Log.ToString());
        ChunkStream.Log = null;
    }

    [Fact]
    public void HEAD_of_a_streamed_response_sends_the_head_and_disposes_the_stream_unread()
    {
        ChunkStream.Log = new StringBuilder();
        var (output, _) = Run("HEAD", "/stream/3");
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Accel-Buffering: no\r\n\r\n", output);
        Assert.Equal("disposed;", ChunkStream.Log.ToString());
        ChunkStream.Log = null;
    }

    [Fact]
    public void A_stream_that_fails_after_the_head_ends_the_body_and_logs()
    {
        var response = Response.Stream(new FailingStream(), "text/plain");
        var output = new MemoryStream();
        var log = new StringWriter();
        CgiResponseWriter.Write(response, omitBody: false, https: false, output, log);
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/plain\r\nX-Accel-Buffering: no\r\n\r\npart", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Contains("the streamed response body failed after its headers were sent", log.ToString());
    }

    [Theory]
    [InlineData("../report 2026.csv", "attachment; filename=\"report 2026.csv\"; filename*=UTF-8''report%202026.csv")]
    [InlineData("C:\\temp\\a.txt", "attachment; filename=\"a.txt\"; filename*=UTF-8''a.txt")]
    [InlineData("résumé \"1\".pdf", "attachment; filename=\"r_sum_ _1_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.pdf")]
    [InlineData("a\r\nSet-Cookie: x=1", "attachment; filename=\"a__Set-Cookie: x=1\"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1")]
    [InlineData("..", "attachment; filename=\"download\"; filename*=UTF-8''download")]
    [InlineData("100%.txt", "attachment; filename=\"100_.txt\"; filename*=UTF-8''100%25.txt")]
    public void A_download_name_is_made_safe(string name, string header)
        => Assert.Equal(header, Response.Text("x").AsAttachment(name).GetHeader("Content-Disposition"));

    [Fact]
    public void A_download_through_the_dispatcher_has_its_disposition()
    {
        var (output, _) = Run("GET", "/download");
        Assert.Contains("\r\nContent-Disposition: attachment; filename=\"report 2026.csv\"; filename*=UTF-8''report%202026.csv\r\n", output);
        Assert.EndsWith("\r\n\r\na,b\n", output);
    }

    [Fact]
    public void Request_cookies_are_parsed_first_wins_quotes_removed()
    {
        var request = CgiRequest.Create("GET", "/", null, [new("Cookie", "a=1; b=\"two\";a=3; bad; =x; c=; d = 4 ")]);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "two", ["c"] = "", ["d"] = "4" }, request.Cookies);
        Assert.Empty(CgiRequest.Create("GET", "/").Cookies);
    }

    [Fact]
    public void Cookie_parameters_are_bound_by_name()
    {
        var response = Http.Send("GET", "/cookie/read", null, ("Cookie", "theme=dark; session=s1; visits=7"));
        Assert.Equal("session=s1 visits=7 theme=dark", response.BodyText);
        Assert.Equal("session=s2 visits=none theme=light", Http.Send("GET", "/cookie/read", null, ("Cookie", "session=s2")).BodyText);
    }

    [Fact]
    public void A_missing_or_invalid_cookie_is_400_naming_it()
    {
        var missing = Http.Send("GET", "/cookie/read", null, ("Cookie", "visits=1"));
        Assert.Equal(400, missing.StatusCode);
        Assert.Equal("Missing required cookie 'session'.", missing.BodyText);
        var invalid = Http.Send("GET", "/cookie/read", null, ("Cookie", "session=s; visits=many"));
        Assert.Equal(400, invalid.StatusCode);
        Assert.Contains("cookie 'visits'", invalid.BodyText);
    }

    [Fact]
    public void A_cookie_has_safe_defaults_and_is_Secure_over_https()
    {
        Assert.Contains("\r\nSet-Cookie: session=abc123; Path=/; HttpOnly; SameSite=Lax\r\n", Run("GET", "/cookie/set").Output);
        Assert.Contains("\r\nSet-Cookie: session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax\r\n", Run("GET", "/cookie/set", ("HTTPS", "on")).Output);
    }

    [Fact]
    public void Cookie_options_are_written_as_attributes()
    {
        var response = Response.Text("x").WithCookie("pref", "v1", new CookieOptions
        {
            Path = "/app",
            Domain = "example.com",
            MaxAge = TimeSpan.FromDays(1),
            Expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            Secure = false,
            HttpOnly = false,
            SameSite = SameSiteMode.Strict,
        });
        Assert.Equal("pref=v1; Path=/app; Domain=example.com; Expires=Wed, 02 Jan 2030 01:04:05 GMT; Max-Age=86400; SameSite=Strict",
            response.GetHeader("Set-Cookie"));
        Assert.Equal("x=1; Path=/; Secure; HttpOnly; SameSite=None",
            Response.Text("x").WithCookie("x", "1", new CookieOptions { SameSite = SameSiteMode.None, Secure = false }).GetHeader("Set-Cookie"));
    }

    [Fact]
    public void DeleteCookie_expires_it_at_once()
    {
        Assert.Equal("session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax",
            Response.Empty().DeleteCookie("session").GetHeader("Set-Cookie"));
        Assert.Equal("s=; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax",
            Response.Empty().DeleteCookie("s", new CookieOptions { Path = "/app" }).GetHeader("Set-Cookie"));
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a;b")]
    [InlineData("")]
    public void A_cookie_name_outside_RFC_6265_is_refused(string name)
        => Assert.Throws<ArgumentException>(() => Response.Empty().WithCookie(name, "v"));

    // A value is never refused: what a cookie-octet may not be is percent-encoded, so nothing ends the value early.
    [Theory]
    [InlineData("a;b", "a%3Bb")]
    [InlineData("a b", "a%20b")]
    [InlineData("a\r\nSet-Cookie: evil=1", "a%0D%0ASet-Cookie:%20evil=1")]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("a,b", "a%2Cb")]
    [InlineData("a\\b", "a%5Cb")]
    [InlineData("\"a\"b\"", "%22a%22b%22")]
    [InlineData("x; Domain=evil.example", "x%3B%20Domain=evil.example")]
    public void A_cookie_value_outside_RFC_6265_is_percent_encoded(string value, string encoded)
        => Assert.Equal($"n={encoded}; Path=/; HttpOnly; SameSite=Lax", Response.Empty().WithCookie("n", value).GetHeader("Set-Cookie"));

    [Theory]
    [InlineData("/a;b", null)]
    [InlineData("/a\nb", null)]
    [InlineData(null, "example.com; Secure")]
    public void A_cookie_path_or_domain_that_could_add_attributes_is_refused(string? path, string? domain)
        => Assert.Throws<ArgumentException>(() => Response.Empty().WithCookie("n", "v", new CookieOptions { Path = path, Domain = domain }));

    [Fact]
    public void A_quoted_cookie_value_keeps_its_quotes_encoded()
        => Assert.Equal("n=%22a-b%22; Path=/; HttpOnly; SameSite=Lax", Response.Empty().WithCookie("n", "\"a-b\"").GetHeader("Set-Cookie"));

    [Fact]
    public void A_handler_setting_a_bad_cookie_gets_500_and_a_line_on_stderr()
    {
        var (output, log) = Run("GET", "/cookie/bad");
        Assert.StartsWith("Status: 500 Internal Server Error\r\n", output);
        Assert.DoesNotContain("Set-Cookie", output);
        Assert.Contains("The cookie name 'a;b' is not an HTTP token", log);
    }

    /// <summary>Records each write in the shared log.</summary>
    private sealed class LoggingStream(StringBuilder log) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) { log.Append("write;"); base.Write(buffer, offset, count); }
    }

    private sealed class FailingStream : MemoryStream
    {
        private bool _once;
        public override int Read(Span<byte> buffer)
        {
            if (_once)
                throw new IOException("the disk went away");
            _once = true;
            "part"u8.CopyTo(buffer);
            return 4;
        }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    }
}

/// <summary>Cross-origin protection, branch by branch (Go 1.25's CrossOriginProtection).</summary>
public class CrossOriginTests
{
    private static CgiRequest Request(string method, string path, (string Name, string Value)[] headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in headers)
            list.Add(new(name, value));
        return CgiRequest.Create(method, path, null, list);
    }

    private static Response Send(string method, string path, CgiOptions? options = null, params (string Name, string Value)[] headers)
        => CgiApp.DispatchAsync(Request(method, path, headers), options).AsTask().GetAwaiter().GetResult();

    [Theory]
    [InlineData("same-origin")]
    [InlineData("none")]
    public void A_browser_request_from_this_site_passes(string site)
        => Assert.Equal("accepted", Send("POST", "/origin/protected", null, ("Sec-Fetch-Site", site), ("Origin", "https://evil.example")).BodyText);

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public void A_browser_request_from_another_site_is_403(string site)
    {
        var response = Send("POST", "/origin/protected", null, ("Sec-Fetch-Site", site), ("Origin", "https://evil.example"), ("Host", "app.example"));
        Assert.Equal(403, response.StatusCode);
        Assert.Equal("Cross-origin request refused: the browser says another site sent it (Sec-Fetch-Site).", response.BodyText);
    }

    [Fact]
    public void A_request_with_neither_header_passes_as_curl_sends_it()
        => Assert.Equal("accepted", Send("POST", "/origin/protected").BodyText);

    [Fact]
    public void Without_Sec_Fetch_Site_an_Origin_matching_Host_passes()
        => Assert.Equal("accepted", Send("POST", "/origin/protected", null, ("Origin", "http://app.example:8080"), ("Host", "app.example:8080")).BodyText);

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("http://app.example:8081")]
    [InlineData("http://app.example:8080/path")]
    public void Without_Sec_Fetch_Site_another_Origin_is_403(string origin)
    {
        var response = Send("POST", "/origin/protected", null, ("Origin", origin), ("Host", "app.example:8080"));
        Assert.Equal(403, response.StatusCode);
        Assert.Contains("its Origin is not this site's Host", response.BodyText);
    }

    [Fact]
    public void A_trusted_origin_passes_both_checks()
    {
        var options = new CgiOptions { TrustedOrigins = ["https://partner.example/"] };
        Assert.Equal("accepted", Send("POST", "/origin/protected", options, ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://PARTNER.example")).BodyText);
        Assert.Equal("accepted", Send("POST", "/origin/protected", options, ("Origin", "https://partner.example"), ("Host", "app.example")).BodyText);
        Assert.Equal(403, Send("POST", "/origin/protected", options, ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://other.example")).StatusCode);
    }

    [Fact]
    public void Safe_methods_are_never_refused()
    {
        Assert.Equal(200, Send("GET", "/page/x", null, ("Sec-Fetch-Site", "cross-site")).StatusCode);
        Assert.Equal(200, Send("HEAD", "/page/x", null, ("Sec-Fetch-Site", "cross-site")).StatusCode);
    }

    private static Response? Refusal(string method, params (string Name, string Value)[] headers)
        => CgiRouting.Dispatching.CrossOrigin.Refusal(Request(method, "/", headers));

    // The dispatcher only asks for unsafe methods' routes; the check itself must pass the safe ones too.
    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public void The_check_itself_passes_the_safe_methods(string method)
    {
        Assert.Null(Refusal(method, ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example")));
        Assert.Equal(403, Refusal("POST", ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example"))!.StatusCode);
    }

    [Fact]
    public void An_empty_Sec_Fetch_Site_is_as_none_sent_and_the_Origin_decides()
    {
        Assert.Null(Refusal("POST", ("Sec-Fetch-Site", "")));
        Assert.Null(Refusal("POST", ("Sec-Fetch-Site", ""), ("Origin", "https://app.example"), ("Host", "app.example")));
        Assert.Contains("its Origin is not this site's Host",
            Refusal("POST", ("Sec-Fetch-Site", ""), ("Origin", "https://evil.example"), ("Host", "app.example"))!.BodyText);
    }

    // An Origin is scheme "://" host [":" port] and nothing more: without a scheme, or with a path (even an empty host
    // followed by one), it names no host, and so never matches the Host header, even one written the same way.
    [Theory]
    [InlineData("://app.example", "app.example")]
    [InlineData("https://app.example/x", "app.example/x")]
    [InlineData("https:///x", "/x")]
    [InlineData("https://", "")]
    public void An_origin_that_is_not_scheme_and_host_is_refused(string origin, string host)
        => Assert.Equal(403, Refusal("POST", ("Origin", origin), ("Host", host))!.StatusCode);

    [Fact]
    public void A_custom_method_is_protected_like_POST()
        => Assert.Equal(403, Send("PURGE", "/origin/purge", null, ("Sec-Fetch-Site", "cross-site")).StatusCode);

    [Fact]
    public void AllowCrossOrigin_on_a_handler_or_its_class_turns_the_protection_off()
    {
        Assert.Equal("accepted anyway", Send("POST", "/origin/open", null, ("Sec-Fetch-Site", "cross-site")).BodyText);
        Assert.Equal("removed 4", Send("DELETE", "/origin/open-class/4", null, ("Sec-Fetch-Site", "cross-site")).BodyText);
    }
}
