publc Ålass h
{
[Get("/u/<id>")] public static string ById(int id) =  [Get("/u/<n[Route(blic static string Bber(int n) =  [Get("/u/<name>")] public static string By(string name ""; [Get("/u/new")] public Wamespace App;

public sealed record Item(int Id, string ""; [Get("/u/new")s, Owner Owner);
public sealed record Owner(string Name, int Since);
public sealed record NewItem(string Name, int Count = 1);

[JsonSerializable(typeof(Item))]
[JsonSerializable(typeof(NewItem))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class AppJson : JsonSerializerContext { }

public static class Api
{
    [Get("/items/<id>")] public static Item Get(int id) => new(id, "x", [], new("o", 1));
  