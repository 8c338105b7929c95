using System;
using System.ComponentModel;
using System.Text.Json;

namespace CgiRouting.Dispatching;

/// <summary>
/// What the generated JSON body readers share: the <see cref="Utf8JsonReader"/> with System.Text.Json's default
/// reader options, the value conversions of its built-in converters (the same reader calls, so the same numbers and
/// strings are accepted), and the 400 message, in <see cref="JsonBodyError"/>'s words, naming the path of the value.
/// None of it touches <c>JsonSerializerOptions</c>, a <c>JsonTypeInfo</c> or the serializer.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class JsonBodyReading
{
    private const string PathKey = "CgiRouting.JsonBodyPath";

    /// <summary>
    /// A reader over the whole body, positioned on its first token, with the options System.Text.Json reads with by
    /// default: no comments, no trailing commas, depth at most 64. A body of no token is malformed.
    /// </summary>
    public static Utf8JsonReader Start(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        Next(ref reader);
        return reader;
    }

    /// <summary>After the top-level value: only white space may follow (the reader throws at anything else).</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read())
            throw new JsonException("Data follows the JSON value.", null, 0, reader.BytesConsumed);
    }

    /// <summary>Moves to the next token; the body may not end here.</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw new JsonException("The JSON body ends early.", null, 0, reader.BytesConsumed);
    }

    /// <summary>A value of the wrong JSON type, or a number out of range: <paramref name="expected"/> as JsonBodyError says it.</summary>
    public static JsonException Invalid(string expected) => new InvalidValueException(expected);

    /// <summary>
    /// An exception filter that never catches: it records, as the exception leaves an object or array being read,
    /// the segment (<c>.Name</c>, <c>['a b']</c>) of the value that was being read, innermost first.
    /// </summary>
    public static bool Enter(JsonException exception, string? segment)
    {
        if (segment is not null)
            exception.Data[PathKey] = segment + (exception.Data[PathKey] as string);
        return false;
    }

    /// <summary><see cref="Enter(JsonException, string?)"/> for the element at <paramref name="index"/> of an array.</summary>
    public static bool Enter(JsonException exception, int index) =>
        Enter(exception, "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");

    /// <summary>The 400 for a body that the reader refused, with the path of the value.</summary>
    public static CgiRequestException Reject(JsonException exception)
    {
        string path = "$" + (exception.Data[PathKey] as string);
        if (exception is InvalidValueException invalid)
            return JsonBodyError.InvalidValue(path, invalid.Expected);
        string message = exception switch
        {
            { LineNumber: { } line, BytePositionInLine: { } position } =>
                $"The JSON body is malformed at line {line + 1}, byte {position + 1} ('{path}').",
            _ => $"The JSON body is not valid at '{path}'.",
        };
        return new CgiRequestException(400, message);
    }

    /// <summary>As System.Text.Json's string converter: a string, or null.</summary>
    public static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => GetString(ref reader),
        _ => throw Invalid("a string"),
    };

    /// <summary>As System.Text.Json's converter: <c>true</c> or <c>false</c>.</summary>
    public static bool Boolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Invalid("true or false"),
    };

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetSByte</c> takes.</summary>
    public static sbyte SByte(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetSByte(out sbyte value) ? value : throw Invalid("an integer (SByte)");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetByte</c> takes.</summary>
    public static byte Byte(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out byte value) ? value : throw Invalid("an integer (Byte)");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetInt16</c> takes.</summary>
    public static short Int16(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt16(out short value) ? value : throw Invalid("an integer (Int16)");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetUInt16</c> takes.</summary>
    public static ushort UInt16(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetUInt16(out ushort value) ? value : throw Invalid("an integer (UInt16)");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetInt32</c> takes.</summary>
    public static int Int32(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value) ? value : throw Invalid("an integer (Int32)");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetUInt32</c> takes.</summary>
    public static uint UInt32(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out uint value) ? value : throw Invalid("an integer (UInt32)");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetInt64</c> takes.</summary>
    public static long Int64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) ? value : throw Invalid("an integer (Int64)");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetUInt64</c> takes.</summary>
    public static ulong UInt64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out ulong value) ? value : throw Invalid("an integer (UInt64)");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetDouble</c> takes.</summary>
    public static double Double(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double value) ? value : throw Invalid("a number");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetSingle</c> takes.</summary>
    public static float Single(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetSingle(out float value) ? value : throw Invalid("a number");

    /// <summary>As System.Text.Json's converter: a number token that <c>TryGetDecimal</c> takes.</summary>
    public static decimal Decimal(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out decimal value) ? value : throw Invalid("a number");

    /// <summary>As System.Text.Json's converter: a string token that <c>TryGetGuid</c> takes.</summary>
    public static Guid Guid(ref Utf8JsonReader reader) =>
        FromString(ref reader, static (ref Utf8JsonReader r, out Guid v) => r.TryGetGuid(out v), "a GUID string");

    /// <summary>As System.Text.Json's converter: a string token that <c>TryGetDateTime</c> takes (ISO 8601).</summary>
    public static DateTime DateTime(ref Utf8JsonReader reader) =>
        FromString(ref reader, static (ref Utf8JsonReader r, out DateTime v) => r.TryGetDateTime(out v), "a date and time string (ISO 8601)");

    /// <summary>As System.Text.Json's converter: a string token that <c>TryGetDateTimeOffset</c> takes (ISO 8601).</summary>
    public static DateTimeOffset DateTimeOffset(ref Utf8JsonReader reader) =>
        FromString(ref reader, static (ref Utf8JsonReader r, out DateTimeOffset v) => r.TryGetDateTimeOffset(out v), "a date and time string (ISO 8601)");

    private delegate bool TryGet<T>(ref Utf8JsonReader reader, out T value);

    private static T FromString<T>(ref Utf8JsonReader reader, TryGet<T> tryGet, string expected)
    {
        try
        {
            if (reader.TokenType == JsonTokenType.String && tryGet(ref reader, out T value))
                return value;
        }
        catch (InvalidOperationException)
        {
            // An escape that is not valid UTF-16 ("\ud800"): System.Text.Json turns it into a JsonException.
        }
        throw Invalid(expected);
    }

    private static string GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Invalid("a string of valid UTF-8"); // as System.Text.Json, which turns it into a JsonException
        }
    }

    /// <summary>A value the reader parsed but that is not what the property needs.</summary>
    private sealed class InvalidValueException(string expected) : JsonException("The JSON value is not " + expected + ".")
    {
        public string Expected { get; } = expected;
    }
}
