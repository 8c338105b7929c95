using System;
using System.Collections.Generic;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// The <c>Set-Cookie</c> header at its edges: every boundary of RFC 6265's cookie-octet ranges, the attribute checks,
/// the IMF-fixdate of <c>Expires</c>, and the messages that name what was refused.
/// </summary>
public class SetCookieTests
{
    private static string Header(string name, string value, CookieOptions? options = null)
        => Response.Empty().WithCookie(name, value, options).GetHeader("Set-Cookie")!;

    // cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E: the first and last character of each range.
    [Theory]
    [InlineData('\x21')]
    [InlineData('\x23')]
    [InlineData('\x2B')]
    [InlineData('\x2D')]
    [InlineData('\x3A')]
    [InlineData('\x3C')]
    [InlineData('\x5B')]
    [InlineData('\x5D')]
    [InlineData('\x7E')]
    public void Each_end_of_a_cookie_octet_range_is_allowed_in_a_value(char c)
        => Assert.Equal($"n=a{c}b; Path=/; HttpOnly; SameSite=Lax", Header("n", $"a{c}b"));

    // ... and the characters just outside them: space, '"', ',', ';', '\', DEL, the first non-ASCII one and a control
    // are percent-encoded (their UTF-8), so that the value reads back as it was set (CookieTests).
    [Theory]
    [InlineData('\x20', "%20")]
    [InlineData('\x22', "%22")]
    [InlineData('\x2C', "%2C")]
    [InlineData('\x3B', "%3B")]
    [InlineData('\x5C', "%5C")]
    [InlineData('\x7F', "%7F")]
    [InlineData('\x80', "%C2%80")]
    [InlineData('\x1F', "%1F")]
    public void Each_character_between_the_cookie_octet_ranges_is_percent_encoded_in_a_value(char c, string encoded)
        => Assert.Equal($"n=a{encoded}b; Path=/; HttpOnly; SameSite=Lax", Header("n", $"a{c}b"));

    // '%' is a cookie-octet, but encoded too: else "%41" set would read back as "A".
    [Fact]
    public void A_percent_sign_is_encoded_so_that_it_reads_back()
        => Assert.Equal("n=100%25%2541; Path=/; HttpOnly; SameSite=Lax", Header("n", "100%%41"));

    // A value in quotes is not a quoted cookie-value: its quotes are part of it, and read back with it.
    [Theory]
    [InlineData("\"\"", "%22%22")]
    [InlineData("\"", "%22")]
    [InlineData("\"a-b\"", "%22a-b%22")]
    public void Quotes_are_encoded_as_any_other_character_outside_the_ranges(string value, string encoded)
        => Assert.Equal($"n={encoded}; Path=/; HttpOnly; SameSite=Lax", Header("n", value));

    [Fact]
    public void A_name_that_is_not_a_token_is_refused_with_a_message_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => Response.Empty().WithCookie("a=b", "v"));
        Assert.Equal("name", e.ParamName);
        Assert.StartsWith("The cookie name 'a=b' is not an HTTP token (RFC 6265 §4.1.1).", e.Message);
    }

    [Fact]
    public void A_null_name_or_value_is_an_ArgumentNullException_naming_it()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => Response.Empty().WithCookie(null!, "v")).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => Response.Empty().WithCookie("n", null!)).ParamName);
    }

    [Fact]
    public void A_value_much_longer_than_its_name_is_written_whole()
    {
        string value = new('v', 300);
        Assert.Equal($"n={value}; Path=/; HttpOnly; SameSite=Lax", Header("n", value));
    }

    // A path or domain may hold any CHAR but the controls and ';' (RFC 6265 §4.1.1 path-value): space and '~' are in.
    [Fact]
    public void A_path_may_hold_a_space_and_a_tilde()
        => Assert.Equal("n=v; Path=/~ann/my files; HttpOnly; SameSite=Lax", Header("n", "v", new CookieOptions { Path = "/~ann/my files" }));

    [Theory]
    [InlineData("Path", "/a\u001Fb", "\\x1F")]
    [InlineData("Path", "/a\u007Fb", "\\x7F")]
    [InlineData("Path", "/a;b", ";")]
    [InlineData("Path", "/caf\u00e9", "\u00e9")]
    [InlineData("Domain", "example.com\r\n", "\\x0D")]
    [InlineData("Domain", "example.com;Secure", ";")]
    public void A_path_or_domain_with_a_control_a_semicolon_or_non_ASCII_is_refused_naming_the_attribute(string attribute, string text, string shown)
    {
        var options = attribute == "Path" ? new CookieOptions { Path = text } : new CookieOptions { Domain = text };
        var e = Assert.Throws<ArgumentException>(() => Response.Empty().WithCookie("n", "v", options));
        Assert.Equal(attribute, e.ParamName);
        Assert.StartsWith($"The {attribute} of cookie 'n' has '{shown}', which may not appear in a Set-Cookie header.", e.Message);
    }

    [Theory]
    [InlineData(true, false, "; Secure")]
    [InlineData(false, true, "")]
    [InlineData(null, true, "; Secure")]
    [InlineData(null, false, "")]
    public void Secure_follows_the_option_and_the_request_only_when_the_option_is_unset(bool? secure, bool https, string expected)
    {
        var response = Response.Empty().WithCookie("n", "v", new CookieOptions { Secure = secure });
        Assert.Equal($"n=v; Path=/{expected}; HttpOnly; SameSite=Lax", Assert.Single(response.HeadersFor(https)).Value);
    }

    // IMF-fixdate (RFC 9110 §5.6.7): every month's name, two-digit fields up to their largest values, a four-digit year.
    [Theory]
    [InlineData(2030, 1, 31, "Thu, 31 Jan 2030")]
    [InlineData(2030, 2, 28, "Thu, 28 Feb 2030")]
    [InlineData(2030, 3, 17, "Sun, 17 Mar 2030")]
    [InlineData(2030, 4, 10, "Wed, 10 Apr 2030")]
    [InlineData(2030, 5, 20, "Mon, 20 May 2030")]
    [InlineData(2030, 6, 11, "Tue, 11 Jun 2030")]
    [InlineData(2030, 7, 19, "Fri, 19 Jul 2030")]
    [InlineData(2030, 8, 24, "Sat, 24 Aug 2030")]
    [InlineData(2030, 9, 30, "Mon, 30 Sep 2030")]
    [InlineData(2030, 10, 1, "Tue, 01 Oct 2030")]
    [InlineData(2030, 11, 12, "Tue, 12 Nov 2030")]
    [InlineData(2030, 12, 25, "Wed, 25 Dec 2030")]
    [InlineData(999, 12, 31, "Tue, 31 Dec 0999")]
    public void Expires_is_an_IMF_fixdate(int year, int month, int day, string date)
    {
        var expires = new DateTimeOffset(year, month, day, 23, 59, 58, TimeSpan.Zero);
        Assert.Equal($"n=v; Path=/; Expires={date} 23:59:58 GMT; HttpOnly; SameSite=Lax", Header("n", "v", new CookieOptions { Expires = expires }));
    }

    [Fact]
    public void Expires_is_written_in_GMT_whatever_the_offset_given()
    {
        var expires = new DateTimeOffset(2031, 1, 1, 1, 30, 0, TimeSpan.FromHours(5));
        Assert.Equal("n=v; Path=/; Expires=Tue, 31 Dec 2030 20:30:00 GMT; HttpOnly; SameSite=Lax", Header("n", "v", new CookieOptions { Expires = expires }));
    }

    [Fact]
    public void A_negative_MaxAge_is_written_as_zero()
        => Assert.Equal("n=v; Path=/; Max-Age=0; HttpOnly; SameSite=Lax", Header("n", "v", new CookieOptions { MaxAge = TimeSpan.FromSeconds(-5) }));

    [Fact]
    public void Each_cookie_is_its_own_Set_Cookie_header_after_the_other_headers()
    {
        var response = Response.Text("x").WithHeader("X-A", "1").WithCookie("a", "1").WithCookie("b", "2").WithHeader("X-B", "2");
        Assert.Equal(
            new KeyValuePair<string, string>[]
            {
                new("X-A", "1"), new("X-B", "2"),
                new("Set-Cookie", "a=1; Path=/; HttpOnly; SameSite=Lax"), new("Set-Cookie", "b=2; Path=/; HttpOnly; SameSite=Lax"),
            },
            response.Headers);
    }

    [Fact]
    public void DeleteCookie_keeps_the_attributes_it_is_given()
    {
        var options = new CookieOptions { Path = "/app", Domain = "example.com", Secure = true, HttpOnly = false, SameSite = SameSiteMode.Strict };
        Assert.Equal("s=; Path=/app; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; SameSite=Strict",
            Response.Empty().DeleteCookie("s", options).GetHeader("Set-Cookie"));
    }
}
