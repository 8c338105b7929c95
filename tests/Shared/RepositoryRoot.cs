using System;
using System.IO;

namespace CgiRouting.Testing;

/// <summary>The repository the tests run in (the folder of CgiRouting.sln), for the tests that read its files.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CgiRouting.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("CgiRouting.sln not found above " + AppContext.BaseDirectory);
    }
}
