namespace CgiRouting.Generators.Model;

/// <summary>When a filter runs, which its signature says.</summary>
internal enum FilterKind
{
    /// <summary><c>Response? M(CgiRequest)</c>: before binding; a response answers instead of the handler.</summary>
    Before,

    /// <summary><c>Response M(CgiRequest, Response)</c>: after the handler, on its response.</summary>
    After,

    /// <summary><c>Response M(CgiRequest, Response, TimeSpan)</c>: after the handler, with the time since the filters started.</summary>
    AfterTimed,
}

/// <summary>One <c>[Filter]</c> of a handler or of its class, in nesting order (outermost first).</summary>
internal sealed record FilterSpec(FilterKind Kind, string ContainingType, string MethodName);
