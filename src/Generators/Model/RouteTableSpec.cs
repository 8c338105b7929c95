using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators.Model;

/// <summary>A route with its handler and its number in the dispatcher.</summary>
internal sealed record RouteEntry(int Number, HandlerSpec Handler, RouteSpec Route);

/// <summary>The JsonSerializerContext that provides the JsonTypeInfo of a type.</summary>
internal sealed record JsonBinding(string TypeName, string ContextTypeName);

/// <summary>
/// A problem of the whole table (a conflict, a type no JsonSerializerContext declares), named by site keys;
/// the output step turns the keys into locations.
/// </summary>
internal sealed record TableProblem(DiagnosticDescriptor Descriptor, SiteKey SiteKey, SiteKey? AdditionalSiteKey, EquatableArray<string> Arguments);

/// <summary>The checked route table: what the dispatcher is emitted from, and the problems to report.</summary>
internal sealed record RouteTableSpec(
    EquatableArray<RouteEntry> Routes,
    EquatableArray<JsonBinding> JsonTypes,
    EquatableArray<TableProblem> Problems)
{
    /// <summary>The app's JSON contexts, for the generated JSON writers (Emitting/Json/JsonWriterEmitter.cs).</summary>
    public EquatableArray<JsonContextSpec> JsonContexts { get; init; }
}
