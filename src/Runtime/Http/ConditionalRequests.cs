using System;

namespace CgiRouting;

/// <summary>
/// Conditional requests (RFC 9110 §13): <c>If-Match</c>, <c>If-Unmodified-Since</c>, <c>If-None-Match</c> and
/// <c>If-Modified-Since</c>, evaluated in the order of §13.2.2. A 200 to a GET or HEAD that carries an <c>ETag</c> or
/// <c>Last-Modified</c> is answered from them by the framework (see <see cref="Response.WithETag"/>); a handler that
/// changes something calls <see cref="CheckPreconditions"/> before it does.
/// </summary>
public static class ConditionalRequests
{
    /// <summary>
    /// The answer to give instead of doing the request's work, or <see langword="null"/> to do it, given the current
    /// version of what the request is about: its <paramref name="etag"/> (as <see cref="Response.WithETag"/> takes
    /// it) and <paramref name="lastModified"/>, each <see langword="null"/> when it has none (both when it does not
    /// exist). 412 Precondition Failed when <c>If-Match</c> names another version (or the request's
    /// <c>If-Unmodified-Since</c> is before <paramref name="lastModified"/>), so that a PUT, PATCH or DELETE made from a
    /// stale copy changes nothing; 304 Not Modified for a GET or HEAD whose <c>If-None-Match</c> names this version (or
    /// whose <c>If-Modified-Since</c> is not before <paramref name="lastModified"/>); 412 too for another method whose
    /// <c>If-None-Match</c> matches (<c>If-None-Match: *</c> on a PUT that must only create). Unreadable dates are
    /// ignored; an <c>If-Match</c> that cannot be read matches nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="etag"/> has a space, a double quote or a control character.</exception>
    public static Response? CheckPreconditions(this CgiRequest request, string? etag, DateTimeOffset? lastModified)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? tag = etag is null ? null : EntityTag.Quote(etag);
        long modified = lastModified is { } date ? date.ToUnixTimeSeconds() : HttpDate.None;
        switch (Evaluate(request, tag, modified, exists: tag is not null || lastModified is not null))
        {
            case 304:
                var notModified = Response.Empty(304);
                if (tag is not null)
                    notModified.WithETag(tag);
                if (lastModified is { } time)
                    notModified.WithLastModified(time);
                return notModified;
            case 412:
                return PreconditionFailed();
            default:
                return null;
        }
    }

    /// <summary>The 412 of a precondition that is false, as the framework's other errors are written.</summary>
    internal static Response PreconditionFailed()
        => Response.Error(412, "Precondition Failed: the resource is not in the state the request's If-Match, If-None-Match or If-Unmodified-Since names.");

    /// <summary>
    /// RFC 9110 §13.2.2: 412 when <c>If-Match</c> fails (or, without it, <c>If-Unmodified-Since</c>); then 304 for a
    /// GET or HEAD (412 for other methods) when <c>If-None-Match</c> matches (or, without it, for a GET or HEAD,
    /// when <c>If-Modified-Since</c> is not before <paramref name="modified"/>); else 0, to go on. <paramref name="etag"/>
    /// is quoted or null, <paramref name="modified"/> in seconds since 1970 or <see cref="HttpDate.None"/>;
    /// <paramref name="exists"/> is whether there is a current representation, which <c>*</c> matches.
    /// </summary>
    internal static int Evaluate(CgiRequest request, string? etag, long modified, bool exists)
    {
        bool getOrHead = request.Method is "GET" or "HEAD";
        if (Field(request, "HTTP_IF_MATCH") is { } ifMatch)
        {
            // Strong comparison: a weak tag says "equivalent", not "the same bytes", which a change must not build on.
            if (!(EntityTag.IsAny(ifMatch) ? exists : etag is not null && EntityTag.ListContains(ifMatch, etag, weak: false)))
                return 412;
        }
        else if (Field(request, "HTTP_IF_UNMODIFIED_SINCE") is { } ifUnmodifiedSince && modified != HttpDate.None
            && HttpDate.TryParse(ifUnmodifiedSince, out long since) && modified > since)
        {
            return 412;
        }
        if (Field(request, "HTTP_IF_NONE_MATCH") is { } ifNoneMatch)
        {
            if (EntityTag.IsAny(ifNoneMatch) ? exists : etag is not null && EntityTag.ListContains(ifNoneMatch, etag, weak: true))
                return getOrHead ? 304 : 412;
        }
        else if (getOrHead && Field(request, "HTTP_IF_MODIFIED_SINCE") is { } ifModifiedSince && modified != HttpDate.None
            && HttpDate.TryParse(ifModifiedSince, out long since) && modified <= since)
        {
            return 304;
        }
        return 0;
    }

    /// <summary>
    /// Whether a request with <c>If-Range</c> <paramref name="ifRange"/> may get part of the representation that has
    /// <paramref name="etag"/> and <paramref name="modified"/> (RFC 9110 §13.1.5): an entity tag by the strong
    /// comparison, or a date equal to <c>Last-Modified</c>, which must itself be strong (at least a second old, so it
    /// cannot have changed twice within that second). Otherwise the client gets the whole of it.
    /// </summary>
    internal static bool IfRangeHolds(string ifRange, string? etag, long modified)
    {
        var value = ifRange.AsSpan().Trim(" \t");
        if (value.StartsWith("\"") || value.StartsWith("W/"))
            return etag is not null && EntityTag.ListContains(value, etag, weak: false);
        return modified != HttpDate.None && HttpDate.TryParse(value, out long date) && date == modified
            && modified < DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    /// <summary>A request header from its meta-variable; one set but empty (as some servers pass them) is none.</summary>
    internal static string? Field(CgiRequest request, string variable)
        => request.Get(variable) is { } value && !value.AsSpan().Trim(" \t").IsEmpty ? value : null;
}
