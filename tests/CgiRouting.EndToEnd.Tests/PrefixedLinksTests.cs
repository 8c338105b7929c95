using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// samples/Todo mounted below a prefix, <c>/gb/</c>, behind each web server (issue 20, items 1 and 2): its redirects
/// (<c>SeeOther(Links.TodoPage.Page())</c>, an app-relative <c>~/</c> URL), the API's <c>Location</c>, the URLs of its
/// page (<c>request.Url(Links...)</c>) and its cookie's path all carry the prefix, and following the redirect lands on
/// the page. At the root the same code gives the same URLs without it (TodoScenario, TodoPageTests).
/// </summary>
public class PrefixedLinksTests
{
    public static TheoryData<string> Servers() => ["lighttpd", "apache", "nginx", "lighttpd-fastcgi"];

    private static WebServer Start(string name, IReadOnlyList<HostedApp> apps, IReadOnlyDictionary<string, string> environment) => name switch
    {
        "lighttpd" => new LighttpdServer(apps, environment),
        "apache" => new ApacheServer(apps, environment),
        "lighttpd-fastcgi" => new LighttpdFastCgiServer(apps, environment),
        _ => new NginxServer(apps, environment),
    };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Redirects_and_links_below_a_prefix_land_on_the_prefixed_urls(string name)
    {
        using var database = new TodoDatabase();
        using var server = Start(name, [new HostedApp("/gb/", Repository.PublishedSample("Todo", "todo"))],
            new Dictionary<string, string> { ["TODO_DB"] = database.Location });
        using var client = server.Client();

        var posted = await client.PostAsync("/gb/", new FormUrlEncodedContent([new KeyValuePair<string, string>("title", "buy milk")]));
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Equal("/gb/", posted.Headers.Location!.OriginalString);

        var page = await client.GetAsync(posted.Headers.Location);
        string html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{server}: {(int)page.StatusCode} {html}");
        Assert.Contains("buy milk", html);
        Assert.Contains("<form id=\"add\" method=\"post\" action=\"/gb/\">", html);
        Assert.Contains("href=\"/gb/?filter=open\"", html);
        Assert.Contains("action=\"/gb/todos/1/toggle\"", html);

        var toggled = await client.PostAsync("/gb/todos/1/toggle", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, toggled.StatusCode);
        Assert.Equal("/gb/", toggled.Headers.Location!.OriginalString);

        var created = await client.PostAsync("/gb/todos", new StringContent("{\"title\":\"by the API\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/gb/todos/2", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(created.Headers.Location)).StatusCode);

        var filtered = await client.GetAsync("/gb/?filter=done");
        Assert.Contains(filtered.Headers.GetValues("Set-Cookie"), c => c.StartsWith("filter=done; Path=/gb/;", System.StringComparison.Ordinal));
    }
}
