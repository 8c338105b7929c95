using System.Collections.Generic;
using System.IO;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// What every binary's start-up does not do (issue 23, goal 3). It does not link the console's writers, which every
/// start would pay for (StandardDescriptorWriter writes standard output and error instead). And it does not read
/// /proc/self/maps: the .NET runtime asks for the stack bounds of the thread it starts on, and for a process's initial
/// thread glibc answers by reading and parsing that file (about 170,000 instructions, an eighth of a CGI request);
/// native/cgirouting_stack.c answers for that thread from the auxiliary vector and the stack's rlimit, and leaves
/// every other thread to glibc. The runtime's cgroup look-ups get /proc/self/mountinfo's cgroup lines only
/// (native/cgirouting_mountinfo.c), the lines they keep.
/// </summary>
public sealed class StartupTests
{
    [Fact]
    public void A_CGI_request_does_not_read_proc_self_maps_and_is_answered()
    {
        Repository.Install("strace:strace");
        string hello = Repository.PublishedSample("Hello", "hello");
        string trace = Path.Combine(Path.GetTempPath(), "cgirouting-startup-" + System.Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            string output = Run("strace", ["-f", "-e", "trace=openat,open", "-o", trace, hello],
                new Dictionary<string, string> { ["GATEWAY_INTERFACE"] = "CGI/1.1", ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = "/hello/me" });
            Assert.StartsWith("Status: 200 OK\r\n", output);
            string opened = File.ReadAllText(trace);
            Assert.Contains("/proc/self/cgroup", opened); // the trace saw the runtime's start-up
            Assert.DoesNotContain("/proc/self/maps", opened);
        }
        finally
        {
            File.Delete(trace);
        }
    }

    [Fact]
    public void A_binary_links_no_System_Console()
    {
        // The console's writers cost every start about ten static bases and 200 KB of relocated data, linked or used
        // (bench/notes.md): the app writes standard output and error with StandardDescriptorWriter. The symbols of the
        // published binary (hello.dbg, which Native AOT writes beside it) name every method it holds.
        string symbols = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(Repository.PublishedSample("Hello", "hello") + ".dbg"));
        Assert.Contains("CgiRouting_CgiRouting_StandardDescriptorWriter__", symbols); // the search finds what is there
        Assert.DoesNotContain("System_Console_", symbols);
    }

    [Fact]
    public void The_initial_thread_s_stack_bounds_are_glibc_s_and_other_threads_get_glibc_s_own()
    {
        WithCheck("stack-bounds-check.c", "cgirouting_stack.c", "pthread_getattr_np", check =>
        {
            Repository.Run(check); // throws with what differs when it exits non-zero
            // And with other stack limits, which the bounds follow (unlimited: glibc's own answer).
            foreach (string limit in new[] { "2048", "65536", "unlimited" })
                Repository.Run("bash", "-c", $"ulimit -s {limit} && {check}");
        });
    }

    [Fact]
    public void The_runtime_finds_the_same_cgroups_in_the_filtered_mountinfo_as_in_the_file()
    {
        // native/cgirouting_mountinfo.c gives the runtime's fopen64 of /proc/self/mountinfo its cgroup lines only; the
        // check reads both as the runtime does, for this machine's file and thousands of made-up ones.
        WithCheck("mountinfo-check.c", "cgirouting_mountinfo.c", "fopen64", check =>
            Assert.Equal("the filtered mountinfo gives the runtime what the file gives it", Repository.Run(check).Trim()));
    }

    /// <summary>
    /// Compiles the check Native/<paramref name="checkSource"/> with the package's native/<paramref name="source"/>,
    /// linked with -Wl,--wrap=<paramref name="wrapped"/> as the package links every app, and gives <paramref name="use"/>
    /// the program's path; a check exits non-zero, and says what differs, when it finds the C unlike what it replaces.
    /// </summary>
    private static void WithCheck(string checkSource, string source, string wrapped, System.Action<string> use)
    {
        string folder = Directory.CreateTempSubdirectory("cgirouting-check-").FullName;
        try
        {
            string check = Path.Combine(folder, "check");
            Repository.Run("clang", "-O2", "-Wall", "-Werror", "-Wl,--wrap=" + wrapped, "-o", check,
                Path.Combine(Repository.Root, "tests/CgiRouting.EndToEnd.Tests/Native", checkSource),
                Path.Combine(Repository.Root, "src/Runtime/buildTransitive/native", source));
            use(check);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Run(string file, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
