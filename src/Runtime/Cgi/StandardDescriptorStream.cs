using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace CgiRouting;

/// <summary>
/// Standard input or output as an unbuffered stream that calls read(2) and write(2) on the descriptor itself, at
/// the offset it shares with every other process that holds it. A <see cref="FileStream"/> over the descriptor
/// would read and write a regular file at an offset of its own (pread/pwrite), so that in
/// <c>{ echo A; app; echo Z; } &gt; file</c> the shell's next write lands on the response. The console's streams
/// would set up terminal handling on their first write, which a CGI child pays for on every request. Creating one
/// makes no system call.
/// </summary>
internal sealed unsafe partial class StandardDescriptorStream(int descriptor, FileAccess access) : Stream
{
    // errno values; CGI children run on Linux, and EINTR and EPIPE are the same on the BSDs.
    private const int EINTR = 4;
    internal const int EPIPE = 32;
    private static int EAGAIN => OperatingSystem.IsLinux() ? 11 : 35;

    /// <summary>
    /// Standard input (0), output (1) or error (2) of a CGI process: a stream of this class; on Windows, which has no
    /// such descriptors, the console's streams.
    /// </summary>
    public static Stream Open(int descriptor, FileAccess access)
    {
        if (OperatingSystem.IsWindows())
            return descriptor switch { 0 => Console.OpenStandardInput(), 1 => Console.OpenStandardOutput(), _ => Console.OpenStandardError() };
        return new StandardDescriptorStream(descriptor, access);
    }

    /// <summary>
    /// The descriptor is a blocking socket with a receive timeout (SO_RCVTIMEO, a FastCGI connection): a read that
    /// fails with EAGAIN has waited that long, and throws instead of waiting again.
    /// </summary>
    public bool ReadTimesOut { get; init; }

    public override int Read(Span<byte> buffer)
    {
        if (!CanRead)
            throw new NotSupportedException("This stream is for writing.");
        if (buffer.IsEmpty)
            return 0;
        fixed (byte* bytes = buffer)
        {
            while (true)
            {
                nint n = read(descriptor, bytes, buffer.Length);
                if (n >= 0)
                    return (int)n;
                if (ReadTimesOut && Marshal.GetLastPInvokeError() == EAGAIN)
                    throw new IOException($"Nothing came on descriptor {descriptor} within its receive timeout.");
                WaitOrThrow("read from");
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!CanWrite)
            throw new NotSupportedException("This stream is for reading.");
        fixed (byte* bytes = buffer)
        {
            int written = 0;
            while (written < buffer.Length)
            {
                nint n = write(descriptor, bytes + written, buffer.Length - written);
                if (n >= 0)
                    written += (int)n; // a pipe or socket may take part of it
                else
                    WaitOrThrow("write to");
            }
        }
    }

    /// <summary>
    /// After a failed read or write: returns so that the caller tries again when the call was interrupted (EINTR) or
    /// the descriptor, inherited non-blocking, is not ready (EAGAIN); throws for any other error.
    /// </summary>
    private void WaitOrThrow(string verb)
    {
        int errno = Marshal.GetLastPInvokeError();
        if (errno == EINTR)
            return;
        if (errno == EAGAIN)
        {
            Thread.Sleep(1);
            return;
        }
        throw new IOException(errno == EPIPE
            ? $"Could not {verb} descriptor {descriptor}: the reader has gone (EPIPE)."
            : $"Could not {verb} descriptor {descriptor}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).",
            errno);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override bool CanRead => access.HasFlag(FileAccess.Read);
    public override bool CanWrite => access.HasFlag(FileAccess.Write);
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte* buffer, nint count);
}
