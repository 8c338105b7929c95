using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// [Filter] (issue 11): the generated invoker calls a handler's before-filters (class first, in attribute order), then the
/// handler, then its after-filters in the reverse order.
/// </summary>
public class FilterTests
{
    private static Response Send(string target, string? user = null, params (string Name, string Value)[] headers)
    {
        var request = CgiRequest.Create("GET", target, null, ToList(headers));
        if (user is not null)
        {
            var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = target, ["REMOTE_USER"] = user };
            foreach (var (name, value) in headers)
                environment["HTTP_" + name.ToUpperInvariant().Replace('-', '_')] = value;
            request = new CgiRequest(environment);
        }
        return CgiApp.DispatchAsync(request, new CgiOptions { ErrorLog = TextWriter.Null }).AsTask().GetAwaiter().GetResult();
    }

    private static List<KeyValuePair<string, string>> ToList((string Name, string Value)[] headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in headers)
            list.Add(new(name, value));
        return list;
    }

    private static string Answer(Response response) => response.StatusCode + " " + response.BodyText;

    [Fact]
    public void A_bearer_token_filter_answers_401_instead_of_the_handler()
    {
        var missing = Send("/filters/token");
        Assert.Equal("401 A bearer token is required.", Answer(missing));
        Assert.Equal("Bearer", missing.GetHeader("WWW-Authenticate"));
        Assert.Equal("401 The token is not valid.", Answer(Send("/filters/token", headers: ("Authorization", "Bearer wrong"))));
        Assert.Equal("401 A bearer token is required.", Answer(Send("/filters/token", headers: ("Authorization", "Basic czNjcmV0"))));
        Assert.Equal("200 secret page 2", Answer(Send("/filters/token?page=2", headers: ("Authorization", "Bearer " + Filters.Token))));
    }

    [Fact]
    public void Before_filters_run_before_binding()
    {
        Assert.Equal("401 A bearer token is required.", Answer(Send("/filters/bound")));
        Assert.Equal("400 Missing required query parameter 'required'.", Answer(Send("/filters/bound", headers: ("Authorization", "Bearer " + Filters.Token))));
        Assert.Equal("200 bound 3", Answer(Send("/filters/bound?required=3", headers: ("Authorization", "Bearer " + Filters.Token))));
    }

    [Fact]
    public void The_class_filters_run_outside_the_method_filters()
    {
        var ran = Send("/filters/order");
        Assert.Equal("200 ran", Answer(ran));
        // After-filters run innermost first: the method's last attribute, then its first, then the class's.
        Assert.Equal("second method class", ran.GetHeader("X-Trace"));
        Assert.Equal("409 stopped by the class", Answer(Send("/filters/order?stop=both")));
        Assert.Equal("409 stopped by the method", Answer(Send("/filters/order?stop=method")));
        // A before-filter's answer is final: no after-filter sees it.
        Assert.Null(Send("/filters/order?stop=method").GetHeader("X-Trace"));
    }

    [Fact]
    public void After_filters_see_the_answers_of_binding_too()
    {
        var refused = Send("/filters/bound", headers: ("Authorization", "Bearer " + Filters.Token));
        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("class", refused.GetHeader("X-Trace"));
    }

    [Fact]
    public void A_timing_filter_gets_the_time_of_an_asynchronous_handler()
    {
        var response = Send("/filters/slow/30");
        Assert.Equal("200 slept", Answer(response));
        string timing = response.GetHeader("Server-Timing")!;
        Assert.StartsWith("handler;dur=", timing);
        Assert.True(double.Parse(timing["handler;dur=".Length..], CultureInfo.InvariantCulture) >= 20, timing);
        Assert.Equal("class", response.GetHeader("X-Trace"));
    }

    [Fact]
    public void Authorize_is_checked_before_the_filters()
    {
        Assert.Equal("401 Authentication required.", Answer(Send("/filters/authorized", headers: ("Authorization", "Bearer " + Filters.Token))));
        Assert.Equal("401 A bearer token is required.", Answer(Send("/filters/authorized", user: "ann")));
        Assert.Equal("200 both", Answer(Send("/filters/authorized", user: "ann", headers: ("Authorization", "Bearer " + Filters.Token))));
    }
}
