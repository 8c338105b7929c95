using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace CgiRouting;

/// <summary>
/// The per-request deadline of <see cref="CgiOptions.Timeout"/>: unless the request finishes first, runs
/// <c>expired</c> (which answers 503) once the time is up, on a thread of its own, so that it also fires while a
/// synchronous handler blocks the main thread.
/// <para>
/// On Linux the timer is the kernel's (<c>timer_create</c> with <c>SIGEV_THREAD</c>): arming it costs two system
/// calls and no thread until it fires. A managed watchdog thread, the first design, cost every request about 0.2 ms
/// and 100,000 instructions, because <c>Thread.Start</c> waits for the new thread to run (measured by bench/run.sh:
/// the text request went from 1.00 to 1.19 of its floor). Elsewhere a <see cref="Timer"/> does the same job.
/// </para>
/// </summary>
internal sealed partial class RequestDeadline : IDisposable
{
    private const int Running = 0, Finished = 1, Expired = 2;

    private readonly Action _expired;
    private readonly ManualResetEventSlim _answered = new(false);
    private nint _timer;
    private Timer? _fallback;
    private int _state;

    private RequestDeadline(Action expired) => _expired = expired;

    /// <summary>
    /// Arms the deadline: <paramref name="expired"/> runs on another thread if the request is not finished in time. With
    /// <paramref name="kernelTimer"/> false (a FastCGI worker, which serves many requests) it is a <see cref="Timer"/>,
    /// as the kernel timer keeps a small handle for the life of the process.
    /// </summary>
    public static RequestDeadline Start(TimeSpan timeout, bool kernelTimer, Action expired)
    {
        var deadline = new RequestDeadline(expired);
        if (!kernelTimer || !OperatingSystem.IsLinux() || !deadline.ArmKernelTimer(timeout))
            deadline._fallback = new Timer(static d => ((RequestDeadline)d!).Fire(), deadline, timeout, System.Threading.Timeout.InfiniteTimeSpan);
        return deadline;
    }

    /// <summary>
    /// Marks the request finished, so the deadline will not answer, and returns <see langword="true"/>; or returns
    /// <see langword="false"/> once the deadline has answered already (the request is over and must not answer again).
    /// </summary>
    public bool TryFinish()
    {
        if (Interlocked.CompareExchange(ref _state, Finished, Running) == Running)
        {
            Dispose();
            return true;
        }
        _answered.Wait(); // its answer must be out before the caller returns and the process exits
        return false;
    }

    /// <summary>Disarms the timer.</summary>
    public void Dispose()
    {
        if (_timer != 0)
            _ = timer_delete(_timer);
        _timer = 0;
        _fallback?.Dispose();
    }

    private void Fire()
    {
        if (Interlocked.CompareExchange(ref _state, Expired, Running) != Running)
            return;
        try
        {
            _expired();
        }
        finally
        {
            _answered.Set();
        }
    }

    private unsafe bool ArmKernelTimer(TimeSpan timeout)
    {
        // The handle lives as long as the process: a notification already on its way after timer_delete must still
        // find the object. One small handle per request; a CGI process serves one.
        var handle = GCHandle.Alloc(this);
        var notify = new SigEvent
        {
            Value = GCHandle.ToIntPtr(handle),
            Notify = SigEvThread,
            Function = (nint)(delegate* unmanaged<nint, void>)&OnTimer,
        };
        if (timer_create(ClockMonotonic, &notify, out _timer) != 0)
        {
            handle.Free();
            return false;
        }
        long ticks = timeout.Ticks;
        var value = new ITimerSpec { ValueSeconds = ticks / TimeSpan.TicksPerSecond, ValueNanoseconds = ticks % TimeSpan.TicksPerSecond * 100 };
        if (timer_settime(_timer, 0, &value, null) != 0)
        {
            _ = timer_delete(_timer);
            _timer = 0;
            return false;
        }
        return true;
    }

    [UnmanagedCallersOnly]
    private static void OnTimer(nint value) => ((RequestDeadline)GCHandle.FromIntPtr(value).Target!).Fire();

    private const int ClockMonotonic = 1;
    private const int SigEvThread = 2;

    /// <summary>glibc's <c>struct sigevent</c> on 64-bit Linux (64 bytes), for <c>SIGEV_THREAD</c>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct SigEvent
    {
        [FieldOffset(0)] public nint Value;
        [FieldOffset(8)] public int Signal;
        [FieldOffset(12)] public int Notify;
        [FieldOffset(16)] public nint Function;
        [FieldOffset(24)] public nint Attributes;
    }

    /// <summary><c>struct itimerspec</c>: no interval, one expiry.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ITimerSpec
    {
        public long IntervalSeconds;
        public long IntervalNanoseconds;
        public long ValueSeconds;
        public long ValueNanoseconds;
    }

    [LibraryImport("libc")]
    private static unsafe partial int timer_create(int clock, SigEvent* notify, out nint timer);

    [LibraryImport("libc")]
    private static unsafe partial int timer_settime(nint timer, int flags, ITimerSpec* value, ITimerSpec* old);

    [LibraryImport("libc")]
    private static partial int timer_delete(nint timer);
}
