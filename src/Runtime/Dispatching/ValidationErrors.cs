using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text;

namespace CgiRouting.Dispatching;

/// <summary>
/// The failures of the generated validation checks of one request (DataAnnotations attributes on parameters and body
/// members), gathered so that the 400 lists every invalid member, not only the first. Created on the first failure:
/// a valid request allocates nothing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ValidationErrors
{
    /// <summary>The title of the problem details of a validation failure, as ASP.NET Core's.</summary>
    internal const string Title = "One or more validation errors occurred.";

    private readonly List<KeyValuePair<string, string>> _errors = [];

    private ValidationErrors()
    {
    }

    /// <summary>Records that <paramref name="key"/> (a parameter, <c>Title</c>, <c>Address.Street</c>) failed with <paramref name="message"/>; returns the errors, created when <paramref name="errors"/> is null.</summary>
    public static ValidationErrors Add(ValidationErrors? errors, string key, string message)
    {
        errors ??= new ValidationErrors();
        errors._errors.Add(new(key, message));
        return errors;
    }

    /// <summary>A required field of a <see cref="Validated{T}"/> form was not sent: <c>The title field is required.</c></summary>
    public static ValidationErrors Missing(ValidationErrors? errors, string key) => Add(errors, key, $"The {key} field is required.");

    /// <summary>A field of a <see cref="Validated{T}"/> form does not parse: <c>The count field must be an integer (Int32).</c></summary>
    public static ValidationErrors Invalid(ValidationErrors? errors, string key, string expected) => Add(errors, key, $"The {key} field must be {expected}.");

    /// <summary>
    /// An exception filter for reading a <see cref="Validated{T}"/> JSON body: a well-formed body with a value of the
    /// wrong type becomes an error of its key (and is caught); anything else (malformed, too large, not JSON) is not
    /// caught, and is answered before the handler as it is without <see cref="Validated{T}"/>.
    /// </summary>
    public static bool JsonValue(ref ValidationErrors? errors, CgiRequestException exception)
    {
        if (exception.JsonValueKey is not { } key)
            return false;
        errors = key.Length > 0 ? Invalid(errors, key, exception.JsonValueExpected!)
            : Add(errors, key, $"The JSON body must be {exception.JsonValueExpected}.");
        return true;
    }

    /// <summary>A <see cref="Validated{T}"/> JSON body that was not sent, or is <c>null</c>: an error of the empty key, the body's.</summary>
    public static ValidationErrors MissingJsonBody(ValidationErrors? errors) => Add(errors, "", "A JSON body is required.");

    /// <summary>The handler's <see cref="Validated{T}"/>: <paramref name="value"/> (null when binding failed) with the errors, if any.</summary>
    public static Validated<T> Outcome<T>(T? value, ValidationErrors? errors) where T : class
        => errors is null ? new Validated<T>(value!) : new Validated<T>(value, errors.ToDictionary());

    /// <summary>Each key once, in the order it first failed, with all its messages.</summary>
    private System.Collections.ObjectModel.ReadOnlyDictionary<string, string[]> ToDictionary()
    {
        var grouped = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var (key, message) in _errors)
        {
            if (!grouped.TryGetValue(key, out var messages))
            {
                grouped[key] = messages = [];
                keys.Add(key);
            }
            messages.Add(message);
        }
        var result = new Dictionary<string, string[]>(keys.Count, StringComparer.Ordinal);
        foreach (string key in keys)
            result[key] = grouped[key].ToArray();
        return new(result);
    }

    /// <summary>
    /// 400 Bad Request: the messages a line each as plain text; as problem details, an <c>errors</c> member that maps each
    /// key to its messages, <c>{"Title":["The Title field is required."]}</c>.
    /// </summary>
    public Response ToResponse()
    {
        var text = new StringBuilder();
        foreach (var error in _errors)
        {
            if (text.Length > 0)
                text.Append('\n');
            text.Append(error.Value);
        }
        return Response.Error(400, text.ToString(), this);
    }

    /// <summary>Writes the <c>errors</c> object: each key once, in the order it first failed, with all its messages.</summary>
    internal void WriteTo(JsonUtf8Builder json)
    {
        json.StartObject();
        for (int i = 0; i < _errors.Count; i++)
        {
            string key = _errors[i].Key;
            if (IndexOf(key) < i)
                continue;
            json.Property(key);
            json.StartArray();
            for (int j = i; j < _errors.Count; j++)
            {
                if (_errors[j].Key != key)
                    continue;
                json.Item();
                json.String(_errors[j].Value);
            }
            json.EndArray();
        }
        json.EndObject();
    }

    private int IndexOf(string key)
    {
        for (int i = 0; ; i++)
        {
            if (_errors[i].Key == key)
                return i;
        }
    }
}
