using System;
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
/// SIGTERM stops accepting, closes idle connections, lets requests in flight finish within the request timeout, and
/// the process exits with 0.
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
    private int _pooledReadBuffers;
    private long _begun, _served, _acceptsReserved;
    private int _inFlight, _accepting, _threadCount;
    private volatile bool _stopping;

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
    }

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
    public void Start() => StartThread();

    private void StartThread()
    {
        lock (_threads)
        {
            if (_stopping || _threadCount >= MaxConnections)
                return; // at the limit, a thread that finishes its connection goes back to accepting
            int slot = 0;
            while (slot < MaxConnections && _threads[slot] is { IsAlive: true })
                slot++;
            if (slot == MaxConnections)
                return; // threads that have left their loop have not ended yet: one of the others accepts next
            _threadCount++;
            var thread = new Thread(() => Work(slot)) { IsBackground = true, Name = "FastCGI" };
            _threads[slot] = thread;
            thread.Start();
        }
    }

    /// <summary>Makes <see cref="Run"/> stop, with <paramref name="reason"/> on the error log.</summary>
    public void RequestStop(string reason)
    {
        if (_stopRequested.IsSet)
            return;
        Log.WriteLine(reason);
        _stopRequested.Set();
    }

    /// <summary>
    /// Stops accepting, closes idle connections and waits up to <paramref name="deadline"/> for requests in flight;
    /// returns 0, the exit code.
    /// </summary>
    public int Stop(TimeSpan deadline)
    {
        _stopping = true;
        if (_ownsListener)
            SocketDescriptor.StopListening(_listener);
        lock (_open)
        {
            for (int i = 0; i < _open.Length; i++)
                _open[i]?.CloseIfIdle();
        }
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref _inFlight) > 0)
        {
            if (clock.Elapsed > deadline)
            {
                Log.WriteLine($"CgiRouting: {Volatile.Read(ref _inFlight)} requests still running after {deadline.TotalSeconds:0.###} s: exiting without them.");
                break;
            }
            Thread.Sleep(10);
        }
        return 0;
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

    private void Work(int slot)
    {
        try
        {
            while (!_stopping)
            {
                // With --max-requests, accept no more connections than requests are left: a connection accepted
                // beyond them would be closed unserved when the worker exits (nginx answered 502 to most requests
                // to --prefork workers with --max-requests 1, each of which had accepted several).
                if (_maxRequests != 0 && Interlocked.Increment(ref _acceptsReserved) > _maxRequests)
                    return;
                Interlocked.Increment(ref _accepting);
                int fd = SocketDescriptor.Accept(_listener);
                if (Interlocked.Decrement(ref _accepting) == 0 && fd >= 0)
                    StartThread(); // keep a thread accepting while this one serves
                if (fd < 0 || _stopping)
                {
                    if (fd >= 0)
                        SocketDescriptor.Close(fd);
                    else if (_maxRequests != 0)
                        Interlocked.Decrement(ref _acceptsReserved); // nothing was accepted
                    if (!_stopping)
                    {
                        Log.WriteLine("CgiRouting: accept on the FastCGI socket failed: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
                        Thread.Sleep(100); // out of descriptors, say: do not spin
                    }
                    continue;
                }
                Serve(fd, slot);
                if (Volatile.Read(ref _accepting) >= 2)
                    return; // enough threads wait for connections
            }
        }
        finally
        {
            lock (_threads)
                _threadCount--;
        }
    }

    private void Serve(int fd, int slot)
    {
        var connection = new FastCgiConnection(new StandardDescriptorStream(fd, FileAccess.ReadWrite), this,
            () => SocketDescriptor.Shutdown(fd));
        lock (_open)
            _open[slot] = connection;
        try
        {
            connection.Serve();
        }
        finally
        {
            lock (_open)
                _open[slot] = null;
            SocketDescriptor.Close(fd);
        }
    }

    /// <summary>
    /// Counts a request that has begun, and waits for one of the <c>--max-concurrency</c> slots; <see langword="false"/>
    /// when <c>--max-requests</c> are already served or being served: the connection then closes unanswered.
    /// </summary>
    public bool TryBeginRequest()
    {
        if (_maxRequests != 0 && Interlocked.Increment(ref _begun) > _maxRequests)
            return false;
        Interlocked.Increment(ref _inFlight);
        _requestSlots.Wait();
        return true;
    }

    /// <summary>Whether a connection may wait for another request (<c>--max-requests</c> are not all begun).</summary>
    public bool HasRequestsLeft => _maxRequests == 0 || Interlocked.Read(ref _begun) < _maxRequests;

    public void RequestFinished()
    {
        _requestSlots.Release();
        Interlocked.Decrement(ref _inFlight);
        if (Interlocked.Increment(ref _served) == _maxRequests)
            RequestStop($"CgiRouting: served {_maxRequests} requests (--max-requests): exiting.");
    }

    /// <summary>The answer to a GET_VALUES name (§4.1), or <see langword="null"/> for a name this worker does not know.</summary>
    public string? Value(string name) => name switch
    {
        "FCGI_MAX_CONNS" => MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "FCGI_MAX_REQS" => _maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "FCGI_MPXS_CONNS" => "0",
        _ => null,
    };
}
