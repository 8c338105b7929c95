using Xunit;

namespace CgiRouting.Tests;

/// <summary>RFC 9110 §5.6.2: token = 1*tchar, the syntax of methods and header names.</summary>
public class HttpTokenTests
{
    /// <summary>tchar, spelled out as RFC 9110 lists it.</summary>
    private const string TChar = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    [Fact]
    public void Exactly_the_tchar_of_RFC_9110_are_token_characters()
    {
        for (int c = 0; c <= char.MaxValue; c++)
            Assert.True(TChar.Contains((char)c) == HttpToken.IsTokenChar((char)c), $"U+{c:X4}");
    }

    // Each end of each range, and the character just outside it.
    [Theory]
    [InlineData('0', true)]
    [InlineData('9', true)]
    [InlineData('/', false)]
    [InlineData(':', false)]
    [InlineData('A', true)]
    [InlineData('Z', true)]
    [InlineData('@', false)]
    [InlineData('[', false)]
    [InlineData('a', true)]
    [InlineData('z', true)]
    [InlineData('`', true)]   // just below 'a', and a tchar of its own
    [InlineData('{', false)]
    [InlineData('|', true)]
    [InlineData('}', false)]
    [InlineData('~', true)]
    [InlineData('\u007F', false)]
    [InlineData(' ', false)]
    [InlineData('"', false)]
    [InlineData(',', false)]
    [InlineData(';', false)]
    [InlineData('\u00E9', false)]
    [InlineData('\u0130', false)] // İ, which some case-insensitive comparisons map to 'i'
    public void Boundary_characters(char c, bool isToken)
    {
        Assert.Equal(isToken, HttpToken.IsTokenChar(c));
        Assert.Equal(isToken, HttpToken.IsToken("X" + c + "Y"));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("PROPFIND", true)]
    [InlineData("X-Custom_Header.v2", true)]
    [InlineData("!#$%&'*+-.^_`|~", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a:", false)]
    [InlineData(" a", false)]
    public void A_token_is_one_or_more_token_characters(string text, bool isToken)
        => Assert.Equal(isToken, HttpToken.IsToken(text));
}
