using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace CgiRouting;

/// <summary>
/// A file sent in a <c>multipart/form-data</c> request: bind one with a <c>FormFile</c> parameter (or
/// <c>FormFile[]</c> for several), named as the form's file field. Its content is kept in memory up to 64 KiB and
/// in a temporary file beyond; that file has no name on disk (it is unlinked as soon as it is made), so it is gone
/// when the request ends however the process ends.
/// </summary>
public sealed class FormFile
{
    private readonly byte[]? _memory;
    private readonly SafeFileHandle? _file;

    internal FormFile(string name, string fileName, string contentType, byte[]? memory, SafeFileHandle? file, long length)
    {
        Name = name;
        FileName = fileName;
        ContentType = contentType;
        _memory = memory;
        _file = file;
        Length = length;
    }

    /// <summary>The form field's name.</summary>
    public string Name { get; }

    /// <summary>
    /// The file name the browser sent, as it sent it: never use it as a path on the server (it may hold <c>..</c>
    /// or <c>/</c>); keep it as a label, or make one of your own.
    /// </summary>
    public string FileName { get; }

    /// <summary>The part's <c>Content-Type</c> as sent (<c>application/octet-stream</c> when absent): a claim of the client, not a check.</summary>
    public string ContentType { get; }

    /// <summary>The content's length in bytes.</summary>
    public long Length { get; }

    /// <summary>A new read-only stream over the content, from its start; each call gives an independent one.</summary>
    public Stream OpenReadStream() => _memory is not null
        ? new MemoryStream(_memory, 0, (int)Length, writable: false)
        : new SpilledContentStream(_file!, Length);

    /// <summary>Copies the content to <paramref name="destination"/>.</summary>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        using var source = OpenReadStream();
        await source.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    internal void Release() => _file?.Dispose();

    /// <summary>Reads a spilled file at positions of its own, so that streams over one file do not disturb each other.</summary>
    private sealed class SpilledContentStream(SafeFileHandle file, long length) : ReadOnlyStream
    {
        private long _position;

        public override int Read(Span<byte> buffer)
        {
            int wanted = (int)Math.Min(buffer.Length, length - _position);
            if (wanted <= 0)
                return 0;
            int read = RandomAccess.Read(file, buffer[..wanted], _position);
            _position += read;
            return read;
        }

        public override bool CanSeek => true;
        public override long Length => length;
        public override long Position { get => _position; set => _position = Math.Clamp(value, 0, length); }
        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
    }
}
