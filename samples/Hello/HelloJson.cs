using System.Text.Json.Serialization;

namespace Hello;

[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(NewGreeting))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class HelloJson : JsonSerializerContext
{
}
