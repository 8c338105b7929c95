using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CgiRouting;

namespace Full;

/// <summary>A note: a type the generated writers and reader cover.</summary>
public sealed record Note(int Id, string Text, string[] Tags);

/// <summary>The body of <c>POST /notes</c>, read through <c>request.ReadJson(AppJson.Default.NewNote)</c>.</summary>
public sealed record NewNote([Required, StringLength(200)] string? Text, string[]? Tags);

/// <summary>A type outside the generated writers' subset (a <c>TimeSpan</c>, a member of type object): System.Text.Json writes it.</summary>
public sealed record Uptime(TimeSpan Elapsed, Dictionary<string, object> Details);

/// <summary>One line of the streamed <c>/ticks/&lt;count&gt;</c>.</summary>
public sealed record Tick(int Number, int Of);

/// <summary>The form of <c>POST /signup</c>, with DataAnnotations rules.</summary>
public sealed record Signup(
    [Form("email")][Required, EmailAddress] string Email,
    [Form("age")][Range(18, 130)] int Age);

[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(NewNote))]
[JsonSerializable(typeof(Uptime))]
[JsonSerializable(typeof(Tick))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class AppJson : JsonSerializerContext
{
}
