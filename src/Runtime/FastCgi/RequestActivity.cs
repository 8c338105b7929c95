using System.Collections.Generic;
using System.Diagnostics;

namespace CgiRouting.FastCgi;

/// <summary>
/// A FastCGI request as the worker's metrics, access log and slow log see it: when it began, its parameters, the request
/// the pipeline built from them (whose <see cref="CgiRequest.RouteIndex"/> the generated dispatcher sets), and its status.
/// Made only by a worker that observes its requests (<c>--status-path</c>, <c>--access-log</c>, <c>--slow-log</c>).
/// </summary>
internal sealed class RequestActivity(Dictionary<string, string> environment)
{
    /// <summary>When the request's parameters had arrived (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long Started { get; } = Stopwatch.GetTimestamp();

    /// <summary>The same moment on the wall clock, for the access log.</summary>
    public System.DateTime StartedUtc { get; } = System.DateTime.UtcNow;

    public Dictionary<string, string> Environment => environment;

    /// <summary>The request the pipeline built, set as soon as it is (the slow log reads its route while the handler runs).</summary>
    public volatile CgiRequest? Request;

    /// <summary>The status answered; 0 when no answer was written.</summary>
    public int Status;

    /// <summary>Answered by the worker itself (<c>--ping-path</c>, <c>--status-path</c>): not counted under a route.</summary>
    public bool PoolAnswer;

    /// <summary>The thread serving it (gettid), for the slow log; 0 unless <c>--slow-log</c> is on.</summary>
    public int ThreadId;

    /// <summary>1 once the slow log has written it: it is written once.</summary>
    public int SlowLogged;

    /// <summary>Whether this request holds its worker's scoreboard row for <c>?full</c> (<see cref="Scoreboard.RequestBegan"/>).</summary>
    public bool OwnsRow;

    /// <summary>Microseconds since it began.</summary>
    public long Microseconds => (Stopwatch.GetTimestamp() - Started) * 1_000_000 / Stopwatch.Frequency;

    /// <summary>REQUEST_URI as the web server sent it, else SCRIPT_NAME and PATH_INFO with the query.</summary>
    public string Uri
    {
        get
        {
            if (environment.TryGetValue("REQUEST_URI", out string? uri) && uri.Length > 0)
                return uri;
            string query = environment.GetValueOrDefault("QUERY_STRING", "");
            return environment.GetValueOrDefault("SCRIPT_NAME", "") + environment.GetValueOrDefault("PATH_INFO", "") + (query.Length > 0 ? "?" + query : "");
        }
    }

    public string Method => environment.GetValueOrDefault("REQUEST_METHOD", "");
}
