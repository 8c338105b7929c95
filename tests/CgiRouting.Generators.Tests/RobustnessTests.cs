using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>Code being typed is often broken: the generator must never throw or pile its errors on the compiler's.</summary>
public class RobustnessTests
{
    [Theory]
    [InlineData("""public static class H { [Get(123)] public static string A() => ""; }""")]
    [InlineData("""public static class H { [Get()] public static string A() => ""; }""")]
    [InlineData("""public static class H { [Get(null)] public static string A() => ""; }""")]
    [InlineData("""public static class H { [Get("/x" public static string A() => ""; }""")]
    [InlineData("""public static class H { [Get("/x")] public static string A(Missing m) => ""; }""")]
    [InlineData("""public static class H { [Get("/x/<m>")] public static string A(Missing m) => ""; }""")]
    [InlineData("""public static class H { [Get("/x")] public static Missing A() => null!; }""")]
    [InlineData("""public static class H { [Get("/x")] public static Task<Missing> A() => null!; }""")]
    [InlineData("""public static class H { [Get("/x")] public static string A( => ""; }""")]
    [InlineData("""public static class H { [Get("/x")] public static string A() }""")]
    [InlineData("""public static class H { [Route("GET")] public static string A() => ""; }""")]
    [InlineData("""public static class H { [Get("/x")] public static extern string A(); }""")]
    [InlineData("""[System.Text.Json.Serialization.JsonSerializable(typeof(Missing))] partial class C : System.Text.Json.Serialization.JsonSerializerContext { }""")]
    [InlineData("""[System.Text.Json.Serialization.JsonSerializable] partial class C : System.Text.Json.Serialization.JsonSerializerContext { }""")]
    public void Broken_code_never_crashes_the_generator(string code)
    {
        var result = Run(code);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CGI000" or "CS8785" or "CS8784");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CGI004" or "CGI011" or "CGI010"); // the compiler already says it
        Assert.NotNull(result.Source);
    }
}
