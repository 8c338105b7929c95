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
