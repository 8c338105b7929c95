using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Linq;
using System.Text.Json.Serialization;

namespace CgiRouting.Tests;

// Handlers that take Validated<T> (issue 20, item 6): they run whether the form or the JSON body is valid or not.

/// <summary>A [Form] record whose first field has another name on the wire.</summary>
public sealed record Enquiry([Form("full_name")][Required, StringLength(10)] string Name, [Range(1, 5)] int Stars, [EmailAddress] string? Email, int[]? Ids);

/// <summary>A [Form] class with a settable property and a required file.</summary>
public sealed class Attachment
{
    public required FormFile Document { get; init; }

    [StringLength(4)]
    public string? Label { get; set; } = "none";
}

/// <summary>A JSON body, under a camelCase context, with a renamed property and a nested object.</summary>
public sealed class Ticket
{
    [JsonPropertyName("ticket_title")]
    [Required]
    public string? Title { get; set; }

    [Range(1, 3)]
    public int Priority { get; set; } = 1;

    public TicketOwner? Owner { get; set; }
}

public sealed class TicketOwner
{
    [Required, StringLength(3)]
    public string? Login { get; set; }
}

/// <summary>A JSON body that the generated reader does not cover (a dictionary): System.Text.Json reads it.</summary>
public sealed record Labelled([Required] string? Name, [Range(0, 9)] int Level, Dictionary<string, string>? Labels);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Ticket))]
[JsonSerializable(typeof(Labelled))]
internal sealed partial class ValidatedJson : JsonSerializerContext;

public static class ValidatedRoutes
{
    /// <summary>The outcome as text: <c>valid=False value=Ann errors=full_name:[...];Stars:[...]</c>.</summary>
    private static string Outcome<T>(Validated<T> outcome, string? value) where T : class =>
        $"valid={outcome.IsValid} value={value ?? "null"} errors="
        + string.Join(";", outcome.Errors.Select(e => e.Key + ":[" + string.Join("|", e.Value) + "]"));

    [Post("/validated/enquiry")]
    public static string Enquiry([Form] Validated<Enquiry> form, CgiRequest request) =>
        Outcome(form, form.Value?.Name) + " form=" + string.Join("&", request.ReadForm().Select(f => f.Key + "=" + f.Value));

    [Post("/validated/upload")]
    public static string Upload([Form] Validated<Attachment> form) => Outcome(form, form.Value is { } v ? v.Document.FileName + "/" + v.Label : null);

    [Post("/validated/ticket")]
    public static string Ticket(Validated<Ticket> ticket) => Outcome(ticket, ticket.Value is { } t ? t.Title + "/" + t.Priority + "/" + t.Owner?.Login : null);

    [Post("/validated/labelled")]
    public static string Labelled(Validated<Labelled> body) => Outcome(body, body.Value?.Name);
}
