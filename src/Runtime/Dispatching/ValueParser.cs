using System;
using System.ComponentModel;
using System.Globalization;

namespace CgiRouting.Dispatching;

/// <summary>
/// Parses path segments, query values and headers into handler parameter types for the generated dispatcher:
/// culture-invariant, no surrounding white space, no thousands separators. The same rules decide whether a
/// typed route parameter matches a segment and what value it binds.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValueParser
{
    private const NumberStyles Integer = NumberStyles.AllowLeadingSign;
    private const NumberStyles Float = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    private const NumberStyles Decimal = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
    private static CultureInfo Invariant => CultureInfo.InvariantCulture;

    /// <summary>Parses <c>true</c> or <c>false</c>, in any case.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out bool value)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) { value = true; return true; }
        value = false;
        return text.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A form's boolean field: a ticked checkbox without a value attribute sends <c>on</c>, which is <c>true</c>.</summary>
    public static string? Checkbox(string? field) => field == "on" ? "true" : field;

    /// <summary>Parses an optionally signed decimal integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out byte value) => byte.TryParse(text, Integer, Invariant, out value);

    /// <summary>Parses an optionally signed decimal integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out sbyte value) => sbyte.TryParse(text, Integer, Invariant, out value);

    /// <summary>Parses an optionally signed decimal integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out short value) => short.TryParse(text, Integer, Invariant, out value);

    /// <summary>Parses an optionally signed decimal integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ushort value) => ushort.TryParse(text, Integer, Invariant, out value);

    /// <summary>Parses an optionally signed decimal integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out int value) => int.TryParse(text, Integer, Invariant, out value);

    /// <summary>Parses an optionally signed decimal integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out uint value) => uint.TryParse(text, Integer, Invariant, out value);

    /// <summary>Parses an optionally signed decimal integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long value) => long.TryParse(text, Integer, Invariant, out value);

    /// <summary>Parses an optionally signed decimal integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ulong value) => ulong.TryParse(text, Integer, Invariant, out value);

    /// <summary>Parses a decimal number with an optional exponent.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out float value) => float.TryParse(text, Float, Invariant, out value);

    /// <summary>Parses a decimal number with an optional exponent.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value) => double.TryParse(text, Float, Invariant, out value);

    /// <summary>Parses a decimal number.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out decimal value) => decimal.TryParse(text, Decimal, Invariant, out value);

    /// <summary>Parses a GUID in any of its standard formats.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Guid value) => Guid.TryParse(text, out value);

    /// <summary>Parses an ISO 8601 date such as <c>2024-05-01</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateOnly value)
        => DateOnly.TryParseExact(text, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out value);

    /// <summary>Parses a time of day such as <c>13:45</c> or <c>13:45:30.5</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out TimeOnly value)
        => !HasOuterWhiteSpace(text) && TimeOnly.TryParse(text, Invariant, DateTimeStyles.None, out value) || Fail(out value);

    /// <summary>Parses an ISO 8601 date and time; a time zone makes it UTC, none leaves it unspecified.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTime value)
        => !HasOuterWhiteSpace(text) && DateTime.TryParse(text, Invariant, DateTimeStyles.AdjustToUniversal, out value) || Fail(out value);

    /// <summary>Parses an ISO 8601 date and time with an optional offset (UTC when none is given).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
        => !HasOuterWhiteSpace(text) && DateTimeOffset.TryParse(text, Invariant, DateTimeStyles.AssumeUniversal, out value) || Fail(out value);

    /// <summary>Parses a time span such as <c>01:30:00</c> or <c>2.01:30:00</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan value)
        => !HasOuterWhiteSpace(text) && TimeSpan.TryParse(text, Invariant, out value) || Fail(out value);

    private static bool HasOuterWhiteSpace(ReadOnlySpan<char> text)
        => text.IsEmpty || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]);

    private static bool Fail<T>(out T value)
    {
        value = default!;
        return false;
    }
}
