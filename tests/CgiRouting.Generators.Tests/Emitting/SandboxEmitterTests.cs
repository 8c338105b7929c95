using System;
using System.Linq;
using System.Text;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The policy the generator emits for [assembly: Sandbox]: the directives that CgiRouting.props copies out of the compiled
/// assembly (after the marker, up to a NUL) and cgirouting_sandbox.c applies, one per line, in the attribute's order.
/// </summary>
public class SandboxEmitterTests
{
    private static string? Generated(string attribute)
    {
        var compilation = GeneratorHarness.Compile(attribute + "\n", """public static class H { [Get("/x")] public static string A() => ""; }""");
        var run = GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult();
        Assert.Empty(run.Diagnostics);
        return run.GeneratedTrees.FirstOrDefault(t => t.FilePath.EndsWith(SandboxEmitter.HintName, StringComparison.Ordinal))?.ToString();
    }

    [Fact]
    public void The_directives_follow_the_marker_one_per_line_and_end_with_a_NUL()
    {
        string source = Generated("""
            [assembly: Sandbox(Write = new[] { "${TODO_DB:-${BINARY_DIR}/todo.db}/.." }, Read = new[] { "/srv/t", "/srv/ü" },
                ConnectPorts = new[] { 5432 }, ConnectPortsFrom = new[] { "TODO_DB" }, Exec = true, Required = true)]
            """)!;
        string expected = "CgiRouting.Sandbox/1\nsandbox\nwrite ${TODO_DB:-${BINARY_DIR}/todo.db}/..\nread /srv/t\nread /srv/ü\nconnect 5432\n"
            + "connect-from TODO_DB\nexec\nrequired\n\0";
        Assert.Contains("public static global::System.ReadOnlySpan<byte> Policy => " + CSharp.Utf8Literal(expected) + ";", source);
        Assert.Contains("[global::System.CodeDom.Compiler.GeneratedCode(\"CgiRouting.Generators\"", source);
    }

    [Fact]
    public void An_empty_sandbox_is_declared_and_an_app_without_one_gets_no_file()
    {
        Assert.Contains(CSharp.Utf8Literal("CgiRouting.Sandbox/1\nsandbox\n\0"), Generated("[assembly: Sandbox]"));
        Assert.Null(Generated(""));
    }
}
