using System;
using System.IO;

namespace CgiRouting.FastCgi;

/// <summary>A process's resident set (RSS), read from <c>/proc/PID/statm</c>, its second field in pages.</summary>
internal static class ResidentMemory
{
    /// <summary>This process's resident bytes, or null when /proc cannot tell.</summary>
    public static long? OfThisProcess() => Of("/proc/self/statm");

    /// <summary>The resident bytes of process <paramref name="pid"/>, or null when it is gone.</summary>
    public static long? OfProcess(int pid) => Of($"/proc/{pid}/statm");

    private static long? Of(string path)
    {
        Span<byte> text = stackalloc byte[128];
        int length;
        try
        {
            using var file = File.OpenHandle(path);
            length = RandomAccess.Read(file, text, 0);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        int field = text[..length].IndexOf((byte)' ') + 1; // after "size "
        long pages = 0;
        for (int i = field; field > 0 && i < length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
            pages = pages * 10 + text[i] - '0';
        return field > 0 ? pages * Environment.SystemPageSize : null;
    }
}
