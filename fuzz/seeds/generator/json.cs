namespace App;

public sealed record Item(int Id, string Name, string[] Tags, Owner Owner);
public sealed record Owner(string Name, int Since);
public sealed record NewItem(string Name, int Count = 1);

[JsonSerializable(typeof(Item))]
[JsonSerializable(typeof(NewItem))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class AppJson : JsonSerializerContext { }

public static class Api
{
    [Get("/items/<id>")] public static Item Get(int id) => new(id, "x", [], new("o", 1));
    [Post("/items")] public static Item Create(NewItem item) => new(1, item.Name, [], new("o", 2));
    [Get("/list")] public static Task<Item> List() => Task.FromResult(new Item(1, "", [], new("", 0)));
}
