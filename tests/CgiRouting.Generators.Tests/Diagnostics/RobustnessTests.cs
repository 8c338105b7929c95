using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// Code being typed is often broken: the generator must never throw (no CGI000, no CS8785) and must not pile its
/// errors on the compiler's. Each case marks every diagnostic: the compiler's, and the few that the generator
/// still adds on top of them today (commented; a generator that stops adding them fails here, then drop the markup).
/// </summary>
public class RobustnessTests
{
    // The context is written out by hand rather than left to System.Text.Json's generator, which is not run here:
    // these cases are about ours, and that one throws on [JsonSerializable] with no argument (CS8785).
    private const string ContextMembers =
        " public C() : base(null) { } protected override System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null;"
        + " public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(Type type) => null; }";

    [Theory]
    // The compiler's error alone: the generator says nothing of an attribute whose arguments match no constructor.
    [InlineData("""public static class H { [Get({|CS1503:123|})] public static string A() => ""; }""")]
    [InlineData("""public static class H { [{|CS7036:Get()|}] public static string A() => ""; }""")]
    // Only a warning for the compiler, so the generator's CGI001 is the error that stops the build.
    [InlineData("""public static class H { [Get({|CS8625:{|CGI001:null|}|})] public static string A() => ""; }""")]
    [InlineData("""public static class H { [Get("/x" {|CS1003:{|CS1026:public|}|} static string A() => ""; }""")]
    [InlineData("""public static class H { [Get("/x")] public static string A({|CS0246:Missing|} m) => ""; }""")]
    [InlineData("""public static class H { [Get("/x/<m>")] public static string A({|CS0246:Missing|} m) => ""; }""")]
    [InlineData("""public static class H { [Get("/x")] public static {|CS0246:Missing|} A() => null!; }""")]
    [InlineData("""public static class H { [Get("/x")] public static Task<{|CS0246:Missing|}> A() => null!; }""")]
    [InlineData("""public static class H { [Get("/x")] public static string {|CS0501:A|}( {|CS1001:=>|} ""{|CS1026:;|} }""")]
    [InlineData("""public static class H { [Get("/x")] public static string {|CS0501:A|}() {|CS1002:}|}""")]
    [InlineData("""public static class H { [{|CS7036:Route("GET")|}] public static string A() => ""; }""")]
    [InlineData("""public static class H { [Get("/x")] public static extern string A(); }""")]
    [InlineData("""[System.Text.Json.Serialization.JsonSerializable(typeof({|CS0246:Missing|}))] partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers)]
    [InlineData("""[{|CS7036:System.Text.Json.Serialization.JsonSerializable|}] partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers)]
    // Found by fuzzing (fuzz/crashes/generator/): a handler the dispatcher cannot name, or whose types it cannot see.
    // The compiler's error alone; the handler is left out rather than named in the dispatcher, where it would not compile.
    [InlineData("""public static class {|CS1001:{|} [Get("/x")] public static string A() => ""; }""")]
    [InlineData("""namespace N { [Get("/x")] public static string {|CS0116:A|}() => ""; }""")]
    [InlineData("""public static class H { private enum Size { S } [Get("/x/<s>")] public static string {|CS0051:A|}(Size s) => ""; }""")]
    [InlineData("""public static partial class H { private sealed record R(int X); [Get("/x")] public static R {|CS0050:A|}() => new(1);"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof(R))] internal partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers + " }")]
    // A context that declares a type only its containing type sees: System.Text.Json's generator rejects it in its own
    // file (CS0053); the dispatcher must not add errors of its own by writing that type.
    [InlineData("""public partial class H { private sealed record R(int X);"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof(R))] internal partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers + " }")]
    [InlineData("""public static class H { [Get("/a")] public static string A(int id) => ""; [Get("/b")] public static string {|CS0111:A|}(int id) => ""; }""")]
    [InlineData("""public sealed record R(int Id, string {|CS1001:)|};"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof(R))] internal partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers)]
    [InlineData("""public static class H { [Get("/x")] public static string A(int {|CS1001:,|} int {|CS1001:)|} => ""; }""")]
    [InlineData("""public static class H { [Get("/x")] public static string A(int a, int {|CS0100:a|}) => ""; }""")]
    [InlineData("""public static class S { } public static class H { [Get("/x")] public static {|CS0719:S|}[] A() => null!; }"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof({|CS0719:S|}[]))] internal partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers)]
    [InlineData("""namespace {|CS1001:{|} public static class H { [Get("/x")] public static string A() => ""; } }""")]
    [InlineData("""namespace {|CS1001:{|} public sealed record R(int X);"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof(R))] internal partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers + " }")]
    [InlineData("""public sealed class T { public int A { get; set; } public int {|CS0102:A|} { set { } } }"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof(T))] internal partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers)]
    // A context that is not partial: System.Text.Json's generator does not write its Default, which the dispatcher
    // would use; the handler's JSON result then has no context.
    [InlineData("""public sealed record R(int X); public static class H { [Get("/x")] public static {|CGI011:R|} A() => new(1); }"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof(R))] internal class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers)]
    // A context whose [JsonSerializable] attributes are spread over two partial declarations was found twice, and the
    // generator failed (CGI000). System.Text.Json's generator fails on it too (CS8785, a duplicate hint name).
    [InlineData("""public sealed record R(int X); [System.Text.Json.Serialization.JsonSerializable(typeof(R))] internal partial class C { }"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof(int))] internal partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers)]
    [InlineData("""public enum E { A, B, {|CS0102:A|} } public static class H { [Get("/x/<e>")] public static string A(E e) => ""; }""")]
    [InlineData("""[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<E>))] public enum E { A, B, {|CS0102:A|} }"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof(E))] internal partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers)]
    [InlineData("""public enum E { A, {|CS1001:,|} B } public static class H { [Get("/x/<e>")] public static string A(E e) => ""; }""")]
    [InlineData("""[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<E>))] public enum E { A, {|CS1001:,|} B }"""
        + """ [System.Text.Json.Serialization.JsonSerializable(typeof(E))] internal partial class C : System.Text.Json.Serialization.JsonSerializerContext {""" + ContextMembers)]
    public Task Broken_code_never_crashes_the_generator(string code) => new CgiRoutingTest(code) { RunJsonGenerator = false }.RunAsync();
}
