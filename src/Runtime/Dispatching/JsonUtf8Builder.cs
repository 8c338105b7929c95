using System;
using System.Buffers;
using System.Buffers.Text;
using System.ComponentModel;

namespace CgiRouting.Dispatching;

/// <summary>
/// Writes JSON as UTF-8 bytes for the JSON writers the generator emits, byte for byte as System.Text.Json writes
/// the same values with its default options (no indentation, the default encoder), without touching
/// <c>Utf8JsonWriter</c>, <c>JavaScriptEncoder</c> or any serializer metadata: their start-up is what a CGI process
/// pays on every request. Property names arrive already escaped, as <c>"\"name\":"u8</c> literals.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JsonUtf8Builder
{
    private byte[] _buffer = new byte[256];
    private int _length;
    private bool _first = true;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Opens an object: <c>{</c>.</summary>
    public void StartObject()
    {
        Append((byte)'{');
        _first = true;
    }

    /// <summary>Closes an object: <c>}</c>.</summary>
    public void EndObject()
    {
        Append((byte)'}');
        _first = false;
    }

    /// <summary>Opens an array: <c>[</c>.</summary>
    public void StartArray()
    {
        Append((byte)'[');
        _first = true;
    }

    /// <summary>Closes an array: <c>]</c>.</summary>
    public void EndArray()
    {
        Append((byte)']');
        _first = false;
    }

    /// <summary>Starts an array element: a comma unless it is the first.</summary>
    public void Item()
    {
        if (!_first)
            Append((byte)',');
        _first = false;
    }

    /// <summary>Starts a property whose name the generator escaped: <paramref name="quotedNameAndColon"/> is <c>"name":</c>.</summary>
    public void Property(ReadOnlySpan<byte> quotedNameAndColon)
    {
        Item();
        Raw(quotedNameAndColon);
    }

    /// <summary>Starts a property whose name is known only at run time, such as a dictionary key.</summary>
    public void Property(string name)
    {
        Item();
        String(name);
        Append((byte)':');
    }

    /// <summary>Bytes that are already JSON.</summary>
    public void Raw(ReadOnlySpan<byte> json)
    {
        json.CopyTo(Reserve(json.Length));
        _length += json.Length;
    }

    /// <summary><c>null</c>.</summary>
    public void Null() => Raw("null"u8);

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public void Boolean(bool value) => Raw(value ? "true"u8 : "false"u8);

    /// <summary>A signed integer.</summary>
    public void Number(long value)
    {
        Utf8Formatter.TryFormat(value, Reserve(20), out int written);
        _length += written;
    }

    /// <summary>An unsigned integer.</summary>
    public void Number(ulong value)
    {
        Utf8Formatter.TryFormat(value, Reserve(20), out int written);
        _length += written;
    }

    /// <summary>A double, shortest round-trip; NaN and infinities are not JSON and throw, as in System.Text.Json.</summary>
    public void Number(double value)
    {
        if (!double.IsFinite(value))
            throw NotJson();
        Utf8Formatter.TryFormat(value, Reserve(32), out int written);
        _length += written;
    }

    /// <summary>A float, shortest round-trip; NaN and infinities are not JSON and throw, as in System.Text.Json.</summary>
    public void Number(float value)
    {
        if (!float.IsFinite(value))
            throw NotJson();
        Utf8Formatter.TryFormat(value, Reserve(32), out int written);
        _length += written;
    }

    /// <summary>A decimal, with its scale (<c>1.50</c> stays <c>1.50</c>).</summary>
    public void Number(decimal value)
    {
        Utf8Formatter.TryFormat(value, Reserve(32), out int written);
        _length += written;
    }

    /// <summary>A GUID, <c>"D"</c> format.</summary>
    public void Guid(Guid value)
    {
        Span<byte> span = Reserve(38);
        span[0] = (byte)'"';
        Utf8Formatter.TryFormat(value, span[1..], out int written);
        span[written + 1] = (byte)'"';
        _length += written + 2;
    }

    /// <summary>A date and time, ISO 8601 round-trip format with trailing zeros of the fraction removed.</summary>
    public void DateTime(DateTime value)
    {
        Span<byte> text = StartDate();
        Utf8Formatter.TryFormat(value, text, out int written, RoundTrip);
        EndDate(text, written);
    }

    /// <summary>A date, time and offset, ISO 8601 round-trip format with trailing zeros of the fraction removed.</summary>
    public void DateTimeOffset(DateTimeOffset value)
    {
        Span<byte> text = StartDate();
        Utf8Formatter.TryFormat(value, text, out int written, RoundTrip);
        EndDate(text, written);
    }

    /// <summary>A string, quoted and escaped.</summary>
    public void String(string value)
    {
        // Worst case: every UTF-16 code unit becomes a six-byte \uXXXX escape.
        Span<byte> span = Reserve(value.Length * 6 + 2);
        span[0] = (byte)'"';
        int n = 1 + JsonEscaping.Escape(value, span[1..]);
        span[n++] = (byte)'"';
        _length += n;
    }

    /// <summary>The bytes written so far, without a copy: for the response, once writing is done.</summary>
    internal ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    private static StandardFormat RoundTrip => new('O');

    /// <summary>Room for a quoted date: the opening quote is written, the span after it returned.</summary>
    private Span<byte> StartDate()
    {
        Span<byte> span = Reserve(36);
        span[0] = (byte)'"';
        return span[1..];
    }

    /// <summary>Trims the date's fraction, closes the quote, and counts the bytes.</summary>
    private void EndDate(Span<byte> text, int written)
    {
        written = TrimFraction(text[..written]);
        text[written] = (byte)'"';
        _length += written + 2;
    }

    /// <summary>
    /// Removes the trailing zeros of the seven-digit fraction of an <c>"O"</c> date (and the point, when all are
    /// zero), keeping what follows (<c>Z</c> or the offset). Returns the new length.
    /// </summary>
    private static int TrimFraction(Span<byte> text)
    {
        const int point = 19; // yyyy-MM-ddTHH:mm:ss.fffffff
        int end = point + 8;
        int last = end;
        while (last > point + 1 && text[last - 1] == (byte)'0')
            last--;
        if (last == point + 1)
            last = point;
        text[end..].CopyTo(text[last..]);
        return last + (text.Length - end);
    }

    private static ArgumentException NotJson() =>
        new("Floating-point values such as NaN and infinities are not valid JSON; System.Text.Json does not write them by default.");

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        return _buffer.AsSpan(_length);
    }

    private void Append(byte value)
    {
        Reserve(1)[0] = value;
        _length++;
    }
}
