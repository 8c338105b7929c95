using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace CgiRouting;

/// <summary>
/// The outcome of binding and validating a <c>[Form]</c> object or a JSON body, for a handler that answers an invalid
/// one itself (a form shown again with its messages) instead of the automatic 400: a parameter
/// <c>[Form] Validated&lt;T&gt; form</c>, or <c>Validated&lt;T&gt; body</c> for a JSON body. The handler runs whether
/// the value is valid or not; a malformed body, one over the limits (413) or of another media type (415) is still
/// answered before it (docs/guide/validation.md).
/// </summary>
/// <typeparam name="T">The class or record bound from the form's fields or the JSON body.</typeparam>
public sealed class Validated<T> where T : class
{
    /// <summary>A valid value: <see cref="Errors"/> is empty.</summary>
    public Validated(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        Errors = ReadOnlyDictionary<string, string[]>.Empty;
    }

    /// <summary>
    /// An outcome with <paramref name="errors"/> (none: valid), and <paramref name="value"/> null when binding failed.
    /// A null value needs at least one error.
    /// </summary>
    public Validated(T? value, IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null && errors.Count == 0)
            throw new ArgumentException("A Validated<T> without a value has at least one error.", nameof(errors));
        Value = value;
        Errors = errors;
    }

    /// <summary>Whether the value was bound and broke no rule: <see cref="Errors"/> is empty and <see cref="Value"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// The bound value; null when binding failed (a required field missing, a value that does not parse, a JSON value of
    /// the wrong type, no JSON body). When binding succeeded and only DataAnnotations rules failed, the bound value.
    /// </summary>
    public T? Value { get; }

    /// <summary>
    /// The messages of each field that failed, keyed by its name on the wire (the form field's name, the JSON
    /// property's name after <c>[JsonPropertyName]</c> and the naming policy; <c>address.city</c> inside an object;
    /// an empty key for the JSON body as a whole), in the order they failed. Empty, never null, when valid.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
