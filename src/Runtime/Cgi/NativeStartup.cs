using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CgiRouting;

/// <summary>
/// Tells the C the package links into every binary that the runtime's own start-up is over. Until then,
/// native/cgirouting_mountinfo.c gives the runtime's cgroup look-ups /proc/self/mountinfo's cgroup lines only; after,
/// every fopen64 of that file (a native library's, linked into the app) gets the whole file.
/// </summary>
internal static partial class NativeStartup
{
    /// <summary>Called once the app's code runs (<see cref="CgiApp.SetDispatcher"/>, from the generated module initializer).</summary>
    public static void Ended()
    {
        // Only a Native AOT binary links the C; under the JIT there is nothing to tell (and no library to look for).
        if (RuntimeFeature.IsDynamicCodeSupported || !OperatingSystem.IsLinux())
            return;
        try
        {
            cgirouting_mountinfo_done();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A binary linked without CgiRouting.props: no filter to end.
        }
    }

    [LibraryImport("cgirouting")]
    private static partial void cgirouting_mountinfo_done();
}
