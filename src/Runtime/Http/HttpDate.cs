using System;
using System.Text;

namespace CgiRouting;

/// <summary>
/// HTTP's timestamps (RFC 9110 §5.6.7) as whole seconds since 1970: <c>Last-Modified</c> written, and
/// <c>If-Modified-Since</c>, <c>If-Unmodified-Since</c> and <c>If-Range</c> read. Parsed by hand rather than with
/// <c>DateTimeOffset.TryParseExact</c>: the grammar is three fixed layouts, and the parser then needs no culture data
/// (nor the date formatting code, about 100 KB) and never allocates.
/// </summary>
internal static class HttpDate
{
    /// <summary>What a missing or unreadable timestamp is: no date at all.</summary>
    public const long None = long.MinValue;

    private const string DayNames = "SunMonTueWedThuFriSat";
    private const string MonthNames = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /// <summary><paramref name="value"/> to the second, as HTTP writes it: <c>Sun, 06 Nov 1994 08:49:37 GMT</c> (IMF-fixdate).</summary>
    public static string Format(DateTimeOffset value)
    {
        // The writer cookies' Expires already uses (SetCookie.cs), so that there is one.
        var text = new StringBuilder(29);
        SetCookie.AppendHttpDate(text, value);
        return text.ToString();
    }

    /// <summary>
    /// Reads any of the three forms a recipient must accept: <c>Sun, 06 Nov 1994 08:49:37 GMT</c> (IMF-fixdate),
    /// <c>Sunday, 06-Nov-94 08:49:37 GMT</c> (RFC 850) and <c>Sun Nov  6 08:49:37 1994</c> (asctime). Anything else,
    /// a list of dates included, is <see langword="false"/>: the field is then ignored, as RFC 9110 says.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long seconds)
    {
        seconds = None;
        text = text.Trim(" \t");
        int comma = text.IndexOf(',');
        if (comma < 0)
            return TryParseAsctime(text, out seconds);
        var dayName = text[..comma];
        var rest = text[(comma + 1)..];
        if (rest.Length == 0 || rest[0] != ' ')
            return false;
        rest = rest[1..];
        return dayName.Length == 3
            ? IsShortDayName(dayName) && TryParseImfFixdate(rest, out seconds)
            : IsLongDayName(dayName) && TryParseRfc850(rest, out seconds);
    }

    /// <summary><c>06 Nov 1994 08:49:37 GMT</c>, after the day's name.</summary>
    private static bool TryParseImfFixdate(ReadOnlySpan<char> text, out long seconds)
    {
        seconds = None;
        return text.Length == 24 && text[2] == ' ' && text[6] == ' ' && text[11] == ' ' && text[20..] is " GMT"
            && TryDigits(text[..2], out int day) && Month(text[3..6]) is int month and > 0
            && TryDigits(text[7..11], out int year) && TryTime(text[12..20], year, month, day, out seconds);
    }

    /// <summary>
    /// <c>06-Nov-94 08:49:37 GMT</c>, after the day's name. The year has two digits: one that would be more than 50
    /// years ahead is of the century before (RFC 9110 §5.6.7).
    /// </summary>
    private static bool TryParseRfc850(ReadOnlySpan<char> text, out long seconds)
    {
        seconds = None;
        if (text.Length != 22 || text[2] != '-' || text[6] != '-' || text[9] != ' ' || text[18..] is not " GMT"
            || !TryDigits(text[..2], out int day) || Month(text[3..6]) is not (int month and > 0) || !TryDigits(text[7..9], out int twoDigits))
            return false;
        int thisYear = DateTime.UtcNow.Year;
        int year = thisYear - thisYear % 100 + twoDigits;
        if (year > thisYear + 50)
            year -= 100;
        return TryTime(text[10..18], year, month, day, out seconds);
    }

    /// <summary><c>Sun Nov  6 08:49:37 1994</c>: the day of the month is two digits or a space and one.</summary>
    private static bool TryParseAsctime(ReadOnlySpan<char> text, out long seconds)
    {
        seconds = None;
        if (text.Length != 24 || text[3] != ' ' || text[7] != ' ' || text[10] != ' ' || text[19] != ' '
            || !IsShortDayName(text[..3]) || Month(text[4..7]) is not (int month and > 0))
            return false;
        var dayText = text[8] == ' ' ? text[9..10] : text[8..10];
        return TryDigits(dayText, out int day) && TryDigits(text[20..24], out int year) && TryTime(text[11..19], year, month, day, out seconds);
    }

    /// <summary><c>08:49:37</c> on the given day, as seconds since 1970; a leap second (60) counts as 59.</summary>
    private static bool TryTime(ReadOnlySpan<char> text, int year, int month, int day, out long seconds)
    {
        seconds = None;
        if (text[2] != ':' || text[5] != ':' || !TryDigits(text[..2], out int hour) || !TryDigits(text[3..5], out int minute)
            || !TryDigits(text[6..8], out int second) || hour > 23 || minute > 59 || second > 60
            || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        var date = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Utc);
        seconds = (date.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        return true;
    }

    /// <summary>1 to 12 for <c>Jan</c> to <c>Dec</c> (case-sensitive, as RFC 9110 writes them), else 0.</summary>
    private static int Month(ReadOnlySpan<char> name)
    {
        int at = MonthNames.AsSpan().IndexOf(name);
        return name.Length == 3 && at % 3 == 0 ? at / 3 + 1 : 0;
    }

    private static bool IsShortDayName(ReadOnlySpan<char> name) => name.Length == 3 && DayNames.AsSpan().IndexOf(name) % 3 == 0;

    private static bool IsLongDayName(ReadOnlySpan<char> name)
        => name is "Monday" or "Tuesday" or "Wednesday" or "Thursday" or "Friday" or "Saturday" or "Sunday";

    /// <summary>Reads ASCII digits only: no sign, no spaces, no other scripts' digits.</summary>
    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
                return false;
            value = value * 10 + (c - '0');
        }
        return text.Length > 0;
    }
}
