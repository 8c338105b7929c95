using System;

namespace CgiRouting;

/// <summary>
/// The late answer of a CGI process (<see cref="CgiApp.Run()"/>), whose one request is the process's: the native
/// deadline answers and ends the process, with no thread (see <see cref="RequestDeadline"/>). Where there is none, or
/// the app has an <see cref="CgiOptions.ErrorLog"/> of its own (the signal handler writes its line to standard error),
/// the pipeline's timer answers and then the process ends: the handler may be blocked for good, and the web server
/// would end the process anyway.
/// </summary>
internal sealed class ProcessLateAnswer : LateAnswer
{
    public override RequestDeadline? StartOwnDeadline(TimeSpan timeout, CgiRequest request, CgiOptions? options)
        => options?.ErrorLog is null
            ? RequestDeadline.StartForProcess(timeout, request.Method == "HEAD", RequestPipeline.LateLine(request, timeout) + "\n")
            : null;

    public override void AfterAnswer() => Environment.Exit(0);
}
