using System;
using System.IO;
using System.IO.Pipes;
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
        using (var output = CgiApp.StandardStream(descriptor, FileAccess.Write))
        {
            output.Write("Status: 200 OK\r\n"u8);
            output.Write("\r\nbody"u8);
        }
        Assert.Equal(22, SharedOffset(handle));
        using (var next = CgiApp.StandardStream(descriptor, FileAccess.Write))
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
        using (var first = CgiApp.StandardStream(descriptor, FileAccess.Read))
            first.ReadExactly(two);
        Assert.Equal("ab", Encoding.ASCII.GetString(two));
        using var second = CgiApp.StandardStream(descriptor, FileAccess.Read);
        var rest = new MemoryStream();
        second.CopyTo(rest);
        Assert.Equal("cdef", Encoding.ASCII.GetString(rest.ToArray()));
    }

    [Fact]
    public async Task A_write_larger_than_the_pipe_buffer_arrives_whole()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        using var writeEnd = pipe.ClientSafePipeHandle;
        var data = new byte[1 << 20];
        new Random(7).NextBytes(data);
        var reading = Task.Run(() =>
        {
            var received = new MemoryStream();
            pipe.CopyTo(received);
            return received.ToArray();
        });
        using (var output = CgiApp.StandardStream((int)writeEnd.DangerousGetHandle(), FileAccess.Write))
            output.Write(data);
        writeEnd.Dispose();
        pipe.DisposeLocalCopyOfClientHandle();
        Assert.Equal(data, await reading);
    }

    [Fact]
    public void Writing_to_a_pipe_nobody_reads_is_an_IOException()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        pipe.DisposeLocalCopyOfClientHandle(); // the reading end is gone
        using var output = CgiApp.StandardStream((int)pipe.SafePipeHandle.DangerousGetHandle(), FileAccess.Write);
        var e = Assert.Throws<IOException>(() => output.Write("Status: 200 OK\r\n"u8));
        Assert.Contains("EPIPE", e.Message);
    }
}
