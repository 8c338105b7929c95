using System;
using System.IO;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// The streams CgiApp.Run() puts on descriptors 0 and 1: they read and write at the offset the descriptor shares with
/// the shell or server, so that <c>{ echo A; app; echo Z; } &gt; file</c> keeps every line.
/// </summary>
public class StandardStreamTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    /// <summary>The descriptor's own file offset, as the next process to write to it would find it.</summary>
    private static long SharedOffset(SafeFileHandle handle)
    {
        using var probe = new FileStream(new SafeFileHandle(handle.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, bufferSize: 0);
        return probe.Position; // a FileStream over a descriptor starts at lseek(fd, 0, SEEK_CUR)
    }

    [Fact]
    public void Writes_to_a_regular_file_advance_the_shared_offset()
    {
        using var handle = File.OpenHandle(_path, FileMode.Create, FileAccess.ReadWrite);
        int descriptor = (int)handle.DangerousGetHandle();
        using (var output = StandardDescriptorStream.Open(descriptor, FileAccess.Write))
        {
            output.Write("Status: 200 OK\r\n"u8);
            output.Write("\r\nbody"u8);
        }
        Assert.Equal(22, SharedOffset(handle));
        using (var next = StandardDescriptorStream.Open(descriptor, FileAccess.Write))
            next.Write("\nZZZZ\n"u8); // what the shell writes after the app
        Assert.Equal("Status: 200 OK\r\n\r\nbody\nZZZZ\n", File.ReadAllText(_path));
    }

    [Fact]
    public void Reads_from_a_regular_file_start_and_stop_at_the_shared_offset()
    {
        File.WriteAllText(_path, "abcdef");
        using var handle = File.OpenHandle(_path, FileMode.Open, FileAccess.Read);
        int descriptor = (int)handle.DangerousGetHandle();
        var two = new byte[2];
        using (var first = StandardDescriptorStream.Open(descriptor, FileAccess.Read))
            first.ReadExactly(two);
        Assert.Equal("ab", Encoding.ASCII.GetString(two));
        using var second = StandardDescriptorStream.Open(descriptor, FileAccess.Read);
        var rest = new MemoryStream();
        second.CopyTo(rest);
        Assert.Equal("cdef", Encoding.ASCII.GetString(rest.ToArray()));
    }

    /// <summary>
    /// Writes <paramref name="data"/> through a StandardDescriptorStream on a pipe whose reader starts after
    /// <paramref name="readerDelay"/> milliseconds, and returns what the reader received.
    /// </summary>
    private static async Task<byte[]> ThroughPipe(byte[] data, bool nonBlocking, int readerDelay)
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        using var writeEnd = pipe.ClientSafePipeHandle;
        if (nonBlocking)
            SetNonBlocking(writeEnd);
        var reading = Task.Run(async () =>
        {
            await Task.Delay(readerDelay);
            var received = new MemoryStream();
            pipe.CopyTo(received);
            return received.ToArray();
        });
        using (var output = StandardDescriptorStream.Open((int)writeEnd.DangerousGetHandle(), FileAccess.Write))
            output.Write(data);
        writeEnd.Dispose();
        pipe.DisposeLocalCopyOfClientHandle();
        return await reading;
    }

    [Fact]
    public async Task A_write_larger_than_the_pipe_buffer_arrives_whole()
    {
        var data = new byte[1 << 20];
        new Random(7).NextBytes(data);
        Assert.Equal(data, await ThroughPipe(data, nonBlocking: false, readerDelay: 0));
    }

    [Fact]
    public void Writing_to_a_pipe_nobody_reads_is_an_IOException()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        pipe.DisposeLocalCopyOfClientHandle(); // the reading end is gone
        using var output = StandardDescriptorStream.Open((int)pipe.SafePipeHandle.DangerousGetHandle(), FileAccess.Write);
        var e = Assert.Throws<IOException>(() => output.Write("Status: 200 OK\r\n"u8));
        Assert.Equal($"Could not write to descriptor {(int)pipe.SafePipeHandle.DangerousGetHandle()}: the reader has gone (EPIPE).", e.Message);
        Assert.Equal(32, e.HResult);
    }

    [Fact]
    public void Other_errors_name_the_call_the_descriptor_and_errno()
    {
        File.WriteAllText(_path, "abc");
        using (var writeOnly = File.OpenHandle(_path, FileMode.Open, FileAccess.Write))
        {
            int descriptor = (int)writeOnly.DangerousGetHandle();
            using var input = new StandardDescriptorStream(descriptor, FileAccess.Read); // the descriptor cannot read: EBADF
            var e = Assert.Throws<IOException>(() => input.Read(new byte[4]));
            Assert.Equal($"Could not read from descriptor {descriptor}: {Marshal.GetPInvokeErrorMessage(9)} (errno 9).", e.Message);
            Assert.Equal(9, e.HResult);
        }
        using (var readOnly = File.OpenHandle(_path, FileMode.Open, FileAccess.Read))
        {
            int descriptor = (int)readOnly.DangerousGetHandle();
            using var output = new StandardDescriptorStream(descriptor, FileAccess.Write);
            var e = Assert.Throws<IOException>(() => output.Write("x"u8));
            Assert.Equal($"Could not write to descriptor {descriptor}: {Marshal.GetPInvokeErrorMessage(9)} (errno 9).", e.Message);
        }
    }

    [Fact]
    public void A_stream_only_goes_the_way_it_was_opened()
    {
        using var input = StandardDescriptorStream.Open(0, FileAccess.Read);
        Assert.True(input.CanRead);
        Assert.False(input.CanWrite);
        Assert.False(input.CanSeek);
        Assert.Equal("This stream is for reading.", Assert.Throws<NotSupportedException>(() => input.Write("x"u8)).Message);
        using var output = StandardDescriptorStream.Open(1, FileAccess.Write);
        Assert.False(output.CanRead);
        Assert.True(output.CanWrite);
        Assert.Equal("This stream is for writing.", Assert.Throws<NotSupportedException>(() => output.Read(new byte[1])).Message);
        Assert.Equal(0, input.Read(Span<byte>.Empty)); // nothing asked, nothing read: no system call
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int descriptor, int command, int argument);

    /// <summary>Makes <paramref name="handle"/> non-blocking, as a descriptor a server passes on may be.</summary>
    private static void SetNonBlocking(SafeHandle handle)
    {
        const int F_GETFL = 3, F_SETFL = 4, O_NONBLOCK = 0x800; // Linux
        int descriptor = (int)handle.DangerousGetHandle();
        int flags = fcntl(descriptor, F_GETFL, 0);
        Assert.True(flags >= 0);
        Assert.Equal(0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK));
    }

    [Fact]
    public async Task A_non_blocking_input_that_is_not_ready_is_waited_for()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        SetNonBlocking(pipe.SafePipeHandle);
        using var writer = new FileStream(new SafeFileHandle(pipe.ClientSafePipeHandle.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, 1);
        var late = Task.Run(async () =>
        {
            await Task.Delay(200);
            writer.Write("late"u8);
            writer.Flush();
        });
        using var input = StandardDescriptorStream.Open((int)pipe.SafePipeHandle.DangerousGetHandle(), FileAccess.Read);
        var buffer = new byte[16];
        int n = input.Read(buffer); // EAGAIN until the writer writes
        await late;
        Assert.Equal("late", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public async Task A_non_blocking_output_that_is_full_takes_the_rest_when_it_drains()
    {
        // Far more than the pipe holds, so partial writes and EAGAIN; not a multiple of its pages, so the last write is
        // partial too.
        var data = new byte[(1 << 20) + 12345];
        new Random(11).NextBytes(data);
        Assert.Equal(data, await ThroughPipe(data, nonBlocking: true, readerDelay: 100));
    }
}
