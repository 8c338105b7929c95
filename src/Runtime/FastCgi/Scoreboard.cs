using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;

namespace CgiRouting.FastCgi;

/// <summary>
/// How a <c>--prefork</c> manager sees its workers without asking them: a shared memory region (a memfd the manager
/// maps, given to every worker as descriptor 4 beside the retire pipe on 3), a row of <see cref="RowSize"/> bytes per
/// worker, written by the worker with plain atomic stores and read by the manager every 20 ms, as php-fpm's scoreboard.
/// Row 0 is the pool's own (its start, the counters of <c>--status-path</c>: accepted requests, max children reached,
/// slow requests, the listen queue's most), and after the rows come the per-route counters: for each row of the route
/// table and one for requests no route matched, the requests by status class, a latency histogram of fixed buckets and
/// the sum of the latencies, added to with atomic adds by whichever worker served the request, so that the worker that
/// answers <c>--status-path</c> reads the pool's totals.
/// A worker claims the first free row with a compare-and-swap of its pid (the manager need not know the row before the
/// worker runs: a spawned process has no argument of its own), and the manager frees it when it reaps the worker. A
/// row: the pid, how many requests the worker serves at once and is serving now, when that last changed
/// (<see cref="Environment.TickCount64"/>: CLOCK_MONOTONIC, the same clock in every process), and how many it served.
/// Nothing of this runs for a CGI request, nor for a worker without a manager: the worker's cost is two stores per
/// request.
/// </summary>
internal sealed unsafe partial class Scoreboard
{
    /// <summary>The descriptor a manager's worker finds the scoreboard on.</summary>
    public const int Descriptor = 4;

    internal const int RowSize = 128;
    // A worker's row. The current request (its method and URI, when it began and how long the last one took) is written
    // by the one request that holds the row's RequestOwner, so that concurrent requests of a worker do not mix their text.
    private const int PidOffset = 0, ConcurrencyOffset = 4, InFlightOffset = 8, RequestOwnerOffset = 12, ChangedOffset = 16,
        ServedOffset = 24, RequestStartOffset = 32, RequestDurationOffset = 40, RequestTextLengthOffset = 48, RequestTextOffset = 52;
    private const int RequestTextSize = RowSize - RequestTextOffset;
    // Row 0, the pool's: the pid -1 (never claimed), the rows and routes there are, the start (Unix seconds), the requests
    // served by reaped workers, and the counters of --status-path.
    private const int RowsOffset = 4, RoutesOffset = 8, StartOffset = 16, ReapedOffset = 24, AcceptedOffset = 32,
        MaxChildrenReachedOffset = 40, SlowRequestsOffset = 48, MaxListenQueueOffset = 56;

    /// <summary>
    /// The upper bounds of the latency histogram's buckets, in seconds (Prometheus's default buckets and 1 ms, 2.5 ms):
    /// fixed, so that every worker adds to the same counters.
    /// </summary>
    internal static ReadOnlySpan<double> BucketBounds => [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    internal const int BucketCount = 13;

    // A route's counters: requests by status class (1xx to 5xx), the histogram's buckets (the last for +Inf; each counts
    // the requests in it alone, the cumulative counts are summed when read), the sum of durations in microseconds.
    private const int ClassCounters = 5, RouteLongs = ClassCounters + BucketCount + 1 + 1;
    private const int RouteStride = RouteLongs * sizeof(long);

    private readonly byte* _memory;
    private readonly int _slots;
    private readonly int _routes;
    private readonly byte* _own; // a worker's own row

    private Scoreboard(byte* memory, int slots, int routes, byte* own)
    {
        _memory = memory;
        _slots = slots;
        _routes = routes;
        _own = own;
    }

    /// <summary>The rows there are: as many as the pool's most workers.</summary>
    public int Slots => _slots;

    /// <summary>The routes there are counters for (the route table's rows; one more for requests no route matched).</summary>
    public int Routes => _routes;

    private static long Size(int slots, int routes) => (long)slots * RowSize + (long)(routes + 1) * RouteStride;

    /// <summary>
    /// In a manager: a new scoreboard for <paramref name="slots"/> workers and <paramref name="routes"/> routes, and its
    /// descriptor (close-on-exec; the spawner dups it to 4).
    /// </summary>
    public static Scoreboard Create(int slots, int routes, out int descriptor)
    {
        descriptor = MemfdCreate("cgirouting-scoreboard", MFD_CLOEXEC);
        long size = Size(slots, routes);
        if (descriptor < 0 || ftruncate(descriptor, size) != 0)
            throw new InvalidOperationException($"The workers' scoreboard could not be made (memfd_create: errno {Marshal.GetLastPInvokeError()}).");
        var board = new Scoreboard(Map(descriptor, size), slots, routes, null);
        Volatile.Write(ref *(int*)(board._memory + PidOffset), -1);
        Volatile.Write(ref *(int*)(board._memory + RowsOffset), slots);
        Volatile.Write(ref *(int*)(board._memory + RoutesOffset), routes);
        Volatile.Write(ref *(long*)(board._memory + StartOffset), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return board;
    }

    /// <summary>
    /// A worker without a manager (<c>--fastcgi</c> alone) that answers <c>--status-path</c>: a scoreboard of its own,
    /// with its one row claimed, so that it reports as a pool of one.
    /// </summary>
    public static Scoreboard CreateOwn(int maxConcurrency, int routes)
    {
        var board = Create(2, routes, out _);
        return Claim(board._memory, 2, routes, maxConcurrency) ?? throw new InvalidOperationException("The scoreboard's row could not be claimed.");
    }

    /// <summary>
    /// In a worker started by a manager: its row of the scoreboard on descriptor 4, claimed, with
    /// <paramref name="maxConcurrency"/> in it; <see langword="null"/> when there is no scoreboard there (a worker started some other way).
    /// </summary>
    public static Scoreboard? Join(int maxConcurrency)
    {
        long size = lseek(Descriptor, 0, SEEK_END);
        if (size < RowSize || FileStatus.Of(Descriptor)?.Type != RegularFile)
            return null;
        byte* memory = Map(Descriptor, size);
        int slots = Volatile.Read(ref *(int*)(memory + RowsOffset)), routes = Volatile.Read(ref *(int*)(memory + RoutesOffset));
        if (Volatile.Read(ref *(int*)(memory + PidOffset)) != -1 || slots < 2 || routes < 0 || Size(slots, routes) != size)
            return null;
        return Claim(memory, slots, routes, maxConcurrency);
    }

    private static Scoreboard? Claim(byte* memory, int slots, int routes, int maxConcurrency)
    {
        int pid = Environment.ProcessId;
        for (int i = 1; i < slots; i++)
        {
            byte* row = memory + i * RowSize;
            if (Interlocked.CompareExchange(ref *(int*)(row + PidOffset), pid, 0) != 0)
                continue;
            Volatile.Write(ref *(int*)(row + ConcurrencyOffset), maxConcurrency);
            Volatile.Write(ref *(long*)(row + ChangedOffset), Environment.TickCount64);
            return new Scoreboard(memory, slots, routes, row);
        }
        return null; // every row taken: the manager sees this worker as idle, and never as busy
    }

    private static byte* Map(int descriptor, long size)
    {
        void* memory = mmap(null, (nuint)size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0);
        if (memory == (void*)-1)
            throw new InvalidOperationException($"The workers' scoreboard could not be mapped (mmap: errno {Marshal.GetLastPInvokeError()}).");
        return (byte*)memory;
    }

    /// <summary>In a worker: <paramref name="inFlight"/> requests are being served now, <paramref name="served"/> were.</summary>
    public void Report(int inFlight, long served)
    {
        Volatile.Write(ref *(int*)(_own + InFlightOffset), inFlight);
        Volatile.Write(ref *(long*)(_own + ServedOffset), served);
        Volatile.Write(ref *(long*)(_own + ChangedOffset), Environment.TickCount64);
    }

    /// <summary>In a worker: a request was accepted (php-fpm's <c>accepted conn</c>, counted per request).</summary>
    public void Accepted() => Interlocked.Increment(ref *(long*)(_memory + AcceptedOffset));

    /// <summary>A request passed <c>--slow-log</c>'s threshold.</summary>
    public void SlowRequest() => Interlocked.Increment(ref *(long*)(_memory + SlowRequestsOffset));

    /// <summary>In a manager: the pool wanted to grow past its MAX (php-fpm's <c>max children reached</c>).</summary>
    public void MaxChildrenReached() => Interlocked.Increment(ref *(long*)(_memory + MaxChildrenReachedOffset));

    /// <summary>The listen queue was seen <paramref name="queued"/> long: kept if it is the longest yet.</summary>
    public void ListenQueueSeen(int queued)
    {
        ref long most = ref *(long*)(_memory + MaxListenQueueOffset);
        long seen;
        while (queued > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, queued, seen) != seen)
        {
        }
    }

    /// <summary>
    /// In a worker: a request began; <paramref name="text"/> (its method and URI) becomes the row's current request unless
    /// another of this worker's requests holds the row. Returns whether this one does (give it to <see cref="RequestEnded"/>).
    /// </summary>
    public bool RequestBegan(string text)
    {
        if (Interlocked.CompareExchange(ref *(int*)(_own + RequestOwnerOffset), 1, 0) != 0)
            return false;
        var bytes = new Span<byte>(_own + RequestTextOffset, RequestTextSize);
        int length = System.Text.Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, RequestTextSize / 3)), bytes);
        Volatile.Write(ref *(int*)(_own + RequestTextLengthOffset), length);
        Volatile.Write(ref *(long*)(_own + RequestDurationOffset), -1);
        Volatile.Write(ref *(long*)(_own + RequestStartOffset), Environment.TickCount64);
        return true;
    }

    /// <summary>In a worker: the request that held the row (<see cref="RequestBegan"/>) ended after <paramref name="microseconds"/>.</summary>
    public void RequestEnded(long microseconds)
    {
        Volatile.Write(ref *(long*)(_own + RequestDurationOffset), microseconds);
        Volatile.Write(ref *(int*)(_own + RequestOwnerOffset), 0);
    }

    /// <summary>
    /// Adds a request to the counters of route <paramref name="route"/> (a row of the route table; -1 or any other for
    /// requests no route matched): its status class and its duration in <paramref name="microseconds"/>.
    /// </summary>
    public void Record(int route, int status, long microseconds)
    {
        if ((uint)route >= (uint)_routes)
            route = _routes;
        long* counters = (long*)(_memory + (long)_slots * RowSize + (long)route * RouteStride);
        int statusClass = Math.Clamp(status / 100, 1, 5) - 1;
        Interlocked.Increment(ref counters[statusClass]);
        int bucket = 0;
        double seconds = microseconds / 1e6;
        var bounds = BucketBounds;
        while (bucket < BucketCount && seconds > bounds[bucket])
            bucket++;
        Interlocked.Increment(ref counters[ClassCounters + bucket]);
        Interlocked.Add(ref counters[ClassCounters + BucketCount + 1], microseconds);
    }

    /// <summary>In a manager: what the row of <paramref name="pid"/> says, or <see langword="null"/> when it has none (yet).</summary>
    public WorkerState? Find(int pid)
    {
        for (int i = 1; i < _slots; i++)
        {
            byte* row = _memory + i * RowSize;
            if (Volatile.Read(ref *(int*)(row + PidOffset)) == pid)
                return new WorkerState(Volatile.Read(ref *(int*)(row + ConcurrencyOffset)), Volatile.Read(ref *(int*)(row + InFlightOffset)),
                    Volatile.Read(ref *(long*)(row + ChangedOffset)));
        }
        return null;
    }

    /// <summary>In a manager: frees the row of <paramref name="pid"/>, a worker reaped.</summary>
    public void Free(int pid)
    {
        for (int i = 1; i < _slots; i++)
        {
            byte* row = _memory + i * RowSize;
            if (Volatile.Read(ref *(int*)(row + PidOffset)) == pid)
            {
                Interlocked.Add(ref *(long*)(_memory + ReapedOffset), Volatile.Read(ref *(long*)(row + ServedOffset)));
                new Span<byte>(row + 4, RowSize - 4).Clear();
                Volatile.Write(ref *(int*)(row + PidOffset), 0);
            }
        }
    }

    /// <summary>
    /// The pool's state as the scoreboard has it now, for <c>--status-path</c> (<see cref="PoolStatus"/> writes it as
    /// JSON or OpenMetrics); <paramref name="queue"/> is the listener's queue as the answering worker sees it.
    /// </summary>
    public PoolStatus Read((int Queued, int Limit)? queue)
    {
        if (queue is { } seen)
            ListenQueueSeen(seen.Queued);
        long now = Environment.TickCount64;
        var workers = new PoolStatus.Worker[_slots - 1];
        int running = 0;
        long served = Volatile.Read(ref *(long*)(_memory + ReapedOffset));
        for (int i = 1; i < _slots; i++)
        {
            byte* row = _memory + i * RowSize;
            int pid = Volatile.Read(ref *(int*)(row + PidOffset));
            if (pid <= 0)
                continue;
            long rowServed = Volatile.Read(ref *(long*)(row + ServedOffset));
            served += rowServed;
            long start = Volatile.Read(ref *(long*)(row + RequestStartOffset)), duration = Volatile.Read(ref *(long*)(row + RequestDurationOffset));
            int length = Math.Clamp(Volatile.Read(ref *(int*)(row + RequestTextLengthOffset)), 0, RequestTextSize);
            workers[running++] = new PoolStatus.Worker
            {
                Pid = pid,
                InFlight = Volatile.Read(ref *(int*)(row + InFlightOffset)),
                Requests = rowServed,
                Request = start == 0 ? null : System.Text.Encoding.UTF8.GetString(new ReadOnlySpan<byte>(row + RequestTextOffset, length)),
                // The current request's time so far, or how long the last one took.
                RequestMicroseconds = start == 0 ? 0 : duration < 0 ? (now - start) * 1000 : duration,
            };
        }
        Array.Resize(ref workers, running);
        var routes = new long[(_routes + 1) * RouteLongs];
        long* counters = (long*)(_memory + (long)_slots * RowSize);
        for (int i = 0; i < routes.Length; i++)
            routes[i] = Volatile.Read(ref counters[i]);
        return new PoolStatus
        {
            StartTime = Volatile.Read(ref *(long*)(_memory + StartOffset)),
            Served = served,
            Accepted = Volatile.Read(ref *(long*)(_memory + AcceptedOffset)),
            ListenQueue = queue?.Queued,
            ListenQueueLength = queue?.Limit,
            MaxListenQueue = queue is null ? null : Volatile.Read(ref *(long*)(_memory + MaxListenQueueOffset)),
            MaxChildrenReached = Volatile.Read(ref *(long*)(_memory + MaxChildrenReachedOffset)),
            SlowRequests = Volatile.Read(ref *(long*)(_memory + SlowRequestsOffset)),
            Workers = workers,
            RouteCounters = routes,
        };
    }

    /// <summary>How many routes' counters <paramref name="counters"/> holds (as <see cref="Read"/> copies them), the unmatched included.</summary>
    internal static int RouteRows(long[] counters) => counters.Length / RouteLongs;

    /// <summary>Route <paramref name="route"/>'s counters in <paramref name="counters"/> (as <see cref="Read"/> copies them).</summary>
    internal static RouteCounts CountsOf(long[] counters, int route)
    {
        var span = counters.AsSpan(route * RouteLongs, RouteLongs);
        return new RouteCounts(span[..ClassCounters].ToArray(), span.Slice(ClassCounters, BucketCount + 1).ToArray(), span[ClassCounters + BucketCount + 1]);
    }

    /// <summary>
    /// One route's counters: requests by status class (1xx to 5xx), per bucket of <see cref="BucketBounds"/> and +Inf
    /// (each bucket alone, not cumulative), and the sum of their durations in microseconds.
    /// </summary>
    // A class, not a record: a record's equality members would have Native AOT allocate comparers' statics at every start.
    internal sealed class RouteCounts(long[] byClass, long[] buckets, long sumMicroseconds)
    {
        public long[] ByClass => byClass;

        public long[] Buckets => buckets;

        public long SumMicroseconds => sumMicroseconds;

        public long Count
        {
            get
            {
                long count = 0;
                foreach (long n in ByClass)
                    count += n;
                return count;
            }
        }
    }

    /// <summary>A worker's row, read by its manager.</summary>
    public readonly struct WorkerState(int maxConcurrency, int inFlight, long changed)
    {
        /// <summary>Every request slot is taken: a new connection would wait for one.</summary>
        public bool Busy => inFlight >= maxConcurrency;

        /// <summary>How long the worker has served nothing, in milliseconds at <paramref name="now"/>; 0 while it serves.</summary>
        public long IdleFor(long now) => inFlight > 0 ? 0 : now - changed;
    }

    private const int MFD_CLOEXEC = 1, PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, SEEK_END = 2, RegularFile = 0x8000;

    // The symbols the runtime binds already (ftruncate64, lseek64, mmap64, syscall): each new libc symbol is looked up
    // by the loader at every start, a CGI request's too (memfd_create, ftruncate, lseek and mmap of their own cost
    // samples/Hello about 3,400 instructions a request, 0.23 %).
    private static int MemfdCreate(string name, uint flags)
    {
        nint utf8 = Marshal.StringToCoTaskMemUTF8(name);
        try
        {
            return (int)syscall(RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 279 : 319, utf8, flags); // SYS_memfd_create
        }
        finally
        {
            Marshal.FreeCoTaskMem(utf8);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint syscall(nint number, nint argument1, nuint argument2);

    [LibraryImport("libc", EntryPoint = "ftruncate64", SetLastError = true)]
    private static partial int ftruncate(int descriptor, long length);

    [LibraryImport("libc", EntryPoint = "lseek64", SetLastError = true)]
    private static partial long lseek(int descriptor, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "mmap64", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int descriptor, long offset);
}
