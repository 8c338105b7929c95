using System;
using System.Runtime.InteropServices;
using System.Text;

namespace CgiRouting;

/// <summary>
/// What this process enforces of the app's <see cref="SandboxAttribute"/>: the native side
/// (buildTransitive/native/cgirouting_sandbox.c) applies the policy in an ELF constructor, before the runtime starts,
/// and keeps what it did for these calls. Nothing here runs on a request's path unless the policy is
/// <see cref="SandboxAttribute.Required"/> and incomplete.
/// </summary>
internal static partial class Sandbox
{
    [Flags]
    public enum States
    {
        None = 0, Declared = 1 << 0, Applied = 1 << 1, Files = 1 << 2, Ports = 1 << 3, Scopes = 1 << 4, SystemCalls = 1 << 5,
        Required = 1 << 6, Incomplete = 1 << 7, Exec = 1 << 8,
    }

    /// <summary>The native side's state, or <see cref="States.None"/> where it is not linked (the JIT, Windows).</summary>
    public static States State
    {
        get
        {
            try
            {
                return (States)cgirouting_sandbox_state();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return States.None;
            }
        }
    }

    /// <summary>
    /// Whether this process must refuse its requests: the policy is <see cref="SandboxAttribute.Required"/> and the
    /// kernel could not enforce all of it.
    /// </summary>
    public static bool Refuses(States state) => (state & (States.Required | States.Incomplete)) == (States.Required | States.Incomplete);

    /// <summary>
    /// The 503's body and the error log's line for a request refused by <see cref="Refuses"/>: the native side's text,
    /// which a CGI process answers with before the runtime starts (only a Native AOT build can refuse).
    /// </summary>
    public static string RefusalMessage => Text(Native.Refusal).TrimEnd('\n');

    /// <summary>
    /// The policy as declared, one directive per line (<c>sandbox</c> first, then <c>read PATH</c>, <c>write PATH</c>,
    /// <c>connect PORT</c>, <c>connect-from VARIABLE</c>, <c>exec</c>, <c>required</c>); empty without one.
    /// </summary>
    public static string Policy => Text(Native.Policy);

    /// <summary>What this process enforces, as lines for --sandbox-check.</summary>
    public static string Report => Text(Native.Report);

    private enum Native { Policy, Report, Refusal }

    private static unsafe string Text(Native which)
    {
        try
        {
            byte* text = which switch
            {
                Native.Policy => cgirouting_sandbox_policy(),
                Native.Report => cgirouting_sandbox_report(),
                _ => cgirouting_sandbox_refusal(),
            };
            return Marshal.PtrToStringUTF8((nint)text) ?? "";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "";
        }
    }

    /// <summary>The policy for --routes and --help: "none declared", or its directives on one line each, indented.</summary>
    public static string Describe()
    {
        if (State == States.None)
            return "Sandbox: enforced by Native AOT builds on Linux only; this build cannot say what is declared.";
        string policy = Policy;
        if (policy.Length == 0)
            return "Sandbox: none declared ([assembly: CgiRouting.Sandbox(...)] confines each request with Landlock and seccomp).";
        var text = new StringBuilder("Sandbox ([assembly: CgiRouting.Sandbox]; run with --sandbox-check to see what this kernel enforces):");
        int directives = 0;
        foreach (string line in policy.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line == "sandbox")
                continue; // the first line of every policy: declared, even when it allows nothing
            text.Append("\n  ").Append(line);
            directives++;
        }
        if (directives == 0)
            text.Append("\n  nothing of the app's own: no file, no TCP port, no program");
        return text.ToString();
    }

    [LibraryImport("cgirouting")]
    private static partial int cgirouting_sandbox_state();

    [LibraryImport("cgirouting")]
    private static unsafe partial byte* cgirouting_sandbox_policy();

    [LibraryImport("cgirouting")]
    private static unsafe partial byte* cgirouting_sandbox_report();

    [LibraryImport("cgirouting")]
    private static unsafe partial byte* cgirouting_sandbox_refusal();
}
