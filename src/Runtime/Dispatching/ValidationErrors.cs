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
