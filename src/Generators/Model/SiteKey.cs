using System.Globalization;

namespace CgiRouting.Generators.Model;

/// <summary>Which place of a handler a <see cref="SiteKey"/> names.</summary>
internal enum SiteKind
{
    /// <summary>The template argument of one of its route attributes.</summary>
    Route,

    /// <summary>One of its parameters.</summary>
    Parameter,

    /// <summary>Its return type.</summary>
    Return,
}

/// <summary>
/// Names a place in a handler's source, so that a problem of the route table as a whole (a conflict, a missing JSON
/// context) can be reported there: the models carry keys, and the locations travel beside them as <see cref="Site"/>s
/// until output.
/// </summary>
/// <param name="Handler">The handler's <see cref="HandlerSpec.Key"/>.</param>
/// <param name="Name">The parameter's name, or the route attribute's index among the handler's route attributes.</param>
internal readonly record struct SiteKey(string Handler, SiteKind Kind, string Name)
{
    public static SiteKey Route(string handler, int index) => new(handler, SiteKind.Route, index.ToString(CultureInfo.InvariantCulture));

    public static SiteKey Parameter(string handler, string name) => new(handler, SiteKind.Parameter, name);

    public static SiteKey Return(string handler) => new(handler, SiteKind.Return, "");

    /// <summary>
    /// The key as text: <c>handler#0</c>, <c>handler(name)</c>, <c>handler:return</c>. Routes of one method and
    /// template are ordered by it (RouteTable.Build), as they were when keys were these strings.
    /// </summary>
    public override string ToString() => Kind switch
    {
        SiteKind.Route => Handler + "#" + Name,
        SiteKind.Parameter => Handler + "(" + Name + ")",
        _ => Handler + ":return",
    };
}
