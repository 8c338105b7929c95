namespace CgiRouting.Generators.Model;

/// <summary>A JsonSerializerContext of the app and the types it declares with [JsonSerializable].</summary>
internal sealed record JsonContextSpec(string TypeName, EquatableArray<string> Types)
{
    // JSON writers: the context's options and the shapes of the types it reaches (Parsing/JsonShapeParser.cs).
    public Json.JsonContextOptionsSpec Options { get; init; } = new();

    public EquatableArray<Json.JsonShapeSpec> Shapes { get; init; }
}
