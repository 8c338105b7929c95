using System;
using System.Collections.Generic;
using System.IO;

namespace CgiRouting;

/// <summary>Settings for <see cref="CgiApp.Run(CgiOptions)"/> and <see cref="CgiApp.DispatchAsync"/>.</summary>
public sealed class CgiOptions
{
    /// <summary>The default <see cref="MaxRequestBodySize"/>: 30,000,000 bytes, as in ASP.NET Core's Kestrel.</summary>
    public const long DefaultMaxRequestBodySize = 30_000_000;

    /// <summary>
    /// The largest <c>CONTENT_LENGTH</c> accepted. A larger request gets 413 before any of its body is read.
    /// </summary>
    public long MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>The default <see cref="Timeout"/>: 30 seconds, less than the usual web server CGI timeout (60 s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private TimeSpan _timeout = DefaultTimeout;

    /// <summary>
    /// How long a request may take, from the start of dispatch to the handler's result. When it is up, the client gets
    /// 503 with a short body, a line naming the request goes to <see cref="ErrorLog"/>, and the process exits, even if
    /// the handler is blocked. The server's administrator can set another value without a rebuild with the CGI
    /// variable <c>CGIROUTING_TIMEOUT</c> (seconds, e.g. <c>SetEnv CGIROUTING_TIMEOUT 5</c>).
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns the deadline off. Only <see cref="CgiApp.Run(CgiOptions)"/>
    /// and the stream overload of <c>CgiApp.Run</c> enforce it; <see cref="CgiApp.DispatchAsync"/> does not.
    /// </summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        set => _timeout = value == System.Threading.Timeout.InfiniteTimeSpan || (value > TimeSpan.Zero && value.TotalMilliseconds <= int.MaxValue)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The timeout must be positive and at most int.MaxValue ms, or Timeout.InfiniteTimeSpan.");
    }

    /// <summary>The largest file of a <c>multipart/form-data</c> form, in bytes: 413 beyond. Default 30,000,000 (the body limit).</summary>
    public long MaxFormFileSize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>
    /// The most fields of a form: pairs of an <c>application/x-www-form-urlencoded</c> body, parts (fields and files) of
    /// a <c>multipart/form-data</c> one. Counted as the form is parsed, so that a body of millions of <c>a&amp;a&amp;...</c>
    /// is refused at the first field over the limit rather than after every pair is in memory: 413 beyond. Default
    /// 1,024, as ASP.NET Core's <c>FormOptions.ValueCountLimit</c>.
    /// </summary>
    public int MaxFormFields { get; set; } = 1024;

    /// <summary>
    /// The longest field name of a form, in characters as sent (before percent-decoding): 400 beyond. Default 2,048,
    /// as ASP.NET Core's <c>FormOptions.KeyLengthLimit</c>.
    /// </summary>
    public int MaxFormKeyLength { get; set; } = 2048;

    /// <summary>
    /// The longest field value of a form, in characters as sent (before percent-decoding; bytes for a
    /// <c>multipart/form-data</c> field), files excepted (<see cref="MaxFormFileSize"/>): 400 beyond. Default 4 MiB
    /// (4,194,304), as ASP.NET Core's <c>FormOptions.ValueLengthLimit</c>.
    /// </summary>
    public int MaxFormValueLength { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Origins (<c>https://app.example.com</c>: scheme, host and port if not the default, nothing else) whose pages may
    /// send unsafe requests (POST, PUT, PATCH, DELETE, ...) to this app from another site. The cross-origin protection
    /// refuses such requests from every other site with 403, unless the route has <see cref="AllowCrossOriginAttribute"/>.
    /// Compared with the request's <c>Origin</c> header, ignoring case.
    /// </summary>
    public IList<string> TrustedOrigins { get; set; } = [];

    /// <summary>
    /// Whether the framework's own error answers (400 for a parameter or body that cannot be bound, 401, 403, 404, 405,
    /// 413, 415, 500) are always RFC 9457 problem details, <c>application/problem+json</c> with <c>type</c>, <c>title</c>,
    /// <c>status</c> and <c>detail</c>. When false (the default), they are problem details only for a request whose
    /// <c>Accept</c> ranks <c>application/json</c> or <c>application/problem+json</c> above <c>text/plain</c>, and
    /// plain text otherwise. A 500 never carries the exception, either way.
    /// </summary>
    public bool UseProblemDetails { get; set; }

    private string? _authenticationRealm;

    /// <summary>
    /// The realm of the 401 that <see cref="AuthorizeAttribute"/> and a required <see cref="UserAttribute"/> answer
    /// with: when set, the 401 carries <c>WWW-Authenticate: Basic realm="..."</c>, so that a browser asks for a name and
    /// password and sends them again, for the web server to check (set the same realm there). Without it (the
    /// default), the 401 has no <c>WWW-Authenticate</c>: the server, or a single sign-on in front of it, decides how
    /// users log in. Printable ASCII only; <c>"</c> and <c>\</c> are escaped.
    /// </summary>
    /// <exception cref="ArgumentException">The realm has a control or non-ASCII character.</exception>
    public string? AuthenticationRealm
    {
        get => _authenticationRealm;
        set => _authenticationRealm = value is null || !value.AsSpan().ContainsAnyExceptInRange(' ', '~')
            ? value
            : throw new ArgumentException("A realm is printable ASCII: it goes into the WWW-Authenticate header.", nameof(value));
    }

    /// <summary>
    /// Where handler exceptions and protocol errors are written; <see langword="null"/> means standard error,
    /// which the web server writes to its error log.
    /// </summary>
    public TextWriter? ErrorLog { get; set; }
}
