using System;

namespace CgiRouting;

/// <summary>
/// What a GET or HEAD gets instead of a handler's 200 when it asks for less: 304 Not Modified when the response's
/// <c>ETag</c> or <c>Last-Modified</c> says the client's copy is current, 412 when its <c>If-Match</c> or
/// <c>If-Unmodified-Since</c> fails (RFC 9110 §13.2.2, <see cref="ConditionalRequests.Evaluate"/>), and for a
/// <see cref="Response.Bytes"/> or <see cref="Response.File"/> body, 206 with the one range a GET asks for, or 416 for
/// a range past its end (§14). Attached to the responses that can be answered so (<see cref="ConditionalAnswer"/>).
/// </summary>
internal sealed class ConditionalResponse : ConditionalAnswer
{
    /// <inheritdoc/>
    public override Response Answer(CgiRequest request, Response response)
    {
        if (response.StatusCode != 200 || request.Method is not ("GET" or "HEAD"))
            return response;
        string? etag = response.HeaderValue("ETag");
        long modified = response.HeaderValue("Last-Modified") is { } lastModified && HttpDate.TryParse(lastModified, out long seconds) ? seconds : HttpDate.None;
        // The validators are the handler's consent: a response without them is left as it is, whatever the request asks.
        if (etag is not null || modified != HttpDate.None)
        {
            switch (ConditionalRequests.Evaluate(request, etag, modified, exists: true))
            {
                case 304:
                    return NotModified(response);
                case 412:
                    response.BodyStream?.Dispose();
                    return ConditionalRequests.PreconditionFailed();
            }
        }
        return response.AcceptsRanges ? Ranged(request, response, etag, modified) : response;
    }

    /// <summary>
    /// A 304 in place of <paramref name="response"/>: no body, and of its headers only those a cache updates its copy
    /// with (RFC 9110 §15.4.5); cookies and the others are dropped, as a 304 is not a representation.
    /// </summary>
    private static Response NotModified(Response response)
    {
        response.BodyStream?.Dispose();
        var notModified = Response.Empty(304);
        foreach (var (name, value) in response.Headers)
        {
            if (name.Equals("ETag", StringComparison.OrdinalIgnoreCase) || name.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Cache-Control", StringComparison.OrdinalIgnoreCase) || name.Equals("Expires", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Vary", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Location", StringComparison.OrdinalIgnoreCase))
                notModified.WithHeader(name, value);
        }
        return notModified;
    }

    /// <summary>
    /// A body that can be sliced, to a GET or HEAD: <c>Accept-Ranges: bytes</c>, and for a GET's <c>Range</c> (unless
    /// its <c>If-Range</c> names another version) a 206 of the one range or a 416. HEAD and other methods ignore
    /// <c>Range</c> (§14.2: GET is the only method it is defined for), as does an empty body.
    /// </summary>
    private static Response Ranged(CgiRequest request, Response response, string? etag, long modified)
    {
        response.WithHeader("Accept-Ranges", "bytes");
        long length = response.BodyLength;
        if (request.Method != "GET" || length <= 0 || ConditionalRequests.Field(request, "HTTP_RANGE") is not { } range)
            return response;
        if (ConditionalRequests.Field(request, "HTTP_IF_RANGE") is { } ifRange && !ConditionalRequests.IfRangeHolds(ifRange, etag, modified))
            return response;
        switch (ByteRange.Select(range, length, out long start, out long count))
        {
            case ByteRangeKind.Part:
                return response.Part(start, count);
            case ByteRangeKind.NotSatisfiable:
                response.BodyStream?.Dispose();
                return Response.Error(416, "Range Not Satisfiable: the body has no byte in the range asked for.")
                    .WithHeader("Content-Range", string.Concat("bytes */", length.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                    .WithHeader("Accept-Ranges", "bytes");
            default:
                return response;
        }
    }
}
