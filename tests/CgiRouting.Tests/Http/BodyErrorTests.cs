using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using CgiRouting.Dispatching;
using Xunit;

namespace CgiRouting.Tests;

public sealed record Address(string City);

public sealed record Order(string Name, int Quantity, bool Gift, decimal Price, int? Limit, List<string> Tags,
    Address Ship, Color Color, Guid Id, DateOnly Day, Dictionary<string, int> Counts,
    [property: JsonPropertyName("unit price")] decimal UnitPrice);

[JsonSerializable(typeof(Order))]
internal sealed partial class OrderJson : JsonSerializerContext
{
}

public record struct Spot(int X);

public sealed record Place(Spot? Where, string Name);

[JsonSerializable(typeof(Place))]
internal sealed partial class PlaceJson : JsonSerializerContext
{
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Place))]
internal sealed partial class PlaceInsensitiveJson : JsonSerializerContext
{
}

/// <summary>A resolver that fails as System.Text.Json's resolvers may for a type they cannot describe.</summary>
internal sealed class FailingResolver(Exception failure) : System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver
{
    public System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(Type type, System.Text.Json.JsonSerializerOptions options) => throw failure;
}

/// <summary>The messages a client reads when its request body cannot be bound.</summary>
public class BodyErrorTests
{
    private static string JsonError(string body)
    {
        var request = CgiRequest.Create("POST", "/orders", body, [new("Content-Type", "application/json")]);
        var e = Assert.Throws<CgiRequestException>(() => request.ReadJson(OrderJson.Default.Order));
        Assert.Equal(400, e.StatusCode);
        Assert.DoesNotContain("System.", e.Message);
        Assert.DoesNotContain("Exception", e.Message);
        return e.Message;
    }

    [Theory]
    [InlineData("""{"Name":5}""", "'$.Name' must be a string.")]
    [InlineData("""{"Quantity":"two"}""", "'$.Quantity' must be an integer (Int32).")]
    [InlineData("""{"Quantity":1.5}""", "'$.Quantity' must be an integer (Int32).")]
    [InlineData("""{"Gift":"yes"}""", "'$.Gift' must be true or false.")]
    [InlineData("""{"Price":"cheap"}""", "'$.Price' must be a number.")]
    [InlineData("""{"Limit":"none"}""", "'$.Limit' must be an integer (Int32) or null.")]
    [InlineData("""{"Tags":"a,b"}""", "'$.Tags' must be an array.")]
    [InlineData("""{"Tags":[1]}""", "'$.Tags[0]' must be a string.")]
    [InlineData("""{"Ship":"Paris"}""", "'$.Ship' must be an object.")]
    [InlineData("""{"Ship":{"City":true}}""", "'$.Ship.City' must be a string.")]
    [InlineData("""{"Color":"Blue"}""", "'$.Color' must be a Color value.")]
    [InlineData("""{"Id":"not-a-guid"}""", "'$.Id' must be a GUID string.")]
    [InlineData("""{"Day":"someday"}""", "'$.Day' must be a date string (yyyy-MM-dd).")]
    [InlineData("""{"Counts":[]}""", "'$.Counts' must be an object.")]
    [InlineData("""{"Counts":{"a":"b"}}""", "'$.Counts.a' must be an integer (Int32).")]
    [InlineData("""{"unit price":"x"}""", "'$['unit price']' must be a number.")]
    [InlineData("""{"Tags":["a",{}]}""", "'$.Tags[1]' must be a string.")]
    [InlineData("""[1]""", "'$' must be an object.")]
    public void A_value_of_the_wrong_type_names_the_json_it_must_be(string body, string expected)
        => Assert.Equal("The JSON body is not valid: " + expected, JsonError(body));

    [Theory]
    [InlineData("""{"Name":""", "The JSON body is malformed at line 1, byte 9 ('$.Name').")]
    [InlineData("not json", "The JSON body is malformed at line 1, byte 2 ('$').")] // 'n' could begin null
    [InlineData("{\n  \"Name\": \"a\",\n  oops\n}", "The JSON body is malformed at line 3, byte 3 ('$').")]
    public void Malformed_json_says_where(string body, string expected) => Assert.Equal(expected, JsonError(body));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    public void A_missing_json_body_says_that_none_was_sent(string? contentLength)
    {
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "POST" };
        if (contentLength is not null)
            environment["CONTENT_LENGTH"] = contentLength;
        var response = BindingErrors.MissingJsonBody(new CgiRequest(environment), "order");
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("No request body was sent (CONTENT_LENGTH is missing or 0): parameter 'order' needs a JSON body.", response.BodyText);
    }

    [Fact]
    public void A_null_json_body_says_it_must_not_be_null()
    {
        var response = BindingErrors.MissingJsonBody(CgiRequest.Create("POST", "/orders", "null"), "order");
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("The JSON body for parameter 'order' must not be null.", response.BodyText);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("Application/X-WWW-Form-URLEncoded; charset=UTF-8")]
    [InlineData(null)] // no Content-Type: read as a form, as ReadJson reads it as JSON
    public void A_form_body_is_read_as_a_form(string? contentType)
    {
        var headers = contentType is null ? null : new[] { new KeyValuePair<string, string>("Content-Type", contentType) };
        var form = CgiRequest.Create("POST", "/form", "a=1&b=x+y", headers).ReadForm();
        Assert.Equal("1", form.GetFirst("a"));
        Assert.Equal("x y", form.GetFirst("b"));
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public void A_body_of_another_media_type_is_not_a_form(string contentType)
    {
        var request = CgiRequest.Create("POST", "/form", "a=1", [new("Content-Type", contentType)]);
        var e = Assert.Throws<CgiRequestException>(() => request.ReadForm());
        Assert.Equal(415, e.StatusCode);
        Assert.Equal("The request body must be a form (Content-Type: application/x-www-form-urlencoded).", e.Message);
        Assert.Equal(0, request.Body.Position); // refused before any of it was read
    }

    [Fact]
    public void No_body_is_an_empty_form_whatever_the_content_type()
    {
        // Python's CGI server sets CONTENT_TYPE=text/plain on a GET: only a body has a media type.
        var request = CgiRequest.Create("GET", "/form", null, [new("Content-Type", "text/plain")]);
        Assert.Empty(request.ReadForm());
    }

    [Theory]
    [InlineData(typeof(double), "a number")]
    [InlineData(typeof(float), "a number")]
    [InlineData(typeof(decimal), "a number")]
    [InlineData(typeof(Half), "a number")]
    [InlineData(typeof(DateTime), "a date and time string (ISO 8601)")]
    [InlineData(typeof(DateTimeOffset), "a date and time string (ISO 8601)")]
    [InlineData(typeof(TimeOnly), "a time string (hh:mm:ss)")]
    [InlineData(typeof(TimeSpan), "a time string (hh:mm:ss)")]
    [InlineData(typeof(byte[]), "a base64 string")]
    [InlineData(typeof(char), "a string")]
    [InlineData(typeof(long?), "an integer (Int64) or null")]
    [InlineData(typeof(UInt128), "an integer (UInt128)")]
    [InlineData(typeof(System.Text.StringBuilder), "a valid StringBuilder")] // a type the context does not describe
    public void Each_type_is_named_by_the_json_it_must_be(Type type, string expected)
        => Assert.Equal(expected, JsonBodyError.Expected(type, OrderJson.Default.Options));

    [Theory]
    [InlineData(typeof(NotSupportedException))]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(ArgumentException))]
    public void A_resolver_that_fails_leaves_the_type_unnamed(Type failure)
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = new FailingResolver((Exception)Activator.CreateInstance(failure, "no")!) };
        Assert.Equal("a valid Address", JsonBodyError.Expected(typeof(Address), options));
    }

    [Fact]
    public void A_resolver_that_fails_otherwise_is_not_hidden()
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = new FailingResolver(new FormatException("a bug")) };
        Assert.Throws<FormatException>(() => JsonBodyError.Expected(typeof(Address), options));
    }

    [Theory]
    [InlineData("$", typeof(Order))]
    [InlineData("$.Ship.City", typeof(string))]
    [InlineData("$.Tags[3]", typeof(string))]
    [InlineData("$.Counts.x", typeof(int))]
    [InlineData("$['unit price']", typeof(decimal))]
    [InlineData("$.Limit", typeof(int?))]
    [InlineData("$.ship", null)]          // property names are case-sensitive by default
    [InlineData("$xName", null)]          // not a path System.Text.Json writes
    [InlineData("Name", null)]
    [InlineData("$.Nope", null)]
    [InlineData("$.Name.Length", null)]   // a string has no properties
    [InlineData("$[0]", null)]            // an object has no elements
    [InlineData("$.Tags.x", null)]        // an array has no properties
    [InlineData("$['Name", null)]
    [InlineData("$[0", null)]
    public void The_type_at_a_path_is_found_through_the_context(string path, Type? expected)
        => Assert.Equal(expected, JsonBodyError.TypeAt(OrderJson.Default.Order, path));

    [Fact]
    public void A_path_goes_through_a_nullable_struct()
    {
        Assert.Equal(typeof(int), JsonBodyError.TypeAt(PlaceJson.Default.Place, "$.Where.X"));
        Assert.Null(JsonBodyError.TypeAt(PlaceJson.Default.Place, "$.where.x"));
        Assert.Equal(typeof(int), JsonBodyError.TypeAt(PlaceInsensitiveJson.Default.Place, "$.where.x"));
        Assert.Equal(typeof(string), JsonBodyError.TypeAt(PlaceInsensitiveJson.Default.Place, "$.NAME"));
    }

    [Fact]
    public void Describe_words_each_kind_of_failure_for_the_client()
    {
        var root = OrderJson.Default.Order;
        Assert.Equal("The JSON body is not valid: '$' must be an object.",
            JsonBodyError.Describe(new JsonException("The JSON value could not be converted to CgiRouting.Tests.Order."), root));
        Assert.Equal("The JSON body is not valid: '$.Nope' has a value of the wrong type.",
            JsonBodyError.Describe(new JsonException("The JSON value could not be converted to System.Int32.", "$.Nope", null, null), root));
        Assert.Equal("The JSON body is not valid at '$.Name'.",
            JsonBodyError.Describe(new JsonException("Something else.", "$.Name", null, null), root));
        Assert.Equal("The JSON body is malformed at line 3, byte 5 ('$.Name').",
            JsonBodyError.Describe(new JsonException("Bad.", "$.Name", 2, 4), root));
    }
}
