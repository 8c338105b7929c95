using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// samples/Todo's page in a real browser: tests/browser/todo-page.mjs drives Debian's headless Chromium with
/// playwright-core through lighttpd (load, an invalid add form shown again with its messages, add, mark done, attach a file, reload, filter remembered by a cookie) and
/// saves a screenshot as artifacts/browser/todo-page.png. ./test.sh installs Chromium and the script's package.
/// </summary>
public class TodoPageTests(LighttpdTodoHost host) : IClassFixture<LighttpdTodoHost>
{
    [Fact]
    public void The_page_works_in_headless_Chromium()
    {
        string browser = Path.Combine(Repository.Root, "tests", "browser");
        Assert.True(Directory.Exists(Path.Combine(browser, "node_modules", "playwright-core")),
            "playwright-core is not installed: run `npm ci` in tests/browser (./test.sh does)");
        string screenshot = Path.Combine(Repository.Root, "artifacts", "browser", "todo-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        string output = Repository.Run(browser, "node", ["todo-page.mjs", host.Server.BaseAddress.ToString(), screenshot], includeError: true);

        Assert.Contains("ok: a later visit without ?filter= remembers \"open\" (a cookie)", output);
        Assert.Contains("ok: a title too long shows its message, the field keeps it exactly (HTML-encoded, no markup injected)", output);
        Assert.True(new FileInfo(screenshot).Length > 5_000, "the screenshot was saved");
        // What the browser did is in the database: a done todo with its attachment.
        using var connection = new SqliteConnection($"Data Source={host.Database.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM todos t JOIN attachments a ON a.todo_id = t.id WHERE t.done = 1 AND a.file_name = 'shopping list.txt' AND a.content = CAST('milk' || char(10) || 'eggs' || char(10) AS BLOB)";
        Assert.Equal(1L, (long)command.ExecuteScalar()!);
    }

    /// <summary>
    /// The Native AOT binary behind lighttpd hands the handler a Validated&lt;TodoForm&gt;: an invalid form is the page
    /// again with the message next to the field and the submitted title encoded in it, and nothing is stored.
    /// </summary>
    [Fact]
    public async Task An_invalid_add_form_is_the_page_again_with_its_message_through_lighttpd()
    {
        long before = host.Database.Count();
        using var client = host.Server.Client();
        string title = new string('x', 1001) + "<i>\"";
        using var response = await client.PostAsync("/", new FormUrlEncodedContent([new KeyValuePair<string, string>("title", title)]));
        string html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("""<span class="error" id="title-error">A todo&#39;s title has at most 1000 characters.</span>""", html);
        Assert.Contains($"""value="{new string('x', 1001)}&lt;i&gt;&quot;" aria-invalid="true" """, html);
        using var blank = await client.PostAsync("/", new FormUrlEncodedContent([new KeyValuePair<string, string>("title", " ")]));
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Contains("Write what needs doing.", await blank.Content.ReadAsStringAsync());
        Assert.Equal(before, host.Database.Count());
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site", HttpStatusCode.Forbidden)]
    [InlineData("Origin", "http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("Sec-Fetch-Site", "same-origin", HttpStatusCode.SeeOther)]
    public async Task A_form_post_from_another_site_is_refused_through_lighttpd(string header, string value, HttpStatusCode expected)
    {
        long before = host.Database.Count();
        using var client = host.Server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("title", "posted by " + value)]),
        };
        request.Headers.Add(header, value);
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(before + (expected == HttpStatusCode.SeeOther ? 1 : 0), host.Database.Count());
        if (expected == HttpStatusCode.Forbidden)
            Assert.StartsWith("Cross-origin request refused", await response.Content.ReadAsStringAsync());
    }
}
