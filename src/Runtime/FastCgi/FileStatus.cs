using System.Runtime.InteropServices;

namespace CgiRouting.FastCgi;

/// <summary>
/// What statx(2) says of a file, read in one place: its type (<c>S_IFMT</c> bits of <c>stx_mode</c>), device and inode.
/// <c>struct statx</c> has the same layout on every architecture. A symbolic link is never followed.
/// </summary>
internal readonly unsafe partial struct FileStatus
{
    public const int Socket = 0xC000, Fifo = 0x1000;

    private const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000, S_IFMT = 0xF000;
    private const uint STATX_TYPE = 1, STATX_INO = 0x100;

    private FileStatus(int type, ulong device, ulong inode) => (Type, Device, Inode) = (type, device, inode);

    /// <summary>The file type: <see cref="Socket"/>, <see cref="Fifo"/>, ...</summary>
    public int Type { get; }

    public ulong Device { get; }

    public ulong Inode { get; }

    /// <summary>The file at <paramref name="path"/>, or <see langword="null"/> when there is none.</summary>
    public static FileStatus? Of(string path) => Read(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW);

    /// <summary>The file open as <paramref name="descriptor"/>, or <see langword="null"/> when it is not open.</summary>
    public static FileStatus? Of(int descriptor) => Read(descriptor, "", AT_EMPTY_PATH);

    private static FileStatus? Read(int directory, string path, int flags)
    {
        byte* buffer = stackalloc byte[256];
        if (statx(directory, path, flags, STATX_TYPE | STATX_INO, buffer) != 0)
            return null;
        ulong device = (ulong)*(uint*)(buffer + 136) << 32 | *(uint*)(buffer + 140); // stx_dev_major, stx_dev_minor
        return new FileStatus(*(ushort*)(buffer + 28) & S_IFMT, device, *(ulong*)(buffer + 32)); // stx_mode, stx_ino
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directory, string path, int flags, uint mask, byte* buffer);
}
