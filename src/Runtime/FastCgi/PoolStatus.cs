using System;
using System.Collections.Generic;
using CgiRouting.Dispatching;
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

    /// <summary>Connections waiting in the listener's queue now; null when the kernel would not tell (see <see cref="SocketDescriptor.ListenQueue"/>).</summary>
    public int? ListenQueue { get; init; }

    /// <summary>The most connections seen waiting in the queue since the start; null when the queue cannot be read.</summary>
    public long? MaxListenQueue { get; init; }

    /// <summary>The queue's size (the listen backlog); null when it cannot be read.</summary>
    public int? ListenQueueLength { get; init; }

    /// <summary>How many times the pool wanted another worker while it had its MAX.</summary>
    public long MaxChildrenReached { get; init; }

    /// <summary>Requests that ran past <c>--slow-log</c>'s threshold (none without it, as php-fpm).</summary>
    public long SlowRequests { get; init; }

    /// <summary>
    /// The workers running (an array, not a list: each generic collection of a type of its own is a static base that
    /// every process, CGI ones included, allocates at start).
    /// </summary>
    public required Worker[] Workers { get; init; }

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
    // Both formats are written as UTF-8 from u8 literals (data in the binary): string literals are objects the loader
    // relocates at every start, a CGI request's too (this file's had cost 0.3 % of its instructions).
    public byte[] Json(bool full)
    {
        int active = Active();
        var json = new JsonUtf8Builder();
        json.StartObject();
        json.Property("\"start_time\":"u8);
        json.Number(StartTime);
        json.Property("\"requests\":"u8);
        json.Number(Served);
        json.Property("\"total_processes\":"u8);
        json.Number(Workers.Length);
        json.Property("\"active_processes\":"u8);
        json.Number(active);
        json.Property("\"idle_processes\":"u8);
        json.Number(Workers.Length - active);
        json.Property("\"accepted_conn\":"u8);
        json.Number(Accepted);
        json.Property("\"listen_queue\":"u8);
        NumberOrNull(json, ListenQueue);
        json.Property("\"max_listen_queue\":"u8);
        NumberOrNull(json, MaxListenQueue);
        json.Property("\"listen_queue_len\":"u8);
        NumberOrNull(json, ListenQueueLength);
        json.Property("\"max_children_reached\":"u8);
        json.Number(MaxChildrenReached);
        json.Property("\"slow_requests\":"u8);
        json.Number(SlowRequests);
        if (full)
        {
            json.Property("\"processes\":"u8);
            json.StartArray();
            foreach (var worker in Workers)
            {
                json.Item();
                json.StartObject();
                json.Property("\"pid\":"u8);
                json.Number(worker.Pid);
                json.Property("\"state\":"u8);
                json.Raw(worker.InFlight > 0 ? "\"active\""u8 : "\"idle\""u8);
                json.Property("\"in_flight\":"u8);
                json.Number(worker.InFlight);
                json.Property("\"requests\":"u8);
                json.Number(worker.Requests);
                json.Property("\"request\":"u8);
                if (worker.Request is null)
                    json.Null();
                else
                    json.String(worker.Request);
                json.Property("\"request_duration_us\":"u8);
                json.Number(worker.RequestMicroseconds);
                json.Property("\"rss_bytes\":"u8);
                json.Number(ResidentMemory.OfProcess(worker.Pid) ?? 0);
                json.EndObject();
            }
            json.EndArray();
        }
        json.EndObject();
        json.Raw("\n"u8);
        return json.WrittenSpan.ToArray();
    }

    private int Active()
    {
        int active = 0;
        foreach (var worker in Workers)
            active += worker.InFlight > 0 ? 1 : 0;
        return active;
    }

    private static void NumberOrNull(JsonUtf8Builder json, long? value)
    {
        if (value is { } known)
            json.Number(known);
        else
            json.Null();
    }

    /// <summary>
    /// OpenMetrics 1.0 text (<see cref="OpenMetricsContentType"/>): each family with <c># TYPE</c>, <c># UNIT</c> where it
    /// has one and <c># HELP</c>; counters' samples end in <c>_total</c>; the per-route families are labelled by the
    /// method and template of the build-time route table (<paramref name="routes"/>), with <see cref="Unmatched"/> for
    /// requests no route matched, so their number is bounded by the app's routes; <c># EOF</c> at the end.
    /// </summary>
    public byte[] OpenMetrics(IReadOnlyList<RouteInfo> routes)
    {
        int active = Active();
        var text = new JsonUtf8Builder(); // used for its UTF-8 buffer and number formatting only
        text.Raw("# TYPE cgirouting_start_time_seconds gauge\n# UNIT cgirouting_start_time_seconds seconds\n"u8);
        text.Raw("# HELP cgirouting_start_time_seconds When the pool's manager started, in Unix seconds.\ncgirouting_start_time_seconds "u8);
        Line(text, StartTime);
        text.Raw("# TYPE cgirouting_accepted_connections counter\n# HELP cgirouting_accepted_connections Requests accepted by the pool (php-fpm's accepted conn).\n"u8);
        text.Raw("cgirouting_accepted_connections_total "u8);
        Line(text, Accepted);
        text.Raw("# TYPE cgirouting_served_requests counter\n# HELP cgirouting_served_requests Requests served by the pool's workers, live and exited.\n"u8);
        text.Raw("cgirouting_served_requests_total "u8);
        Line(text, Served);
        if (ListenQueue is { } queue)
        {
            text.Raw("# TYPE cgirouting_listen_queue gauge\n# HELP cgirouting_listen_queue Connections waiting in the listening socket's queue.\ncgirouting_listen_queue "u8);
            Line(text, queue);
            text.Raw("# TYPE cgirouting_max_listen_queue gauge\n# HELP cgirouting_max_listen_queue The most connections seen waiting in the queue since the start.\n"u8);
            text.Raw("cgirouting_max_listen_queue "u8);
            Line(text, MaxListenQueue ?? 0);
            text.Raw("# TYPE cgirouting_listen_queue_length gauge\n# HELP cgirouting_listen_queue_length The size of the listening socket's queue.\n"u8);
            text.Raw("cgirouting_listen_queue_length "u8);
            Line(text, ListenQueueLength ?? 0);
        }
        text.Raw("# TYPE cgirouting_idle_processes gauge\n# HELP cgirouting_idle_processes Workers serving no request.\ncgirouting_idle_processes "u8);
        Line(text, Workers.Length - active);
        text.Raw("# TYPE cgirouting_active_processes gauge\n# HELP cgirouting_active_processes Workers serving a request.\ncgirouting_active_processes "u8);
        Line(text, active);
        text.Raw("# TYPE cgirouting_total_processes gauge\n# HELP cgirouting_total_processes Workers running.\ncgirouting_total_processes "u8);
        Line(text, Workers.Length);
        text.Raw("# TYPE cgirouting_max_children_reached counter\n"u8);
        text.Raw("# HELP cgirouting_max_children_reached Times a connection waited while every worker of a --prefork MIN:MAX pool at MAX was busy.\n"u8);
        text.Raw("cgirouting_max_children_reached_total "u8);
        Line(text, MaxChildrenReached);
        text.Raw("# TYPE cgirouting_slow_requests counter\n# HELP cgirouting_slow_requests Requests that ran past --slow-log's threshold.\n"u8);
        text.Raw("cgirouting_slow_requests_total "u8);
        Line(text, SlowRequests);

        int rows = Scoreboard.RouteRows(RouteCounters);
        var labels = new byte[rows][];
        for (int route = 0; route < rows; route++)
            labels[route] = Labels(routes, route);
        text.Raw("# TYPE cgirouting_route_requests counter\n"u8);
        text.Raw("# HELP cgirouting_route_requests Requests by route (method and template of the route table) and status class.\n"u8);
        for (int route = 0; route < rows; route++)
        {
            var counts = Scoreboard.CountsOf(RouteCounters, route);
            for (int statusClass = 0; statusClass < counts.ByClass.Length; statusClass++)
            {
                text.Raw("cgirouting_route_requests_total{"u8);
                text.Raw(labels[route]);
                text.Raw(",status=\""u8);
                text.Number(statusClass + 1);
                text.Raw("xx\"} "u8);
                Line(text, counts.ByClass[statusClass]);
            }
        }
        text.Raw("# TYPE cgirouting_route_request_duration_seconds histogram\n# UNIT cgirouting_route_request_duration_seconds seconds\n"u8);
        text.Raw("# HELP cgirouting_route_request_duration_seconds Time from a request's parameters to its response's end, by route.\n"u8);
        for (int route = 0; route < rows; route++)
        {
            var counts = Scoreboard.CountsOf(RouteCounters, route);
            long cumulative = 0;
            for (int bucket = 0; bucket < counts.Buckets.Length; bucket++)
            {
                cumulative += counts.Buckets[bucket];
                text.Raw("cgirouting_route_request_duration_seconds_bucket{"u8);
                text.Raw(labels[route]);
                text.Raw(",le=\""u8);
                text.Raw(Bound(bucket));
                text.Raw("\"} "u8);
                Line(text, cumulative);
            }
            text.Raw("cgirouting_route_request_duration_seconds_count{"u8);
            text.Raw(labels[route]);
            text.Raw("} "u8);
            Line(text, cumulative);
            text.Raw("cgirouting_route_request_duration_seconds_sum{"u8);
            text.Raw(labels[route]);
            text.Raw("} "u8);
            text.Number(counts.SumMicroseconds / 1_000_000);
            text.Raw("."u8);
            long fraction = counts.SumMicroseconds % 1_000_000;
            for (long digit = 100_000; digit > 0; digit /= 10)
                text.Raw((fraction / digit % 10) switch { 0 => "0"u8, 1 => "1"u8, 2 => "2"u8, 3 => "3"u8, 4 => "4"u8, 5 => "5"u8, 6 => "6"u8, 7 => "7"u8, 8 => "8"u8, _ => "9"u8 });
            text.Raw("\n"u8);
        }
        text.Raw("# EOF\n"u8);
        return text.WrittenSpan.ToArray();
    }

    private static void Line(JsonUtf8Builder text, long value)
    {
        text.Number(value);
        text.Raw("\n"u8);
    }

    /// <summary>The <c>le</c> of bucket <paramref name="bucket"/> (<see cref="Scoreboard.BucketBounds"/>), as OpenMetrics writes a float.</summary>
    internal static ReadOnlySpan<byte> Bound(int bucket) => bucket switch
    {
        0 => "0.001"u8, 1 => "0.0025"u8, 2 => "0.005"u8, 3 => "0.01"u8, 4 => "0.025"u8, 5 => "0.05"u8, 6 => "0.1"u8,
        7 => "0.25"u8, 8 => "0.5"u8, 9 => "1.0"u8, 10 => "2.5"u8, 11 => "5.0"u8, 12 => "10.0"u8, _ => "+Inf"u8,
    };

    private static byte[] Labels(IReadOnlyList<RouteInfo> routes, int route) => route < routes.Count
        ? Encoding.UTF8.GetBytes("method=\"" + LabelValue(routes[route].Method) + "\",route=\"" + LabelValue(routes[route].Template) + "\"")
        : Encoding.UTF8.GetBytes("method=\"" + Unmatched + "\",route=\"" + Unmatched + "\"");

    /// <summary>A label value as OpenMetrics escapes it: <c>\</c>, <c>"</c> and a line feed.</summary>
    internal static string LabelValue(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\"\n") < 0)
            return value;
        var text = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            if (c is '\\' or '"')
                text.Append('\\').Append(c);
            else if (c == '\n')
                text.Append("\\n");
            else
                text.Append(c);
        }
        return text.ToString();
    }
}
