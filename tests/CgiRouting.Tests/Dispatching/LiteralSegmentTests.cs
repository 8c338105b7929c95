using System;
using CgiRouting.Dispatching;
using Xunit;

namespace CgiRouting.Tests;

public class LiteralSegmentTests
{
    [Theory]
    [InlineData("users", "users", true)]
    [InlineData("users", "user", false)]
    [InlineData("user", "users", false)]
    [InlineData("", "", true)]
    [InlineData("Users", "users", false)]           // ordinal, case-sensitive, as the string switch
    [InlineData("café", "café", true)]               // two UTF-8 bytes for one char
    [InlineData("cafe", "café", false)]
    [InlineData("日本", "日本", true)]                 // three bytes for one char
    [InlineData("😀", "😀", true)]                    // a surrogate pair: four bytes
    [InlineData("\uFFFD", "\uFFFD", true)]
    public void Compares_a_segment_with_utf8_data_as_the_ordinal_string_comparison_would(string segment, string literal, bool equal)
    {
        Assert.Equal(equal, LiteralSegment.Equals(segment, System.Text.Encoding.UTF8.GetBytes(literal)));
        Assert.Equal(string.Equals(segment, literal, StringComparison.Ordinal), equal);
    }

    [Fact]
    public void A_lone_surrogate_in_the_path_matches_no_literal()
    {
        // A raw 0xFF byte in PATH_INFO decodes to U+FFFD; a lone surrogate cannot come from UTF-8, and must not
        // equal the replacement character's encoding either.
        Assert.False(LiteralSegment.Equals("\uD800", System.Text.Encoding.UTF8.GetBytes("\uFFFD")));
    }

    [Fact]
    public void Long_literals_are_compared_too()
    {
        string text = new('a', 1000);
        Assert.True(LiteralSegment.Equals(text, System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.False(LiteralSegment.Equals(text[..999] + "b", System.Text.Encoding.UTF8.GetBytes(text)));
    }
}
