using System;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>Entity tags: how WithETag writes them, and how lists of them are compared.</summary>
public class EntityTagTests
{
    [Theory]
    [InlineData("v1", "\"v1\"")]
    [InlineData("\"v1\"", "\"v1\"")]
    [InlineData("W/\"v1\"", "W/\"v1\"")]
    [InlineData("W/v1", "W/\"v1\"")]
    [InlineData("", "\"\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("a!#~", "\"a!#~\"")]
    [InlineData("caf\u00E9", "\"caf\u00E9\"")]
    public void A_tag_is_quoted_unless_it_is_already(string tag, string field) => Assert.Equal(field, EntityTag.Quote(tag));

    [Theory]
    [InlineData("a b")]
    [InlineData("a\"b")]
    [InlineData("\"a")]
    [InlineData("\"a\"b\"")]
    [InlineData("a\r\nSet-Cookie: x=1")]
    [InlineData("a\u007F")]
    public void A_tag_that_could_not_be_read_back_is_refused(string tag)
    {
        var e = Assert.Throws<ArgumentException>(() => Response.Text("x").WithETag(tag));
        Assert.Equal("tag", e.ParamName);
    }

    [Theory]
    [InlineData("\"a\"", "\"a\"", true, true)]
    [InlineData("\"a\"", "\"a\"", false, true)]
    [InlineData("W/\"a\"", "\"a\"", true, true)]
    [InlineData("W/\"a\"", "\"a\"", false, false)]
    [InlineData("\"a\"", "W/\"a\"", true, true)]
    [InlineData("\"a\"", "W/\"a\"", false, false)]
    [InlineData("W/\"a\"", "W/\"a\"", true, true)]
    [InlineData("W/\"a\"", "W/\"a\"", false, false)]
    [InlineData("\"b\", \"a\"", "\"a\"", false, true)]
    [InlineData("\"b\" , W/\"a\"", "\"a\"", true, true)]
    [InlineData("\"a, b\"", "\"a, b\"", false, true)]
    [InlineData("\"a", "\"a\"", true, false)]
    [InlineData("a", "\"a\"", true, false)]
    [InlineData("\"b\"x, \"a\"", "\"a\"", true, false)] // malformed before it: the list is read no further
    [InlineData("\"a\"", "a", true, false)]             // a response's ETag set unquoted by WithHeader: no validator
    [InlineData("w/\"a\"", "\"a\"", true, false)]       // W/ is case-sensitive
    public void Lists_are_compared_weakly_or_strongly(string field, string tag, bool weak, bool matches)
        => Assert.Equal(matches, EntityTag.ListContains(field, tag, weak));
}
