using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CgiRouting;

#if !NO_SANDBOX
// SANDBOX_DATA is a folder the app may read; SANDBOX_DATA/out one it may also write; SANDBOX_PORT the TCP port it may
// connect to (beside 5432, declared as a number).
[assembly: Sandbox(Read = new[] { "${SANDBOX_DATA}" }, Write = new[] { "${SANDBOX_DATA}/out" }, ConnectPorts = new[] { 5432 },
    ConnectPortsFrom = new[] { "SANDBOX_PORT" }
#if SANDBOX_REQUIRED
    , Required = true
#endif
    )]
#endif

namespace Sandboxed;

public static partial class Handlers
{
    [Get("/hello")]
    public static string Hello() => "Hello from the sandbox";

    /// <summary>Waits <paramref name="seconds"/>, unless the request is abandoned first (CgiRequest.RequestAborted).</summary>
    [Get("/wait/<seconds>")]
    public static async Task<string> Wait(int seconds, CancellationToken token)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), token);
        return "waited " + seconds + " s";
    }

    [Get("/read")]
    public static string Read(string path) => File.ReadAllText(path);

    [Get("/read/task")]
    public static async Task<string> ReadOnThePool(string path) => await Task.Run(() => File.ReadAllText(path));

    [Get("/read/thread")]
    public static string ReadOnANewThread(string path)
    {
        string? text = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { text = File.ReadAllText(path); }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        thread.Join();
        if (error is not null)
            throw new IOException("the new thread could not read " + path, error);
        return text!;
    }

    /// <summary>Reads on the runtime's finalizer thread, which the runtime starts before Main.</summary>
    [Get("/read/finalizer")]
    public static string ReadOnTheFinalizerThread(string path)
    {
        var result = new FinalizerRead.Result();
        Allocate(path, result);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (result.Error is not null)
            throw new IOException($"the finalizer thread ({result.ThreadId}, started before Main) could not read {path}", result.Error);
        return $"{result.Text} (read on thread {result.ThreadId}, not {Environment.CurrentManagedThreadId})";
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Allocate(string path, FinalizerRead.Result result) => _ = new FinalizerRead(path, result);

    [Post("/write")]
    public static string Write(string path)
    {
        File.WriteAllText(path, "written");
        return "written";
    }

    [Get("/exec")]
    public static string Exec()
    {
        using var process = Process.Start("/bin/sh", ["-c", "exit 3"]);
        process.WaitForExit();
        return $"started, exit {process.ExitCode}";
    }

    [Get("/connect")]
    public static string Connect(int port)
    {
        using var client = new TcpClient();
        client.Connect("127.0.0.1", port);
        return "connected";
    }

    /// <summary>kcmp(2) of this process with itself: 0 without the sandbox, EPERM (1) under its seccomp filter.</summary>
    [Get("/kcmp")]
    public static string Kcmp()
    {
        int pid = Environment.ProcessId;
        long result = syscall(312 /* SYS_kcmp on x86_64 */, pid, pid, 0 /* KCMP_FILE */, 0, 0);
        return result == 0 ? "0" : "errno " + Marshal.GetLastPInvokeError();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long a, long b, long c, long d, long e);
}

internal sealed class FinalizerRead(string path, FinalizerRead.Result result)
{
    internal sealed class Result
    {
        public string? Text;
        public Exception? Error;
        public int ThreadId;
    }

    ~FinalizerRead()
    {
        result.ThreadId = Environment.CurrentManagedThreadId;
        try { result.Text = File.ReadAllText(path); }
        catch (Exception e) { result.Error = e; }
    }
}
