// GET /items/<id> on Kestrel, serialized by System.Text.Json with a source-generated context: the bytes of
// samples/Hello's answer. The address comes from --urls (bench/run.sh gives a unix socket behind nginx).
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, BenchJson.Default));
// The template's appsettings.json: ASP.NET Core's own categories at Warning, so that no line is logged per request.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
app.MapGet("/items/{id:int}", (int id) => new Item(id, "item" + id, ["a", "b"], new Owner("Ann", 2019)));
app.Run();

internal sealed record Item(int Id, string Name, string[] Tags, Owner Owner);

internal sealed record Owner(string Name, int Since);

[JsonSerializable(typeof(Item))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class BenchJson : JsonSerializerContext
{
}
