using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// Where the app is mounted (<see cref="CgiRequest.PathBase"/>), app-relative URLs (<see cref="CgiRequest.Url"/>), and a
/// redirect's <c>~/</c> location resolved against the request it answers, in CGI and FastCGI alike (issue 20, item 1).
/// </summary>
public class AppRelativeUrlTests
{
    private static CgiRequest Request(string? scriptName)
    {
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = "/" };
        if (scriptName is not null)
            environment["SCRIPT_NAME"] = scriptName;
        return new CgiRequest(environment);
    }

    /// <summary>A CGI request through the whole pipeline, as a CGI process serves it: the response's bytes.</summary>
    private static string Run(string method, string path, string scriptName, string query = "")
    {
        var environment = new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = method, ["PATH_INFO"] = path, ["SCRIPT_NAME"] = scriptName, ["QUERY_STRING"] = query,
        };
        var output = new MemoryStream();
        CgiApp.Run(environment, new MemoryStream(), output, new CgiOptions { ErrorLog = TextWriter.Null });
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("/", "")]
    [InlineData("/gb", "/gb")]
    [InlineData("/gb/", "/gb")]
    [InlineData("/cgi-bin/app", "/cgi-bin/app")]
    public void PathBase_is_SCRIPT_NAME_without_a_trailing_slash(string? scriptName, string expected)
        => Assert.Equal(expected, Request(scriptName).PathBase);

    [Theory]
    [InlineData("/gb", "~/items/5", "/gb/items/5")]
    [InlineData("/gb/", "~/items/5", "/gb/items/5")]
    [InlineData("", "~/items/5", "/items/5")]
    [InlineData("/gb", "~/", "/gb/")]
    [InlineData("", "~/", "/")]
    [InlineData("/gb", "/items/5", "/items/5")]
    [InlineData("/gb", "items/5", "items/5")]
    [InlineData("/gb", "https://example.com/~/x", "https://example.com/~/x")]
    [InlineData("/gb", "~", "~")]
    [InlineData("/gb", "~items", "~items")]
    [InlineData("/gb", "", "")]
    // SCRIPT_NAME arrives decoded (RFC 3875 §4.1.13): what a URL path may not hold is encoded; the rest is the caller's.
    [InlineData("/my app/caf\u00e9", "~/a%20b", "/my%20app/caf%C3%A9/a%20b")]
    [InlineData("/100%", "~/x", "/100%25/x")]
    [InlineData("/a:b@c!$&'()*+,;=-._~", "~/x", "/a:b@c!$&'()*+,;=-._~/x")]
    public void Url_resolves_an_app_relative_url_against_the_path_base(string scriptName, string url, string expected)
        => Assert.Equal(expected, Request(scriptName).Url(url));

    [Fact]
    public void Url_refuses_null()
        => Assert.Equal("url", Assert.Throws<ArgumentNullException>(() => Request("/gb").Url(null!)).ParamName);

    [Fact]
    public void A_handler_builds_its_urls_with_the_typed_links_under_the_prefix()
    {
        Assert.EndsWith("\r\n\r\n/gb|/gb/items/5|/gb/relative/landing/7?note=a%20b%26c|/absolute", Run("GET", "/relative/url", "/gb"));
        Assert.EndsWith("\r\n\r\n|/items/5|/relative/landing/7?note=a%20b%26c|/absolute", Run("GET", "/relative/url", ""));
    }

    [Theory]
    [InlineData("/gb", "/gb/relative/landing/1")]
    [InlineData("/gb/", "/gb/relative/landing/1")]
    [InlineData("", "/relative/landing/1")]
    public void SeeOther_to_an_app_relative_location_lands_under_the_prefix(string scriptName, string location)
        => Assert.Equal($"Status: 303 See Other\r\nContent-Length: 0\r\nLocation: {location}\r\n\r\n", Run("POST", "/relative/form", scriptName));

    [Theory]
    [InlineData("~/relative/landing/3", "/gb/relative/landing/3")]
    [InlineData("/relative/landing/3", "/relative/landing/3")]
    [InlineData("https://example.com/~/x", "https://example.com/~/x")]
    public void Redirect_resolves_only_an_app_relative_location(string to, string location)
        => Assert.Contains($"\r\nLocation: {location}\r\n", Run("GET", "/relative/redirect", "/gb", "to=" + Uri.EscapeDataString(to)));

    [Fact]
    public async Task Any_app_relative_Location_header_is_resolved_and_in_process_dispatch_sees_it_resolved()
    {
        Assert.Contains("\r\nLocation: /gb/relative/landing/2\r\n", Run("POST", "/relative/created", "/gb"));
        var request = new CgiRequest(new Dictionary<string, string> { ["REQUEST_METHOD"] = "POST", ["PATH_INFO"] = "/relative/created", ["SCRIPT_NAME"] = "/shop" });
        var response = await CgiApp.DispatchAsync(request);
        Assert.Equal("/shop/relative/landing/2", response.GetHeader("Location"));
    }

    /// <summary>
    /// A FastCGI worker serves requests from whatever SCRIPT_NAME its web server passes: each redirect is resolved
    /// against its own request, also on one kept connection.
    /// </summary>
    [Fact]
    public void Over_FastCGI_each_request_resolves_against_its_own_SCRIPT_NAME()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.SendRequest(1, "POST", "/relative/form", keepConnection: true, extra: ("SCRIPT_NAME", "/gb"));
        Assert.Equal("Status: 303 See Other\r\nContent-Length: 0\r\nLocation: /gb/relative/landing/1\r\n\r\n", client.ReadText(1));
        client.SendRequest(2, "POST", "/relative/form", keepConnection: true, extra: ("SCRIPT_NAME", "/other/"));
        Assert.Equal("Status: 303 See Other\r\nContent-Length: 0\r\nLocation: /other/relative/landing/1\r\n\r\n", client.ReadText(2));
        client.SendRequest(3, "GET", "/relative/url", keepConnection: true);
        Assert.EndsWith("\r\n\r\n|/items/5|/relative/landing/7?note=a%20b%26c|/absolute", client.ReadText(3));
    }
}
