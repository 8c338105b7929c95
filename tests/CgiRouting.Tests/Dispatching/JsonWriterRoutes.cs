using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace CgiRouting.Tests;

// Types for the generated JSON writers: together they cover every shape the writers claim, under five contexts.

public enum Level
{
    Low,
    Mid = 5,
    High = -3,
}

[JsonConverter(typeof(JsonStringEnumConverter<Tone>))]
public enum Tone
{
    Soft,
    Loud,
    Very_Loud,
}

[JsonConverter(typeof(JsonStringEnumConverter<Shade>))]
public enum Shade : byte
{
    Light = 1,
    Dark = 200,
}

public enum Huge : ulong
{
    Zero,
    Max = ulong.MaxValue,
}

public sealed record Inner(string? Name, int Count, double Ratio);

public sealed record Everything(
    string? Text, int Int, long Long, double Double, float Float, decimal Decimal, bool Bool,
    int? NullableInt, double? NullableDouble, byte Byte, short Short, uint UInt, ulong ULong, sbyte SByte, ushort UShort,
    DateTime DateTime, DateTimeOffset DateTimeOffset, Guid Guid, DateTime? NullableDate, DateTimeOffset? NullableOffset,
    Level Level, Tone Tone, Shade Shade, Huge Huge, Level? NullableLevel, Tone? NullableTone,
    Inner? Inner, Inner[]? Array, List<Inner?>? List, List<string?>? Strings, Dictionary<string, Inner?>? Map,
    Dictionary<string, int>? Counts, IReadOnlyList<int>? ReadOnly, IEnumerable<decimal>? Enumerable,
    [property: JsonPropertyName("renamed <&> \"é\"")] string? Renamed,
    [property: JsonIgnore] string? Hidden,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SkipNull,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int SkipDefault,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double? SkipDefaultNullable,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Always,
    [property: JsonPropertyOrder(-1)] int First,
    [property: JsonPropertyOrder(2)] string? Last,
    [property: JsonPropertyOrder(1)] string? NextToLast,
    string? URLValue, string? already_snake, string? IOStream2Go, string? X)
{
    /// <summary>A property declared in the body, after the positional ones.</summary>
    public Guid BodyProperty { get; init; }

    public static int Static => 1;

    public int this[int index] => index;

    /// <summary>Not public: not written.</summary>
    internal int Internal => 1;

    /// <summary>Fields are not written without IncludeFields.</summary>
    public int Field = 3;
}

/// <summary>A plain class: properties with setters, a getter-only one, a private getter.</summary>
public sealed class Bag
{
    public int A { get; set; }

    public string? B { get; set; }

    public DateTime When => new(2024, 1, 2, 3, 4, 5, 600, DateTimeKind.Utc);

    public string Hidden { private get; set; } = "";
}

public sealed record CamelCase(Everything? Value, Bag? Bag);

public sealed record SnakeCase(Everything? Value);

public sealed record KebabUpper(Everything? Value);

public sealed record StringEnums(Everything? Value);

/// <summary>Outside the generated writers' subset: an <c>object</c> property.</summary>
public sealed record Loose(object? Anything);

[JsonSerializable(typeof(Everything))]
[JsonSerializable(typeof(List<Inner>))]
[JsonSerializable(typeof(Bag))]
[JsonSerializable(typeof(Loose))]
internal sealed partial class DefaultJson : JsonSerializerContext
{
}

[JsonSerializable(typeof(CamelCase))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CamelJson : JsonSerializerContext
{
}

[JsonSerializable(typeof(SnakeCase))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
internal sealed partial class SnakeJson : JsonSerializerContext
{
}

[JsonSerializable(typeof(KebabUpper))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseUpper)]
internal sealed partial class KebabJson : JsonSerializerContext
{
}

[JsonSerializable(typeof(StringEnums))]
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
internal sealed partial class EnumJson : JsonSerializerContext
{
}

/// <summary>Handlers that return what the test put in a static field.</summary>
public static class JsonWriterRoutes
{
    public static Everything? Everything;
    public static List<Inner>? Inners;
    public static Bag? Bag;
    public static CamelCase? Camel;
    public static SnakeCase? Snake;
    public static KebabUpper? Kebab;
    public static StringEnums? Enums;
    public static Loose? Loose;

    [Get("/json/everything")] public static Everything? GetEverything() => Everything;
    [Get("/json/inners")] public static List<Inner>? GetInners() => Inners;
    [Get("/json/bag")] public static System.Threading.Tasks.Task<Bag?> GetBag() => System.Threading.Tasks.Task.FromResult(Bag);
    [Get("/json/camel")] public static CamelCase? GetCamel() => Camel;
    [Get("/json/snake")] public static SnakeCase? GetSnake() => Snake;
    [Get("/json/kebab")] public static KebabUpper? GetKebab() => Kebab;
    [Get("/json/enums")] public static StringEnums? GetEnums() => Enums;
    [Get("/json/loose")] public static Loose? GetLoose() => Loose;
}
