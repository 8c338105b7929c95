using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace CgiRouting.FastCgi;

/// <summary>
/// A FastCGI worker: a fixed number of threads, each accepting a connection on the listening socket and serving it
/// (<see cref="FastCgiConnection"/>) until it closes, so that at most that many connections are served at once and
/// no thread is started per connection. <c>--max-requests</c> ends the worker after that many requests (php-fpm's
/// <c>pm.max_requests</c>); SIGTERM stops accepting, closes idle connections, lets requests in flight finish within
/// the request timeout, and the process exits with 0.
/// </summary>
internal sealed class FastCgiServer
{
    private readonly int _listener;
    private readonly bool _ownsListener;
    private readonly long _maxRequests;
    private readonly FastCgiConnection?[] _connections;
    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim _stopRequested = new(false);
    private long _slotsLeft, _served;
    private int _inFlight;
    private volatile bool _stopping;

    /// <param name="listener">The listening socket's descriptor.</param>
    /// <param name="ownsListener">Whether this worker opened it (and may shut it down), or inherited it as descriptor 0.</param>
    /// <param name="maxConcurrency">How many connections are served at once.</param>
    /// <param name="maxRequests">After how many requests the worker exits; 0 for never.</param>
    /// <param name="options">The options every request is served with.</param>
    /// <param name="log">Where protocol errors and the worker's own lines go (handler errors go to <see cref="CgiOptions.ErrorLog"/>).</param>
    public FastCgiServer(int listener, bool ownsListener, int maxConcurrency, long maxRequests, CgiOptions? options, TextWriter log)
    {
        _listener = listener;
        _ownsListener = ownsListener;
        _maxRequests = maxRequests;
        _slotsLeft = maxRequests;
        _connections = new FastCgiConnection?[maxConcurrency];
        _threads = new Thread[maxConcurrency];
        Options = options;
        Log = log;
    }

    /// <summary>The default number of connections served at once: two per core, for handlers that wait on I/O.</summary>
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

    /// <summary>Starts the accepting threads.</summary>
    public void Start()
    {
        for (int i = 0; i < _connections.Length; i++)
        {
            int index = i;
            _threads[i] = new Thread(() => Work(index)) { IsBackground = true, Name = "FastCGI " + index };
            _threads[i].Start();
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
        lock (_connections)
        {
            foreach (var connection in _connections)
                connection?.CloseIfIdle();
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
        foreach (var thread in _threads)
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

    private void Work(int index)
    {
        while (!_stopping && TryReserveRequestSlot(out _))
        {
            int fd = SocketDescriptor.Accept(_listener);
            if (fd < 0 || _stopping)
            {
                ReleaseRequestSlot();
                if (fd >= 0)
                    SocketDescriptor.Close(fd);
                if (!_stopping)
                {
                    Log.WriteLine("CgiRouting: accept on the FastCGI socket failed: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
                    Thread.Sleep(100); // out of descriptors, say: do not spin
                }
                continue;
            }
            var connection = new FastCgiConnection(new StandardDescriptorStream(fd, FileAccess.ReadWrite), this,
                () => SocketDescriptor.Shutdown(fd));
            lock (_connections)
                _connections[index] = connection;
            try
            {
                connection.Serve();
            }
            finally
            {
                lock (_connections)
                    _connections[index] = null;
                SocketDescriptor.Close(fd);
            }
        }
    }

    /// <summary>
    /// Reserves one of the <c>--max-requests</c> requests for a connection about to wait for one (always true without a
    /// limit); the connection gives it back if it closes without a request.
    /// </summary>
    public bool TryReserveRequestSlot(out bool reserved)
    {
        if (_maxRequests == 0)
            return reserved = true;
        return reserved = Interlocked.Decrement(ref _slotsLeft) >= 0 || Undo();

        bool Undo()
        {
            Interlocked.Increment(ref _slotsLeft);
            return false;
        }
    }

    public void ReleaseRequestSlot()
    {
        if (_maxRequests != 0)
            Interlocked.Increment(ref _slotsLeft);
    }

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestFinished()
    {
        Interlocked.Decrement(ref _inFlight);
        if (Interlocked.Increment(ref _served) == _maxRequests)
            RequestStop($"CgiRouting: served {_maxRequests} requests (--max-requests): exiting.");
    }

    /// <summary>The answer to a GET_VALUES name (§4.1), or <see langword="null"/> for a name this worker does not know.</summary>
    public string? Value(string name) => name switch
    {
        "FCGI_MAX_CONNS" or "FCGI_MAX_REQS" => _connections.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "FCGI_MPXS_CONNS" => "0",
        _ => null,
    };
}
