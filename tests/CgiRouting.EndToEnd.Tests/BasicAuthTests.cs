using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// Authentication the CGI way, through each server's configuration in hosting/: the server asks for HTTP Basic on
/// <c>/me</c> and passes the user as REMOTE_USER; samples/Hello's <c>[Authorize]</c> handler answers with it. The
/// same app is also mounted at <c>/open/</c>, where the server asks nothing: there the app's own check answers 401,
/// even to a client that sends a user name of its own.
/// </summary>
public sealed class BasicAuthTests : IDisposable
{
    private readonly string _users;

    public BasicAuthTests()
    {
        // An htpasswd file of apr1 hashes, which all three servers read; "nobody" (Apache, fcgiwrap) must read it.
        _users = Path.Combine(WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-users-").FullName), "users");
        string hash = Repository.Run("openssl", "passwd", "-apr1", "s3cret").Trim();
        File.WriteAllText(_users, "ann:" + hash + "\n");
        File.SetUnixFileMode(_users, (UnixFileMode)0b110_100_100);
    }

    public static TheoryData<string> Servers() => ["lighttpd", "apache", "nginx"];

    private WebServer Start(string name)
    {
        string hello = Repository.PublishedSample("Hello", "hello");
        HostedApp[] apps = [new("/", hello), new("/open/", hello)];
        var auth = new BasicAuth("/me", _users);
        return name switch
        {
            "lighttpd" => new LighttpdServer(apps, basicAuth: auth),
            "apache" => new ApacheServer(apps, basicAuth: auth),
            _ => new NginxServer(apps, basicAuth: auth),
        };
    }

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Get(HttpClient client, string path,
        string? user = null, string? password = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task The_server_logs_the_user_in_and_the_app_sees_REMOTE_USER(string name)
    {
        using var server = Start(name);
        using var client = server.Client();

        var (status, body, _) = await Get(client, "/me", "ann", "s3cret");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("you are ann", body);

        // The server refuses a wrong password and a missing one itself, asking for Basic credentials.
        var (wrong, _, wrongResponse) = await Get(client, "/me", "ann", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Contains(wrongResponse.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        var (none, _, _) = await Get(client, "/me");
        Assert.Equal(HttpStatusCode.Unauthorized, none);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Where_the_server_asks_nothing_the_app_answers_401_even_to_a_claimed_user(string name)
    {
        using var server = Start(name);
        using var client = server.Client();

        var (anonymous, body, _) = await Get(client, "/open/me");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.DoesNotContain("you are", body);
        // Credentials the server never checked (nginx still parses them into $remote_user) must not become REMOTE_USER.
        var (claimed, claimedBody, _) = await Get(client, "/open/me", "ann", "anything");
        Assert.Equal(HttpStatusCode.Unauthorized, claimed);
        Assert.DoesNotContain("you are", claimedBody);
        // Nor may a header that looks like the variable: it arrives as HTTP_REMOTE_USER.
        using var spoof = new HttpRequestMessage(HttpMethod.Get, "/open/me");
        spoof.Headers.TryAddWithoutValidation("Remote-User", "ann");
        using var spoofed = await client.SendAsync(spoof);
        Assert.Equal(HttpStatusCode.Unauthorized, spoofed.StatusCode);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(_users)!, recursive: true); } catch (IOException) { }
    }
}
