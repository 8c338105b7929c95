using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CgiRouting.FastCgi;

/// <summary>
/// The pool's state as <c>--status-path</c> reports it, read from the <see cref="Scoreboard"/> by the worker that answers:
/// php-fpm's fields (start time, accepted requests, the listen queue and its most, idle, active and total workers, max
/// children reached, slow requests; each worker with <c>?full</c>) and, beyond php-fpm, per-route request counts by status
/// class and latency histograms. Written as JSON (<see cref="Json"/>) or OpenMetrics text (<see cref="OpenMetrics"/>).
/// </summary>
internal sealed class PoolStatus
{
    /// <summary>The content type of <see cref="OpenMetrics"/>.</summary>
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>The label of the requests no route matched (and those answered before dispatch: 4xx of bad input, 503s).</summary>
    public const string Unmatched = "(unmatched)";

    /// <summary>The manager's start, in Unix seconds.</summary>
    public long StartTime { get; init; }

    /// <summary>Requests served by the live workers and the reaped ones.</summary>
    public long Served { get; init; }

    /// <summary>Requests accepted (begun) by the pool: php-fpm's <c>accepted conn</c>, which also counts per request.</summary>
    public long Accepted { get; init; }

    /// <summary>Connections waiting in the listener's queue now; null for a unix socket (see <see cref="SocketDescriptor.ListenQueue"/>).</summary>
    public int? ListenQueue { get; init; }

    /// <summary>The most connections seen waiting in the queue since the start; null when the queue cannot be read.</summary>
    public long? MaxListenQueue { get; init; }

    /// <summary>The queue's size (the listen backlog); null when it cannot be read.</summary>
    public int? ListenQueueLength { get; init; }

    /// <summary>How many times the pool wanted another worker while it had its MAX.</summary>
    public long MaxChildrenReached { get; init; }

    /// <summary>Requests that ran past <c>--slow-log</c>'s threshold (none without it, as php-fpm).</summary>
    public long SlowRequests { get; init; }

    public required IReadOnlyList<Worker> Workers { get; init; }

    /// <summary>The per-route counters as <see cref="Scoreboard.Read"/> copied them (<see cref="Scoreboard.CountsOf"/>).</summary>
    public required long[] RouteCounters { get; init; }

    /// <summary>One worker, for <c>?full</c>.</summary>
    public sealed class Worker
    {
        public int Pid { get; init; }

        public int InFlight { get; init; }

        public long Requests { get; init; }

        /// <summary>The current request's method and URI (or the last one's, when idle), null before the first.</summary>
        public string? Request { get; init; }

        /// <summary>How long the current request has run, or how long the last one took, in microseconds.</summary>
        public long RequestMicroseconds { get; init; }
    }

    /// <summary>
    /// JSON: the fields of before (<c>start_time</c>, <c>requests</c>, <c>total_processes</c>, <c>active_processes</c>,
    /// <c>idle_processes</c>) and php-fpm's others (<c>accepted_conn</c>, <c>listen_queue</c>, <c>max_listen_queue</c>,
    /// <c>listen_queue_len</c>, <c>max_children_reached</c>, <c>slow_requests</c>); with <paramref name="full"/>,
    /// <c>processes</c>: each worker's pid, state, requests in flight and served, current request and its duration, RSS.
    /// </summary>
    public string Json(bool full)
    {
        int active = 0;
        foreach (var worker in Workers)
            active += worker.InFlight > 0 ? 1 : 0;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{{\"start_time\":{StartTime},\"requests\":{Served},")
            .Append(CultureInfo.InvariantCulture, $"\"total_processes\":{Workers.Count},\"active_processes\":{active},\"idle_processes\":{Workers.Count - active},")
            .Append(CultureInfo.InvariantCulture, $"\"accepted_conn\":{Accepted},\"listen_queue\":{Number(ListenQueue)},\"max_listen_queue\":{Number(MaxListenQueue)},")
            .Append(CultureInfo.InvariantCulture, $"\"listen_queue_len\":{Number(ListenQueueLength)},\"max_children_reached\":{MaxChildrenReached},\"slow_requests\":{SlowRequests}");
        if (full)
        {
            text.Append(",\"processes\":[");
            for (int i = 0; i < Workers.Count; i++)
            {
                var worker = Workers[i];
                text.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"pid\":{worker.Pid},\"state\":\"{(worker.InFlight > 0 ? "active" : "idle")}\",")
                    .Append(CultureInfo.InvariantCulture, $"\"in_flight\":{worker.InFlight},\"requests\":{worker.Requests},\"request\":")
                    .Append(worker.Request is null ? "null" : JsonString(worker.Request))
                    .Append(CultureInfo.InvariantCulture, $",\"request_duration_us\":{worker.RequestMicroseconds},\"rss_bytes\":{ResidentMemory.OfProcess(worker.Pid) ?? 0}}}");
            }
            text.Append(']');
        }
        return text.Append("}\n").ToString();
    }

    /// <summary>
    /// OpenMetrics 1.0 text (<see cref="OpenMetricsContentType"/>): each family with <c># TYPE</c>, <c># UNIT</c> where it
    /// has one and <c># HELP</c>; counters' samples end in <c>_total</c>; the per-route families are labelled by the
    /// method and template of the build-time route table (<paramref name="routes"/>), with <see cref="Unmatched"/> for
    /// requests no route matched, so their number is bounded by the app's routes; <c># EOF</c> at the end.
    /// </summary>
    public string OpenMetrics(IReadOnlyList<RouteInfo> routes)
    {
        int active = 0;
        foreach (var worker in Workers)
            active += worker.InFlight > 0 ? 1 : 0;
        var text = new StringBuilder();
        Family(text, "cgirouting_start_time_seconds", "gauge", "seconds", "When the pool's manager started, in Unix seconds.");
        text.Append(CultureInfo.InvariantCulture, $"cgirouting_start_time_seconds {StartTime}\n");
        Counter(text, "cgirouting_accepted_connections", "Requests accepted by the pool (php-fpm's accepted conn).", Accepted);
        Counter(text, "cgirouting_served_requests", "Requests served by the pool's workers, live and exited.", Served);
        if (ListenQueue is { } queue)
        {
            Gauge(text, "cgirouting_listen_queue", "Connections waiting in the listening socket's queue.", queue);
            Gauge(text, "cgirouting_max_listen_queue", "The most connections seen waiting in the queue since the start.", MaxListenQueue ?? 0);
            Gauge(text, "cgirouting_listen_queue_length", "The size of the listening socket's queue.", ListenQueueLength ?? 0);
        }
        Gauge(text, "cgirouting_idle_processes", "Workers serving no request.", Workers.Count - active);
        Gauge(text, "cgirouting_active_processes", "Workers serving a request.", active);
        Gauge(text, "cgirouting_total_processes", "Workers running.", Workers.Count);
        Counter(text, "cgirouting_max_children_reached", "Times the pool wanted another worker while it had its most (--prefork MIN:MAX).", MaxChildrenReached);
        Counter(text, "cgirouting_slow_requests", "Requests that ran past --slow-log's threshold.", SlowRequests);

        int rows = Scoreboard.RouteRows(RouteCounters);
        Family(text, "cgirouting_route_requests", "counter", null, "Requests by route (method and template of the route table) and status class.");
        for (int route = 0; route < rows; route++)
        {
            var counts = Scoreboard.CountsOf(RouteCounters, route);
            string labels = Labels(routes, route);
            for (int statusClass = 0; statusClass < counts.ByClass.Length; statusClass++)
                text.Append(CultureInfo.InvariantCulture, $"cgirouting_route_requests_total{{{labels},status=\"{statusClass + 1}xx\"}} {counts.ByClass[statusClass]}\n");
        }
        Family(text, "cgirouting_route_request_duration_seconds", "histogram", "seconds", "Time from a request's parameters to its response's end, by route.");
        var bounds = Scoreboard.BucketBounds;
        for (int route = 0; route < rows; route++)
        {
            var counts = Scoreboard.CountsOf(RouteCounters, route);
            string labels = Labels(routes, route);
            long cumulative = 0;
            for (int bucket = 0; bucket < counts.Buckets.Length; bucket++)
            {
                cumulative += counts.Buckets[bucket];
                string le = bucket < bounds.Length ? Float(bounds[bucket]) : "+Inf";
                text.Append(CultureInfo.InvariantCulture, $"cgirouting_route_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {cumulative}\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"cgirouting_route_request_duration_seconds_count{{{labels}}} {cumulative}\n");
            text.Append(CultureInfo.InvariantCulture, $"cgirouting_route_request_duration_seconds_sum{{{labels}}} {Float(counts.SumMicroseconds / 1e6)}\n");
        }
        return text.Append("# EOF\n").ToString();
    }

    private static string Labels(IReadOnlyList<RouteInfo> routes, int route) => route < routes.Count
        ? $"method=\"{LabelValue(routes[route].Method)}\",route=\"{LabelValue(routes[route].Template)}\""
        : $"method=\"{Unmatched}\",route=\"{Unmatched}\"";

    private static void Family(StringBuilder text, string name, string type, string? unit, string help)
    {
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        if (unit is not null)
            text.Append("# UNIT ").Append(name).Append(' ').Append(unit).Append('\n');
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        Family(text, name, "counter", null, help);
        text.Append(CultureInfo.InvariantCulture, $"{name}_total {value}\n");
    }

    private static void Gauge(StringBuilder text, string name, string help, long value)
    {
        Family(text, name, "gauge", null, help);
        text.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
    }

    /// <summary>A label value as OpenMetrics escapes it: <c>\</c>, <c>"</c> and a line feed.</summary>
    internal static string LabelValue(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    /// <summary>A number as OpenMetrics writes a float: invariant, shortest round-trip, with a decimal point (<c>1.0</c>).</summary>
    internal static string Float(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny(".Ee") < 0 ? text + ".0" : text;
    }

    private static string Number(long? value) => value is { } known ? known.ToString(CultureInfo.InvariantCulture) : "null";

    /// <summary><paramref name="value"/> as a JSON string, quoted (the status's and the access log's JSON lines).</summary>
    internal static string JsonString(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            if (c is '"' or '\\')
                text.Append('\\').Append(c);
            else if (c < 0x20 || c is '\u2028' or '\u2029')
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                text.Append(c);
        }
        return text.Append('"').ToString();
    }
}
