using System;

namespace CgiRouting;

/// <summary>
/// Binds a handler parameter to the request's form (<c>application/x-www-form-urlencoded</c> or
/// <c>multipart/form-data</c>; another body type is 415). On a class or record parameter, each property (or
/// constructor parameter) is bound to the field of its name, ignoring case: strings, simple types, <c>T?</c>, arrays
/// for repeated fields, <see cref="FormFile"/> and <c>FormFile[]</c> for files. On a simple parameter, binds the one
/// field <see cref="Name"/> (the parameter's name by default). On a property or constructor parameter of a bound
/// type, renames its field. Missing or unparsable fields are 400, naming the field, as for query parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = false)]
public sealed class FormAttribute : Attribute
{
    /// <summary>Binds the parameter to the form (a class or record), or to the field of the parameter's name.</summary>
    public FormAttribute() { }

    /// <summary>Binds the parameter, or the property, to the field <paramref name="name"/>.</summary>
    public FormAttribute(string name) => Name = name;

    /// <summary>The field name, or <see langword="null"/> for the parameter's or property's own name.</summary>
    public string? Name { get; }
}
