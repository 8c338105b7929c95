using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// Cookies both ways (issue 20, item 5): the value a handler sets with <see cref="Response.WithCookie"/> is the value
/// <see cref="CgiRequest.Cookies"/> and <c>[Cookie]</c> read back when the browser returns it, whatever it holds, and no
/// value can end the cookie early or add an attribute.
/// </summary>
public class CookieTests
{
    /// <summary>The <c>name=value</c> a browser keeps of a <c>Set-Cookie</c> header and sends back in <c>Cookie</c>.</summary>
    private static string Returned(string setCookie) => setCookie[..setCookie.IndexOf("; Path=", StringComparison.Ordinal)];

    public static TheoryData<string> Awkward() =>
    [
        "", "plain", "a b", "a;b", "a,b", "\"quoted\"", "\"", "100%", "%41", "%zz", "%", "%%", "%4", "a=b=c", "back\\slash",
        "caf\u00e9", "\u65e5\u672c \U0001F600", "tab\there", "line\r\nSet-Cookie: evil=1", "x; Domain=evil.example; Path=/",
        " padded ", "\u007F\u0000",
    ];

    [Theory]
    [MemberData(nameof(Awkward))]
    public void A_value_set_is_the_value_read_back(string value)
    {
        string setCookie = Response.Empty().WithCookie("n", value).GetHeader("Set-Cookie")!;
        // Only the attributes of the defaults follow the value: nothing in it started one of its own.
        Assert.EndsWith("; Path=/; HttpOnly; SameSite=Lax", setCookie);
        Assert.Equal(3, setCookie.Count(c => c == ';'));
        string returned = Returned(setCookie);
        Assert.All(returned[2..], c => Assert.True(c is '\x21' or (>= '\x23' and <= '\x2B') or (>= '\x2D' and <= '\x3A') or (>= '\x3C' and <= '\x5B') or (>= '\x5D' and <= '\x7E'), $"'{c}' is not a cookie-octet"));

        Assert.Equal(value, CgiRequest.Create("GET", "/", null, [new("Cookie", "a=1; " + returned + "; z=2")]).Cookies["n"]);
        var bound = Http.Send("GET", "/cookie/echo", null, ("Cookie", returned));
        Assert.Equal(200, bound.StatusCode);
        Assert.Equal(value, bound.BodyText);
    }

    [Fact]
    public void A_value_a_handler_sets_from_a_request_reaches_the_next_request_whole()
    {
        const string value = "Ann \"the admin\"; role=x, caf\u00e9 100%";
        var set = Http.Get("/cookie/set-to?value=" + Uri.EscapeDataString(value));
        string returned = Returned(set.GetHeader("Set-Cookie")!);
        Assert.Equal(value, Http.Send("GET", "/cookie/echo", null, ("Cookie", returned)).BodyText);
    }

    /// <summary>Cookies set elsewhere (by JavaScript, another app, by hand) that are not valid percent-encoding are given as they came.</summary>
    [Theory]
    [InlineData("%zz", "%zz")]
    [InlineData("50%", "50%")]
    [InlineData("%4", "%4")]
    [InlineData("a%2", "a%2")]
    [InlineData("%FF", "%FF")]           // a byte that is not UTF-8
    [InlineData("%C3", "%C3")]           // a UTF-8 sequence cut short
    [InlineData("%ED%A0%80", "%ED%A0%80")] // a surrogate's UTF-8: not valid
    [InlineData("caf\u00e9%20x", "caf\u00e9%20x")] // a raw non-ASCII character beside an escape: not ours
    [InlineData("%E2%9C%93%20ok", "\u2713 ok")]
    [InlineData("%e2%9c%93", "\u2713")]  // lower-case hex
    [InlineData("a+b", "a+b")]           // '+' is no space in a cookie
    [InlineData("\"%41\"", "A")]         // the quotes go, then the escape is decoded
    public void A_value_that_is_not_valid_percent_encoding_is_given_as_it_came(string sent, string read)
    {
        Assert.Equal(read, CgiRequest.Create("GET", "/", null, [new("Cookie", "n=" + sent)]).Cookies["n"]);
        Assert.Equal(read, Http.Send("GET", "/cookie/echo", null, ("Cookie", "n=" + sent)).BodyText);
    }

    [Fact]
    public void A_lone_surrogate_cannot_travel_in_UTF_8_and_reads_back_as_the_replacement_character()
    {
        string returned = Returned(Response.Empty().WithCookie("n", "a\uD800b").GetHeader("Set-Cookie")!);
        Assert.Equal("n=a%EF%BF%BDb", returned);
        Assert.Equal("a\uFFFDb", CgiRequest.Create("GET", "/", null, [new("Cookie", returned)]).Cookies["n"]);
    }

    /// <summary>Any text without a lone surrogate: set, sent back by the browser, read back the same.</summary>
    [Fact]
    public void Any_string_reads_back_as_it_was_set()
    {
        Gen.String[Gen.Char, 0, 40].Where(s => !HasLoneSurrogate(s)).Sample(value =>
        {
            string returned = Returned(Response.Empty().WithCookie("n", value).GetHeader("Set-Cookie")!);
            return value == CgiRequest.Create("GET", "/", null, [new("Cookie", returned)]).Cookies["n"];
        }, iter: 2000);
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                i++;
            else if (char.IsSurrogate(s[i]))
                return true;
        }
        return false;
    }
}
