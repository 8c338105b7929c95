using System;
using System.ComponentModel;

namespace CgiRouting.Dispatching;

/// <summary>
/// How <see cref="Response.Json{T}(T, int)"/> writes a <typeparamref name="T"/>: the generated dispatcher's module
/// initializer sets <see cref="Write"/> for every type of the app's <c>JsonSerializerContext</c>s that a generated
/// writer covers (docs/json.md). A plain static field of a generic class: no dictionary, no reflection, and one
/// field write per type at start-up.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedJson<T>
{
    /// <summary>Writes a value as System.Text.Json would with the app's context, byte for byte.</summary>
    public static Action<JsonUtf8Builder, T>? Write;
}
