using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// Validation attributes the generator cannot emit are CGI025 on the attribute (or, for IValidatableObject, on the
/// parameter that binds the type); an attribute on a type it does not apply to is CGI026 on the attribute.
/// </summary>
public partial class DiagnosticTests
{
    private const string Validated = """
        namespace V
        {
            using System.ComponentModel.DataAnnotations;
            public sealed class Even : ValidationAttribute { public override bool IsValid(object? value) => value is int i && i % 2 == 0; }
            public sealed record Checked(string Name) : IValidatableObject
            {
                public System.Collections.Generic.IEnumerable<ValidationResult> Validate(ValidationContext context) => [];
            }
            public sealed record Inner([Required] string? Name) : IValidatableObject
            {
                public System.Collections.Generic.IEnumerable<ValidationResult> Validate(ValidationContext context) => [];
            }
            public sealed record Outer(Inner? Inner);
            public sealed record Messages { }
        """;

    [Theory]
    [InlineData("[{|#0:CreditCard|}] string", "[CreditCard]")]
    [InlineData("[{|#0:Even|}] int", "[Even]")]
    [InlineData("[{|#0:Phone|}] string", "[Phone]")]
    public Task CGI025_a_validation_attribute_without_a_generated_check(string attributeAndType, string display) =>
        Verify(Validated + $$"""public static class H { [Get("/x")] public static string A({{attributeAndType}} a, string b) => ""; } }""",
            At(DiagnosticDescriptors.UnsupportedValidation, 0).WithArguments(display,
                "the generated checks cover [Required], [Range], [StringLength], [MinLength], [MaxLength], [RegularExpression], [EmailAddress] and [Url]; another ValidationAttribute's IsValid would be called through reflection at run time. Check it in the handler"));

    [Fact]
    public Task CGI025_a_message_from_resources() =>
        Verify(Validated + """public static class H { [Get("/x")] public static string A([{|#0:Required(ErrorMessageResourceType = typeof(Messages), ErrorMessageResourceName = "X")|}] string? a) => ""; } }""",
            At(DiagnosticDescriptors.UnsupportedValidation, 0).WithArguments("[Required]",
                "ErrorMessageResourceType and ErrorMessageResourceName are read by reflection at run time; give the message as ErrorMessage"));

    [Fact]
    public Task CGI025_Range_with_a_type_and_strings() =>
        Verify(Validated + """public static class H { [Get("/x")] public static string A([{|CGI025:Range(typeof(decimal), "1", "2")|}] decimal a) => ""; } }""");

    [Fact]
    public Task CGI025_IValidatableObject_on_a_body_and_a_nested_member() => Verify((Validated + """
        public static class H
        {
            [Post("/a")] public static string A(Checked {|CGI025:body|}) => "";
            [Post("/b")] public static string B(Outer body) => "";
        }
        [System.Text.Json.Serialization.JsonSerializable(typeof(Checked))]
        [System.Text.Json.Serialization.JsonSerializable(typeof(Outer))]
        internal sealed partial class Json : System.Text.Json.Serialization.JsonSerializerContext;
        public sealed record Marker;
        }
        """).Replace("public sealed record Outer(Inner? Inner);", "public sealed record Outer(Inner? {|CGI025:Inner|});"));

    [Theory]
    [InlineData("StringLength(5)", "int", "[StringLength]", "[StringLength] applies to strings; use [MinLength] or [MaxLength] for arrays and collections, [Range] for numbers")]
    [InlineData("Range(1, 5)", "string", "[Range]", "[Range] applies to numbers")]
    [InlineData("MinLength(1)", "int", "[MinLength]", "[MinLength] applies to strings, arrays and collections")]
    [InlineData("MaxLength(1)", "bool", "[MaxLength]", "[MaxLength] applies to strings, arrays and collections")]
    [InlineData("EmailAddress", "int", "[EmailAddress]", "[EmailAddress] applies to strings")]
    [InlineData("Url", "System.Guid", "[Url]", "[Url] applies to strings")]
    [InlineData("RegularExpression(\"a\")", "int?", "[RegularExpression]", "[RegularExpression] applies to strings")]
    public Task CGI026_an_attribute_on_a_type_it_does_not_apply_to(string attribute, string type, string display, string reason) =>
        Verify(Validated + $$"""public static class H { [Get("/x")] public static string A([{|#0:{{attribute}}|}] {{type}} a) => ""; } }""",
            At(DiagnosticDescriptors.ValidationNotApplicable, 0).WithArguments(display, "a", type.Replace("System.", "").Replace("Guid", "System.Guid"), reason));

    [Fact]
    public Task CGI026_on_a_body_member() => Verify(Validated + """
        public sealed record Item([{|CGI026:StringLength(3)|}] int Count, [property: {|CGI026:Range(1, 2)|}] string? Name);
        public static class H
        {
            [Post("/x")] public static string A(Item item) => "";
            [Put("/x")] public static string B(Item item) => ""; // the same body type: each diagnostic once
        }
        [System.Text.Json.Serialization.JsonSerializable(typeof(Item))]
        internal sealed partial class Json : System.Text.Json.Serialization.JsonSerializerContext;
        }
        """);

    [Fact]
    public Task CGI025_and_CGI026_near_miss() => Verify(Validated + """
        public sealed record Item(
            [Required] int Count,
            [MaxLength(2), MinLength(1)] System.Collections.Generic.List<string>? Tags,
            [StringLength(3, MinimumLength = 1), RegularExpression("a+"), EmailAddress, Url] string? Name,
            [Range(0.5, 1.5)] decimal? Price,
            [Display(Name = "Label")] string? Label);
        public static class H
        {
            [Post("/x")] public static string A(Item item, [Required] string? q, [Range(1, 2)] byte b = 1, [MaxLength] string[]? all = null,
                [Range(-1, 5)] ulong big = 0, [Range(-1, 5)] float f = 0, [Range(-1.5, 5)] decimal d = 0, [Range(1, 2)] decimal? m = null) => "";
            [Post("/f")] public static string F([Required] FormFile file, [Form, MinLength(1)] FormFile[] more) => "";
        }
        [System.Text.Json.Serialization.JsonSerializable(typeof(Item))]
        internal sealed partial class Json : System.Text.Json.Serialization.JsonSerializerContext;
        }
        """);
}
