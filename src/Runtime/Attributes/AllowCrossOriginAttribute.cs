using System;

namespace CgiRouting;

/// <summary>
/// Turns off the cross-origin protection for a handler, or for every handler of a class: its unsafe requests (POST,
/// PUT, PATCH, DELETE, ...) are served whatever site sent them. For an API called by scripts on other sites with
/// credentials of their own (tokens, not cookies); a form handler should keep the protection, or trust the origins it
/// needs in <see cref="CgiOptions.TrustedOrigins"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false)]
public sealed class AllowCrossOriginAttribute : Attribute
{
}
