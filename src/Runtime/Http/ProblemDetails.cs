using System;
using System.Runtime.CompilerServices;

namespace CgiRouting;

/// <summary>
/// The framework's own error answers (400 binding and validation, 401, 403, 404, 405, 412, 413, 415, 416, 500) as RFC 9457 problem details,
/// <c>application/problem+json</c>, when the request's <c>Accept</c> ranks JSON above plain text or the app sets
/// <see cref="CgiOptions.UseProblemDetails"/>; as plain text otherwise. Nothing here runs on the success path: a
/// response is only looked at when it is an error of the framework (<see cref="Response.ErrorMessage"/>), and only
/// then is <c>Accept</c> read.
/// </summary>
internal static class ProblemDetails
{
    /// <summary><paramref name="response"/>, or its problem-details form when it is a framework error the client should get as JSON.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Response Shape(CgiRequest request, Response response)
        => response.ErrorMessage is null ? response : Negotiate(request, response);

    private static Response Negotiate(CgiRequest request, Response error)
    {
        if (request.Options?.UseProblemDetails != true && !PrefersJson(request.GetHeader("Accept")))
            return error;
        var problem = error.Validation is { } validation
            ? Response.ValidationProblem(validation)
            : Response.Problem(error.StatusCode, detail: error.ErrorMessage);
        foreach (var header in error.Headers)
            problem.WithHeader(header.Key, header.Value); // Allow of a 405, WWW-Authenticate of a 401
        return problem;
    }

    /// <summary>
    /// Whether <paramref name="accept"/> ranks <c>application/json</c> or <c>application/problem+json</c> strictly above
    /// <c>text/plain</c> (RFC 9110 §12.5.1: each by its most specific matching range, <c>type/subtype</c> over
    /// <c>type/*</c> over <c>*/*</c>; <c>q=0</c> is "not acceptable"; a type no range matches is not acceptable).
    /// No <c>Accept</c>, or one that ranks them equally (<c>*/*</c>, a browser's list), keeps plain text.
    /// </summary>
    public static bool PrefersJson(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
            return false;
        int json = Math.Max(Quality(accept, "application", "json"), Quality(accept, "application", "problem+json"));
        return json > Quality(accept, "text", "plain");
    }

    /// <summary>The quality (in thousandths) that <paramref name="accept"/> gives <paramref name="type"/>/<paramref name="subtype"/>; 0 when no range matches.</summary>
    private static int Quality(string accept, string type, string subtype)
    {
        int best = 0, bestSpecificity = -1;
        foreach (var range in new HeaderRanges(accept))
        {
            ReadOnlySpan<char> item = range, mediaRange = item, parameters = default;
            int semicolon = item.IndexOf(';');
            if (semicolon >= 0)
            {
                mediaRange = item[..semicolon];
                parameters = item[(semicolon + 1)..];
            }
            mediaRange = mediaRange.Trim();
            int slash = mediaRange.IndexOf('/');
            if (slash < 0)
                continue;
            ReadOnlySpan<char> rangeType = mediaRange[..slash].Trim(), rangeSubtype = mediaRange[(slash + 1)..].Trim();
            int specificity = rangeType is "*" && rangeSubtype is "*" ? 0
                : rangeType.Equals(type, StringComparison.OrdinalIgnoreCase) && rangeSubtype is "*" ? 1
                : rangeType.Equals(type, StringComparison.OrdinalIgnoreCase) && rangeSubtype.Equals(subtype, StringComparison.OrdinalIgnoreCase) ? 2
                : -1;
            if (specificity < 0 || QualityParameter(parameters) is not (>= 0 and int q))
                continue;
            if (specificity > bestSpecificity || (specificity == bestSpecificity && q > best))
                (best, bestSpecificity) = (q, specificity);
        }
        return best;
    }

    /// <summary>The <c>q</c> of a range's parameters in thousandths: 1000 when absent, -1 when malformed (the range is ignored).</summary>
    private static int QualityParameter(ReadOnlySpan<char> parameters)
    {
        while (parameters.Length > 0)
        {
            int semicolon = parameters.IndexOf(';');
            var parameter = (semicolon < 0 ? parameters : parameters[..semicolon]).Trim();
            parameters = semicolon < 0 ? default : parameters[(semicolon + 1)..];
            if (parameter.Length < 2 || (parameter[0] | 0x20) != 'q' || parameter[1..].TrimStart()[0] != '=')
                continue;
            var value = parameter[(parameter.IndexOf('=') + 1)..].Trim();
            // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), parsed by hand: no floating point.
            if (value.Length is 0 or > 5 || value[0] is not ('0' or '1') || (value.Length > 1 && value[1] != '.'))
                return -1;
            int thousandths = value[0] == '1' ? 1000 : 0;
            for (int i = 2, scale = 100; i < 5; i++, scale /= 10)
            {
                if (i >= value.Length)
                    break;
                if (value[i] is < '0' or > '9' || (thousandths == 1000 && value[i] != '0'))
                    return -1;
                thousandths += (value[i] - '0') * scale;
            }
            return thousandths;
        }
        return 1000;
    }

    /// <summary>The comma-separated items of a header value, without allocating.</summary>
    private ref struct HeaderRanges(string value)
    {
        private ReadOnlySpan<char> _rest = value;

        public ReadOnlySpan<char> Current { get; private set; }

        public readonly HeaderRanges GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.IsEmpty)
                return false;
            int comma = _rest.IndexOf(',');
            Current = comma < 0 ? _rest : _rest[..comma];
            _rest = comma < 0 ? default : _rest[(comma + 1)..];
            return true;
        }
    }
}
