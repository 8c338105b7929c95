using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>Paths in the repository, and the Native AOT builds of its samples.</summary>
internal static class Repository
{
    public static string Root => CgiRouting.Testing.RepositoryRoot.Path;

    /// <summary>
    /// The Native AOT binary of a sample: the one in CGIROUTING_AOT_DIR (test.sh publishes there once), or
    /// published now through scripts/common.sh, which fails on any AOT warning.
    /// </summary>
    private static readonly Dictionary<string, Lazy<string>> Published = [];

    /// <summary>
    /// The Native AOT binary of a sample: the one in CGIROUTING_AOT_DIR (test.sh publishes there once), or
    /// published now through scripts/common.sh, which fails on any AOT warning. Published once per test run.
    /// </summary>
    public static string PublishedSample(string sample, string binary)
    {
        Lazy<string> lazy;
        lock (Published)
        {
            if (!Published.TryGetValue(sample, out lazy!))
                Published[sample] = lazy = new Lazy<string>(() => Publish(sample, binary));
        }
        return lazy.Value;
    }

    /// <summary>
    /// The Native AOT binary of the test app tests/Apps/APP, published once per test run into artifacts/aot/APP (or
    /// APP-VARIANT, built with <paramref name="properties"/> and an intermediate folder of its own, so that variants
    /// never share a build).
    /// </summary>
    public static string PublishedTestApp(string app, string binary, string variant = "", params string[] properties)
    {
        string name = variant.Length == 0 ? app : app + "-" + variant;
        Lazy<string> lazy;
        lock (Published)
        {
            if (!Published.TryGetValue("tests/" + name, out lazy!))
                Published["tests/" + name] = lazy = new Lazy<string>(() =>
                {
                    string dir = Path.Combine(Root, "artifacts", "aot", name);
                    // Both folders of its own: variants that share bin/ share the linked binary (the link is not redone).
                    string obj = Path.Combine(Root, "artifacts", "obj", name) + "/", bin = Path.Combine(Root, "artifacts", "bin", name) + "/";
                    Run("bash", "-c", $"source scripts/common.sh && ensure_aot_toolchain && publish_aot tests/Apps/{app}/{app}.csproj '{dir}' "
                        + $"-p:IntermediateOutputPath='{obj}' -p:OutputPath='{bin}' {string.Join(' ', properties)}");
                    return Path.Combine(dir, binary);
                });
        }
        return lazy.Value;
    }

    private static string Publish(string sample, string binary)
    {
        string? prebuilt = Environment.GetEnvironmentVariable("CGIROUTING_AOT_DIR");
        string dir = Path.Combine(prebuilt is { Length: > 0 } ? prebuilt : Path.Combine(Root, "artifacts", "aot"), sample);
        string path = Path.Combine(dir, binary);
        if (prebuilt is { Length: > 0 } && File.Exists(path))
            return path;
        Run("bash", "-c", $"source scripts/common.sh && ensure_aot_toolchain && publish_aot samples/{sample}/{sample}.csproj '{dir}'");
        return path;
    }

    /// <summary>
    /// A copy of <paramref name="binary"/> alone in an emptied folder (artifacts/alone/NAME/), as a user copies a
    /// published app to a server: nothing that the publish wrote beside the binary comes along.
    /// </summary>
    public static string CopyAlone(string binary)
    {
        string name = Path.GetFileName(binary);
        string dir = Path.Combine(Root, "artifacts", "alone", name);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        string copy = Path.Combine(dir, name);
        File.Copy(binary, copy);
        return copy;
    }

    /// <summary>Installs Debian packages (COMMAND:PACKAGE) whose command is missing, as the scripts do.</summary>
    public static void Install(params string[] commandPackagePairs) =>
        Run("bash", "-c", "source scripts/common.sh && ensure_packages " + string.Join(' ', commandPackagePairs));

    public static string Run(string file, params string[] arguments) => Run(Root, file, arguments);

    /// <summary>Runs a program to the end and returns its output; a non-zero exit throws with everything it said.</summary>
    public static string Run(string directory, string file, string[] arguments, bool includeError = false)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}) in {directory}:\n{stdout}\n{stderr.Result}");
        return includeError ? stdout + stderr.Result : stdout;
    }
}
