using System;
using System.IO;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// A small tmpfs of its own, mounted by the test and removed with it: a disk that can be filled up and made
/// read-only without touching the machine's. Needs root (or CAP_SYS_ADMIN), as the test machine and CI have.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly string _filler;

    public SmallDisk(int megabytes)
    {
        Path = Directory.CreateTempSubdirectory("cgirouting-small-disk-").FullName;
        Mount("-t", "tmpfs", "-o", $"size={megabytes}m,mode=1777", "tmpfs", Path);
        _filler = System.IO.Path.Combine(Path, "filler");
    }

    public string Path { get; }

    /// <summary>Writes a file until the disk has no byte left.</summary>
    public void Fill()
    {
        using var file = new FileStream(_filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var block = new byte[4096];
        try
        {
            while (true)
                file.Write(block);
        }
        catch (IOException)
        {
            // ENOSPC: full, as wanted; single bytes take what a partial block left.
            try
            {
                while (true)
                    file.WriteByte(0);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Gives the space back.</summary>
    public void Free() => File.Delete(_filler);

    /// <summary>Remounts the disk read-only, or writable again.</summary>
    public void ReadOnly(bool readOnly) => Mount("-o", readOnly ? "remount,ro" : "remount,rw", Path);

    private static void Mount(params string[] arguments) => Repository.Run("mount", arguments);

    public void Dispose()
    {
        try { Repository.Run("umount", "-l", Path); } catch (InvalidOperationException) { }
        try { Directory.Delete(Path); } catch (IOException) { }
    }
}
