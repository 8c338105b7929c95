using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>A value of [assembly: Sandbox] that the sandbox could not apply as written is CGI028 on that value.</summary>
public partial class DiagnosticTests
{
    private const string SandboxedHandler = """public static class H { [Get("/x")] public static string A() => ""; }""";

    /// <summary>Runs the generator over an app whose first file is <paramref name="attribute"/> (assembly attributes come first).</summary>
    private static async Task VerifySandbox(string attribute, params DiagnosticResult[] expected)
    {
        var test = new CgiRoutingTest(attribute + "\n", SandboxedHandler);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private const string Absolute = "a path is absolute (it starts with '/'), or starts with ${NAME}, an environment variable that holds one";
    private const string Variable = "'$' starts ${NAME} or ${NAME:-DEFAULT}, NAME an environment variable of letters, digits and '_'";

    [Theory]
    [InlineData("Read", "\"data\"", "'data'", Absolute)]
    [InlineData("Write", "\"\"", "''", "a path is not empty")]
    [InlineData("Write", "\"/srv/a\\nread /etc\"", "'/srv/a\nread /etc'", "a path has no line break or NUL in it")]
    [InlineData("Read", "\"/srv/$HOME\"", "'/srv/$HOME'", Variable)]
    [InlineData("Read", "\"${HOME\"", "'${HOME'", Variable)]
    [InlineData("Read", "\"${}/x\"", "'${}/x'", Variable)]
    [InlineData("Write", "\"${DB:-${}}/..\"", "'${DB:-${}}/..'", Variable)]
    [InlineData("Write", "\"${DB-URL}\"", "'${DB-URL}'", Variable)]
    [InlineData("Read", "null!", "null", "a path is not empty")]
    public Task CGI028_a_path_the_sandbox_cannot_apply(string property, string value, string shown, string problem) =>
        VerifySandbox($$"""[assembly: Sandbox({{property}} = new[] { "/srv/ok", {|#0:{{value}}|} })]""",
            At(DiagnosticDescriptors.InvalidSandbox, 0).WithArguments(property, shown, problem));

    [Theory]
    [InlineData("ConnectPorts", "0", "'0'", "a TCP port is a number from 1 to 65535")]
    [InlineData("ConnectPorts", "65536", "'65536'", "a TCP port is a number from 1 to 65535")]
    [InlineData("ConnectPortsFrom", "\"DB-URL\"", "'DB-URL'", "it names an environment variable: letters, digits and '_', not starting with a digit")]
    [InlineData("ConnectPortsFrom", "\"1DB\"", "'1DB'", "it names an environment variable: letters, digits and '_', not starting with a digit")]
    public Task CGI028_a_port_the_sandbox_cannot_apply(string property, string value, string shown, string problem) =>
        VerifySandbox($$"""[assembly: Sandbox({{property}} = new[] { {|#0:{{value}}|} })]""",
            At(DiagnosticDescriptors.InvalidSandbox, 0).WithArguments(property, shown, problem));

    [Fact]
    public Task CGI028_near_miss() => VerifySandbox("""
        [assembly: Sandbox(Read = new[] { "/srv/app/templates", "${APP_DATA}", "/srv/a b/ü" },
            Write = new[] { "${TODO_DB}/..", "${TODO_DB:-${BINARY_DIR}/todo.db}/..", "${A_1}/${B_2}" },
            ConnectPorts = new[] { 1, 5432, 65535 }, ConnectPortsFrom = new[] { "TODO_DB", "_PORT" }, Exec = true, Required = true)]
        """);

    [Fact]
    public Task CGI028_near_miss_an_empty_sandbox() => VerifySandbox("[assembly: Sandbox]");
}
