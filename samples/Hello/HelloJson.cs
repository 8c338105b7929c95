using System.Text.Json.Serialization;

namespace Hello;

[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(NewGreeting))]
[JsonSerializable(typeof(Item))]
[JsonSerializable(typeof(Tick))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class HelloJson : JsonSerializerContext
{
}
