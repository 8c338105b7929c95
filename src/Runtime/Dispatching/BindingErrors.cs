using System.ComponentModel;

namespace CgiRouting.Dispatching;

/// <summary>The 400 responses of the generated dispatcher when a parameter cannot be bound.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BindingErrors
{
    /// <summary>A required value is absent: <c>Missing required query parameter 'q'.</c></summary>
    public static Response Missing(string source, string name)
        => Response.Error(400, $"Missing required {source} '{name}'.");

    /// <summary>
    /// A required JSON body is absent: no body was sent at all (<c>CONTENT_LENGTH</c> unset, empty or 0), or the
    /// body was the JSON literal <c>null</c>.
    /// </summary>
    public static Response MissingJsonBody(CgiRequest request, string name)
        => Response.Error(400, request.ContentLength == 0
            ? $"No request body was sent (CONTENT_LENGTH is missing or 0): parameter '{name}' needs a JSON body."
            : $"The JSON body for parameter '{name}' must not be null.");

    /// <summary>A value does not parse: <c>The query parameter 'page' must be an integer (Int32).</c></summary>
    public static Response Invalid(string source, string name, string expected)
        => Response.Error(400, $"The {source} '{name}' must be {expected}.");
}
