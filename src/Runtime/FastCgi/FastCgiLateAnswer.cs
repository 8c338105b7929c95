using System;
using System.IO;

namespace CgiRouting.FastCgi;

/// <summary>
/// The late answer of a FastCGI request: once the pipeline's 503 is out, the request's STDOUT is ended (with
/// END_REQUEST), the connection is shut down, since the handler still holds its thread, and the request gives back its
/// <c>--max-concurrency</c> slot, so that no request waits for ever behind a handler that hangs. The deadline is the
/// pipeline's managed timer: a kernel timer's handle would live as long as the process, one per request.
/// </summary>
internal sealed class FastCgiLateAnswer(FastCgiOutputStream output, Action? shutdown, FastCgiServer server) : LateAnswer
{
    /// <summary>Whether the deadline answered: the connection cannot be used further, and the slot is given back.</summary>
    public bool Answered { get; private set; }

    public override void AfterAnswer()
    {
        Answered = true;
        try
        {
            output.Complete();
        }
        catch (IOException)
        {
            // The web server has gone (EPIPE): there is no one to answer, and the connection ends below all the same.
        }
        finally
        {
            shutdown?.Invoke();
            server.ReleaseLateSlot();
        }
    }
}
