using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// <c>Validated&lt;T&gt;</c> (issue 20, item 6) reuses the binding diagnostics: with a binding attribute other than
/// <c>[Form]</c>, or a T that is not a bindable class or record, it is CGI015 (with an attribute) or CGI004 (a body);
/// named by a route's template it is CGI003, as any class is; a rule on the parameter itself (not on T's members) is CGI026.
/// </summary>
public partial class DiagnosticTests
{
    private const string NotThisAttribute = " does not bind Validated<T>: it holds a [Form] object or, without an attribute, a JSON body";
    private const string FormHolds = "Validated<T> holds a class or record bound from the form's fields, not ";

    [Theory]
    [InlineData("[Query] Validated<NewItem>", "[Query]" + NotThisAttribute)]
    [InlineData("[Header(\"X-Item\")] Validated<NewItem>", "[Header]" + NotThisAttribute)]
    [InlineData("[Cookie(\"item\")] Validated<NewItem>", "[Cookie]" + NotThisAttribute)]
    [InlineData("[Body] Validated<NewItem>", "[Body]" + NotThisAttribute)]
    [InlineData("[User] Validated<NewItem>", "[User]" + NotThisAttribute)]
    [InlineData("[Form] Validated<Validated<NewItem>>", "a Validated<T> cannot hold another Validated<T>")]
    [InlineData("[Form] Validated<string>", FormHolds + "'string'")]
    [InlineData("[Form] Validated<FormFile>", FormHolds + "'CgiRouting.FormFile'")]
    [InlineData("[Form] Validated<CgiRequest>", FormHolds + "'CgiRouting.CgiRequest'")]
    [InlineData("[Form] Validated<WithList>", "[Form] binds properties of strings, simple types such as int, arrays of them, FormFile and FormFile[]; 'WithList.Items' is 'System.Collections.Generic.List<string>'")]
    [InlineData("[Form] Validated<TwoConstructors>", "[Form] needs 'TwoConstructors' to have one public constructor with parameters, or a public parameterless one")]
    public Task CGI015_validated_with_another_binding_or_an_unbindable_form(string attributeAndType, string reason) =>
        Verify($$"""public static class H { [Post("/x")] public static string A({{attributeAndType}} {|#0:h|}) => ""; }""",
            At(DiagnosticDescriptors.InvalidBindingAttribute, 0).WithArguments("h", "H.A", reason));

    [Theory]
    [InlineData("Validated<Validated<NewItem>>", "a Validated<T> cannot hold another Validated<T>")]
    [InlineData("Validated<string>", "Validated<T> holds a class or record bound from a JSON body, not 'string'")]
    [InlineData("Validated<Abstract>", "an abstract class cannot be read as JSON; use a concrete type")]
    public Task CGI004_validated_body_of_an_unbindable_type(string type, string reason) =>
        Verify($$"""public static class H { [Post("/x")] public static string A({{type}} {|#0:h|}) => ""; }""",
            At(DiagnosticDescriptors.UnbindableParameter, 0).WithArguments("h", "H.A",
                reason + "; it is not in template '/x', not CgiRequest, has no [Header] or [Body], and is not a simple type for the query string"));

    [Fact]
    public Task CGI026_a_rule_on_the_validated_parameter_itself() =>
        Verify("""
            public static class H { [Post("/x")] public static string A([Form][{|#0:System.ComponentModel.DataAnnotations.Required|}] Validated<NewItem> item) => ""; }
            """,
            At(DiagnosticDescriptors.ValidationNotApplicable, 0).WithArguments("[Required]", "item", "CgiRouting.Validated<NewItem>",
                "a Validated<T> is always passed, and its rules are those of T's members; put the attribute on them"));

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
