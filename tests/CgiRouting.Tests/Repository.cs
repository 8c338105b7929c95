using System;
using System.IO;

namespace CgiRouting.Tests;

/// <summary>The repository the tests run in, for the tests that read its files (docs, props, fuzz inputs).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CgiRouting.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("CgiRouting.sln not found above " + AppContext.BaseDirectory);
    }
}
