using System;
using System.Collections;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace CgiRouting.FastCgi;

/// <summary>
/// <c>--fastcgi ADDRESS --prefork N</c>: a small parent that holds the listening socket and keeps N workers started
/// ahead, each waiting in <c>accept</c> before any request arrives, as php-fpm's static process manager does. A worker
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
    /// <param name="workers">How many workers are kept started.</param>
    /// <param name="maxRequests">Each worker's <c>--max-requests</c>, 0 for none.</param>
    /// <param name="log">The manager's log.</param>
    public static int Run(int listener, bool ownsListener, int workers, long maxRequests, TextWriter log)
    {
        string binary = Environment.ProcessPath ?? throw new InvalidOperationException("The binary's own path is unknown.");
        string[] arguments = maxRequests > 0 ? [binary, "--max-requests", maxRequests.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [binary];
        var environment = new System.Collections.Generic.List<string>();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if ((string)variable.Key != WorkerVariable)
                environment.Add(variable.Key + "=" + variable.Value);
        }
        environment.Add(WorkerVariable + "=" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int* retirement = stackalloc int[2];
        if (pipe2(retirement, O_CLOEXEC) != 0)
            throw new InvalidOperationException("pipe2 failed.");
        using var spawn = new Spawner(binary, arguments, environment, listener, retirement[1]);

        var pids = new int[workers];
        var started = new long[workers];
        var retryAt = new long[workers]; // when an empty slot is started (again)
        var backOff = new int[workers]; // milliseconds, doubled by each failure in a row
        int stopRequested = 0, stopping = 0;
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Exchange(ref stopRequested, 1) == 0)
                log.WriteLine($"CgiRouting: {context.Signal} received: stopping the {workers} FastCGI workers once the connections queued for them are served.");
        }
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

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

        // Fills the empty slots whose time has come; a worker that cannot be started is tried again after a back-off
        // (1 s, doubling up to 30 s) instead of leaving its slot empty for good.
        void StartDue()
        {
            long now = Environment.TickCount64;
            for (int i = 0; i < workers; i++)
            {
                if (pids[i] != 0 || now < retryAt[i] || Volatile.Read(ref stopping) == 1)
                    continue;
                pids[i] = spawn.Start(log);
                started[i] = now;
                if (pids[i] == 0)
                {
                    backOff[i] = Math.Min(Math.Max(backOff[i] * 2, 1000), 30_000);
                    retryAt[i] = now + backOff[i];
                }
            }
        }
        lock (pids)
            StartDue();

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
                    retryAt[slot] = 0;
                    StartDue();
                }
            }
        }) { IsBackground = true, Name = "FastCGI retirements" }.Start();

        while (true)
        {
            if (Volatile.Read(ref stopRequested) == 1 && Volatile.Read(ref stopping) == 0)
                StopWhenDrained();
            // Never blocked: a stop, and a slot whose retry has come, are looked at every 20 ms.
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
                lock (pids)
                    StartDue();
                continue;
            }
            lock (pids)
            {
                int slot = Array.IndexOf(pids, pid);
                if (slot < 0)
                    continue; // a retired worker, replaced already
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
                // A worker that fails as it starts would otherwise be restarted in a tight loop.
                bool early = !normal && Environment.TickCount64 - started[slot] < 1000;
                backOff[slot] = early ? Math.Min(Math.Max(backOff[slot] * 2, 1000), 30_000) : 0;
                retryAt[slot] = Environment.TickCount64 + backOff[slot];
                StartDue();
            }
        }
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

        public Spawner(string binary, string[] arguments, System.Collections.Generic.List<string> environment, int listener, int retirement)
        {
            _path = Marshal.StringToCoTaskMemUTF8(binary);
            _arguments = Strings(arguments);
            _environment = Strings([.. environment]);
            if (posix_spawn_file_actions_init(_actions) != 0 || posix_spawn_file_actions_adddup2(_actions, listener, 0) != 0
                || posix_spawn_file_actions_addopen(_actions, 1, "/dev/null", 1 /* O_WRONLY */, 0) != 0
                || posix_spawn_file_actions_adddup2(_actions, retirement, RetirementDescriptor) != 0)
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
