using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;

namespace CgiRouting;

/// <summary>
/// The decoded pairs of a query string or an <c>application/x-www-form-urlencoded</c> body, in their order.
/// Keys are case-sensitive and may repeat. <c>+</c> is a space, <c>%XX</c> a byte, the bytes are UTF-8
/// (invalid sequences become U+FFFD), and a malformed escape such as <c>%zz</c> is kept as it is.
/// </summary>
public sealed class QueryCollection : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly KeyValuePair<string, string>[] _pairs;

    private QueryCollection(KeyValuePair<string, string>[] pairs) => _pairs = pairs;

    /// <summary>A collection of <paramref name="pairs"/>, already decoded.</summary>
    internal static QueryCollection From(List<KeyValuePair<string, string>> pairs) => pairs.Count == 0 ? Empty : new(pairs.ToArray());

    /// <summary>An empty collection.</summary>
    public static QueryCollection Empty { get; } = new([]);

    /// <summary>Parses <paramref name="query"/> (without the leading <c>?</c>); never throws.</summary>
    public static QueryCollection Parse(string? query) => Parse(query, limits: null);

    /// <summary>
    /// Parses an <c>application/x-www-form-urlencoded</c> body within the form limits of <paramref name="limits"/>,
    /// checked field by field as it goes (<see cref="FormData.CheckField"/>), so that a flood of fields is refused at
    /// the first one over the limit, not once all of them are in memory.
    /// </summary>
    internal static QueryCollection ParseForm(string body, CgiOptions limits) => Parse(body, limits);

    private static QueryCollection Parse(string? query, CgiOptions? limits)
    {
        if (string.IsNullOrEmpty(query))
            return Empty;
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var range in query.AsSpan().Split('&'))
        {
            var part = query.AsSpan(range);
            if (part.IsEmpty)
                continue;
            int eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? ReadOnlySpan<char>.Empty : part[(eq + 1)..];
            if (limits is not null)
            {
                FormData.CheckField(pairs.Count + 1, key.Length, limits);
                if (value.Length > limits.MaxFormValueLength)
                    throw FormData.ValueTooLong(Decode(key), "characters", limits);
            }
            pairs.Add(new(Decode(key), Decode(value)));
        }
        return new QueryCollection(pairs.ToArray());
    }

    /// <summary>Decodes one form-encoded component: <c>+</c> is a space and <c>%XX</c> a UTF-8 byte.</summary>
    public static string Decode(ReadOnlySpan<char> encoded)
    {
        if (encoded.IndexOfAny('%', '+') < 0)
            return encoded.ToString();
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(encoded.Length)];
        int n = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == '+')
            {
                bytes[n++] = (byte)' ';
            }
            else if (PercentEncoding.TryReadEscape(encoded, i, out byte escaped))
            {
                bytes[n++] = escaped;
                i += 2;
            }
            else
            {
                n += Encoding.UTF8.GetBytes(encoded.Slice(i, char.IsHighSurrogate(c) && i + 1 < encoded.Length ? 2 : 1), bytes.AsSpan(n));
                if (char.IsHighSurrogate(c) && i + 1 < encoded.Length)
                    i++;
            }
        }
        return Encoding.UTF8.GetString(bytes, 0, n);
    }

    /// <summary>The number of pairs.</summary>
    public int Count => _pairs.Length;

    /// <summary>The pair at <paramref name="index"/>.</summary>
    public KeyValuePair<string, string> this[int index] => _pairs[index];

    /// <summary>The first value of <paramref name="key"/>, or <see langword="null"/> when it is absent.</summary>
    public string? this[string key] => GetFirst(key);

    /// <summary>The first value of <paramref name="key"/>, or <see langword="null"/> when it is absent.</summary>
    public string? GetFirst(string key)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Key == key)
                return pair.Value;
        }
        return null;
    }

    /// <summary>Every value of <paramref name="key"/> in order; empty when it is absent.</summary>
    public string[] GetAll(string key)
    {
        int count = 0;
        foreach (var pair in _pairs)
        {
            if (pair.Key == key)
                count++;
        }
        if (count == 0)
            return [];
        var values = new string[count];
        int i = 0;
        foreach (var pair in _pairs)
        {
            if (pair.Key == key)
                values[i++] = pair.Value;
        }
        return values;
    }

    /// <summary>Whether <paramref name="key"/> occurs at least once.</summary>
    public bool ContainsKey(string key) => GetFirst(key) is not null;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
