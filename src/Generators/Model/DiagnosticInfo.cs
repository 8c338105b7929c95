using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators.Model;

/// <summary>A diagnostic to report, kept as values until the output step.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location,
    EquatableArray<string> Arguments, LocationInfo? AdditionalLocation = null)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor, location, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location?.ToLocation(),
        AdditionalLocation is null ? null : new[] { AdditionalLocation.ToLocation() },
        (object[])System.Linq.Enumerable.ToArray(Arguments));
}
