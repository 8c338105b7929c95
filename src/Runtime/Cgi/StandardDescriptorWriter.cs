using System;
using System.Buffers;
using System.IO;
using System.Text;
using System.Threading;

namespace CgiRouting;

/// <summary>
/// Text to standard output (1) or standard error (2, the web server's error log, the default
/// <see cref="CgiOptions.ErrorLog"/>) as UTF-8, each call one write(2) to the descriptor, so that a line leaves whole
/// and lines of concurrent requests do not interleave. The console's writers would do the same after setting up the
/// terminal, the locale's encoding and every encoding it might name: about 18,000 instructions on the first line, and
/// ten more static bases for every process to allocate at start whether it writes a line or not (bench/notes.md).
/// Creating one makes no system call.
/// </summary>
internal sealed class StandardDescriptorWriter(int descriptor) : TextWriter
{
    private const int StackBytes = 512;
    private readonly Lock _lock = new();
    private readonly Encoder _encoder = Encoding.UTF8.GetEncoder(); // keeps a surrogate pair whole across two calls
    private Stream? _stream;
    private bool _readerGone;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Send(new ReadOnlySpan<char>(in value), newLine: false);
    public override void Write(string? value) => Send(value, newLine: false);
    public override void Write(char[] buffer, int index, int count) => Send(buffer.AsSpan(index, count), newLine: false);
    public override void Write(ReadOnlySpan<char> buffer) => Send(buffer, newLine: false);
    public override void WriteLine() => Send([], newLine: true);
    public override void WriteLine(string? value) => Send(value, newLine: true);
    public override void WriteLine(ReadOnlySpan<char> buffer) => Send(buffer, newLine: true);
    public override void Flush() { }

    private void Send(ReadOnlySpan<char> text, bool newLine)
    {
        ReadOnlySpan<char> end = newLine ? CoreNewLine : [];
        int most = Encoding.UTF8.GetMaxByteCount(text.Length + end.Length);
        byte[]? rented = most > StackBytes ? ArrayPool<byte>.Shared.Rent(most) : null;
        Span<byte> bytes = rented ?? stackalloc byte[StackBytes];
        try
        {
            lock (_lock)
            {
                int length = _encoder.GetBytes(text, bytes, flush: false);
                length += _encoder.GetBytes(end, bytes[length..], flush: false);
                if (length > 0 && !_readerGone)
                    (_stream ??= StandardDescriptorStream.Open(descriptor, FileAccess.Write)).Write(bytes[..length]);
            }
        }
        catch (IOException e) when (e.HResult == StandardDescriptorStream.EPIPE)
        {
            _readerGone = true; // `app --routes | head`: what is left goes nowhere, as with the console's writers
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
