using System;

namespace CgiRouting;

/// <summary>
/// Runs the static method <paramref name="method"/> of <paramref name="type"/> around a handler, or around every
/// handler of a class. The generated dispatcher calls it directly (no delegate, no reflection); its signature says
/// when it runs:
/// <list type="bullet">
/// <item><c>static Response? M(CgiRequest request)</c> runs before binding; a response it returns is the answer and
/// the handler does not run (a 401 for a missing token); null lets the request through.</item>
/// <item><c>static Response M(CgiRequest request, Response response)</c> runs after the handler and returns the
/// answer: the handler's, changed (a header added), or another.</item>
/// <item><c>static Response M(CgiRequest request, Response response, TimeSpan elapsed)</c> likewise, with the time
/// since the first filter of the handler started (to time it).</item>
/// </list>
/// Filters nest: the class's outside the method's, and each attribute outside those written after it. So before-filters
/// run in that order (class first, top to bottom), after the <c>[Authorize]</c> check; after-filters in the reverse
/// order. Any other signature is a build error (CGI027) located on the attribute.
/// </summary>
/// <example><c>[Filter(typeof(Tokens), nameof(Tokens.RequireBearer))]</c></example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FilterAttribute(Type type, string method) : Attribute
{
    /// <summary>The type that declares the filter method.</summary>
    public Type Type { get; } = type;

    /// <summary>The name of the static filter method (<c>nameof(...)</c>).</summary>
    public string Method { get; } = method;
}
