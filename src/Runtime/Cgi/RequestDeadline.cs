using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace CgiRouting;

/// <summary>
/// The per-request deadline of <see cref="CgiOptions.Timeout"/>: unless the request finishes first, answers 503 once
/// the time is up, also while a synchronous handler blocks the main thread.
/// <para>
/// A CGI process of a Native AOT app uses a kernel timer and a signal handler written in C
/// (buildTransitive/native/cgirouting_deadline.c, compiled and linked by CgiRouting.props): arming it is two system
/// calls and no thread. Each earlier design started a thread in every request, which bench/run.sh measured: a managed
/// watchdog thread cost about 0.2 ms (<c>Thread.Start</c> waits for the thread to run), and a <c>timer_create</c>
/// timer with <c>SIGEV_THREAD</c> still 0.09 ms, for glibc's helper thread. Signal handlers cannot run managed code,
/// so the answer and the log line are bytes made ready when the deadline is armed, and the handler ends the process.
/// </para>
/// <para>
/// Everywhere else (in-process calls of <see cref="CgiApp.Run(System.Collections.Generic.IReadOnlyDictionary{string, string}, System.IO.Stream, System.IO.Stream, CgiOptions?)"/>,
/// the JIT, Windows, an app with its own <see cref="CgiOptions.ErrorLog"/>) a <see cref="Timer"/> runs the
/// <c>expired</c> callback on a thread of its own.
/// </para>
/// </summary>
internal sealed partial class RequestDeadline
{
    // Expired: the deadline's thread is answering; Answered: its answer is out.
    private const int Running = 0, Finished = 1, Expired = 2, Answered = 3;

    /// <summary>What the native handler writes: the bytes <see cref="CgiResponseWriter"/> writes for <see cref="Answer"/> (a test keeps them equal).</summary>
    internal static ReadOnlySpan<byte> AnswerBytes => "Status: 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 36\r\n\r\nThe request took too long to answer."u8;

    /// <summary><see cref="AnswerBytes"/> without the body, for <c>HEAD</c>.</summary>
    internal static ReadOnlySpan<byte> AnswerHeadBytes => AnswerBytes[..^36];

    /// <summary>The answer of a request that outlived its deadline.</summary>
    internal static Response Answer() => Response.Text("The request took too long to answer.", 503);

    private readonly Timer? _timer;
    private readonly Action? _expired;
    private int _state;

    private RequestDeadline(TimeSpan timeout, Action expired)
    {
        _expired = expired;
        _timer = new Timer(static d => ((RequestDeadline)d!).Fire(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    private RequestDeadline() { }

    /// <summary>Arms a deadline that runs <paramref name="expired"/> on another thread if the request is not finished in time.</summary>
    public static RequestDeadline Start(TimeSpan timeout, Action expired) => new(timeout, expired);

    /// <summary>
    /// Arms the deadline of this process's one request in the native handler, which writes the 503 to descriptor 1
    /// and <paramref name="logLine"/> to descriptor 2 and ends the process; <see langword="null"/> where there is no
    /// native handler (the JIT, Windows, a Native AOT app linked without CgiRouting.props).
    /// </summary>
    public static unsafe RequestDeadline? StartForProcess(TimeSpan timeout, bool head, string logLine)
    {
        try
        {
            // The handler may fire at any time until the process ends: the line goes to memory the GC never moves
            // or frees (one small block per process). The answer is static data in the binary.
            int length = Encoding.UTF8.GetByteCount(logLine);
            byte* log = (byte*)NativeMemory.Alloc((nuint)length);
            Encoding.UTF8.GetBytes(logLine, new Span<byte>(log, length));
            ReadOnlySpan<byte> answer = head ? AnswerHeadBytes : AnswerBytes;
            fixed (byte* bytes = answer)
            {
                if (cgirouting_deadline_arm((long)timeout.TotalMilliseconds, bytes, (nuint)answer.Length, log, (nuint)length) != 0)
                    return null;
            }
            return new RequestDeadline();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Marks the request finished, so the deadline will not answer, and returns <see langword="true"/>; or returns
    /// <see langword="false"/> once the deadline has answered already (the request is over and must not answer again).
    /// The native deadline never returns false: once it answers, it ends the process.
    /// </summary>
    public bool TryFinish()
    {
        if (_timer is null)
            return cgirouting_deadline_finish() != 0;
        if (Interlocked.CompareExchange(ref _state, Finished, Running) == Running)
        {
            _timer.Dispose();
            return true;
        }
        // Its answer must be out before the caller returns and the process exits. A monitor, not an event object every
        // request would allocate: only a request that expired waits.
        lock (this)
        {
            while (Volatile.Read(ref _state) != Answered)
                Monitor.Wait(this);
        }
        return false;
    }

    private void Fire()
    {
        if (Interlocked.CompareExchange(ref _state, Expired, Running) != Running)
            return;
        try
        {
            _expired!();
        }
        finally
        {
            lock (this)
            {
                Volatile.Write(ref _state, Answered);
                Monitor.PulseAll(this);
            }
        }
    }

    /// <summary>
    /// <see cref="CgiOptions.Timeout"/>, unless the server sets <c>CGIROUTING_TIMEOUT</c> (seconds, with up to three
    /// decimals) for this app. Parsed by hand: double parsing and formatting would add 100 KB to every app.
    /// </summary>
    /// <remarks>An unreadable <c>CGIROUTING_TIMEOUT</c> is logged only with <paramref name="errorLog"/>.</remarks>
    internal static TimeSpan RequestTimeout(IReadOnlyDictionary<string, string> environment, CgiOptions? options, TextWriter? errorLog)
    {
        TimeSpan timeout = options?.Timeout ?? CgiOptions.DefaultTimeout;
        if (environment.TryGetValue("CGIROUTING_TIMEOUT", out string? text))
        {
            if (Milliseconds(text) is > 0 and <= int.MaxValue and long milliseconds)
                return TimeSpan.FromMilliseconds(milliseconds);
            errorLog?.WriteLine($"CgiRouting: CGIROUTING_TIMEOUT='{PrintableText.Escape(text)}' is not a number of seconds; the timeout stays {Seconds(timeout)} s.");
        }
        return timeout;
    }

    /// <summary><c>12</c>, <c>0.5</c> or <c>2.250</c> seconds in milliseconds; -1 for anything else.</summary>
    private static long Milliseconds(string text)
    {
        int dot = text.IndexOf('.');
        string whole = dot < 0 ? text : text[..dot];
        string fraction = dot < 0 ? "" : text[(dot + 1)..];
        if (whole.Length is 0 or > 7 || fraction.Length > 3 || (dot >= 0 && fraction.Length == 0)
            || whole.AsSpan().ContainsAnyExceptInRange('0', '9') || fraction.AsSpan().ContainsAnyExceptInRange('0', '9'))
            return -1;
        return long.Parse(whole, CultureInfo.InvariantCulture) * 1000
            + (fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(3, '0'), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// <paramref name="time"/> in seconds, to the millisecond, without trailing zeros: <c>2</c>, <c>0.25</c>. By hand:
    /// every CGI request formats it for the native deadline's log line (made ready when the deadline is armed), and
    /// number formatting sets up culture data first (11,000 instructions).
    /// </summary>
    internal static string Seconds(TimeSpan time)
    {
        long milliseconds = (long)time.TotalMilliseconds;
        Span<char> text = stackalloc char[24];
        int start = text.Length;
        long fraction = milliseconds % 1000;
        if (fraction != 0)
        {
            int digits = 3;
            for (; fraction % 10 == 0; digits--)
                fraction /= 10;
            for (; digits > 0; digits--, fraction /= 10)
                text[--start] = (char)('0' + fraction % 10);
            text[--start] = '.';
        }
        long whole = milliseconds / 1000;
        do
            text[--start] = (char)('0' + whole % 10);
        while ((whole /= 10) != 0);
        return new string(text[start..]);
    }

    [LibraryImport("cgirouting")]
    private static unsafe partial int cgirouting_deadline_arm(long milliseconds, byte* answer, nuint answerLength, byte* log, nuint logLength);

    [LibraryImport("cgirouting")]
    private static partial int cgirouting_deadline_finish();
}
