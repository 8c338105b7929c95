using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// A streamed result through each server: samples/Hello's <c>/ticks/4</c> yields a tick every 250 ms, and the first
/// must reach the client long before the handler has produced the last, on every server's configuration in hosting/.
/// </summary>
public class StreamingTests
{
    public static TheoryData<string> Servers() => ["lighttpd", "apache", "nginx"];

    private static WebServer Start(string name, IReadOnlyList<HostedApp> apps) => name switch
    {
        "lighttpd" => new LighttpdServer(apps),
        "apache" => new ApacheServer(apps),
        _ => new NginxServer(apps),
    };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task The_first_item_arrives_before_the_last_is_produced(string name)
    {
        using var server = Start(name, [new HostedApp("/", Repository.PublishedSample("Hello", "hello"))]);
        using var client = server.Client();
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync("/ticks/4", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentLength);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<(string Line, TimeSpan At)>();
        while (await reader.ReadLineAsync() is { } line)
            lines.Add((line, clock.Elapsed));
        Assert.Equal(["{\"number\":1,\"of\":4}", "{\"number\":2,\"of\":4}", "{\"number\":3,\"of\":4}", "{\"number\":4,\"of\":4}"],
            lines.ConvertAll(l => l.Line));
        // The last tick is produced 750 ms after the first: buffered, they would arrive together.
        var gap = lines[^1].At - lines[0].At;
        Assert.True(gap > TimeSpan.FromMilliseconds(500), $"{name}: the first tick arrived only {gap.TotalMilliseconds:F0} ms before the last");
    }

    [Fact]
    public async Task An_EventSource_request_gets_server_sent_events_through_nginx()
    {
        using var server = Start("nginx", [new HostedApp("/", Repository.PublishedSample("Hello", "hello"))]);
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ticks/2");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("data: {\"number\":1,\"of\":2}\n\ndata: {\"number\":2,\"of\":2}\n\n", await response.Content.ReadAsStringAsync());
    }
}
