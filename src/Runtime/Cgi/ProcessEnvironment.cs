using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace CgiRouting;

/// <summary>
/// The process environment as a dictionary that reads a variable when it is asked for, and copies them all only
/// when it is enumerated (for <see cref="CgiRequest.Headers"/>): most requests never need every variable.
/// </summary>
internal sealed class ProcessEnvironment : IReadOnlyDictionary<string, string>
{
    private Dictionary<string, string>? _all;

    public string this[string key] => TryGetValue(key, out string? value) ? value : throw new KeyNotFoundException(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        value = Environment.GetEnvironmentVariable(key);
        return value is not null;
    }

    public bool ContainsKey(string key) => Environment.GetEnvironmentVariable(key) is not null;

    private Dictionary<string, string> All
    {
        get
        {
            if (_all is null)
            {
                var variables = Environment.GetEnvironmentVariables();
                _all = new Dictionary<string, string>(variables.Count, StringComparer.Ordinal);
                foreach (DictionaryEntry entry in variables)
                    _all[(string)entry.Key] = (string?)entry.Value ?? "";
            }
            return _all;
        }
    }

    public IEnumerable<string> Keys => All.Keys;
    public IEnumerable<string> Values => All.Values;
    public int Count => All.Count;
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => All.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
