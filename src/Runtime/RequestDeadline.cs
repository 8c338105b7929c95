using System;
using System.Threading;

namespace CgiRouting;

/// <summary>
/// The per-request deadline of <see cref="CgiOptions.Timeout"/>: a watchdog thread that, unless the request finishes
/// first, runs <c>expired</c> (which answers 503) once the time is up. A thread, not a <see cref="Timer"/>: it starts
/// for about a third of the instructions (no timer queue), and it also fires while a synchronous handler blocks the
/// main thread, which an await-based timeout could not.
/// </summary>
internal sealed class RequestDeadline
{
    private const int Running = 0, Finished = 1, Expired = 2;

    private readonly TimeSpan _timeout;
    private readonly Action _expired;
    private readonly Thread _watchdog;
    private int _state;

    private RequestDeadline(TimeSpan timeout, Action expired)
    {
        _timeout = timeout;
        _expired = expired;
        // Background: the process ends when the request does, whatever the watchdog is doing.
        _watchdog = new Thread(Watch, maxStackSize: 256 * 1024) { IsBackground = true, Name = "CgiRouting deadline" };
    }

    /// <summary>Starts the watchdog: <paramref name="expired"/> runs on it if the request is not finished in time.</summary>
    public static RequestDeadline Start(TimeSpan timeout, Action expired)
    {
        var deadline = new RequestDeadline(timeout, expired);
        deadline._watchdog.Start();
        return deadline;
    }

    /// <summary>
    /// Marks the request finished, so the watchdog will not answer, and returns <see langword="true"/>; or returns
    /// <see langword="false"/> once the watchdog has answered already (the request is over and must not answer again).
    /// </summary>
    public bool TryFinish()
    {
        if (Interlocked.CompareExchange(ref _state, Finished, Running) == Running)
        {
            lock (this)
                Monitor.PulseAll(this); // let the watchdog end now rather than at the deadline
            return true;
        }
        _watchdog.Join(); // its answer must be out before the caller returns and the process exits
        return false;
    }

    private void Watch()
    {
        lock (this)
        {
            if (Volatile.Read(ref _state) == Running)
                Monitor.Wait(this, _timeout);
        }
        if (Interlocked.CompareExchange(ref _state, Expired, Running) == Running)
            _expired();
    }
}
