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

    public static int Run(int listener, int workers, long maxRequests, TextWriter log)
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
        using var spawn = new Spawner(binary, arguments, environment, listener);

        var pids = new int[workers];
        var started = new long[workers];
        int stopping = 0;
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Exchange(ref stopping, 1) == 1)
                return;
            log.WriteLine($"CgiRouting: {context.Signal} received: stopping the {workers} FastCGI workers.");
            lock (pids)
            {
                foreach (int pid in pids)
                {
                    if (pid > 0)
                        _ = kill(pid, SIGTERM);
                }
            }
        }
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        lock (pids)
        {
            for (int i = 0; i < workers; i++)
            {
                pids[i] = spawn.Start(log);
                started[i] = Environment.TickCount64;
            }
        }
        while (true)
        {
            int status;
            int pid = waitpid(-1, &status, 0);
            if (pid < 0)
            {
                int error = Marshal.GetLastPInvokeError();
                if (error == EINTR)
                    continue;
                if (error == ECHILD)
                    return 0;
                log.WriteLine($"CgiRouting: waitpid failed (errno {error}).");
                return 1;
            }
            lock (pids)
            {
                int slot = Array.IndexOf(pids, pid);
                if (slot < 0)
                    continue;
                pids[slot] = 0;
                bool normal = (status & 0x7f) == 0 && (status >> 8 & 0xff) == 0;
                if (!normal && Volatile.Read(ref stopping) == 0)
                    log.WriteLine((status & 0x7f) != 0
                        ? $"CgiRouting: FastCGI worker {pid} was ended by signal {status & 0x7f}; starting another."
                        : $"CgiRouting: FastCGI worker {pid} exited with {status >> 8 & 0xff}; starting another.");
                if (Volatile.Read(ref stopping) == 1)
                {
                    if (Array.TrueForAll(pids, p => p == 0))
                        return 0;
                    continue;
                }
                // A worker that fails as it starts would otherwise be restarted in a tight loop.
                if (!normal && Environment.TickCount64 - started[slot] < 1000)
                    Thread.Sleep(1000);
                pids[slot] = spawn.Start(log);
                started[slot] = Environment.TickCount64;
            }
        }
    }

    /// <summary>Starts workers with posix_spawn: the listening socket as descriptor 0, standard output to /dev/null.</summary>
    private sealed class Spawner : IDisposable
    {
        private readonly nint _path;
        private readonly nint* _arguments;
        private readonly nint* _environment;
        private readonly byte* _actions = (byte*)NativeMemory.AllocZeroed(256); // posix_spawn_file_actions_t is 80 bytes in glibc

        public Spawner(string binary, string[] arguments, System.Collections.Generic.List<string> environment, int listener)
        {
            _path = Marshal.StringToCoTaskMemUTF8(binary);
            _arguments = Strings(arguments);
            _environment = Strings([.. environment]);
            if (posix_spawn_file_actions_init(_actions) != 0 || posix_spawn_file_actions_adddup2(_actions, listener, 0) != 0
                || posix_spawn_file_actions_addopen(_actions, 1, "/dev/null", 1 /* O_WRONLY */, 0) != 0)
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
}
