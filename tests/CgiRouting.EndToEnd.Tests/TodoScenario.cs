using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>The same Todo scenario over real HTTP on every host.</summary>
public abstract class TodoScenario(TodoHost host)
{
    private readonly HttpClient _client = host.Server.Client();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> ReadJson(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Create_read_update_delete()
    {
        var created = await _client.PostAsync("/todos", Json("{\"title\":\"  buy milk \"}"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = await ReadJson(created);
        long id = item.GetProperty("id").GetInt64();
        Assert.Equal("buy milk", item.GetProperty("title").GetString());
        Assert.False(item.GetProperty("done").GetBoolean());
        Assert.Equal($"/todos/{id}", created.Headers.Location!.OriginalString);
        // Stored where TODO_DB says (each host puts it in the app's environment its own way), not in a default file.
        Assert.True(host.Storage.Count() >= 1, "the new todo is not in the storage TODO_DB names");

        var read = await ReadJson(await _client.GetAsync($"/todos/{id}"));
        Assert.Equal("buy milk", read.GetProperty("title").GetString());

        var patched = await _client.PatchAsync($"/todos/{id}", Json("{\"done\":true}"));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.True((await ReadJson(patched)).GetProperty("done").GetBoolean());
        var renamed = await ReadJson(await _client.PatchAsync($"/todos/{id}", Json("{\"title\":\"buy oat milk\"}")));
        Assert.Equal("buy oat milk", renamed.GetProperty("title").GetString());
        Assert.True(renamed.GetProperty("done").GetBoolean());

        var done = await ReadJson(await _client.GetAsync("/todos?done=true"));
        Assert.Contains(done.EnumerateArray(), t => t.GetProperty("id").GetInt64() == id);
        var open = await ReadJson(await _client.GetAsync("/todos?done=false"));
        Assert.DoesNotContain(open.EnumerateArray(), t => t.GetProperty("id").GetInt64() == id);
        var all = await ReadJson(await _client.GetAsync("/todos"));
        Assert.Contains(all.EnumerateArray(), t => t.GetProperty("id").GetInt64() == id);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/todos/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/todos/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/todos/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PatchAsync($"/todos/{id}", Json("{\"done\":false}"))).StatusCode);
        Assert.Equal("ok", host.Storage.IntegrityCheck());
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string target, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, target) { Content = content };
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return _client.SendAsync(request);
    }

    /// <summary>
    /// Conditional requests (issue 20) through the server: an item's ETag, the 304 of a GET that names it, and the 412
    /// of a PATCH made from a stale copy (the lost update it prevents), with its validators intact on the way.
    /// </summary>
    [Fact]
    public async Task An_item_has_an_ETag_a_GET_with_it_is_304_and_a_PATCH_from_a_stale_copy_is_412()
    {
        var created = await _client.PostAsync("/todos", Json("{\"title\":\"paint the fence\"}"));
        long id = (await ReadJson(created)).GetProperty("id").GetInt64();
        var read = await _client.GetAsync($"/todos/{id}");
        string tag = read.Headers.ETag!.ToString();
        Assert.False(read.Headers.ETag.IsWeak);
        Assert.Equal(created.Headers.ETag?.ToString(), tag);

        var notModified = await Send(HttpMethod.Get, $"/todos/{id}", null, ("If-None-Match", tag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, notModified.Headers.ETag?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/todos/{id}", null, ("If-None-Match", "\"other\""))).StatusCode);

        // Two clients read the same copy; the first's change goes through, the second's is refused and changes nothing.
        var first = await Send(HttpMethod.Patch, $"/todos/{id}", Json("{\"done\":true}"), ("If-Match", tag));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        string changed = first.Headers.ETag!.ToString();
        Assert.NotEqual(tag, changed);
        var stale = await Send(HttpMethod.Patch, $"/todos/{id}", Json("{\"title\":\"paint the gate\"}"), ("If-Match", tag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var now = await _client.GetAsync($"/todos/{id}");
        Assert.Equal(changed, now.Headers.ETag?.ToString());
        Assert.Equal("paint the fence", (await ReadJson(now)).GetProperty("title").GetString());
        // The client that lost reads again, and its change with the new ETag goes through.
        var retried = await Send(HttpMethod.Patch, $"/todos/{id}", Json("{\"title\":\"paint the gate\"}"), ("If-Match", changed));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/todos/{id}", null, ("If-None-Match", changed))).StatusCode);
    }

    /// <summary>
    /// A range of an attachment (Response.Bytes, issue 20) through the server: one range is a 206 of exactly those
    /// bytes, a range past the end 416, a stale If-Range the whole file; its ETag revalidates to 304.
    /// </summary>
    [Fact]
    public async Task An_attachment_answers_one_range_with_206_and_its_ETag_with_304()
    {
        var created = await _client.PostAsync("/todos", Json("{\"title\":\"with a file\"}"));
        long id = (await ReadJson(created)).GetProperty("id").GetInt64();
        var upload = new MultipartFormDataContent { { new ByteArrayContent(Encoding.ASCII.GetBytes("0123456789abcdef")), "file", "digits.txt" } };
        Assert.Equal(HttpStatusCode.SeeOther, (await _client.PostAsync($"/todos/{id}/attachments", upload)).StatusCode);
        string page = await _client.GetStringAsync("/");
        string link = System.Text.RegularExpressions.Regex.Match(page, $"/todos/{id}/attachments/[0-9]+").Value;

        var whole = await _client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("bytes", string.Join(",", whole.Headers.AcceptRanges));
        string tag = whole.Headers.ETag!.ToString();

        var part = await Send(HttpMethod.Get, link, null, ("Range", "bytes=2-5"));
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal("bytes 2-5/16", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(4, part.Content.Headers.ContentLength);
        Assert.Equal("2345", await part.Content.ReadAsStringAsync());
        var last = await Send(HttpMethod.Get, link, null, ("Range", "bytes=-3"), ("If-Range", tag));
        Assert.Equal(HttpStatusCode.PartialContent, last.StatusCode);
        Assert.Equal("def", await last.Content.ReadAsStringAsync());

        var past = await Send(HttpMethod.Get, link, null, ("Range", "bytes=16-"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
        Assert.Equal("bytes */16", past.Content.Headers.ContentRange?.ToString());
        var staleRange = await Send(HttpMethod.Get, link, null, ("Range", "bytes=2-5"), ("If-Range", "\"attachment-0\""));
        Assert.Equal(HttpStatusCode.OK, staleRange.StatusCode);
        Assert.Equal("0123456789abcdef", await staleRange.Content.ReadAsStringAsync());

        var notModified = await Send(HttpMethod.Get, link, null, ("If-None-Match", tag), ("Range", "bytes=2-5"));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, notModified.Headers.ETag?.ToString());
    }

    [Theory]
    [InlineData("{\"title\":\"\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"title\":\"   \"}", HttpStatusCode.BadRequest)]
    [InlineData("{}", HttpStatusCode.BadRequest)]
    [InlineData("{\"title\":", HttpStatusCode.BadRequest)]
    [InlineData("[1]", HttpStatusCode.BadRequest)]
    public async Task Bad_todos_are_rejected_and_nothing_is_written(string body, HttpStatusCode status)
    {
        long before = host.Storage.Count();
        var response = await _client.PostAsync("/todos", Json(body));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, host.Storage.Count());
    }

    [Fact]
    public async Task Wrong_methods_media_types_and_ids()
    {
        var wrong = await _client.PutAsync("/todos", Json("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Equal(["GET", "HEAD", "POST", "OPTIONS"], wrong.Content.Headers.Allow.ToArray());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await _client.PostAsync("/todos", new StringContent("{\"title\":\"x\"}", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/todos/abc")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/todos/999999999")).StatusCode);
        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/todos"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }
}

public sealed class TodoOnLighttpdTests(LighttpdTodoHost host) : TodoScenario(host), IClassFixture<LighttpdTodoHost>;

public sealed class TodoOnApacheTests(ApacheTodoHost host) : TodoScenario(host), IClassFixture<ApacheTodoHost>;

public sealed class TodoOnNginxTests(NginxTodoHost host) : TodoScenario(host), IClassFixture<NginxTodoHost>;

/// <summary>The same scenario on PostgreSQL: samples/Todo.Postgres with TODO_DB=postgres://..., through lighttpd.</summary>
public sealed class TodoOnPostgresTests(PostgresTodoHost host) : TodoScenario(host), IClassFixture<PostgresTodoHost>;

/// <summary>The same scenario with Todo as one FastCGI worker: one process, its SQLite connections opened per request.</summary>
public sealed class TodoOnNginxFastCgiTests(NginxFastCgiTodoHost host) : TodoScenario(host), IClassFixture<NginxFastCgiTodoHost>;

/// <summary>The same scenario with Todo as a FastCGI worker that lighttpd starts itself (mod_fastcgi, bin-path).</summary>
public sealed class TodoOnLighttpdFastCgiTests(LighttpdFastCgiTodoHost host) : TodoScenario(host), IClassFixture<LighttpdFastCgiTodoHost>;

/// <summary>The same scenario with Todo as a FastCGI worker behind Apache's mod_proxy_fcgi.</summary>
public sealed class TodoOnApacheFastCgiTests(ApacheFastCgiTodoHost host) : TodoScenario(host), IClassFixture<ApacheFastCgiTodoHost>;
