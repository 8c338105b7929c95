using System.Runtime.InteropServices;

namespace CgiRouting.FastCgi;

/// <summary>
/// What a worker reads of itself for its access and slow logs, each with one system call through libc's
/// <c>syscall</c>, a symbol the runtime binds already (a new libc symbol costs every start, a CGI request's too).
/// </summary>
internal static unsafe partial class ProcessUsage
{
    private static bool Arm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>The process's peak resident set in bytes (getrusage's <c>ru_maxrss</c>), 0 when it cannot tell.</summary>
    public static long PeakResidentBytes()
    {
        long* usage = stackalloc long[18]; // struct rusage: two timevals, then ru_maxrss in KiB
        return syscall(Arm64 ? 165 : 98, 0 /* RUSAGE_SELF */, (nuint)usage) == 0 ? usage[4] * 1024 : 0;
    }

    /// <summary>The calling thread's id (gettid), as <c>/proc/PID/task/</c> and debuggers name it.</summary>
    public static int CurrentThreadId() => (int)syscall(Arm64 ? 178 : 186, 0, 0);

    /// <summary>
    /// Opens <paramref name="path"/> to append to (O_APPEND: the lines of the pool's workers, each written with one
    /// write(2), never overwrite each other), creating it with mode 0644; -1 and errno on failure.
    /// </summary>
    public static int OpenForAppend(string path)
    {
        nint utf8 = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            const int O_WRONLY = 1, O_CREAT = 0x40, O_APPEND = 0x400, O_CLOEXEC = 0x80000, AT_FDCWD = -100;
            return (int)syscall4(Arm64 ? 56 : 257, AT_FDCWD, utf8, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0b110_100_100); // openat
        }
        finally
        {
            Marshal.FreeCoTaskMem(utf8);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="descriptor"/> (one write, tried again for what is left).</summary>
    public static bool Write(int descriptor, System.ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            int done = 0;
            while (done < bytes.Length)
            {
                nint written = syscall4(Arm64 ? 64 : 1, descriptor, (nint)(start + done), bytes.Length - done, 0); // write
                if (written <= 0)
                {
                    if (written < 0 && Marshal.GetLastPInvokeError() == 4 /* EINTR */)
                        continue;
                    return false;
                }
                done += (int)written;
            }
        }
        return true;
    }

    /// <summary>Closes <paramref name="descriptor"/>.</summary>
    public static void Close(int descriptor) => _ = syscall(Arm64 ? 57 : 3, descriptor, 0);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint syscall(nint number, nint argument1, nuint argument2);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial nint syscall4(nint number, nint argument1, nint argument2, nint argument3, nint argument4);
}
