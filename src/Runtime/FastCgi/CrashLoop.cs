using System;
using System.IO;

namespace CgiRouting.FastCgi;

/// <summary>
/// <c>--restart-threshold N/SECONDS</c>, php-fpm's <c>emergency_restart_threshold</c> and <c>_interval</c>: when N
/// workers have died abnormally (a signal, an exit code other than 0) within SECONDS, the manager starts none for a
/// while, 1 s at first and doubling (up to 5 minutes) for each further death within SECONDS of the last, and says so
/// once; SECONDS without such a death end the episode. Restarting a worker that crashes on every request at once
/// would only burn the machine and fill the log.
/// </summary>
internal sealed class CrashLoop(int threshold, int windowSeconds, TextWriter log)
{
    private readonly long[] _deaths = new long[Math.Max(threshold, 1)]; // a ring of the last N deaths' times
    private int _next;
    private long _pausedUntil, _lastDeath;
    private int _pause; // milliseconds
    private bool _said;

    /// <summary>Whether no worker is to be started at <paramref name="now"/>.</summary>
    public bool Paused(long now) => now < _pausedUntil;

    /// <summary>A worker died abnormally at <paramref name="now"/> (Environment.TickCount64).</summary>
    public void Died(long now)
    {
        if (threshold == 0)
            return;
        long window = windowSeconds * 1000L;
        if (_pause > 0 && now - _lastDeath > window)
            (_pause, _said) = (0, false); // the last episode is over
        _lastDeath = now;
        _deaths[_next] = now;
        _next = (_next + 1) % _deaths.Length;
        long oldest = _deaths[_next]; // the N-th death before this one's successor: this ring's oldest
        if (oldest == 0 || now - oldest > window)
            return;
        _pause = Math.Min(Math.Max(_pause * 2, 1000), 300_000);
        _pausedUntil = now + _pause;
        if (_said)
            return;
        _said = true;
        log.WriteLine($"CgiRouting: {threshold} FastCGI workers died abnormally within {windowSeconds} s (--restart-threshold {threshold}/{windowSeconds}): "
            + $"starting none for {_pause / 1000} s, and for twice as long after each further death (said once).");
    }
}
