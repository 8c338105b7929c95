using System.Globalization;

namespace CgiRouting.FastCgi;

/// <summary>
/// A <c>--prefork</c> pool as the command line gave it: its size (<c>--prefork N</c> or <c>MIN:MAX</c>), when an idle
/// worker is stopped, what each worker may serve, and when dying workers make the manager back off.
/// </summary>
internal sealed class PoolSettings
{
    /// <summary>The workers kept started; 0 for php-fpm's ondemand (a worker only once a connection waits).</summary>
    public required int Min { get; init; }

    /// <summary>The most workers; equal to <see cref="Min"/> for a fixed pool.</summary>
    public required int Max { get; init; }

    /// <summary><c>--idle-timeout</c>: a worker beyond <see cref="Min"/> that served nothing for this long is stopped.</summary>
    public int IdleTimeoutSeconds { get; init; } = 10;

    /// <summary>Each worker's <c>--max-requests</c>, 0 for none.</summary>
    public long MaxRequests { get; init; }

    /// <summary>Each worker's <c>--max-concurrency</c>, 0 for its default.</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>Each worker's <c>--max-rss</c> in MiB, 0 for none.</summary>
    public int MaxRssMib { get; init; }

    /// <summary><c>--restart-threshold N/SECONDS</c>: N, 0 for none.</summary>
    public int RestartThreshold { get; init; }

    /// <summary><c>--restart-threshold N/SECONDS</c>: SECONDS.</summary>
    public int RestartWindowSeconds { get; init; }

    /// <summary>Each worker's <c>--ping-path</c> and <c>--status-path</c>, or null.</summary>
    public string? PingPath { get; init; }

    public string? StatusPath { get; init; }

    /// <summary>The app's routes, for the scoreboard's per-route counters.</summary>
    public int RouteCount { get; init; }

    /// <summary>Each worker's <c>--access-log</c> and <c>--access-format</c>, or null.</summary>
    public string? AccessLog { get; init; }

    public string? AccessFormat { get; init; }

    /// <summary>Each worker's <c>--slow-log</c> as given, or null.</summary>
    public string? SlowLog { get; init; }

    /// <summary>
    /// <c>--user USER[:GROUP]</c>, resolved by the manager (root): the command that runs each worker as that user, in
    /// front of the worker's own (setpriv, which sets the groups, the group and the user, then executes the worker); null
    /// for workers that run as the manager does.
    /// </summary>
    public string[]? RunAs { get; init; }

    /// <summary>A worker's command line: the binary and the options that are each worker's own, after <see cref="RunAs"/>.</summary>
    public string[] WorkerArguments(string binary)
    {
        var arguments = new System.Collections.Generic.List<string>(RunAs ?? []) { binary };
        if (MaxRequests > 0)
            arguments.AddRange(["--max-requests", MaxRequests.ToString(CultureInfo.InvariantCulture)]);
        if (MaxConcurrency > 0)
            arguments.AddRange(["--max-concurrency", MaxConcurrency.ToString(CultureInfo.InvariantCulture)]);
        if (MaxRssMib > 0)
            arguments.AddRange(["--max-rss", MaxRssMib.ToString(CultureInfo.InvariantCulture)]);
        if (PingPath is not null)
            arguments.AddRange(["--ping-path", PingPath]);
        if (StatusPath is not null)
            arguments.AddRange(["--status-path", StatusPath]);
        if (AccessLog is not null)
            arguments.AddRange(["--access-log", AccessLog]);
        if (AccessFormat is not null)
            arguments.AddRange(["--access-format", AccessFormat]);
        if (SlowLog is not null)
            arguments.AddRange(["--slow-log", SlowLog]);
        return [.. arguments];
    }
}
