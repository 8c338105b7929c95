using System;
using System.Collections.Generic;

namespace CgiRouting.Generators.Model;

/// <summary>What a binding source takes, and so how the parser binds a parameter that has it.</summary>
internal enum BindingTypes
{
    /// <summary>A string (or <c>string?</c>), one value read by <see cref="BindingSourceEntry.Read"/>.</summary>
    String,

    /// <summary>A string or a simple type such as int (<see cref="ValueKind"/>), one value read by <see cref="BindingSourceEntry.Read"/>.</summary>
    SimpleValue,

    /// <summary>
    /// A string, a simple type or an array of them, under its key; a parameter with the attribute binds as one without
    /// it does (a file, the request, the cancellation token), except that it is never read as JSON.
    /// </summary>
    SimpleValueOrArray,

    /// <summary>A form field (a simple value or an array of them), <c>FormFile</c>, <c>FormFile[]</c>, or a class or record of those.</summary>
    Form,

    /// <summary>The raw body: <c>string</c>, <c>byte[]</c> or <c>Stream</c>.</summary>
    Body,

    /// <summary>Exactly the type <see cref="BindingSourceEntry.TypeName"/>, which needs no attribute.</summary>
    Type,

    /// <summary>What a parameter without an attribute and of no other source's type is: a class, record or struct read from a JSON body.</summary>
    Json,

    /// <summary>One path segment, which the route's template names: the matcher parses it.</summary>
    PathSegment,
}

/// <summary>
/// One binding source: where a handler parameter's value comes from. The parser finds the attribute (or the type) and
/// checks the parameter against <see cref="Takes"/>; the invoker reads the value with <see cref="Read"/>; the OpenAPI
/// document puts it <see cref="OpenApiIn"/>. Its members are text and flags, as a model's are.
/// </summary>
internal sealed record BindingSourceEntry
{
    /// <summary>How messages name it: <c>[Header]</c>, or the type of an implicit source.</summary>
    public required string Label { get; init; }

    /// <summary>The metadata name of its attribute, or null for a source without one.</summary>
    public string? AttributeName { get; init; }

    /// <summary>For <see cref="BindingTypes.Type"/>: the metadata name of the type it binds.</summary>
    public string? TypeName { get; init; }

    /// <summary>The <see cref="BindingSource"/>s a parameter with it gets: the first for a simple value, the others for files, objects or bodies.</summary>
    public required BindingSource[] Sources { get; init; }

    public required BindingTypes Takes { get; init; }

    /// <summary>What it takes, as CGI015 says it: <c>[Header] binds strings and simple types such as int, not 'T'</c>.</summary>
    public string? AcceptedTypes { get; init; }

    /// <summary>The key when it is always the same (<c>REMOTE_USER</c>); otherwise the attribute's first argument.</summary>
    public string? FixedKey { get; init; }

    /// <summary>Without an argument the key is the parameter's name; otherwise it is empty (and must be given).</summary>
    public bool KeyDefaultsToName { get; init; }

    /// <summary>When the key must be an HTTP token: what CGI015 calls it (<c>'x y' is not a valid header name</c>).</summary>
    public string? KeyName { get; init; }

    /// <summary>Why it takes no other binding attribute, when it says so itself (CGI015); others are exclusive together.</summary>
    public string? TakesNoOther { get; init; }

    /// <summary>
    /// A parameter of a type it does not take is left unbound, not only reported, so that nothing counts it as bound:
    /// a rejected <c>[User]</c> must not make its handler require a user.
    /// </summary>
    public bool UnboundWhenRejected { get; init; }

    /// <summary>Whether it reads the request body: CGI016 on GET and HEAD, and CGI005 for two of them (all form sources count as one).</summary>
    public bool ReadsBody { get; init; }

    /// <summary>What a 400 calls it: <c>header</c>, in <c>Missing header 'X-Id'</c>.</summary>
    public string? What { get; init; }

    /// <summary>The C# expression that reads its one value as text or null, <c>{0}</c> the key's literal.</summary>
    public string? Read { get; init; }

    /// <summary>The C# expression that reads all its values, for an array, <c>{0}</c> the key's literal.</summary>
    public string? ReadAll { get; init; }

    /// <summary>How a bool is read, when not as <c>true</c> or <c>false</c> text (a checkbox sends <c>on</c>).</summary>
    public string? ReadBoolean { get; init; }

    /// <summary>A required value is there whenever the handler runs (the invoker checked it first), so it is not checked again.</summary>
    public bool PresentWhenRequired { get; init; }

    /// <summary>The C# expression passed to the handler as it is, with nothing to read first.</summary>
    public string? Argument { get; init; }

    /// <summary>Where the OpenAPI document puts it (a parameter's <c>in</c>), or null when it is not a parameter there.</summary>
    public string? OpenApiIn { get; init; }
}

/// <summary>
/// The table of binding sources (docs/guide/binding.md): one entry per binding attribute, and one per source that a
/// parameter's type chooses alone. A new source is an attribute in src/Runtime/Attributes, an entry here (and a member
/// of <see cref="BindingSource"/>), and tests; the parser, the invoker and the OpenAPI document read the entry.
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
        Argument = "global::System.Threading.CancellationToken.None", // a CGI request is never cancelled: the process just ends
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
