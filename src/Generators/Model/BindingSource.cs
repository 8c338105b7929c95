namespace CgiRouting.Generators.Model;

/// <summary>Where a handler parameter's value comes from, when it is not a route parameter.</summary>
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
