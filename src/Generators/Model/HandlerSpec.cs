namespace CgiRouting.Generators.Model;

/// <summary>
/// A handler method with its routes, as plain values: no symbols, syntax or locations, so that it compares equal
/// across compilations when the handler's signature and attributes have not changed.
/// </summary>
/// <param name="Key">Identifies the handler method (its documentation ID).</param>
/// <param name="ContainingType">The fully qualified containing type.</param>
/// <param name="DisplayName">Type.Method, for messages and comments.</param>
internal sealed record HandlerSpec(
    string Key,
    string ContainingType,
    string MethodName,
    string DisplayName,
    EquatableArray<ParameterSpec> Parameters,
    ReturnSpec Return,
    EquatableArray<RouteSpec> Routes);
