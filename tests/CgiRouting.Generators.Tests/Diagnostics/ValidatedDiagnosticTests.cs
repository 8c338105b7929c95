using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// <c>Validated&lt;T&gt;</c> (issue 20, item 6) reuses the binding diagnostics: with a binding attribute other than
/// <c>[Form]</c>, or a T that is not a bindable class or record, it is CGI015 (with an attribute) or CGI004 (a body);
/// named by a route's template it is CGI003, as any class is.
/// </summary>
public partial class DiagnosticTests
{
    [Theory]
    [InlineData("[Query] Validated<NewItem>")]
    [InlineData("[Header(\"X-Item\")] Validated<NewItem>")]
    [InlineData("[Cookie(\"item\")] Validated<NewItem>")]
    [InlineData("[Body] Validated<NewItem>")]
    [InlineData("[User] Validated<NewItem>")]
    [InlineData("[Form] Validated<Validated<NewItem>>")]
    [InlineData("[Form] Validated<string>")]
    [InlineData("[Form] Validated<FormFile>")]
    [InlineData("[Form] Validated<CgiRequest>")]
    [InlineData("[Form] Validated<WithList>")]
    [InlineData("[Form] Validated<TwoConstructors>")]
    public Task CGI015_validated_with_another_binding_or_an_unbindable_form(string attributeAndType) =>
        Verify($$"""public static class H { [Post("/x")] public static string A({{attributeAndType}} {|CGI015:h|}) => ""; }""");

    [Theory]
    [InlineData("Validated<Validated<NewItem>>", "a Validated<T> cannot hold another Validated<T>")]
    [InlineData("Validated<string>", "Validated<T> holds a class or record bound from a JSON body, not 'string'")]
    [InlineData("Validated<Abstract>", "an abstract class cannot be read as JSON; use a concrete type")]
    public Task CGI004_validated_body_of_an_unbindable_type(string type, string reason) =>
        Verify($$"""public static class H { [Post("/x")] public static string A({{type}} {|#0:h|}) => ""; }""",
            At(DiagnosticDescriptors.UnbindableParameter, 0).WithArguments("h", "H.A",
                reason + "; it is not in template '/x', not CgiRequest, has no [Header] or [Body], and is not a simple type for the query string"));

    [Fact]
    public Task CGI003_validated_in_a_template() =>
        Verify("""public static class H { [Get("/u/<id>")] public static string A(Validated<NewItem> {|CGI003:id|}) => ""; }""");

    [Fact]
    public Task Validated_near_miss() => Verify("""
        public sealed class Settable { [System.ComponentModel.DataAnnotations.Required] public string? Title { get; set; } public int Count { get; set; } = 5; }
        [System.Text.Json.Serialization.JsonSerializable(typeof(NewItem))]
        internal sealed partial class ItemJson : System.Text.Json.Serialization.JsonSerializerContext;
        public static class H
        {
            [Post("/a")] public static string A([Form] Validated<NewItem> item, [Form("note")] string? note, CgiRequest request) => "";
            [Post("/b")] public static string B([Form("s")] Validated<Settable> s) => s.IsValid ? s.Value.Title ?? "" : "";
            [Post("/c")] public static string C(Validated<NewItem> item) => "";
        }
        """);
}
