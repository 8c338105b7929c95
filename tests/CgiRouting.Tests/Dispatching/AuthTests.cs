using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// [Authorize], [AllowAnonymous] and [User] (issue 11): the generated dispatcher of this project answers 401 unless the
/// web server set REMOTE_USER, before binding, and binds REMOTE_USER to [User] parameters.
/// </summary>
public class AuthTests
{
    /// <summary>Dispatches as a web server would, with <paramref name="user"/> as REMOTE_USER (left out when null).</summary>
    private static Response Send(string method, string target, string? user, CgiOptions? options = null)
    {
        int q = target.IndexOf('?');
        var environment = new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = method,
            ["PATH_INFO"] = q < 0 ? target : target[..q],
            ["QUERY_STRING"] = q < 0 ? "" : target[(q + 1)..],
        };
        if (user is not null)
            environment["REMOTE_USER"] = user;
        return CgiApp.DispatchAsync(new CgiRequest(environment), options).AsTask().GetAwaiter().GetResult();
    }

    private static string Answer(Response response) => response.StatusCode + " " + response.BodyText;

    [Fact]
    public void Without_REMOTE_USER_an_authorized_handler_answers_401_and_does_not_run()
    {
        var response = Send("GET", "/auth/me", user: null);
        Assert.Equal("401 Authentication required.", Answer(response));
        Assert.Equal(Response.TextContentType, response.ContentType);
        Assert.Null(response.GetHeader("WWW-Authenticate")); // no realm configured
    }

    [Fact]
    public void An_empty_REMOTE_USER_is_no_user() => Assert.Equal("401 Authentication required.", Answer(Send("GET", "/auth/me", user: "")));

    [Fact]
    public void With_REMOTE_USER_the_handler_runs() => Assert.Equal("200 secret", Answer(Send("GET", "/auth/me", user: "ann")));

    [Fact]
    public void The_check_runs_before_binding()
    {
        Assert.Equal("401 Authentication required.", Answer(Send("GET", "/auth/page", user: null)));
        Assert.Equal("400 Missing required query parameter 'page'.", Answer(Send("GET", "/auth/page", user: "ann")));
        Assert.Equal("200 page 2", Answer(Send("GET", "/auth/page?page=2", user: "ann")));
    }

    [Fact]
    public void AllowAnonymous_opts_a_handler_out_of_its_class_Authorize()
    {
        Assert.Equal("200 open to all", Answer(Send("GET", "/auth/open", user: null)));
        Assert.Equal("200 open to all", Answer(Send("GET", "/auth/open", user: "ann")));
    }

    [Fact]
    public void Authorize_on_one_handler_leaves_its_neighbours_open()
    {
        Assert.Equal("401 Authentication required.", Answer(Send("POST", "/user/only", user: null)));
        Assert.Equal("200 authorized", Answer(Send("POST", "/user/only", user: "ann")));
        Assert.Equal("200 public", Answer(Send("GET", "/user/public", user: null)));
    }

    [Fact]
    public void A_realm_adds_WWW_Authenticate_Basic_with_the_realm_quoted()
    {
        var response = Send("GET", "/auth/me", user: null, new CgiOptions { AuthenticationRealm = "Todo \"admin\" \\ area" });
        Assert.Equal(401, response.StatusCode);
        Assert.Equal("Basic realm=\"Todo \\\"admin\\\" \\\\ area\"", response.GetHeader("WWW-Authenticate"));
        Assert.Null(Send("GET", "/auth/me", user: "ann", new CgiOptions { AuthenticationRealm = "Todo" }).GetHeader("WWW-Authenticate"));
    }

    [Fact]
    public void The_401_reaches_the_server_with_its_challenge()
    {
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = "/auth/me" };
        var output = new MemoryStream();
        CgiApp.Run(environment, new MemoryStream(), output, new CgiOptions { AuthenticationRealm = "Todo", ErrorLog = TextWriter.Null });
        Assert.Equal("Status: 401 Unauthorized\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 24\r\n"
            + "WWW-Authenticate: Basic realm=\"Todo\"\r\n\r\nAuthentication required.", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Theory]
    [InlineData("line\r\nbreak")]
    [InlineData("tab\there")]
    [InlineData("café")]
    public void A_realm_that_could_break_the_header_is_refused(string realm)
    {
        var refused = Assert.Throws<ArgumentException>(() => new CgiOptions { AuthenticationRealm = realm });
        Assert.StartsWith("A realm is printable ASCII: it goes into the WWW-Authenticate header.", refused.Message);
    }

    [Fact]
    public void User_binds_REMOTE_USER_and_a_required_one_answers_401_without_it()
    {
        Assert.Equal("200 hello ann", Answer(Send("GET", "/user/name", user: "ann")));
        Assert.Equal("401 Authentication required.", Answer(Send("GET", "/user/name", user: null)));
        Assert.Equal("401 Authentication required.", Answer(Send("GET", "/user/name", user: "")));
    }

    [Fact]
    public void An_optional_User_is_null_or_its_default_without_a_user()
    {
        Assert.Equal("200 ann", Answer(Send("GET", "/user/maybe", user: "ann")));
        Assert.Equal("200 nobody", Answer(Send("GET", "/user/maybe", user: null)));
        Assert.Equal("200 nobody", Answer(Send("GET", "/user/maybe", user: "")));
        Assert.Equal("200 guest", Answer(Send("GET", "/user/guest", user: null)));
        Assert.Equal("200 bob", Answer(Send("GET", "/user/guest", user: "bob")));
    }

    [Fact]
    public void Routes_say_which_routes_need_a_user()
    {
        Assert.Contains(CgiApp.Routes, r => r is { Template: "/auth/me", Authorization: "authorize" });
        Assert.Contains(CgiApp.Routes, r => r is { Template: "/auth/open", Authorization: "anonymous" });
        Assert.Contains(CgiApp.Routes, r => r is { Template: "/user/name", Authorization: "authorize" });
        Assert.Contains(CgiApp.Routes, r => r is { Template: "/user/maybe", Authorization: null });
        Assert.Contains(CgiApp.Routes, r => r is { Template: "/user/public", Authorization: null });
    }
}
