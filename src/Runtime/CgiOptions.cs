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

    /// <summary>
    /// Where handler exceptions and protocol errors are written; <see langword="null"/> means standard error,
    /// which the web server writes to its error log.
    /// </summary>
    public TextWriter? ErrorLog { get; set; }
}
