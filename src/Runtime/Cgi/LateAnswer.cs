using System;

namespace CgiRouting;

/// <summary>
/// What ends a request that outlives its deadline (<see cref="CgiOptions.Timeout"/>), which differs by mode: one object
/// per request, given to <see cref="RequestPipeline.Serve"/> by whoever starts it. In every mode the pipeline logs one
/// line and answers 503 while the handler runs on; then <see cref="ProcessLateAnswer"/> (a CGI process) ends the process,
/// <see cref="InProcessLateAnswer"/> (<see cref="CgiApp.Run(System.Collections.Generic.IReadOnlyDictionary{string, string}, System.IO.Stream, System.IO.Stream, CgiOptions?)"/>)
/// does nothing more, and <see cref="FastCgi.FastCgiLateAnswer"/> (a FastCGI worker's request) ends the request and
/// its connection.
/// </summary>
internal abstract class LateAnswer
{
    /// <summary>
    /// A deadline that answers by itself, with no managed thread, where this mode has one; <see langword="null"/>
    /// (the default) for the pipeline's own: a <see cref="System.Threading.Timer"/> whose thread writes the 503 and
    /// then calls <see cref="AfterAnswer"/>. Its line on the error log is <see cref="RequestPipeline.LateLine"/>.
    /// </summary>
    public virtual RequestDeadline? StartOwnDeadline(TimeSpan timeout, CgiRequest request, CgiOptions? options) => null;

    /// <summary>Runs on the deadline's thread once the 503 is written: what ends the late request in this mode.</summary>
    public abstract void AfterAnswer();
}
