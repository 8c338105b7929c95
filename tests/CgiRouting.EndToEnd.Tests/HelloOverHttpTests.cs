using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>The Native AOT build of samples/Hello behind a real lighttpd, driven over real HTTP.</summary>
[Collection(HelloCollection.Name)]
public class HelloOverHttpTests(HelloFixture hello)
{
    private readonly HttpClient _client = hello.Server.Client();

    [Fact]
    public async Task A_typed_path_parameter_gets_json()
    {
        var response = await _client.GetAsync("/greet/5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"message\":\"Hello\",\"count\":5}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_nested_json_shape()
    {
        var response = await _client.GetAsync("/items/7");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"id\":7,\"name\":\"item7\",\"tags\":[\"a\",\"b\"],\"owner\":{\"name\":\"Ann\",\"since\":2019}}",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Precedence_literal_then_typed_then_string()
    {
        Assert.Equal("Hello, me!", await _client.GetStringAsync("/hello/me"));
        Assert.Equal("Hello, world!", await _client.GetStringAsync("/hello/world"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/greet/abc")).StatusCode);
    }

    [Fact]
    public async Task Percent_decoding_is_the_servers_and_query_decoding_the_apps()
    {
        Assert.Equal("Hello, é!", await _client.GetStringAsync("/hello/%C3%A9"));
        Assert.Equal("file a/b/c.txt", await _client.GetStringAsync("/files/a/b/c.txt"));
        Assert.Equal("q=a b page=2 sort=none ids=1,2", await _client.GetStringAsync("/search?q=a+b&page=2&ids=1&ids=2"));
        var missing = await _client.GetAsync("/search");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("Missing required query parameter 'q'.", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Json_post_creates_with_201_and_location()
    {
        var response = await _client.PostAsync("/greet", new StringContent("{\"name\":\"Ann\",\"times\":3}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/greet/3", response.Headers.Location!.OriginalString);
        Assert.Equal("{\"message\":\"Hello, Ann\",\"count\":3}", await response.Content.ReadAsStringAsync());
        var bad = await _client.PostAsync("/greet", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Raw_body_header_and_request_binding()
    {
        var put = await _client.PutAsync("/notes/todo", new StringContent("buy milk"));
        Assert.Equal("todo: 8 bytes", await put.Content.ReadAsStringAsync());
        var who = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        who.Headers.Add("X-User", "ann");
        Assert.Equal("ann", await (await _client.SendAsync(who)).Content.ReadAsStringAsync());
        Assert.Equal("GET /req", await _client.GetStringAsync("/req"));
        Assert.Equal("slow 7", await _client.GetStringAsync("/slow/7"));
    }

    [Fact]
    public async Task Methods_head_options_405_and_204()
    {
        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/hello/world"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(13, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        var wrong = await _client.DeleteAsync("/greet");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Equal(["POST", "OPTIONS"], wrong.Content.Headers.Allow.ToArray());

        var options = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/notes/5"));
        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Equal(["PUT", "DELETE", "OPTIONS"], options.Content.Headers.Allow.ToArray());

        var deleted = await _client.DeleteAsync("/notes/5");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/nowhere")).StatusCode);
    }

    [Fact]
    public async Task A_redirect_reaches_the_client_as_302()
    {
        var response = await _client.GetAsync("/go");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/hello/world", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_handler_exception_is_a_generic_500_with_details_in_the_servers_error_log()
    {
        var response = await _client.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal("Internal Server Error", body);
        Assert.Contains("secret detail", hello.Server.AppErrorLog);
    }
}
