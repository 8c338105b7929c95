using CgiRouting;
using Xunit;

namespace MyApp.Tests;

/// <summary>The app's routes, dispatched in-process exactly as a web server's request would be.</summary>
public class RoutesTests
{
    public RoutesTests() => CgiApp.Load(typeof(Routes).Assembly);

    private static Task<Response> Send(string method, string target, string? body = null) =>
        CgiApp.DispatchAsync(CgiRequest.Create(method, target, body, [new("Content-Type", "application/json")])).AsTask();

    [Fact]
    public async Task Hello_returns_json()
    {
        var response = await Send("GET", "/hello/world?times=2");
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("{\"text\":\"Hello, world! Hello, world!\",\"length\":5}", response.BodyText);
    }

    [Fact]
    public async Task Echo_creates_and_validates()
    {
        Assert.Equal(201, (await Send("POST", "/echo", "{\"text\":\"hi\"}")).StatusCode);
        Assert.Equal(400, (await Send("POST", "/echo", "{\"text\":\"\"}")).StatusCode);
        Assert.Equal(400, (await Send("POST", "/echo", "not json")).StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_and_methods()
    {
        Assert.Equal(404, (await Send("GET", "/nowhere")).StatusCode);
        Assert.Equal(405, (await Send("DELETE", "/echo")).StatusCode);
    }
}
