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
