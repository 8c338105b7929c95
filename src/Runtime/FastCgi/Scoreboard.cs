using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;

namespace CgiRouting.FastCgi;

/// <summary>
/// How a <c>--prefork</c> manager sees its workers without asking them: a shared memory region (a memfd the manager
/// maps, given to every worker as descriptor 4 beside the retire pipe on 3), a row of <see cref="SlotSize"/> bytes per
/// worker, written by the worker with plain atomic stores and read by the manager every 20 ms, as php-fpm's scoreboard.
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

    private const int SlotSize = 32;
    private const int PidOffset = 0, ConcurrencyOffset = 4, InFlightOffset = 8, ChangedOffset = 16, ServedOffset = 24;

    private readonly byte* _memory;
    private readonly int _slots;
    private readonly byte* _own; // a worker's own row

    private Scoreboard(byte* memory, int slots, byte* own)
    {
        _memory = memory;
        _slots = slots;
        _own = own;
    }

    /// <summary>The rows there are: as many as the pool's most workers.</summary>
    public int Slots => _slots;

    /// <summary>In a manager: a new scoreboard for <paramref name="slots"/> workers, and its descriptor (close-on-exec; the spawner dups it to 4).</summary>
    public static Scoreboard Create(int slots, out int descriptor)
    {
        descriptor = MemfdCreate("cgirouting-scoreboard", MFD_CLOEXEC);
        if (descriptor < 0 || ftruncate(descriptor, (long)slots * SlotSize) != 0)
            throw new InvalidOperationException($"The workers' scoreboard could not be made (memfd_create: errno {Marshal.GetLastPInvokeError()}).");
        var board = new Scoreboard(Map(descriptor, slots), slots, null);
        // Row 0 is the pool's own: never claimed (its pid is -1), with the manager's start and the requests its reaped workers served.
        Volatile.Write(ref *(int*)(board._memory + PidOffset), -1);
        Volatile.Write(ref *(long*)(board._memory + ChangedOffset), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return board;
    }

    /// <summary>
    /// In a worker started by a manager: its row of the scoreboard on descriptor 4, claimed, with
    /// <paramref name="maxConcurrency"/> in it; <see langword="null"/> when there is no scoreboard there (a worker started some other way).
    /// </summary>
    public static Scoreboard? Join(int maxConcurrency)
    {
        long size = lseek(Descriptor, 0, SEEK_END);
        if (size <= 0 || size % SlotSize != 0 || FileStatus.Of(Descriptor)?.Type != RegularFile)
            return null;
        int slots = (int)(size / SlotSize);
        byte* memory = Map(Descriptor, slots);
        int pid = Environment.ProcessId;
        for (int i = 1; i < slots; i++)
        {
            byte* row = memory + i * SlotSize;
            if (Interlocked.CompareExchange(ref *(int*)(row + PidOffset), pid, 0) != 0)
                continue;
            Volatile.Write(ref *(int*)(row + ConcurrencyOffset), maxConcurrency);
            Volatile.Write(ref *(long*)(row + ChangedOffset), Environment.TickCount64);
            return new Scoreboard(memory, slots, row);
        }
        return null; // every row taken: the manager sees this worker as idle, and never as busy
    }

    private static byte* Map(int descriptor, int slots)
    {
        void* memory = mmap(null, (nuint)(slots * SlotSize), PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0);
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

    /// <summary>In a manager: what the row of <paramref name="pid"/> says, or <see langword="null"/> when it has none (yet).</summary>
    public WorkerState? Find(int pid)
    {
        for (int i = 1; i < _slots; i++)
        {
            byte* row = _memory + i * SlotSize;
            if (Volatile.Read(ref *(int*)(row + PidOffset)) == pid)
                return new WorkerState(Volatile.Read(ref *(int*)(row + ConcurrencyOffset)), Volatile.Read(ref *(int*)(row + InFlightOffset)),
                    Volatile.Read(ref *(long*)(row + ChangedOffset)));
        }
        return null;
    }

    /// <summary>In a manager: frees the row of <paramref name="pid"/>, a worker reaped.</summary>
    public void Free(int pid)
    {
        for (int i = 0; i < _slots; i++)
        {
            byte* row = _memory + i * SlotSize;
            if (Volatile.Read(ref *(int*)(row + PidOffset)) == pid)
            {
                Interlocked.Add(ref *(long*)(_memory + ServedOffset), Volatile.Read(ref *(long*)(row + ServedOffset)));
                new Span<byte>(row + 4, SlotSize - 4).Clear();
                Volatile.Write(ref *(int*)(row + PidOffset), 0);
            }
        }
    }

    /// <summary>
    /// The pool's state as JSON, read by any worker (<c>--status-path</c>): the manager's start (Unix seconds), the
    /// requests served (by live and reaped workers), and the workers: total, active (serving), idle; with
    /// <paramref name="full"/>, each worker's pid, requests in flight, served, and resident memory.
    /// </summary>
    public string Status(bool full)
    {
        var text = new System.Text.StringBuilder();
        long served = Volatile.Read(ref *(long*)(_memory + ServedOffset));
        int total = 0, active = 0;
        var workers = new System.Text.StringBuilder();
        for (int i = 1; i < _slots; i++)
        {
            byte* row = _memory + i * SlotSize;
            int pid = Volatile.Read(ref *(int*)(row + PidOffset));
            if (pid <= 0)
                continue;
            int inFlight = Volatile.Read(ref *(int*)(row + InFlightOffset));
            long rowServed = Volatile.Read(ref *(long*)(row + ServedOffset));
            served += rowServed;
            total++;
            active += inFlight > 0 ? 1 : 0;
            if (full)
                workers.Append(workers.Length == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"pid\":{pid},\"state\":\"{(inFlight > 0 ? "active" : "idle")}\",")
                    .Append(CultureInfo.InvariantCulture, $"\"in_flight\":{inFlight},\"requests\":{rowServed},\"rss_bytes\":{ResidentMemory.OfProcess(pid) ?? 0}}}");
        }
        text.Append(CultureInfo.InvariantCulture, $"{{\"start_time\":{Volatile.Read(ref *(long*)(_memory + ChangedOffset))},\"requests\":{served},")
            .Append(CultureInfo.InvariantCulture, $"\"total_processes\":{total},\"active_processes\":{active},\"idle_processes\":{total - active}");
        if (full)
            text.Append(",\"processes\":[").Append(workers).Append(']');
        return text.Append("}\n").ToString();
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
