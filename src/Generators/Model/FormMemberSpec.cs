namespace CgiRouting.Generators.Model;

/// <summary>A property or constructor parameter of a <c>[Form]</c> type, with how its field binds.</summary>
internal sealed record FormMemberSpec
{
    /// <summary>The field's binding: <see cref="ParameterSpec.Source"/> is <see cref="BindingSource.Form"/>,
    /// <see cref="BindingSource.FormFile"/> or <see cref="BindingSource.FormFiles"/>; its name is unique in the invoker.</summary>
    public required ParameterSpec Binding { get; init; }

    /// <summary>The property's name (or the constructor parameter's).</summary>
    public required string MemberName { get; init; }

    /// <summary>Passed to the constructor, in order, rather than set.</summary>
    public required bool ViaConstructor { get; init; }

    /// <summary>An <c>init</c>-only property: set in the object initializer, to its default when the field is absent.</summary>
    public required bool InitOnly { get; init; }
}
