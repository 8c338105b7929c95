using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>[User] misuse is CGI015 on the parameter; [Authorize] and [AllowAnonymous] are emitted as an inline check.</summary>
public partial class DiagnosticTests
{
    [Theory]
    [InlineData("[User] int")]
    [InlineData("[User] int?")]
    [InlineData("[User] NewItem")]
    [InlineData("[User] string[]")]
    [InlineData("[User][Header(\"X-User\")] string")]
    public Task CGI015_User_on_a_parameter_it_cannot_bind(string attributesAndType) =>
        Verify($$"""public static class H { [Get("/x")] public static string A({{attributesAndType}} {|CGI015:h|}) => ""; }""");

    [Fact]
    public Task CGI015_User_on_a_parameter_the_path_binds() =>
        Verify("""public static class H { [Get("/u/<user>")] public static string A([User] string {|CGI015:user|}) => ""; }""");

    [Fact]
    public Task CGI015_a_required_User_under_AllowAnonymous() => Verify("""
        [Authorize]
        public static class H { [Get("/x")] [AllowAnonymous] public static string A([User] string {|#0:user|}) => ""; }
        """,
        At(DiagnosticDescriptors.InvalidBindingAttribute, 0).WithArguments("user", "H.A",
            "[User] on a string requires a user, but the handler has [AllowAnonymous]; declare it 'string?' to take requests without one"));

    [Fact]
    public Task CGI015_near_miss_User() => Verify("""
        [Authorize]
        public static class H
        {
            [Get("/a")] public static string A([User] string user) => user;
            [Get("/b")] [AllowAnonymous] public static string B([User] string? user) => user ?? "";
            [Get("/c")] [AllowAnonymous] public static string C([User] string user = "guest") => user;
        }
        public static class Open { [Get("/d")] [Authorize] [AllowAnonymous] public static string D() => ""; }
        """);
}

public class AuthorizationEmissionTests
{
    [Fact]
    public void The_check_comes_before_any_binding_and_only_where_a_user_is_needed()
    {
        var result = GeneratorHarness.Run("""
            [Authorize]
            public static class Secret
            {
                [Post("/s/<id>")] public static string Save(int id, [Body] string text, [User] string user) => user;
                [Get("/s/open")] [AllowAnonymous] public static string Open(string q) => q;
            }
            public static class Mixed { [Get("/m")] public static string Me([User] string? user) => user ?? ""; }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilerErrors);
        string source = result.Source!;
        string save = source.Substring(source.IndexOf("Secret_Save(", source.IndexOf("// POST /s/<id>", System.StringComparison.Ordinal), System.StringComparison.Ordinal));
        int check = save.IndexOf("Authentication.Challenge(request)", System.StringComparison.Ordinal);
        Assert.True(check > 0 && check < save.IndexOf("ReadBodyText", System.StringComparison.Ordinal), save);
        Assert.Contains("string p_user = global::CgiRouting.Dispatching.Authentication.User(request)!;", save);
        Assert.Equal(1, Count(source, "Authentication.Challenge(request)"));
        Assert.Contains("string? p_user = global::CgiRouting.Dispatching.Authentication.User(request);", source);
        Assert.Contains("GET\t/s/open\tSecret.Open\t\tanonymous", source);
        Assert.Contains("POST\t/s/<id>\tSecret.Save\t\tauthorize", source);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
