using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CgiRouting.Tests;

// Types for the generated JSON body readers: every shape the readers claim, under two contexts.

public sealed record BodyPet(string? Name, int Age, double Weight, bool? Vaccinated);

/// <summary>A record: read through its constructor, with two parameters that have default values.</summary>
public sealed record BodyParcel(
    string? Id, int Count, long Total, double Ratio, float Scale, decimal Price, bool Paid,
    int? MaybeInt, short Small, byte Tiny, sbyte Signed, ushort Port, uint Unsigned, ulong Big, double? MaybeDouble,
    [property: JsonPropertyName("renamed é \"x\"")] string? Renamed,
    BodyPet? Pet, BodyPet[]? Pets, List<BodyPet?>? MaybePets, List<string?>? Tags, int[]? Numbers,
    System.Guid Key, System.DateTime When, System.DateTimeOffset? Stamp,
    string? Note = "none", int Priority = 3);

/// <summary>A class with setters, initial values, and a getter-only property that reading skips.</summary>
public sealed class BodySettings
{
    public string? Title { get; set; } = "untitled";

    public int Level { get; set; } = 1;

    public List<int>? Values { get; set; }

    public BodyPet? Owner { get; set; }

    public decimal? Limit { get; set; }

    public System.DateTime? Since { get; set; }

    public List<System.Guid>? Keys { get; set; }

    public string Computed => "computed";
}

/// <summary>A class with a primary constructor whose parameters bind to properties in another case, and a setter.</summary>
public sealed class BodyMixed(string? name, long count)
{
    public string? Name { get; } = name;

    public long Count { get; } = count;

    public double Extra { get; set; } = 0.5;

    public List<BodyPet>? Friends { get; set; }
}

[JsonSerializable(typeof(BodyParcel))]
[JsonSerializable(typeof(BodySettings))]
[JsonSerializable(typeof(List<BodyPet>))]
internal sealed partial class ReaderJson : JsonSerializerContext
{
}

[JsonSerializable(typeof(BodyMixed))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ReaderCamelJson : JsonSerializerContext
{
}

/// <summary>Handlers that answer with what they received, in one canonical text: System.Text.Json's, of the same context.</summary>
public static class JsonReaderRoutes
{
    [Post("/read/parcel")] public static string ReadParcel(BodyParcel? parcel) => Canonical(parcel, ReaderJson.Default.BodyParcel);

    [Post("/read/settings")] public static string ReadSettings(BodySettings? settings) => Canonical(settings, ReaderJson.Default.BodySettings);

    [Post("/read/pets")] public static string ReadPets(List<BodyPet>? pets) => Canonical(pets, ReaderJson.Default.ListBodyPet);

    [Post("/read/mixed")] public static string ReadMixed(BodyMixed? mixed) => Canonical(mixed, ReaderCamelJson.Default.BodyMixed);

    [Post("/read/required")] public static string ReadRequired(BodySettings settings) => settings.Title ?? "";

    /// <summary>
    /// The text System.Text.Json writes of <paramref name="value"/> with the options of <paramref name="typeInfo"/>, and
    /// infinities as names: System.Text.Json reads 1e400 as a double, infinity.
    /// </summary>
    public static string Canonical<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var options = new JsonSerializerOptions(typeInfo.Options) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        return JsonSerializer.Serialize(value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }
}
