using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CgiRouting.Generators.Json;

namespace CgiRouting.Generators.OpenApi;

/// <summary>
/// A JSON object whose members keep the order they were added in, so that the document is built in any order and
/// written deterministically. Values are strings, booleans, integers, <see cref="JsonObject"/>, <see cref="JsonArray"/>
/// and <see cref="RawJson"/>.
/// </summary>
internal sealed class JsonObject
{
    private readonly List<KeyValuePair<string, object>> _members = [];

    public int Count => _members.Count;

    public object? this[string name]
    {
        get
        {
            foreach (var member in _members)
            {
                if (member.Key == name)
                    return member.Value;
            }
            return null;
        }
    }

    /// <summary>Adds (or replaces) a member; a null value adds nothing.</summary>
    public JsonObject Add(string name, object? value)
    {
        if (value is null)
            return this;
        for (int i = 0; i < _members.Count; i++)
        {
            if (_members[i].Key == name)
            {
                _members[i] = new(name, value);
                return this;
            }
        }
        _members.Add(new(name, value));
        return this;
    }

    /// <summary>The object member <paramref name="name"/>, added empty when it is missing.</summary>
    public JsonObject Object(string name)
    {
        if (this[name] is JsonObject existing)
            return existing;
        var added = new JsonObject();
        Add(name, added);
        return added;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        Write(text, this);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object value)
    {
        switch (value)
        {
            case string s:
                text.Append('"').Append(JsonNaming.Escape(s)).Append('"');
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case int n:
                text.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case RawJson raw:
                text.Append(raw.Text);
                break;
            case JsonObject o:
                text.Append('{');
                for (int i = 0; i < o._members.Count; i++)
                {
                    if (i > 0)
                        text.Append(',');
                    Write(text, o._members[i].Key);
                    text.Append(':');
                    Write(text, o._members[i].Value);
                }
                text.Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                        text.Append(',');
                    Write(text, a[i]);
                }
                text.Append(']');
                break;
            default:
                throw new System.InvalidOperationException("Not a JSON value: " + value.GetType().Name);
        }
    }
}

/// <summary>A JSON array.</summary>
internal sealed class JsonArray : List<object>
{
    public JsonArray()
    {
    }

    public JsonArray(IEnumerable<object> items) : base(items)
    {
    }
}

/// <summary>JSON text written as it is (a literal the parser already encoded).</summary>
internal sealed record RawJson(string Text);
