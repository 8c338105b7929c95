using System;
using System.Collections.Generic;

namespace CgiRouting.Generators.Model;

/// <summary>
/// Where a handler parameter's value comes from, when it is not a route parameter: what its model says. Each is
/// described by an entry of <see cref="BindingSources"/> below.
/// </summary>
internal enum BindingSource
{
    Query,
    Header,
    Cookie,
    /// <summary>One form field (or all of a repeated one, for an array).</summary>
    Form,
    /// <summary>One file of the form.</summary>
    FormFile,
    /// <summary>Every file of a form field.</summary>
    FormFiles,
    /// <summary>A class or record bound from the form's fields, member by member.</summary>
    FormObject,
    Request,
    /// <summary>The authenticated user's name, <c>REMOTE_USER</c>: <c>[User] string</c>.</summary>
    User,
    CancellationToken,
    BodyText,
    BodyBytes,
    BodyStream,
    Json,
    Unbindable,
}

/// <summary>
/// The table of binding sources (docs/guide/binding.md): one entry per binding attribute, and one per source that a
/// parameter's type chooses alone. A new source is an attribute in src/Runtime/Attributes, a member of the enum above
/// and an entry here, and tests (CONTRIBUTING.md); the parser, the invoker and the OpenAPI document read the entry.
/// </summary>
internal static class BindingSources
{
    private const string Dispatching = "global::CgiRouting.Dispatching";

    // The attributes, in the order messages name a parameter's attribute in (the first it has).

    public static readonly BindingSourceEntry User = new()
    {
        Label = "[User]",
        AttributeName = "CgiRouting.UserAttribute",
        Sources = [BindingSource.User],
        Takes = BindingTypes.String,
        AcceptedTypes = "REMOTE_USER, the name the web server authenticated, to a string (or string?)",
        FixedKey = "REMOTE_USER",
        TakesNoOther = "[User] binds REMOTE_USER and takes no other binding attribute",
        UnboundWhenRejected = true,
        What = "user",
        Read = Dispatching + ".Authentication.User(request)",
        // A required [User] makes the handler's authorization Required: the invoker has checked REMOTE_USER.
        PresentWhenRequired = true,
    };

    public static readonly BindingSourceEntry Header = new()
    {
        Label = "[Header]",
        AttributeName = "CgiRouting.HeaderAttribute",
        Sources = [BindingSource.Header],
        Takes = BindingTypes.SimpleValue,
        AcceptedTypes = "strings and simple types such as int",
        KeyName = "header name",
        What = "header",
        Read = "request.GetHeader({0})",
        OpenApiIn = "header",
    };

    public static readonly BindingSourceEntry Query = new()
    {
        Label = "[Query]",
        AttributeName = "CgiRouting.QueryAttribute",
        Sources = [BindingSource.Query],
        Takes = BindingTypes.SimpleValueOrArray,
        AcceptedTypes = "strings, simple types such as int, and arrays of them",
        KeyDefaultsToName = true,
        What = "query parameter",
        Read = "request.Query.GetFirst({0})",
        ReadAll = "request.Query.GetAll({0})",
        OpenApiIn = "query",
    };

    public static readonly BindingSourceEntry Cookie = new()
    {
        Label = "[Cookie]",
        AttributeName = "CgiRouting.CookieAttribute",
        Sources = [BindingSource.Cookie],
        Takes = BindingTypes.SimpleValue,
        AcceptedTypes = "strings and simple types such as int",
        KeyName = "cookie name",
        What = "cookie",
        Read = "global::System.Collections.Generic.CollectionExtensions.GetValueOrDefault(request.Cookies, {0})",
        OpenApiIn = "cookie",
    };

    public static readonly BindingSourceEntry Form = new()
    {
        Label = "[Form]",
        AttributeName = "CgiRouting.FormAttribute",
        Sources = [BindingSource.Form, BindingSource.FormFile, BindingSource.FormFiles, BindingSource.FormObject],
        Takes = BindingTypes.Form,
        KeyDefaultsToName = true,
        ReadsBody = true,
        What = "form field",
        Read = "request.ReadFormData().GetField({0})",
        ReadAll = "request.ReadFormData().GetFields({0})",
        // A ticked checkbox without a value attribute sends "on".
        ReadBoolean = Dispatching + ".ValueParser.Checkbox(request.ReadFormData().GetField({0}))",
    };

    public static readonly BindingSourceEntry Body = new()
    {
        Label = "[Body]",
        AttributeName = "CgiRouting.BodyAttribute",
        Sources = [BindingSource.BodyText, BindingSource.BodyBytes, BindingSource.BodyStream],
        Takes = BindingTypes.Body,
        KeyDefaultsToName = true,
        ReadsBody = true,
    };

    // The sources a parameter's type chooses without an attribute, in the order they are tried; the query string
    // (a simple value) and a JSON body (what is left) come after them.

    public static readonly BindingSourceEntry Request = new()
    {
        Label = "CgiRequest",
        TypeName = "CgiRouting.CgiRequest",
        Sources = [BindingSource.Request],
        Takes = BindingTypes.Type,
        Argument = "request",
    };

    public static readonly BindingSourceEntry CancellationToken = new()
    {
        Label = "CancellationToken",
        TypeName = "System.Threading.CancellationToken",
        Sources = [BindingSource.CancellationToken],
        Takes = BindingTypes.Type,
        Argument = "request.RequestAborted", // cancelled when the request is abandoned: its deadline, an abort, a closed connection
    };

    public static readonly BindingSourceEntry Json = new()
    {
        Label = "a JSON body",
        Sources = [BindingSource.Json],
        Takes = BindingTypes.Json,
        ReadsBody = true,
    };

    /// <summary>A route parameter: the template names it, and the matcher parses its segment (no attribute).</summary>
    public static readonly BindingSourceEntry Path = new()
    {
        Label = "the path",
        Sources = [],
        Takes = BindingTypes.PathSegment,
        AcceptedTypes = "strings, numbers, bool, Guid, dates, times and enums",
        OpenApiIn = "path",
    };

    /// <summary>Every entry, the attributes first in the order above.</summary>
    public static readonly IReadOnlyList<BindingSourceEntry> All = [User, Header, Query, Cookie, Form, Body, Request, CancellationToken, Json, Path];

    /// <summary>The entry that gives a parameter <paramref name="source"/>, or null for <see cref="BindingSource.Unbindable"/>.</summary>
    public static BindingSourceEntry? Of(BindingSource source)
    {
        foreach (var entry in All)
        {
            if (Array.IndexOf(entry.Sources, source) >= 0)
                return entry;
        }
        return null;
    }
}
