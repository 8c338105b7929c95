using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace CgiRouting.FastCgi;

/// <summary>
/// A FastCGI worker: a thread per open connection, reading it with blocking calls (as Go's child serves each
/// connection on a goroutine), and at most <c>--max-concurrency</c> requests being served at once. The bound is on
/// requests, not connections: nginx keeps idle connections open (<c>keepalive</c>), and a worker that gave each of a
/// fixed number of threads a connection would leave the next connection's request waiting for one of them to close
/// (the first design did, and nginx answered 504). Threads are reused: one that finishes a connection goes back to
/// accepting unless two others already are, and a new one starts only when the last accepting thread takes a
/// connection. <c>--max-requests</c> ends the worker after that many requests (php-fpm's <c>pm.max_requests</c>);
/// SIGTERM stops accepting, serves the connections already queued and whatever the web server still sends on the
/// connections it keeps until it closes them, lets requests in flight finish, all within the request timeout and one
/// second, and the process exits with 0 (or 1 when more handlers than <c>--max-concurrency</c> hung past their deadline).
/// No request whose bytes reached the worker is dropped by it: the web server may not send it again.
/// </summary>
internal sealed class FastCgiServer
{
    /// <summary>The most connections open at once (and threads): FCGI_MAX_CONNS.</summary>
    public const int MaxConnections = 1024;

    private readonly int _listener;
    private readonly bool _ownsListener;
    private readonly int _maxConcurrency;
    private readonly long _maxRequests;
    private readonly SemaphoreSlim _requestSlots;
    // A slot per thread: its thread and the connection it serves. Arrays rather than a List or HashSet: Native AOT
    // allocates the static fields of every generic collection instantiated for a new type at each start, and a CGI
    // request pays for that too (about 2,400 instructions apiece).
    private readonly Thread?[] _threads = new Thread?[MaxConnections];
    private readonly FastCgiConnection?[] _open = new FastCgiConnection?[MaxConnections];
    private readonly ManualResetEventSlim _stopRequested = new(false);
    // Read buffers of closed connections, for the next ones: each is larger than the large-object threshold, so a new
    // one per connection (nginx opens another after an upstream connection's 1,000th request) piled up on the large
    // object heap until a full collection, and a worker's memory grew for tens of thousands of requests.
    private readonly byte[]?[] _readBuffers = new byte[]?[MaxPooledReadBuffers];
    private DescriptorWatch? _watch;

    /// <summary>The worker's one thread that watches the connections of handlers that asked for <see cref="CgiRequest.RequestAborted"/>.</summary>
    internal DescriptorWatch Watch
    {
        get
        {
            if (Volatile.Read(ref _watch) is { } watch)
                return watch;
            Interlocked.CompareExchange(ref _watch, new DescriptorWatch(), null);
            return _watch!;
        }
    }
    private int _pooledReadBuffers;
    private long _begun, _served, _acceptsReserved;
    private int _inFlight, _accepting, _threadCount, _stuck, _exitCode, _keptPastQuota;
    // Threads past their look at _acceptsEnded and not done with what they accept (it is served, or closed): a stop waits
    // for them, so that no connection is accepted by a worker that then exits without serving it.
    private int _inAccept;
    // In a growing pool (HoldAcceptsWhileFull): connections accepted that have not begun a request, and whether a thread is in accept.
    private int _acceptedUnbegun, _holdingAccept;
    private volatile bool _stopping, _acceptsEnded;
    private const int EINVAL = 22;

    /// <param name="listener">The listening socket's descriptor.</param>
    /// <param name="ownsListener">Whether this worker opened it (and may shut it down), or inherited it as descriptor 0.</param>
    /// <param name="maxConcurrency">How many requests are served at once.</param>
    /// <param name="maxRequests">After how many requests the worker exits; 0 for never.</param>
    /// <param name="options">The options every request is served with.</param>
    /// <param name="log">
    /// Where protocol errors and the worker's own lines go; a request's errors go to <see cref="CgiOptions.ErrorLog"/>,
    /// or, without one, as STDERR of the request to the web server and here too.
    /// </param>
    public FastCgiServer(int listener, bool ownsListener, int maxConcurrency, long maxRequests, CgiOptions? options, TextWriter log)
    {
        _listener = listener;
        _ownsListener = ownsListener;
        _maxConcurrency = maxConcurrency;
        _maxRequests = maxRequests;
        _requestSlots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        Options = options;
        Log = log;
        SandboxRefuses = Sandbox.Refuses(Sandbox.State);
    }

    /// <summary>
    /// Whether every request is answered 503: the app's sandbox is <c>Required</c> and this kernel cannot enforce all of
    /// it (a CGI process refuses in the binary's constructor; a worker, whose standard output is no response, here).
    /// </summary>
    public bool SandboxRefuses { get; }

    /// <summary>The most read buffers kept for connections to come (<see cref="FastCgiRecordReader.BufferSize"/> each).</summary>
    internal const int MaxPooledReadBuffers = 8;

    /// <summary>A read buffer for a new connection: one a closed connection left, or a new one.</summary>
    internal byte[] RentReadBuffer()
    {
        lock (_readBuffers)
        {
            if (_pooledReadBuffers > 0)
            {
                byte[] buffer = _readBuffers[--_pooledReadBuffers]!;
                _readBuffers[_pooledReadBuffers] = null;
                return buffer;
            }
        }
        return new byte[FastCgiRecordReader.BufferSize];
    }

    /// <summary>Keeps a closed connection's read buffer for the next one, unless enough are kept already.</summary>
    internal void ReturnReadBuffer(byte[] buffer)
    {
        lock (_readBuffers)
        {
            if (_pooledReadBuffers < MaxPooledReadBuffers)
                _readBuffers[_pooledReadBuffers++] = buffer;
        }
    }

    /// <summary>The default number of requests served at once: two per core, for handlers that wait on I/O.</summary>
    public static int DefaultMaxConcurrency => Environment.ProcessorCount * 2;

    public CgiOptions? Options { get; }

    /// <summary>
    /// The web servers that may connect (their IP addresses, <c>--allow-from</c> or <c>FCGI_WEB_SERVER_ADDRS</c>), or
    /// <see langword="null"/> for any peer. A FastCGI peer says who the client is (REMOTE_USER, REMOTE_ADDR, HTTPS), so
    /// any other that reaches the port could speak for any user (the php-fpm SSRF attack): one not listed is closed
    /// at once, with a line on the log.
    /// </summary>
    public string[]? AllowedPeers { get; init; }

    /// <summary>
    /// How long a read of a connection may wait: for the next request on a kept connection, or for the rest of a
    /// record. Longer than the web servers' own idle timeouts (nginx's keepalive_timeout is 60 s by default, 2 s as
    /// printed), so that they close idle connections first; past it the connection is closed, so that idle or stalled
    /// peers cannot hold the worker's 1,024 connections for ever (an audit's 1,030 idle connections made later requests
    /// wait without end).
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(75); // no static field: every app would allocate it at start

    /// <summary>Called once the worker accepts no more connections for its <c>--max-requests</c> (a --prefork worker tells its manager).</summary>
    public Action? Retired { get; init; }

    /// <summary>Called once when the worker begins to stop (a signal, <c>--max-requests</c>): systemd is told STOPPING=1.</summary>
    public Action? StopBegun { get; init; }

    /// <summary>A --prefork manager's scoreboard, where this worker says how busy it is; null without one.</summary>
    public Scoreboard? Scoreboard { get; init; }

    /// <summary><c>--ping-path</c>: a request for it is answered <c>pong</c> by the worker, not the app; null for none.</summary>
    public string? PingPath { get; init; }

    /// <summary><c>--status-path</c>: a request for it is answered with the pool's state (<see cref="PoolStatus"/>: JSON, or OpenMetrics with ?openmetrics); null for none.</summary>
    public string? StatusPath { get; init; }

    /// <summary>
    /// The answer to a request for <see cref="PingPath"/> or <see cref="StatusPath"/> (SCRIPT_NAME and PATH_INFO, as the
    /// web server sends them), or null for any other: the worker answers it without a request slot, so it is answered
    /// while the slots are taken by the app's requests.
    /// </summary>
    public Response? PoolAnswer(Dictionary<string, string> environment)
    {
        if (PingPath is null && StatusPath is null)
            return null;
        string path = environment.GetValueOrDefault("SCRIPT_NAME", "") + environment.GetValueOrDefault("PATH_INFO", "");
        if (path == PingPath)
            return Response.Text("pong\n");
        if (path != StatusPath)
            return null;
        string[] query = environment.GetValueOrDefault("QUERY_STRING", "").Split('&');
        if (Scoreboard is null) // a server made without one (the tests' in-process workers): what it knows of itself
            return Response.Bytes(System.Text.Encoding.UTF8.GetBytes($"{{\"requests\":{Served},\"total_processes\":1,\"active_processes\":{(InFlight > 0 ? 1 : 0)}}}\n"),
                "application/json").WithHeader("Cache-Control", "no-store");
        var status = Scoreboard.Read(SocketDescriptor.ListenQueue(_listener));
        if (Array.IndexOf(query, "openmetrics") >= 0)
            return Response.Bytes(status.OpenMetrics(Routes ?? []), PoolStatus.OpenMetricsContentType)
                .WithHeader("Cache-Control", "no-store");
        return Response.Bytes(status.Json(full: Array.IndexOf(query, "full") >= 0), "application/json")
            .WithHeader("Cache-Control", "no-store");
    }

    /// <summary>The app's route table (<see cref="CgiApp.Routes"/>): the labels of the per-route metrics and the access log's <c>%w</c>.</summary>
    public IReadOnlyList<RouteInfo>? Routes { get; init; }

    /// <summary><c>--access-log</c>, or null.</summary>
    public AccessLog? AccessLog { get; init; }

    /// <summary><c>--slow-log SECONDS</c>: a request still running after this long is logged once; zero for none.</summary>
    public TimeSpan SlowLogThreshold { get; init; }

    /// <summary>
    /// Whether requests are followed beyond the counts the pool always keeps: for the per-route metrics of
    /// <c>--status-path</c>, the access log or the slow log. Without any of them a request costs nothing more.
    /// </summary>
    public bool ObservesRequests => (StatusPath is not null && Scoreboard is not null) || AccessLog is not null || SlowLogThreshold > TimeSpan.Zero;

    /// <summary>A request's PARAMS have arrived (<see cref="ObservesRequests"/>): its record, and its row of the scoreboard for <c>?full</c>.</summary>
    internal RequestActivity RequestParsed(Dictionary<string, string> environment)
    {
        var activity = new RequestActivity(environment);
        if (SlowLogThreshold > TimeSpan.Zero)
            activity.ThreadId = ProcessUsage.CurrentThreadId();
        if (StatusPath is not null && Scoreboard is not null)
            activity.OwnsRow = Scoreboard.RequestBegan(activity.Method + " " + activity.Uri);
        return activity;
    }

    /// <summary>
    /// A request observed (<see cref="RequestParsed"/>) has ended, its answer <paramref name="bytes"/> long: counted under
    /// its route and status class, and written to the access log.
    /// </summary>
    internal void RequestAnswered(RequestActivity activity, long bytes)
    {
        long microseconds = activity.Microseconds;
        int route = activity.Request?.RouteIndex ?? -1;
        if (StatusPath is not null && Scoreboard is not null)
        {
            if (activity.Status > 0 && !activity.PoolAnswer)
                Scoreboard.Record(route, activity.Status, microseconds);
            if (activity.OwnsRow)
                Scoreboard.RequestEnded(microseconds);
        }
        if (AccessLog is null)
            return;
        var environment = activity.Environment;
        string uri = activity.Uri;
        int question = uri.IndexOf('?');
        AccessLog.Write(new AccessLog.Entry
        {
            Start = activity.StartedUtc,
            End = activity.StartedUtc.AddTicks(microseconds * 10),
            RemoteAddress = environment.GetValueOrDefault("REMOTE_ADDR", ""),
            Method = activity.Method,
            Path = question < 0 ? uri : uri[..question],
            Query = environment.GetValueOrDefault("QUERY_STRING", ""),
            User = environment.GetValueOrDefault("REMOTE_USER", ""),
            Script = environment.GetValueOrDefault("SCRIPT_FILENAME", ""),
            ContentLength = environment.GetValueOrDefault("CONTENT_LENGTH", ""),
            Route = Routes is { } routes && (uint)route < (uint)routes.Count ? routes[route].Template : null,
            Status = activity.Status,
            Bytes = bytes,
            Microseconds = microseconds,
            Pid = Environment.ProcessId,
            PeakResidentBytes = AccessLog.UsesPeakMemory ? ProcessUsage.PeakResidentBytes() : 0,
        }, idle: InFlight <= 1); // this request is still counted in flight
    }

    /// <summary>
    /// <c>--slow-log</c>: looks at the requests in flight every quarter of the threshold (at most every second) and
    /// writes each that has run past it once, with its route, handler, time so far and thread. Where the handler is in
    /// its code cannot be told: a Native AOT process has no API to walk another thread's stack, and stopping the thread
    /// to read it would need a debugger's ptrace; the line names the thread, for <c>eu-stack</c> or <c>gdb</c>.
    /// </summary>
    private void WatchSlowRequests()
    {
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(SlowLogThreshold.TotalMilliseconds / 4, 10, 1000));
        long threshold = (long)(SlowLogThreshold.TotalMilliseconds * 1000);
        // Collected under the lock and logged after it (an array, not a List<RequestActivity>: see PoolStatus.Workers).
        var slow = new RequestActivity?[_open.Length];
        while (!_stopRequested.Wait(interval))
        {
            int count = 0;
            lock (_open)
            {
                foreach (var connection in _open)
                {
                    if (connection?.Current is { } activity && activity.Microseconds >= threshold && Interlocked.Exchange(ref activity.SlowLogged, 1) == 0)
                        slow[count++] = activity;
                }
            }
            for (int i = 0; i < count; i++)
            {
                var activity = slow[i]!;
                slow[i] = null;
                Scoreboard?.SlowRequest();
                Log.WriteLine(SlowLine(activity, activity.Microseconds));
            }
        }
    }

    /// <summary>The slow log's line for <paramref name="activity"/>, <paramref name="microseconds"/> into it.</summary>
    internal string SlowLine(RequestActivity activity, long microseconds)
    {
        int route = activity.Request?.RouteIndex ?? -1;
        string where = Routes is { } routes && (uint)route < (uint)routes.Count
            ? $"route {routes[route].Method} {PrintableText.Escape(routes[route].Template)}, handler {routes[route].Handler}"
            : activity.Request is null ? "no route yet (waiting for a request slot)" : "no route matched";
        int pid = Environment.ProcessId;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"CgiRouting: slow request (--slow-log {SlowLogThreshold.TotalSeconds:0.###} s): {PrintableText.Escape(activity.Method)} {PrintableText.Escape(activity.Uri)}, "
            + $"{where}, running for {microseconds / 1e6:0.000} s in worker {pid}, thread {activity.ThreadId} "
            + $"(its stack: eu-stack -p {pid}, or gdb -p {pid}; a Native AOT process cannot read another thread's stack itself).");
    }

    /// <summary>Whether to accept nothing while every request slot is taken: in a --prefork MIN:MAX pool, which grows instead.</summary>
    public bool HoldAcceptsWhileFull { get; init; }

    /// <summary><c>--max-rss</c> in bytes, 0 for none: a worker over it after a request stops, to be replaced.</summary>
    public long MaxResidentBytes { get; init; }

    /// <summary>How many requests are served at once (<c>--max-concurrency</c>).</summary>
    public int MaxConcurrency => _maxConcurrency;
    public TextWriter Log { get; }
    public bool Stopping => _stopping;

    /// <summary>Requests being served now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Requests served so far.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>
    /// Serves until SIGTERM (or SIGINT), or until <c>--max-requests</c> requests are served; returns the exit code, 0.
    /// </summary>
    public int Run()
    {
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        Start();
        _stopRequested.Wait();
        return Stop(ShutdownDeadline());
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // this worker ends itself once its requests are done
        RequestStop($"CgiRouting: {context.Signal} received: no new connections, finishing the requests in flight.");
    }

    /// <summary>Starts accepting connections.</summary>
    public void Start()
    {
        if (_listener >= 0)
            SocketDescriptor.SetReadTimeout(_listener, SocketDescriptor.AcceptWait); // accept(2) returns, to see a stop
        if (SlowLogThreshold > TimeSpan.Zero)
            new Thread(WatchSlowRequests) { IsBackground = true, Name = "FastCGI slow log" }.Start();
        StartThread();
    }

    private void StartThread()
    {
        if (!_acceptsEnded) // a stopping worker still empties its own listener's queue (StopListening)
            _ = TryStartThread(Work); // at the limit, a thread that finishes its connection goes back to accepting
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a free slot on a new thread; <see langword="false"/> when 1,024 run already
    /// or threads that have left their loop have not ended yet.
    /// </summary>
    private bool TryStartThread(Action<int> body)
    {
        lock (_threads)
        {
            if (_threadCount >= MaxConnections)
                return false;
            int slot = 0;
            while (slot < MaxConnections && _threads[slot] is { IsAlive: true })
                slot++;
            if (slot == MaxConnections)
                return false;
            _threadCount++;
            var thread = new Thread(() =>
            {
                try
                {
                    body(slot);
                }
                finally
                {
                    lock (_threads)
                        _threadCount--;
                }
            }) { IsBackground = true, Name = "FastCGI" };
            _threads[slot] = thread;
            thread.Start();
            return true;
        }
    }

    /// <summary>
    /// Makes <see cref="Run"/> stop, with <paramref name="reason"/> on the error log, and return
    /// <paramref name="exitCode"/>.
    /// </summary>
    public void RequestStop(string reason, int exitCode = 0)
    {
        lock (_stopRequested)
        {
            if (_stopRequested.IsSet)
                return;
            _exitCode = exitCode;
            Log.WriteLine(reason);
            StopBegun?.Invoke();
            _stopRequested.Set();
        }
    }

    /// <summary>
    /// Stops accepting, closes idle connections and waits up to <paramref name="deadline"/> for requests in flight
    /// (not for handlers stuck past their deadline); returns the exit code: 0, or 1 when too many handlers were stuck.
    /// </summary>
    public int Stop(TimeSpan deadline)
    {
        _stopping = true;
        if (_ownsListener)
            StopListening(deadline);
        else
            _acceptsEnded = true; // the listener is the --prefork manager's: the other workers serve what it queues
        WaitForAccepts(deadline);
        // Connections the web server keeps are its to close (see FastCgiConnection.ServeNext): what it sends on them is
        // served until it does, as nginx does after keepalive_timeout idle or keepalive_requests requests (the printed
        // configurations bound both), or until the deadline; then they are closed if idle. A connection whose handler
        // hangs past its deadline is not waited for.
        var clock = Stopwatch.StartNew();
        while (OpenConnections() - Volatile.Read(ref _stuck) > 0 && clock.Elapsed <= deadline)
            Thread.Sleep(10);
        lock (_open)
        {
            for (int i = 0; i < _open.Length; i++)
                _open[i]?.CloseIfIdle();
        }
        clock.Restart(); // the requests in flight get their own deadline, whatever the kept connections took
        while (Volatile.Read(ref _inFlight) - Volatile.Read(ref _stuck) > 0)
        {
            if (clock.Elapsed > deadline)
            {
                int running = Volatile.Read(ref _inFlight) - Volatile.Read(ref _stuck);
                Log.WriteLine($"CgiRouting: {running} request{(running == 1 ? " is" : "s are")} still running after {deadline.TotalSeconds:0.###} s: exiting without {(running == 1 ? "it" : "them")}.");
                break;
            }
            Thread.Sleep(10);
        }
        AccessLog?.Flush(); // the lines gathered under load
        return Volatile.Read(ref _exitCode);
    }

    /// <summary>
    /// Waits until no thread can still accept a connection: each either saw <c>_acceptsEnded</c> or has registered what
    /// it accepted (its accept(2) returns within <see cref="SocketDescriptor.AcceptWait"/>). A thread left in accept on
    /// the --prefork manager's listener took a connection from it just as the worker exited, which nginx answered 502.
    /// </summary>
    private void WaitForAccepts(TimeSpan deadline)
    {
        Interlocked.MemoryBarrier(); // _acceptsEnded is written before _inAccept is read (Work does the converse)
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref _inAccept) > 0 && clock.Elapsed <= deadline)
            Thread.Sleep(5);
    }

    private int OpenConnections()
    {
        int open = 0;
        lock (_open)
        {
            foreach (var connection in _open)
                open += connection is null ? 0 : 1;
        }
        return open;
    }

    /// <summary>
    /// A connection the web server keeps stays open past <c>--max-requests</c> or a stop: said once on the log, since a
    /// worker with <c>--max-requests 1</c> then serves more than one request in its life.
    /// </summary>
    public void NoteConnectionKeptPastQuota()
    {
        if (Interlocked.Exchange(ref _keptPastQuota, 1) == 0)
            Log.WriteLine("CgiRouting: the web server keeps its connections to this worker open (FCGI_KEEP_CONN): what it sends on them "
                + "is served until it closes them, also past --max-requests or a stop. For a connection per request, print the "
                + "configuration with --max-requests, as the worker runs.");
    }

    /// <summary>
    /// Waits for the accepting threads to end after <see cref="Stop"/>, so that the listener's descriptor can be closed
    /// without a thread about to accept on whatever socket reuses its number (for tests; a worker process just exits).
    /// </summary>
    public bool WaitForThreads(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var threads = new Thread?[MaxConnections];
        lock (_threads)
            Array.Copy(_threads, threads, MaxConnections);
        foreach (var thread in threads)
        {
            var left = timeout - clock.Elapsed;
            if (thread is not null && (left <= TimeSpan.Zero || !thread.Join(left)))
                return false;
        }
        return true;
    }

    private TimeSpan ShutdownDeadline()
    {
        var timeout = Options?.Timeout ?? CgiOptions.DefaultTimeout;
        return timeout == Timeout.InfiniteTimeSpan ? CgiOptions.DefaultTimeout : timeout + TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// Closes this worker's own listener without resetting a connection the kernel has queued on it: those may carry
    /// requests the web server has sent (a reset one is a 502 for a POST, which nginx never sends again). The queue is
    /// capped first (listen(2) with a backlog of 0: a new connection's SYN is dropped, and the kernel's retry a second
    /// later finds the listener gone and is refused, so nginx passes the request to another worker, unsent); the
    /// threads go on accepting until it is empty, also past --max-requests; then the listener is shut down.
    /// </summary>
    private void StopListening(TimeSpan deadline)
    {
        SocketDescriptor.CapBacklog(_listener);
        StartThread(); // one accepting thread at least, also when --max-requests ended them all
        var clock = Stopwatch.StartNew();
        while (SocketDescriptor.HasPending(_listener) && clock.Elapsed <= deadline)
            Thread.Sleep(5);
        _acceptsEnded = true;
        SocketDescriptor.StopListening(_listener);
    }

    private void Work(int slot)
    {
        while (true)
        {
            Interlocked.Increment(ref _inAccept); // before the look at _acceptsEnded (see WaitForAccepts)
            if (_acceptsEnded)
            {
                Interlocked.Decrement(ref _inAccept);
                return;
            }
            // In a pool that can grow, a worker whose request slots are all taken leaves new connections queued on the
            // listener, where its manager sees them and starts another worker for them (accepted, they would wait
            // here for a slot, and the pool would never grow).
            // Connections accepted whose first request has not begun count as requests; one thread accepts at a time.
            bool holds = HoldAcceptsWhileFull;
            if (holds && (Volatile.Read(ref _inFlight) + Volatile.Read(ref _acceptedUnbegun) >= _maxConcurrency
                || Interlocked.CompareExchange(ref _holdingAccept, 1, 0) != 0))
            {
                Interlocked.Decrement(ref _inAccept);
                Thread.Sleep(5);
                continue;
            }
            // With --max-requests, accept no more connections than requests are left: a connection accepted
            // beyond them would be closed unserved when the worker exits (nginx answered 502 to most requests
            // to --prefork workers with --max-requests 1, each of which had accepted several). Once the worker stops,
            // its own listener's queue is emptied all the same (StopListening).
            bool reserved = _maxRequests != 0 && !_stopping;
            if (reserved && Interlocked.Increment(ref _acceptsReserved) > _maxRequests)
            {
                Interlocked.Decrement(ref _acceptsReserved); // a reservation given back (see below) may be taken again
                Interlocked.Decrement(ref _inAccept);
                return;
            }
            Interlocked.Increment(ref _accepting);
            int fd = SocketDescriptor.Accept(_listener);
            if (holds)
            {
                if (fd >= 0)
                    Interlocked.Increment(ref _acceptedUnbegun); // until its first BEGIN_REQUEST, or its end (Serve)
                Volatile.Write(ref _holdingAccept, 0);
            }
            if (Interlocked.Decrement(ref _accepting) == 0 && fd >= 0)
                StartThread(); // keep a thread accepting while this one serves
            if (fd < 0)
            {
                int error = Marshal.GetLastPInvokeError();
                if (reserved)
                    Interlocked.Decrement(ref _acceptsReserved); // nothing was accepted
                Interlocked.Decrement(ref _inAccept);
                if (_acceptsEnded || SocketDescriptor.NothingToAccept(error))
                    continue; // look again whether the worker stops
                if (error == EINVAL && !_ownsListener)
                {
                    // The --prefork manager shut the listener down: it stops, once nothing is queued on it any more.
                    RequestStop("CgiRouting: the listening socket was shut down (the FastCGI worker manager stops): finishing.");
                    return;
                }
                Log.WriteLine("CgiRouting: accept on the FastCGI socket failed: " + Marshal.GetPInvokeErrorMessage(error));
                Thread.Sleep(100); // out of descriptors, say: do not spin
                continue;
            }
            if (AllowedPeers is not null && SocketDescriptor.PeerAddress(fd) is { } peer && Array.IndexOf(AllowedPeers, peer) < 0)
            {
                Log.WriteLine($"CgiRouting: a FastCGI connection from {peer}, which is not one of the web servers allowed (--allow-from), was closed.");
                SocketDescriptor.Close(fd);
                if (holds)
                    Interlocked.Decrement(ref _acceptedUnbegun);
                if (reserved)
                    Interlocked.Decrement(ref _acceptsReserved);
                Interlocked.Decrement(ref _inAccept);
                continue;
            }
            // Served also when the worker is stopping: the web server may have sent its request already. A connection
            // that carried no request (closed before one, a GET_VALUES probe, a health check, a read timeout) gives its
            // reservation back: else a worker with --max-requests would neither serve nor exit.
            if (Serve(fd, slot) == 0 && reserved)
                Interlocked.Decrement(ref _acceptsReserved);
            if (Volatile.Read(ref _accepting) >= 2)
                return; // enough threads wait for connections
        }
    }

    /// <summary>
    /// Serves the connection <paramref name="fd"/> until it closes; returns how many requests began on it. Once the
    /// connection is registered (a stop sees it), the thread no longer counts as accepting.
    /// </summary>
    private int Serve(int fd, int slot)
    {
        SocketDescriptor.SetReadTimeout(fd, ReadTimeout);
        var connection = new FastCgiConnection(new StandardDescriptorStream(fd, FileAccess.ReadWrite) { ReadTimesOut = true }, this,
            () => SocketDescriptor.Shutdown(fd), fd);
        lock (_open)
            _open[slot] = connection;
        Interlocked.Decrement(ref _inAccept);
        try
        {
            connection.Serve();
        }
        finally
        {
            if (HoldAcceptsWhileFull && connection.RequestsBegun == 0)
                Interlocked.Decrement(ref _acceptedUnbegun); // it ended without a request
            lock (_open)
                _open[slot] = null;
            SocketDescriptor.Close(fd);
        }
        return connection.RequestsBegun;
    }

    /// <summary>
    /// Counts a request whose BEGIN_REQUEST has arrived. It is always served, also past <c>--max-requests</c> or while
    /// the worker stops: the web server has sent it and may not send it again (nginx never repeats a POST), so a
    /// request refused here would be a 502 for its client. The quota stops the worker from accepting connections
    /// instead (see <see cref="Work"/>) and from waiting for another request on a kept connection.
    /// </summary>
    public void BeginRequest(bool firstOnConnection = false)
    {
        if (firstOnConnection && HoldAcceptsWhileFull)
            Interlocked.Decrement(ref _acceptedUnbegun);
        Interlocked.Increment(ref _begun);
        int inFlight = Interlocked.Increment(ref _inFlight);
        Scoreboard?.Accepted();
        Scoreboard?.Report(inFlight, Interlocked.Read(ref _served));
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (the request's own deadline) for one of the <c>--max-concurrency</c>
    /// slots; <see langword="false"/> when none came free in time: the request is then answered 503 without running.
    /// A handler that hangs holds its slot only until its deadline (<see cref="ReleaseLateSlot"/>), so a wait here ends.
    /// </summary>
    public bool TryTakeSlot(TimeSpan timeout) => _requestSlots.Wait(timeout);

    /// <summary>Whether a connection may wait for another request (<c>--max-requests</c> are not all begun).</summary>
    public bool HasRequestsLeft => _maxRequests == 0 || Interlocked.Read(ref _begun) < _maxRequests;

    /// <summary>
    /// The most handlers that may still run past their deadline (their 503 sent, their thread stuck): one more and the
    /// worker exits with 1, for its manager or service to start a fresh one, as php-fpm's <c>request_terminate_timeout</c>
    /// ends a worker. A stuck thread holds no request slot, so until then the worker still serves.
    /// </summary>
    public int MaxStuckHandlers => _maxConcurrency;

    /// <summary>Handlers running past their deadline now.</summary>
    public int StuckHandlers => Volatile.Read(ref _stuck);

    /// <summary>
    /// A request was answered 503 by its deadline while its handler still runs: its slot goes to the next request, and
    /// its thread is counted as stuck until the handler returns.
    /// </summary>
    public void ReleaseLateSlot()
    {
        _requestSlots.Release();
        int stuck = Interlocked.Increment(ref _stuck);
        if (stuck > MaxStuckHandlers)
            RequestStop($"CgiRouting: {stuck} handlers are still running past their deadline (more than --max-concurrency, {MaxStuckHandlers}): "
                + "exiting with 1, for a fresh worker to take over.", exitCode: 1);
    }

    /// <summary>A request begun with <see cref="BeginRequest"/> has ended; <paramref name="slot"/> says what it held.</summary>
    public void RequestFinished(RequestSlot slot)
    {
        if (slot == RequestSlot.Held)
            _requestSlots.Release();
        else if (slot == RequestSlot.ReleasedLate)
            Interlocked.Decrement(ref _stuck);
        int inFlight = Interlocked.Decrement(ref _inFlight);
        long served = Interlocked.Increment(ref _served);
        Scoreboard?.Report(inFlight, served);
        if (served == _maxRequests)
        {
            Retired?.Invoke(); // before the stop, which may wait for the web server to close its connections
            RequestStop($"CgiRouting: served {Requests(_maxRequests)} (--max-requests): exiting.");
        }
        else if (MaxResidentBytes > 0 && ResidentMemory.OfThisProcess() is long resident && resident > MaxResidentBytes && !_stopping)
        {
            // As --max-requests: the manager starts a successor now, and this worker serves what it has begun and exits.
            Retired?.Invoke();
            RequestStop($"CgiRouting: FastCGI worker {Environment.ProcessId}: {resident >> 20} MiB resident, over --max-rss {MaxResidentBytes >> 20}: exiting after the requests in flight.");
        }
    }

    internal static string Requests(long count) => count == 1 ? "1 request" : $"{count} requests";

    /// <summary>The answer to a GET_VALUES name (§4.1), or <see langword="null"/> for a name this worker does not know.</summary>
    public string? Value(string name) => name switch
    {
        "FCGI_MAX_CONNS" => MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "FCGI_MAX_REQS" => _maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "FCGI_MPXS_CONNS" => "0",
        _ => null,
    };
}
