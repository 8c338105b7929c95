using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// What each server passes in the meta-variables that differ, for an app mounted below a prefix, as
/// docs/deployment.md states it. Routes only read PATH_INFO, which every configuration in hosting/ makes the same.
/// </summary>
public class ServerDifferencesTests
{
    public static TheoryData<string> Servers() => ["lighttpd", "apache", "nginx", "lighttpd-fastcgi", "apache-fastcgi"];

    private static WebServer Start(string name, IReadOnlyList<HostedApp> apps) => name switch
    {
        "lighttpd" => new LighttpdServer(apps),
        "apache" => new ApacheServer(apps),
        "lighttpd-fastcgi" => new LighttpdFastCgiServer(apps),
        "apache-fastcgi" => new ApacheFastCgiServer(apps),
        _ => new NginxServer(apps),
    };

    private static async Task<Dictionary<string, string>> Variables(WebServer server, string target)
    {
        using var client = server.Client();
        var response = await client.GetAsync(target);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{server} {target}: {(int)response.StatusCode} {text}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Below_a_prefix(string name)
    {
        string hello = Repository.PublishedSample("Hello", "hello");
        using var server = Start(name, [new HostedApp("/hello/", hello), new HostedApp("/", hello)]);

        var below = await Variables(server, "/hello/cgi/a%2Fb%20c?x=%2B%26");
        Assert.Equal("/hello", below["SCRIPT_NAME"]);
        Assert.Equal("/cgi/a/b c", below["PATH_INFO"]);           // decoded, %2F included
        Assert.Equal("/hello/cgi/a%2Fb%20c?x=%2B%26", below["REQUEST_URI"]); // raw
        Assert.Equal("x=%2B%26", below["QUERY_STRING"]);             // raw

        var root = await Variables(server, "/cgi");
        Assert.Equal("/cgi", root["PATH_INFO"]);
        Assert.Equal("", root["SCRIPT_NAME"]);
        Console.WriteLine($"{name}: CONTENT_LENGTH on GET={root["CONTENT_LENGTH"]}; SERVER_SOFTWARE={root["SERVER_SOFTWARE"]}");
    }

    /// <summary>
    /// A PUT sent chunked (curl -H 'Transfer-Encoding: chunked'), which Apache passes with no CONTENT_LENGTH: the app
    /// reads it to the end of input (CgiRequest.Body) instead of taking it for no body and storing 0 bytes.
    /// </summary>
    [Theory]
    [InlineData("apache")]
    [InlineData("lighttpd")]
    [InlineData("nginx")]
    [InlineData("apache-fastcgi")]
    public async Task A_chunked_body_arrives_whole(string name)
    {
        string hello = Repository.PublishedSample("Hello", "hello");
        using var server = Start(name, [new HostedApp("/", hello)]);
        using var client = server.Client();
        using var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Put, "/notes/n")
        {
            Content = new System.Net.Http.StreamContent(new System.IO.MemoryStream("important note"u8.ToArray())),
        };
        request.Headers.TransferEncodingChunked = true;
        var response = await client.SendAsync(request);
        Assert.Equal("n: 14 bytes", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// docs/security.md, item 10: a header sent as <c>X_User</c> becomes HTTP_X_USER, the variable of <c>X-User</c>,
    /// on lighttpd; Apache and nginx drop header names with underscores.
    /// </summary>
    [Theory]
    [InlineData("lighttpd", "admin")]
    [InlineData("apache", "anonymous")]
    [InlineData("nginx", "anonymous")]
    public async Task A_header_name_with_an_underscore_passes_for_its_dashed_name_on_lighttpd_only(string name, string expected)
    {
        string hello = Repository.PublishedSample("Hello", "hello");
        using var server = Start(name, [new HostedApp("/", hello)]);
        using var client = server.Client();
        using var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, "/whoami");
        Assert.True(request.Headers.TryAddWithoutValidation("X_User", "admin"));
        var response = await client.SendAsync(request);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }
}
