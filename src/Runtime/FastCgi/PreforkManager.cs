using System;
using System.Collections;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace CgiRouting.FastCgi;

/// <summary>
/// <c>--fastcgi ADDRESS --prefork N</c>: a small parent that holds the listening socket and keeps N workers started
/// ahead, each waiting in <c>accept</c> before any request arrives, as php-fpm's static process manager does; with
/// <c>--prefork MIN:MAX</c> as its dynamic one (and with MIN 0 its ondemand one), sized from a <see cref="Scoreboard"/>.
/// SIGHUP replaces every worker by one started from the binary now on disk (a graceful reload). A worker
/// is this binary started afresh (never a fork of a running .NET runtime) with the socket as its standard input, so it
/// is a FastCGI worker by the usual rule; with <c>--max-requests 1</c> it serves one request and exits, and the parent
/// starts the next at once: CGI's isolation (nothing kept between requests) with the start-up hidden from the client.
/// A worker that dies is replaced and logged; SIGTERM (or SIGINT) to the parent is passed to every worker, which
/// finishes its request, and the parent exits once they have.
/// <para>
/// The web servers' own process managers cannot do this at speed (issue 12 measured lighttpd's bin-path answering 503
/// to most requests, Apache's mod_fcgid about one request a second).
/// </para>
/// </summary>
internal static unsafe partial class PreforkManager
{
    /// <summary>
    /// Set in a worker's environment to the manager's process id: the worker serves without its start-up line, which
    /// would repeat per request, and ends when its manager does (<see cref="FollowManager"/>).
    /// </summary>
    public const string WorkerVariable = "CGIROUTING_PREFORK_WORKER";

    /// <summary>Set in a worker's environment when its pool can grow: it then accepts nothing while its request slots are all taken.</summary>
    public const string GrowingPoolVariable = "CGIROUTING_PREFORK_GROWS";

    private const int SIGTERM = 15, EINTR = 4, ECHILD = 10, PR_SET_PDEATHSIG = 1;

    /// <summary>
    /// In a worker: asks the kernel for SIGTERM when the manager <paramref name="manager"/> (the value of
    /// <see cref="WorkerVariable"/>) dies, so that a manager killed with SIGKILL leaves no worker behind, re-parented to
    /// init and waiting in accept for ever; SIGTERM lets the worker finish the request it is serving. Returns
    /// <see langword="false"/> when the manager is gone already (it died before the request for the signal was made, the
    /// race that checking the parent right after closes): the worker must not serve.
    /// </summary>
    public static bool FollowManager(string manager, TextWriter log)
    {
        if (!int.TryParse(manager, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid))
            return true; // not a manager's pid: a worker started by hand with the variable set
        _ = prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
        if (getppid() == pid)
            return true;
        log.WriteLine($"CgiRouting: the FastCGI worker manager {pid} that started this worker is gone: exiting.");
        return false;
    }

    /// <param name="listener">The listening socket the workers get as their standard input.</param>
    /// <param name="ownsListener">
    /// Whether the manager bound the listener itself (<c>--fastcgi ADDRESS</c>); one it was handed (systemd's socket unit,
    /// spawn-fcgi) outlives it, and is never shut down: the connections queued on it wait for the next manager.
    /// </param>
    /// <param name="pool">How many workers, and what each may serve.</param>
    /// <param name="log">The manager's log.</param>
    /// <param name="notifier">
    /// systemd's, under a <c>Type=notify</c> service: READY once the MIN workers are started, RELOADING and READY around a
    /// SIGHUP's reload, STOPPING at SIGTERM, and the watchdog from the manager's loop; null otherwise.
    /// </param>
    public static int Run(int listener, bool ownsListener, PoolSettings pool, TextWriter log, SystemdNotifier? notifier = null)
    {
        string binary = Environment.ProcessPath ?? throw new InvalidOperationException("The binary's own path is unknown.");
        var environment = new System.Collections.Generic.List<string>();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if ((string)variable.Key is not (WorkerVariable or GrowingPoolVariable))
                environment.Add(variable.Key + "=" + variable.Value);
        }
        environment.Add(WorkerVariable + "=" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (pool.Min < pool.Max)
            environment.Add(GrowingPoolVariable + "=1");
        int* retirement = stackalloc int[2];
        if (pipe2(retirement, O_CLOEXEC) != 0)
            throw new InvalidOperationException("pipe2 failed.");
        // Rows for the pool's workers and for those still finishing after they left it (retired, stopped idle, reloaded).
        var board = Scoreboard.Create(pool.Max * 4 + 16, pool.RouteCount, out int boardDescriptor);
        // The path, not the file: each worker is started from what is at the path then, so that a deploy (a new binary
        // renamed over the old one) and SIGHUP give new workers the new code.
        // With --user, the command starts with setpriv, which becomes the worker (exec) once it runs as the user.
        string[] command = pool.WorkerArguments(binary);
        using var spawn = new Spawner(command[0], command, environment, listener, retirement[1], boardDescriptor);

        int max = pool.Max;
        var pids = new int[max];
        var started = new long[max];
        int desired = pool.Min; // the workers wanted now: Min, more while all are busy, back to Min once idle
        long retryAt = 0; // when a worker is started again after one failed (to start, or at once)
        int backOff = 0; // milliseconds, doubled by each failure in a row
        var crashes = new CrashLoop(pool.RestartThreshold, pool.RestartWindowSeconds, log);
        int stopRequested = 0, stopping = 0, reloadRequested = 0;
        bool wantedPastMax = false; // an episode of max children reached is counted once
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Exchange(ref stopRequested, 1) == 0)
            {
                notifier?.Stopping();
                log.WriteLine($"CgiRouting: {context.Signal} received: stopping the FastCGI workers once the connections queued for them are served.");
            }
        }
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Volatile.Write(ref reloadRequested, 1);
        });

        // A stop must not reset the connections queued on the listener: nginx may have sent a request on each, and never
        // sends a POST again. The queue is capped (no new connection is queued; the kernel's retry of one finds the
        // listener gone and is refused, so nginx passes its request to another server unsent), the workers go on
        // accepting until it is empty, and only then is the listener shut down and the workers told to stop.
        var drainStarted = 0L;
        void StopWhenDrained()
        {
            if (!ownsListener)
                drainStarted = -1; // nothing to drain: what is queued stays for the next manager on the same socket
            if (drainStarted == 0)
            {
                SocketDescriptor.CapBacklog(listener);
                drainStarted = Environment.TickCount64;
            }
            if (ownsListener && SocketDescriptor.HasPending(listener) && Environment.TickCount64 - drainStarted < 10_000)
                return;
            if (ownsListener)
                SocketDescriptor.StopListening(listener);
            lock (pids)
            {
                Volatile.Write(ref stopping, 1);
                foreach (int pid in pids)
                {
                    if (pid > 0)
                        _ = kill(pid, SIGTERM);
                }
            }
        }

        // Starts workers into empty slots until `desired` run; after a failure, none before `retryAt` (1 s, doubling up
        // to 30 s), nor while a crash loop is backed off from.
        void StartDue()
        {
            long now = Environment.TickCount64;
            if (now < retryAt || crashes.Paused(now) || Volatile.Read(ref stopping) == 1)
                return;
            int live = Live(pids);
            for (int i = 0; i < max && live < desired; i++)
            {
                if (pids[i] != 0)
                    continue;
                pids[i] = spawn.Start(log);
                started[i] = now;
                if (pids[i] == 0)
                {
                    backOff = Doubled(backOff);
                    retryAt = now + backOff;
                    return;
                }
                live++;
            }
        }

        // The pool's size, looked at every 20 ms: one more worker while every worker's request slots are taken (or, with
        // none running, while a connection waits: php-fpm's ondemand), up to Max; one fewer when a worker has served
        // nothing for --idle-timeout, down to Min. A worker stopped for idleness is sent SIGTERM: it accepts nothing more
        // and finishes what it has begun, as any stopping worker.
        void Resize()
        {
            if (pool.Min == max || Volatile.Read(ref stopping) == 1)
                return;
            long now = Environment.TickCount64;
            int live = 0, busy = 0, idlest = -1;
            long idleFor = 0;
            for (int i = 0; i < max; i++)
            {
                if (pids[i] == 0)
                    continue;
                live++;
                if (board.Find(pids[i]) is not { } state)
                    continue; // just started: idle, not yet claimed its row
                if (state.Busy)
                    busy++;
                if (state.IdleFor(now) > idleFor)
                    (idleFor, idlest) = (state.IdleFor(now), i);
            }
            bool allBusy = live == desired && (live > 0 ? busy == live : SocketDescriptor.HasPending(listener));
            // php-fpm's max children reached: a connection waits while every worker of the MAX is busy; once an episode.
            bool pastMax = allBusy && desired == max && SocketDescriptor.HasPending(listener);
            if (pastMax && !wantedPastMax)
                board.MaxChildrenReached();
            wantedPastMax = pastMax;
            if (desired < max && allBusy)
            {
                desired++;
                StartDue();
            }
            else if (desired > pool.Min && live == desired && idlest >= 0 && idleFor >= pool.IdleTimeoutSeconds * 1000L)
            {
                _ = kill(pids[idlest], SIGTERM);
                pids[idlest] = 0;
                desired--;
            }
        }

        // SIGHUP: every worker is replaced by one started from the binary now at the path; the new ones are started first,
        // then the old ones are sent SIGTERM: each finishes what it serves (and the connections the web server keeps),
        // and what is queued meanwhile waits on the listener for the new ones.
        void Reload()
        {
            notifier?.Reloading();
            var old = new int[max];
            Array.Copy(pids, old, max);
            Array.Clear(pids);
            retryAt = 0;
            StartDue();
            int replaced = 0;
            foreach (int pid in old)
            {
                if (pid > 0 && kill(pid, SIGTERM) == 0)
                    replaced++;
            }
            log.WriteLine($"CgiRouting: SIGHUP received: {replaced} FastCGI worker{(replaced == 1 ? "" : "s")} replaced by workers started from {binary} as it is now.");
            notifier?.Ready();
        }
        lock (pids)
            StartDue();
        notifier?.Ready();

        // A worker that stops accepting (its --max-requests served) but still serves connections the web server keeps
        // writes its pid to the pipe: its slot gets a fresh worker at once, and the old one is left to finish.
        // Workers it starts get SIGTERM when it ends (PR_SET_PDEATHSIG follows the spawning thread): it never ends while
        // the manager runs, since the manager holds the pipe's write end (no end of file) and an interrupted read is
        // tried again.
        int readEnd = retirement[0];
        new Thread(() =>
        {
            int pid;
            while (true)
            {
                nint read = PreforkManager.read(readEnd, &pid, sizeof(int));
                if (read < 0 && Marshal.GetLastPInvokeError() == EINTR)
                    continue;
                if (read != sizeof(int))
                    break;
                lock (pids)
                {
                    int slot = Array.IndexOf(pids, pid);
                    if (slot < 0)
                        continue;
                    pids[slot] = 0;
                    StartDue();
                }
            }
        }) { IsBackground = true, Name = "FastCGI retirements" }.Start();

        while (true)
        {
            notifier?.Watchdog();
            if (Volatile.Read(ref stopRequested) == 1 && Volatile.Read(ref stopping) == 0)
                StopWhenDrained();
            if (Interlocked.Exchange(ref reloadRequested, 0) == 1 && Volatile.Read(ref stopping) == 0)
            {
                lock (pids)
                    Reload();
            }
            // Never blocked: a stop, a reload, the pool's size and a start whose retry has come are looked at every 20 ms.
            int status;
            int pid = waitpid(-1, &status, WNOHANG);
            if (pid <= 0)
            {
                int error = pid == 0 ? 0 : Marshal.GetLastPInvokeError();
                if (error is not (0 or EINTR or ECHILD))
                {
                    log.WriteLine($"CgiRouting: waitpid failed (errno {error}).");
                    return 1;
                }
                if (Volatile.Read(ref stopping) == 1 && (error == ECHILD || AllEmpty(pids)))
                    return 0;
                Thread.Sleep(20);
                if (pool.StatusPath is not null && SocketDescriptor.ListenQueue(listener) is { } queue)
                    board.ListenQueueSeen(queue.Queued); // max listen queue, as php-fpm samples it
                lock (pids)
                {
                    Resize();
                    StartDue();
                }
                continue;
            }
            board.Free(pid);
            lock (pids)
            {
                int slot = Array.IndexOf(pids, pid);
                if (slot < 0)
                    continue; // a worker retired, stopped or replaced already
                pids[slot] = 0;
                bool normal = (status & 0x7f) == 0 && (status >> 8 & 0xff) == 0;
                if (!normal && Volatile.Read(ref stopping) == 0)
                    log.WriteLine((status & 0x7f) != 0
                        ? $"CgiRouting: FastCGI worker {pid} was ended by signal {status & 0x7f}; starting another."
                        : $"CgiRouting: FastCGI worker {pid} exited with {status >> 8 & 0xff}; starting another.");
                if (Volatile.Read(ref stopping) == 1)
                {
                    if (AllEmpty(pids))
                        return 0;
                    continue;
                }
                long now = Environment.TickCount64;
                if (!normal)
                    crashes.Died(now);
                // A worker that fails as it starts would otherwise be restarted in a tight loop.
                bool early = !normal && now - started[slot] < 1000;
                backOff = early ? Doubled(backOff) : 0;
                retryAt = now + backOff;
                StartDue();
            }
        }
    }

    /// <summary>The next back-off after a failure: 1 s, doubling up to 30 s.</summary>
    private static int Doubled(int backOff) => Math.Min(Math.Max(backOff * 2, 1000), 30_000);

    private static int Live(int[] pids)
    {
        int live = 0;
        foreach (int pid in pids)
            live += pid != 0 ? 1 : 0;
        return live;
    }

    private static bool AllEmpty(int[] pids) => Array.TrueForAll(pids, p => p == 0);

    /// <summary>
    /// In a worker: tells the manager that this worker accepts no more connections (its <c>--max-requests</c> are served)
    /// while it still serves connections the web server keeps, so that the manager starts its successor now rather than
    /// when it exits. Descriptor 3 is the manager's pipe, given to every worker it starts.
    /// </summary>
    public static void Retire()
    {
        if (FileStatus.Of(RetirementDescriptor)?.Type != FileStatus.Fifo)
            return; // not the manager's pipe: a worker started some other way
        int pid = Environment.ProcessId;
        _ = write(RetirementDescriptor, &pid, sizeof(int));
    }

    private const int RetirementDescriptor = 3, O_CLOEXEC = 0x80000, WNOHANG = 1;

    /// <summary>Starts workers with posix_spawn: the listening socket as descriptor 0, standard output to /dev/null.</summary>
    private sealed class Spawner : IDisposable
    {
        private readonly nint _path;
        private readonly nint* _arguments;
        private readonly nint* _environment;
        private readonly byte* _actions = (byte*)NativeMemory.AllocZeroed(256); // posix_spawn_file_actions_t is 80 bytes in glibc

        public Spawner(string binary, string[] arguments, System.Collections.Generic.List<string> environment, int listener, int retirement, int scoreboard)
        {
            _path = Marshal.StringToCoTaskMemUTF8(binary);
            _arguments = Strings(arguments);
            _environment = Strings([.. environment]);
            if (posix_spawn_file_actions_init(_actions) != 0 || posix_spawn_file_actions_adddup2(_actions, listener, 0) != 0
                || posix_spawn_file_actions_addopen(_actions, 1, "/dev/null", 1 /* O_WRONLY */, 0) != 0
                || posix_spawn_file_actions_adddup2(_actions, retirement, RetirementDescriptor) != 0
                || posix_spawn_file_actions_adddup2(_actions, scoreboard, Scoreboard.Descriptor) != 0)
                throw new InvalidOperationException("posix_spawn_file_actions failed.");
        }

        private static nint* Strings(string[] values)
        {
            var strings = (nint*)NativeMemory.AllocZeroed((nuint)(values.Length + 1), (nuint)sizeof(nint));
            for (int i = 0; i < values.Length; i++)
                strings[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            return strings;
        }

        public int Start(TextWriter log)
        {
            int pid;
            int error = posix_spawn(&pid, _path, _actions, null, _arguments, _environment);
            if (error == 0)
                return pid;
            log.WriteLine($"CgiRouting: a FastCGI worker could not be started (posix_spawn: errno {error}).");
            return 0;
        }

        public void Dispose() => _ = posix_spawn_file_actions_destroy(_actions);
    }

    [LibraryImport("libc")]
    private static partial int posix_spawn(int* pid, nint path, byte* actions, void* attributes, nint* arguments, nint* environment);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_adddup2(byte* actions, int descriptor, int newDescriptor);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addopen(byte* actions, int descriptor, string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc")]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    private static partial int prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);

    [LibraryImport("libc")]
    private static partial int getppid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2(int* descriptors, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int descriptor, void* buffer, nint count);

    [LibraryImport("libc")]
    private static partial nint write(int descriptor, void* buffer, nint count);
}
