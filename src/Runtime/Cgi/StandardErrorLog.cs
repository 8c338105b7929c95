using System;
using System.IO;
using System.Text;

namespace CgiRouting;

/// <summary>
/// The default <see cref="CgiOptions.ErrorLog"/>: standard error (the web server's error log), opened on the first
/// line written. <see cref="Console.Error"/> costs about 18,000 instructions to set up, which most requests, having
/// nothing to log, would pay for nothing.
/// </summary>
internal sealed class StandardErrorLog : TextWriter
{
    public override Encoding Encoding => Console.Error.Encoding;

    public override void Write(char value) => Console.Error.Write(value);

    public override void Write(string? value) => Console.Error.Write(value);

    // One call, so that a line leaves in one write and lines of concurrent requests do not interleave.
    public override void WriteLine(string? value) => Console.Error.WriteLine(value);

    public override void Flush() => Console.Error.Flush();
}
