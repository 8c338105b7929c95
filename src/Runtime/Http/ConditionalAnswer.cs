namespace CgiRouting;

/// <summary>
/// What answers a GET or HEAD from the response a handler made, when the request asks for less than all of it: the
/// one kind is <see cref="ConditionalResponse"/> (304, 412, 206, 416), which <see cref="Response.WithETag"/>,
/// <see cref="Response.WithLastModified"/>, <see cref="Response.Bytes"/> and <see cref="Response.File"/> attach.
/// The pipeline calls it through this abstract method, not directly, because Native AOT compiles an override only
/// into an app that constructs its class: an app that uses none of those four links none of the parsing of dates,
/// entity tags and ranges. Called directly, it was in every binary: 14 KB, and about 3,900 instructions more in every
/// CGI request of samples/Hello (callgrind); called so, samples/Hello's binary is the size it was without it.
/// </summary>
internal abstract class ConditionalAnswer
{
    /// <summary><paramref name="response"/>, or the answer <paramref name="request"/> gets instead of it.</summary>
    public abstract Response Answer(CgiRequest request, Response response);
}
