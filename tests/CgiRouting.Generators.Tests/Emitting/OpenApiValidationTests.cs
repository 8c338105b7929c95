using System.Linq;
using System.Text.Json;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The DataAnnotations rules the invokers check are in the OpenAPI document, as ASP.NET Core's generator writes them:
/// on the schemas of parameters (path, query, header, form fields) and on the properties of body schemas, nested
/// types included, whose one component serves every use of the type.
/// </summary>
public class OpenApiValidationTests
{
    private const string Signups = """
        namespace V;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Text.Json.Serialization;

        public sealed record Address([Required] string? Street, [RegularExpression("^[0-9]{5}$")] string? Zip,
            [StringLength(40, MinimumLength = 2)] string? City);
        public sealed class Contact
        {
            [EmailAddress] public string? Email { get; set; }
            [Url] public string? Site { get; set; }
            [MinLength(1), MaxLength(3)] public List<string>? Phones { get; set; }
            [MinLength(2), MaxLength(9)] public string? Nick { get; set; }
            [Range(1, 10, MinimumIsExclusive = true, MaximumIsExclusive = true)] public double Score { get; set; }
            public string? Note { get; set; }
        }
        public sealed record Signup([Required] string? Name, [Range(18, 130)] int Age, Address? Address, Contact? Contact);
        public sealed record Entry([Required] string? Name, [Range(1, 5)] int Stars);
        public sealed record Receipt([Range(1, 99)] int Number, [MaxLength(4)] List<Address>? Lines);

        [JsonSerializable(typeof(Signup))]
        [JsonSerializable(typeof(Receipt))]
        internal partial class VJson : JsonSerializerContext { }

        public static class H
        {
            [Post("/signups")] public static void Create(Signup signup) { }
            [Get("/signups/<id>")] public static Signup? One([Range(1, 1000)] int id) => null;
            [Get("/search")]
            public static string Search([Required] string? q, [StringLength(20, MinimumLength = 3)] string? name,
                [RegularExpression("^[a-z]+$")] string? tag, [EmailAddress] string? mail, [Url] string? site,
                [MinLength(1), MaxLength(5)] int[]? ids, [Range(0.5, 2.5, MinimumIsExclusive = true)] double ratio = 1,
                [Header("X-Size"), Range(1, 50)] int size = 10, [Range(1, 300)] byte level = 1,
                [Range(double.NegativeInfinity, 0.0)] double low = -1) => "";
            [Get("/receipts/last")] public static Receipt? Last() => null;
            [Post("/entries")] public static void Sign([Form] Entry entry) { }
        }
        """;

    private static JsonElement Root()
    {
        var result = GeneratorHarness.Run(Signups);
        Assert.Empty(result.Diagnostics);
        return JsonDocument.Parse(OpenApiTests.DocumentIn(result.OpenApiSource!)).RootElement;
    }

    private static JsonElement Parameter(JsonElement operation, string name) =>
        operation.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);

    /// <summary>The schema's keywords other than its type, strings unescaped (the document escapes <c>+</c> as System.Text.Json does).</summary>
    private static string Keywords(JsonElement schema) =>
        string.Join(",", schema.EnumerateObject().Where(p => p.Name is not ("type" or "items" or "description" or "default"))
            .Select(p => p.Name + ":" + (p.Value.ValueKind == JsonValueKind.String ? "\"" + p.Value.GetString() + "\"" : p.Value.GetRawText())));

    [Fact]
    public void Parameters_schemas_carry_their_rules()
    {
        var search = Root().GetProperty("paths").GetProperty("/search").GetProperty("get");
        Assert.True(Parameter(search, "q").GetProperty("required").GetBoolean()); // string? with [Required]
        Assert.Equal("minLength:3,maxLength:20", Keywords(Parameter(search, "name").GetProperty("schema")));
        Assert.Equal("pattern:\"^[a-z]+$\"", Keywords(Parameter(search, "tag").GetProperty("schema")));
        Assert.Equal("format:\"email\"", Keywords(Parameter(search, "mail").GetProperty("schema")));
        Assert.Equal("format:\"uri\"", Keywords(Parameter(search, "site").GetProperty("schema")));
        Assert.Equal("minItems:1,maxItems:5", Keywords(Parameter(search, "ids").GetProperty("schema"))); // an array: items, not length
        Assert.Equal("format:\"double\",exclusiveMinimum:0.5,maximum:2.5", Keywords(Parameter(search, "ratio").GetProperty("schema")));
        Assert.Equal("format:\"int32\",minimum:1,maximum:50", Keywords(Parameter(search, "X-Size").GetProperty("schema")));
        Assert.Equal("minimum:1,maximum:255", Keywords(Parameter(search, "level").GetProperty("schema"))); // a byte's own bound, when tighter, stays
        Assert.Equal("format:\"double\",maximum:0", Keywords(Parameter(search, "low").GetProperty("schema"))); // an infinite bound is no JSON number
        var one = Root().GetProperty("paths").GetProperty("/signups/{id}").GetProperty("get");
        Assert.Equal("format:\"int32\",minimum:1,maximum:1000", Keywords(Parameter(one, "id").GetProperty("schema")));
    }

    /// <summary>
    /// A <c>Validated&lt;T&gt;</c> body or form is documented as T is (the same request body), but without the automatic
    /// 400: the handler answers an invalid one itself.
    /// </summary>
    [Fact]
    public void A_validated_body_or_form_documents_T_without_the_automatic_400()
    {
        var result = GeneratorHarness.Run(Signups.Replace("[Post(\"/entries\")]", """
            [Post("/checked")] public static void Checked(Validated<Signup> signup) { }
                [Post("/checked-entries")] public static void CheckedSign([Form] Validated<Entry> entry) { }
                [Post("/entries")]
            """));
        Assert.Empty(result.Diagnostics);
        var paths = JsonDocument.Parse(OpenApiTests.DocumentIn(result.OpenApiSource!)).RootElement.GetProperty("paths");
        foreach (var (plain, validated) in new[] { ("/signups", "/checked"), ("/entries", "/checked-entries") })
        {
            var a = paths.GetProperty(plain).GetProperty("post");
            var b = paths.GetProperty(validated).GetProperty("post");
            Assert.Equal(a.GetProperty("requestBody").GetRawText(), b.GetProperty("requestBody").GetRawText());
            Assert.True(a.GetProperty("responses").TryGetProperty("400", out _));
            Assert.False(b.GetProperty("responses").TryGetProperty("400", out _));
            Assert.True(b.GetProperty("responses").TryGetProperty("415", out _));
        }
    }

    [Fact]
    public void Form_fields_carry_their_members_rules()
    {
        var schema = Root().GetProperty("paths").GetProperty("/entries").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal("format:\"int32\",minimum:1,maximum:5", Keywords(schema.GetProperty("properties").GetProperty("Stars")));
        Assert.Contains("Name", schema.GetProperty("required").EnumerateArray().Select(r => r.GetString())); // string? with [Required]
    }

    [Fact]
    public void Body_schemas_carry_their_members_rules_at_any_depth()
    {
        var schemas = Root().GetProperty("components").GetProperty("schemas");
        var signup = schemas.GetProperty("Signup");
        Assert.Equal(["Name"], signup.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("format:\"int32\",minimum:18,maximum:130", Keywords(signup.GetProperty("properties").GetProperty("Age")));

        var address = schemas.GetProperty("Address");
        Assert.Equal(["Street"], address.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("pattern:\"^[0-9]{5}$\"", Keywords(address.GetProperty("properties").GetProperty("Zip")));
        Assert.Equal("minLength:2,maxLength:40", Keywords(address.GetProperty("properties").GetProperty("City")));

        var contact = schemas.GetProperty("Contact").GetProperty("properties");
        Assert.Equal("format:\"email\"", Keywords(contact.GetProperty("Email")));
        Assert.Equal("format:\"uri\"", Keywords(contact.GetProperty("Site")));
        Assert.Equal("minItems:1,maxItems:3", Keywords(contact.GetProperty("Phones")));
        Assert.Equal("minLength:2,maxLength:9", Keywords(contact.GetProperty("Nick")));
        Assert.Equal("format:\"double\",exclusiveMinimum:1,exclusiveMaximum:10", Keywords(contact.GetProperty("Score")));
        Assert.Equal("", Keywords(contact.GetProperty("Note"))); // no attribute, no keyword
        Assert.False(schemas.GetProperty("Contact").TryGetProperty("required", out _));
    }

    [Fact]
    public void A_type_has_one_schema_with_its_rules_wherever_it_is_used()
    {
        // The rules are attributes of the type's members: the response of GET /signups/{id} is the same component as
        // the request body of POST /signups, with the same keywords, not a second schema without them; a type only
        // answered (Receipt, and Address in its list) shows its rules too, as ASP.NET Core's document does.
        var root = Root();
        string Ref(JsonElement content) => content.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var paths = root.GetProperty("paths");
        Assert.Equal("#/components/schemas/Signup", Ref(paths.GetProperty("/signups").GetProperty("post").GetProperty("requestBody").GetProperty("content")));
        Assert.Equal("#/components/schemas/Signup", Ref(paths.GetProperty("/signups/{id}").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content")));
        Assert.Equal(["Address", "Contact", "ProblemDetails", "Receipt", "Signup"],
            root.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).OrderBy(n => n, System.StringComparer.Ordinal));
        var response = root.GetProperty("components").GetProperty("schemas").GetProperty("Signup");
        Assert.Equal("format:\"int32\",minimum:18,maximum:130", Keywords(response.GetProperty("properties").GetProperty("Age")));
        var receipt = root.GetProperty("components").GetProperty("schemas").GetProperty("Receipt").GetProperty("properties");
        Assert.Equal("format:\"int32\",minimum:1,maximum:99", Keywords(receipt.GetProperty("Number")));
        Assert.Equal("maxItems:4", Keywords(receipt.GetProperty("Lines")));
    }
}
