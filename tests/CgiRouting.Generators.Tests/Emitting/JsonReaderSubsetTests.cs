using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// Which JSON body types the generated reader takes, and which it leaves to System.Text.Json: each near-miss below
/// changes how System.Text.Json reads, so reading it the generated way could differ.
/// </summary>
public class JsonReaderSubsetTests
{
    private static string Dispatcher(string types, string options = "")
    {
        var result = Run($$"""
            using System.Collections.Generic;
            using System.Text.Json.Serialization;
            {{types}}
            [JsonSerializable(typeof(T))]
            {{options}}
            internal partial class Ctx : JsonSerializerContext { }
            public static class H { [Post("/x")] public static string A(T body) => ""; }
            """);
        return result.Source!;
    }

    [Theory]
    [InlineData("public sealed record T(string? Name, int Count = 2, List<long>? Ids = null, double[]? D = null);")]
    [InlineData("public sealed class T { public string? A { get; set; } public decimal? B { get; set; } public int C => 1; }")]
    [InlineData("public sealed class T(string n) { public string N { get; } = n; public bool On { get; set; } }")]
    [InlineData("public sealed record T(U? U); public sealed record U(ulong A, float B, sbyte C);")]
    [InlineData("public sealed record T(System.Guid A, System.DateTime? B, List<System.DateTimeOffset> C);")]
    public void Covered(string types)
    {
        string source = Dispatcher(types);
        Assert.Contains("var p_body = JsonReaders.Read_T(request);", source);
        Assert.DoesNotContain("request.ReadJson(", source);
    }

    [Theory]
    [InlineData("public sealed class T { public string? A { get; init; } }")] // init-only, not a constructor parameter
    [InlineData("public sealed class T { public required string A { get; set; } }")]
    [InlineData("public sealed class T { [JsonRequired] public string? A { get; set; } }")]
    [InlineData("public sealed class T { public T() { } [JsonConstructor] public T(string a) { A = a; } public string? A { get; set; } }")]
    [InlineData("public sealed class T { public T(int a) { } public T(string a) { } public string? A { get; set; } }")]
    [InlineData("public sealed record T(string A, int B = 1) { public string? C { get; init; } }")]
    [InlineData("public sealed record T(double A = 1.5);")] // a default value the reader does not write
    [InlineData("public sealed class T { public string? A { private get; set; } }")] // read, never written
    [InlineData("public enum E { A } public sealed record T(E A);")]
    [InlineData("public sealed record T(Dictionary<string, int> A);")]
    [InlineData("public sealed record T(IList<int> A);")]
    [InlineData("public sealed record T(object A);")]
    [InlineData("public sealed record T(char A);")]
    [InlineData("public sealed record T(System.TimeSpan A);")]
    [InlineData("public sealed record T(System.DateOnly A);")]
    [InlineData("public sealed record T(byte[] A);")]
    [InlineData("public sealed record T(string A) { [JsonExtensionData] public Dictionary<string, object>? X { get; set; } }")]
    [InlineData("[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)] public sealed record T(string A);")]
    [InlineData("public struct T { public int A { get; set; } }")]
    public void Left_to_System_Text_Json(string types) =>
        Assert.Contains("var p_body = request.ReadJson(", Dispatcher(types));

    [Theory]
    [InlineData("[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]")]
    [InlineData("[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]")]
    [InlineData("[JsonSourceGenerationOptions(AllowTrailingCommas = true)]")]
    [InlineData("[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]")]
    [InlineData("[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]")]
    [InlineData("[JsonSourceGenerationOptions(AllowDuplicateProperties = false)]")]
    [InlineData("[JsonSourceGenerationOptions(RespectNullableAnnotations = true)]")]
    [InlineData("[JsonSourceGenerationOptions(RespectRequiredConstructorParameters = true)]")]
    [InlineData("[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]")]
    [InlineData("[JsonSourceGenerationOptions(MaxDepth = 8)]")]
    public void Options_that_change_reading_leave_it_to_System_Text_Json(string options) =>
        Assert.Contains("var p_body = request.ReadJson(", Dispatcher("public sealed record T(string? Name);", options));
}
