using System;
using System.Collections.Generic;
using System.IO;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>What /proc says about processes: children, zombies, open descriptors.</summary>
public static class ProcessTable
{
    /// <summary>Every process whose parent is one of <paramref name="parents"/>, with its state letter (Z: zombie).</summary>
    public static List<(int Pid, char State)> ChildrenOf(IReadOnlyCollection<int> parents)
    {
        var children = new List<(int, char)>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); } catch (IOException) { continue; }
            // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], out int parent) && Contains(parents, parent))
                children.Add((pid, fields[0][0]));
        }
        return children;
    }

    /// <summary>How many file descriptors <paramref name="pid"/> has open.</summary>
    public static int OpenDescriptors(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    private static bool Contains(IReadOnlyCollection<int> set, int value)
    {
        foreach (int item in set)
            if (item == value)
                return true;
        return false;
    }
}
