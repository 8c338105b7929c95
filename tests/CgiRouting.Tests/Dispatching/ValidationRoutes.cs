using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace CgiRouting.Tests;

// Handlers and bodies with DataAnnotations attributes: the generated dispatcher checks them after binding.

/// <summary>A positional record: the attributes are on the constructor's parameters.</summary>
public sealed record Signup(
    [Required] string? Name,
    [Required, EmailAddress] string? Email,
    [Range(18, 130)] int Age,
    [Url] string? Homepage,
    [RegularExpression("[a-z]+[0-9]?")] string? Handle,
    [MinLength(1), MaxLength(3)] string[]? Tags,
    [StringLength(10, MinimumLength = 2)] string? Nickname,
    [Range(0.5, 2.5, MinimumIsExclusive = true)] double? Ratio,
    SignupAddress? Address,
    [Required] Point? Origin);

/// <summary>A nested class, with its attributes on properties.</summary>
public sealed class SignupAddress
{
    [Required(ErrorMessage = "Where is {0}?")]
    public string? Street { get; set; }

    [StringLength(5)]
    public string? Zip { get; set; }
}

/// <summary>A record struct, nested and as a body.</summary>
public readonly record struct Point([Range(0, 100)] int X, [Range(0, 100, MaximumIsExclusive = true)] int Y);

/// <summary>A [Form] record.</summary>
public sealed record Comment([Required, StringLength(20)] string Text, [Range(1, 5)] int Stars, [Required(AllowEmptyStrings = true)] string? Tag);

[JsonSerializable(typeof(Signup))]
[JsonSerializable(typeof(Point))]
internal sealed partial class ValidationJson : JsonSerializerContext;

public static class ValidationRoutes
{
    [Post("/valid/signup")] public static string Signup(Signup signup) => "welcome " + signup.Name;

    [Post("/valid/point")] public static string Point(Point point) => point.X + "," + point.Y;

    [Post("/valid/comment")] public static string Comment([Form] Comment comment) => comment.Text + " " + comment.Stars;

    [Get("/valid/search")]
    public static string Search([Required] string? q, [Range(1, 50)] int size = 10, [StringLength(3)][Header("X-Lang")] string? lang = null,
        [MaxLength(2)] string[]? sort = null, [Range(1, 9)] long? page = null) => $"{q} {size} {lang} {sort?.Length} {page}";

    [Get("/valid/items/<id>")] public static string Item([Range(1, 1000)] int id, [Cookie("theme"), RegularExpression("light|dark")] string? theme = null)
        => "item " + id + " " + theme;
}
