using System.Text.Json.Serialization;
using CgiRouting;

namespace MyApp;

public sealed record Greeting(string Text, int Length);

public sealed record Message(string Text);

/// <summary>The JSON types of the app: Native AOT serializes them with code generated at build time.</summary>
[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(Message))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class AppJson : JsonSerializerContext
{
}

/// <summary>The routes. The CgiRouting generator turns these attributes into the app's dispatcher at build time.</summary>
public static class Routes
{
    [Get("/")]
    public static string Index() => "MyApp is running. Try /hello/world.\n";

    [Get("/hello/<name>")]
    public static Greeting Hello(string name, int times = 1) =>
        new(string.Concat(Enumerable.Repeat($"Hello, {name}! ", times)).TrimEnd(), name.Length);

    [Post("/echo")]
    [Produces(201, typeof(Message))]
    [Produces(400)]
    public static Response Echo(Message message) =>
        string.IsNullOrWhiteSpace(message.Text)
            ? Response.BadRequest("A message needs text.")
            : Response.Json(message, 201);
}
