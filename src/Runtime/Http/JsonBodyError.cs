using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CgiRouting;

/// <summary>
/// The 400 message for a JSON body that System.Text.Json refused, in the client's terms: where the body is
/// malformed, or which value has the wrong type and what JSON it must be. Never the exception's own text, which
/// names .NET types.
/// </summary>
internal static class JsonBodyError
{
    /// <summary>How System.Text.Json begins the message of a value of the wrong type; the .NET type's name follows.</summary>
    private const string ConversionPrefix = "The JSON value could not be converted to ";

    /// <summary>The message of <see cref="Reject"/>.</summary>
    public static string Describe(JsonException exception, JsonTypeInfo root) => Reject(exception, root).Message;

    /// <summary>The 400 for <paramref name="exception"/>; for a value of a known wrong type it also names the value's key (<see cref="InvalidValue"/>).</summary>
    public static CgiRequestException Reject(JsonException exception, JsonTypeInfo root)
    {
        string path = exception.Path ?? "$";
        if (exception.Message.StartsWith(ConversionPrefix, StringComparison.Ordinal))
        {
            // The type the message names is the object being read, not the value's: find the value's by its path.
            return TypeAt(root, path) is { } type
                ? InvalidValue(path, Expected(type, root.Options))
                : new CgiRequestException(400, $"The JSON body is not valid: '{path}' has a value of the wrong type.");
        }
        if (exception.LineNumber is { } line && exception.BytePositionInLine is { } position)
            return new CgiRequestException(400, $"The JSON body is malformed at line {line + 1}, byte {position + 1} ('{path}').");
        return new CgiRequestException(400, $"The JSON body is not valid at '{path}'.");
    }

    /// <summary>
    /// The 400 of a well-formed body with a value of the wrong type at <paramref name="path"/> (<c>$.count</c>), which
    /// a <see cref="Validated{T}"/> body takes as an error of the key <c>count</c>.
    /// </summary>
    internal static CgiRequestException InvalidValue(string path, string expected) =>
        new(400, $"The JSON body is not valid: '{path}' must be {expected}.")
        {
            JsonValueKey = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path[1..],
            JsonValueExpected = expected,
        };

    /// <summary>What JSON a value of <paramref name="type"/> must be, in JSON's words.</summary>
    internal static string Expected(Type type, JsonSerializerOptions options)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return Expected(underlying, options) + " or null";
        if (type == typeof(string) || type == typeof(char))
            return "a string";
        if (type == typeof(bool))
            return "true or false";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte)
            || type == typeof(Int128) || type == typeof(UInt128))
            return $"an integer ({type.Name})";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal) || type == typeof(Half))
            return "a number";
        if (type == typeof(Guid))
            return "a GUID string";
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            return "a date and time string (ISO 8601)";
        if (type == typeof(DateOnly))
            return "a date string (yyyy-MM-dd)";
        if (type == typeof(TimeOnly) || type == typeof(TimeSpan))
            return "a time string (hh:mm:ss)";
        if (type == typeof(byte[]))
            return "a base64 string";
        if (type.IsEnum)
            return $"a {type.Name} value";
        return TypeInfo(options, type)?.Kind switch
        {
            JsonTypeInfoKind.Enumerable => "an array",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            _ => "a valid " + type.Name,
        };
    }

    /// <summary>
    /// The type that the contract of <paramref name="root"/> expects at <paramref name="path"/>
    /// (<c>$.Ship.City</c>, <c>$.Tags[0]</c>, <c>$['a b']</c>, as System.Text.Json writes paths): properties,
    /// elements and dictionary values, through the app's serializer context, so nothing is found by reflection.
    /// </summary>
    internal static Type? TypeAt(JsonTypeInfo root, string path)
    {
        if (!path.StartsWith('$'))
            return null;
        var type = root.Type;
        var rest = path.AsSpan(1);
        while (!rest.IsEmpty)
        {
            if (!TakeSegment(ref rest, out bool isIndex, out var name))
                return null;
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (TypeInfo(root.Options, type) is not { } info)
                return null;
            Type? inner = info.Kind switch
            {
                JsonTypeInfoKind.Enumerable when isIndex => info.ElementType,
                JsonTypeInfoKind.Dictionary when !isIndex => info.ElementType,
                JsonTypeInfoKind.Object when !isIndex => Property(info, name, root.Options),
                _ => null,
            };
            if (inner is null)
                return null;
            type = inner;
        }
        return type;
    }

    /// <summary>Takes the first segment off <paramref name="rest"/>: <c>[0]</c>, <c>.name</c> or <c>['name']</c>.</summary>
    private static bool TakeSegment(ref ReadOnlySpan<char> rest, out bool isIndex, out ReadOnlySpan<char> name)
    {
        isIndex = false;
        name = default;
        int end;
        if (rest.StartsWith("['"))
        {
            if ((end = rest.IndexOf("']")) < 0)
                return false;
            name = rest[2..end];
            rest = rest[(end + 2)..];
        }
        else if (rest.StartsWith("["))
        {
            if ((end = rest.IndexOf(']')) < 0)
                return false;
            isIndex = true;
            rest = rest[(end + 1)..];
        }
        else if (rest.StartsWith("."))
        {
            end = rest[1..].IndexOfAny('.', '[');
            end = end < 0 ? rest.Length : end + 1;
            name = rest[1..end];
            rest = rest[end..];
        }
        else
        {
            return false;
        }
        return true;
    }

    private static Type? Property(JsonTypeInfo info, ReadOnlySpan<char> name, JsonSerializerOptions options)
    {
        var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var property in info.Properties)
        {
            if (name.Equals(property.Name, comparison))
                return property.PropertyType;
        }
        return null;
    }

    private static JsonTypeInfo? TypeInfo(JsonSerializerOptions options, Type type)
    {
        try
        {
            return options.TypeInfoResolver?.GetTypeInfo(type, options);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return null; // a type the context does not describe
        }
    }
}
