using System;

namespace CgiRouting;

/// <summary>
/// Thrown when the request itself is at fault: a body shorter than <c>CONTENT_LENGTH</c>, malformed JSON, a
/// missing or unparsable parameter. <see cref="CgiApp"/> answers it with <see cref="StatusCode"/> (a 4xx) and
/// <see cref="Exception.Message"/> as a plain-text body, so the message must be safe to show to the client.
/// Handlers may throw it too.
/// </summary>
public sealed class CgiRequestException : Exception
{
    /// <summary>Creates the exception with a 4xx <paramref name="statusCode"/> and a client-safe message.</summary>
    public CgiRequestException(int statusCode, string message) : base(message)
    {
        if (statusCode is < 400 or > 499)
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A request error has a 4xx status code.");
        StatusCode = statusCode;
    }

    /// <summary>The 4xx status code the client gets.</summary>
    public int StatusCode { get; }

    /// <summary>
    /// For a JSON body that parsed but has a value of the wrong type: the value's wire key (<c>count</c>,
    /// <c>address.city</c>, <c>tags[0]</c>), so that a <see cref="Validated{T}"/> body lists it with the other errors.
    /// </summary>
    internal string? JsonValueKey { get; init; }

    /// <summary>With <see cref="JsonValueKey"/>: what JSON the value must be (<c>an integer (Int32)</c>).</summary>
    internal string? JsonValueExpected { get; init; }
}
