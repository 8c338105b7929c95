using System;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>HTTP's three date forms (RFC 9110 §5.6.7), read by hand; anything else is no date.</summary>
public class HttpDateTests
{
    private static long Seconds(int year, int month, int day, int hour = 0, int minute = 0, int second = 0)
        => new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).ToUnixTimeSeconds();

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    [InlineData("  Sun, 06 Nov 1994 08:49:37 GMT\t")]
    public void The_three_forms_are_read(string text)
    {
        Assert.True(HttpDate.TryParse(text, out long seconds));
        Assert.Equal(Seconds(1994, 11, 6, 8, 49, 37), seconds);
    }

    [Fact]
    public void Every_month_and_day_name_is_read_and_written_back()
    {
        for (var day = new DateTimeOffset(2023, 1, 1, 23, 59, 58, TimeSpan.Zero); day.Year == 2023; day = day.AddDays(9))
        {
            string text = HttpDate.Format(day);
            Assert.Equal(day.ToString("r", System.Globalization.CultureInfo.InvariantCulture), text);
            Assert.True(HttpDate.TryParse(text, out long seconds), text);
            Assert.Equal(day.ToUnixTimeSeconds(), seconds);
        }
    }

    [Fact]
    public void Format_drops_the_fraction_and_the_offset()
        => Assert.Equal("Mon, 06 May 2024 05:08:09 GMT", HttpDate.Format(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 999, TimeSpan.FromHours(2))));

    [Fact]
    public void A_two_digit_year_more_than_50_years_ahead_is_of_the_century_before()
    {
        int ahead = (DateTime.UtcNow.Year + 51) % 100, soon = (DateTime.UtcNow.Year + 1) % 100;
        Assert.True(HttpDate.TryParse($"Monday, 01-Jan-{ahead:00} 00:00:00 GMT", out long past));
        Assert.Equal(DateTime.UtcNow.Year + 51 - 100, DateTimeOffset.FromUnixTimeSeconds(past).Year);
        Assert.True(HttpDate.TryParse($"Monday, 01-Jan-{soon:00} 00:00:00 GMT", out long next));
        Assert.Equal(DateTime.UtcNow.Year + 1, DateTimeOffset.FromUnixTimeSeconds(next).Year);
    }

    [Fact]
    public void A_leap_day_and_a_leap_second_are_dates()
    {
        Assert.True(HttpDate.TryParse("Thu, 29 Feb 2024 00:00:00 GMT", out long leapDay));
        Assert.Equal(Seconds(2024, 2, 29), leapDay);
        Assert.True(HttpDate.TryParse("Sat, 31 Dec 2016 23:59:60 GMT", out long leapSecond));
        Assert.Equal(Seconds(2016, 12, 31, 23, 59, 59), leapSecond);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Sun, 06 Nov 1994 08:49:37")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 UTC")]
    [InlineData("Sun, 6 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun,06 Nov 1994 08:49:37 GMT")]
    [InlineData("Xyz, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Nob 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 anF 1994 08:49:37 GMT")]
    [InlineData("Sun, 29 Feb 2023 08:49:37 GMT")]
    [InlineData("Sun, 00 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 0000 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 1994 24:00:00 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:60:00 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:49:61 GMT")]
    [InlineData("Sun, 06 Nov 1994 08-49-37 GMT")]
    [InlineData("Sun, 06 Nov 1994 +8:49:37 GMT")]
    [InlineData("Sun, ٠٦ Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-1994 08:49:37 GMT")]
    [InlineData("Sun, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sundae, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov 6 08:49:37 1994")]
    [InlineData("Sun Nov  6 08:49:37 1994 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT")]
    [InlineData("784111777")]
    public void Anything_else_is_no_date(string text)
    {
        Assert.False(HttpDate.TryParse(text, out long seconds));
        Assert.Equal(HttpDate.None, seconds);
    }
}
