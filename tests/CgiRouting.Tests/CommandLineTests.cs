using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>The binary run by hand: usage, and the route table generated at build time.</summary>
public class CommandLineTests
{
    private static (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CommandLine.Run(arguments, CgiApp.Routes, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void The_generated_route_table_is_registered()
    {
        Assert.Contains(new RouteInfo("GET", "/users/<id>", "Routes.ById"), CgiApp.Routes);
        Assert.Contains(new RouteInfo("PROPFIND", "/dav", "Routes.Dav"), CgiApp.Routes);
        Assert.Equal(3, CgiApp.Routes.Count(r => r.Handler == "Routes.Multi"));
    }

    [Fact]
    public void Without_arguments_it_explains_itself()
    {
        var (exit, output, _) = Run();
        Assert.Equal(0, exit);
        Assert.Contains("a CGI app built with CgiRouting", output);
        Assert.Contains($"({CgiApp.Routes.Count} routes)", output);
        Assert.Contains("--routes", output);
        Assert.Contains("alias.url", output);
    }

    [Fact]
    public void Routes_lists_method_template_and_handler()
    {
        var (exit, output, _) = Run("--routes");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^METHOD +TEMPLATE +HANDLER$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^GET +/users/<id> +Routes\\.ById$"));
        Assert.Equal(CgiApp.Routes.Count + 1, lines.Length);
    }

    [Fact]
    public void Routes_as_json_for_tooling()
    {
        var (exit, output, _) = Run("--routes", "--json");
        Assert.Equal(0, exit);
        var routes = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .Select(r => new RouteInfo(r.GetProperty("method").GetString()!, r.GetProperty("template").GetString()!, r.GetProperty("handler").GetString()!))
            .ToList();
        Assert.Equal(CgiApp.Routes, routes);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("routes")]
    [InlineData("--json")]
    public void Unknown_or_incomplete_options_fail(string argument)
    {
        var (exit, _, error) = Run(argument);
        Assert.Equal(2, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Json_escapes_what_json_must()
    {
        var routes = new[] { new RouteInfo("GET", "/a\"b\\c\u0001", "T.M") };
        var output = new StringWriter();
        Assert.Equal(0, CommandLine.Run(["--routes", "--json"], routes, output, new StringWriter()));
        var route = JsonDocument.Parse(output.ToString()).RootElement[0];
        Assert.Equal("/a\"b\\c\u0001", route.GetProperty("template").GetString());
    }
}
