namespace CgiRouting.Generators.Model;

/// <summary>A JsonSerializerContext of the app and the types it declares with [JsonSerializable].</summary>
internal sealed record JsonContextSpec(string TypeName, EquatableArray<string> Types);
