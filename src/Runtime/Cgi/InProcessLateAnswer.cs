namespace CgiRouting;

/// <summary>
/// The late answer of a request served between streams, in-process
/// (<see cref="CgiApp.Run(System.Collections.Generic.IReadOnlyDictionary{string, string}, System.IO.Stream, System.IO.Stream, CgiOptions?)"/>):
/// the 503 is all; the call returns once the handler does, and the process lives on.
/// </summary>
internal sealed class InProcessLateAnswer : LateAnswer
{
    public override void AfterAnswer()
    {
    }
}
