using System;
using System.IO;
using System.Text;

namespace CgiRouting.FastCgi;

/// <summary>
/// The error log of a request served over FastCGI when the app has not set <see cref="CgiOptions.ErrorLog"/>: each
/// entry goes to the web server as STDERR of that request, which it writes to its error log (nginx: "FastCGI sent in
/// stderr: ..."), as a CGI request's standard error does and as php-fpm sends its messages; and to the worker's own
/// log (its standard error: the journal, say), which stays complete. An entry written once the request has ended
/// (END_REQUEST is out: a handler that fails after its deadline answered 503) reaches only the worker's log.
/// </summary>
/// <remarks>
/// An entry is what one <see cref="WriteLine(string)"/> writes, an exception's stack trace included, or what
/// <see cref="Write(string)"/> calls wrote up to one ending with a newline: one STDERR record (nginx logs each record
/// as one message), one line on the worker's log.
/// </remarks>
internal sealed class FastCgiErrorLog(FastCgiOutputStream output, TextWriter workerLog) : TextWriter
{
    private readonly object _lock = new();
    private StringBuilder? _pending;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        lock (_lock)
        {
            (_pending ??= new StringBuilder()).Append(value);
            if (value.EndsWith('\n'))
                SendPending();
        }
    }

    // One call, so that an entry (a whole exception) leaves in one STDERR record and one write to the worker's log.
    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            if (_pending is { Length: > 0 })
            {
                _pending.Append(value);
                SendPending();
            }
            else
                Send(value ?? "");
        }
    }

    public override void WriteLine() => WriteLine((string?)null);

    public override void Flush()
    {
        lock (_lock)
        {
            if (_pending is { Length: > 0 })
                SendPending();
        }
        workerLog.Flush();
    }

    private void SendPending()
    {
        string entry = _pending!.ToString().TrimEnd('\r', '\n');
        _pending.Clear();
        Send(entry);
    }

    private void Send(string entry)
    {
        workerLog.WriteLine(entry);
        try
        {
            output.WriteError(Encoding.UTF8.GetBytes(entry + "\n"));
        }
        catch (IOException)
        {
            // The web server closed the connection: the worker's log has the entry.
        }
    }
}
