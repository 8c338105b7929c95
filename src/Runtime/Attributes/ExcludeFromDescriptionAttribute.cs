using System;

namespace CgiRouting;

/// <summary>
/// Leaves the handler's routes (on a class: every handler's of the class) out of the app's OpenAPI document: the
/// pages of an app that is also an API (forms that post and redirect, HTML), which are no operations a client calls.
/// It also silences CGI021 for them, since no answer of theirs is described. The routes are served as any other.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false)]
public sealed class ExcludeFromDescriptionAttribute : Attribute
{
}
