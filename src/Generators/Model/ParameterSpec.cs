namespace CgiRouting.Generators.Model;

/// <summary>
/// One handler parameter. <see cref="Source"/> is how it binds when the route's template does not name it.
/// </summary>
internal sealed record ParameterSpec
{
    /// <summary>The C# parameter name.</summary>
    public required string Name { get; init; }

    /// <summary>Where the value comes from when no template segment binds it.</summary>
    public required BindingSource Source { get; init; }

    /// <summary>The query key or header name it binds to.</summary>
    public required string Key { get; init; }

    /// <summary>The fully qualified type, as the dispatcher declares the local.</summary>
    public required string TypeName { get; init; }

    /// <summary>The simple type it parses into (of the element, for arrays; of T, for T?); Kind None when it is not one.</summary>
    public required SimpleTypeInfo Value { get; init; }

    /// <summary>The fully qualified type read from the JSON body, for <see cref="BindingSource.Json"/>.</summary>
    public string? JsonTypeName { get; init; }

    /// <summary>
    /// For <see cref="BindingSource.Json"/>: a class or record that <c>[Form]</c> could bind (members that are all
    /// simple values or files, at least one), so that CGI011 can suggest <c>[Form]</c> for it.
    /// </summary>
    public bool BindableAsForm { get; init; }

    /// <summary>
    /// A <c>Validated&lt;T&gt;</c> of a <see cref="BindingSource.FormObject"/> or <see cref="BindingSource.Json"/>
    /// body: <see cref="TypeName"/> and <see cref="JsonTypeName"/> are T's, and the invoker hands the handler the
    /// outcome of binding and <see cref="Validation"/> instead of answering 400.
    /// </summary>
    public bool IsValidated { get; init; }

    /// <summary>A struct, which is never null.</summary>
    public required bool IsValueType { get; init; }

    /// <summary>Nullable or with a default: absent is not an error.</summary>
    public required bool IsOptional { get; init; }

    /// <summary>The C# expression of the default value, or null.</summary>
    public string? DefaultValue { get; init; }

    /// <summary>The default value as a JSON literal, for the OpenAPI document, or null.</summary>
    public string? DefaultJson { get; init; }

    /// <summary>For <see cref="BindingSource.FormObject"/>: the members bound from the form, constructor parameters first, in order.</summary>
    public EquatableArray<FormMemberSpec> FormMembers { get; init; }

    /// <summary>
    /// Its DataAnnotations rules and those of its members (for a JSON body or a <c>[Form]</c> object), checked after
    /// binding; null when nothing is validated.
    /// </summary>
    public ValidationTargetSpec? Validation { get; init; }

    public ValueKind Kind => Value.Kind;
}
