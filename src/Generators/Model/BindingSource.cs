namespace CgiRouting.Generators.Model;

/// <summary>Where a handler parameter's value comes from, when it is not a route parameter.</summary>
internal enum BindingSource
{
    Query,
    Header,
    Cookie,
    Request,
    CancellationToken,
    BodyText,
    BodyBytes,
    BodyStream,
    Json,
    Unbindable,
}
