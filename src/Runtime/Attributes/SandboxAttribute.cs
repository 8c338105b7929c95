using System;

namespace CgiRouting;

/// <summary>
/// Confines every process of the app (each CGI request, each FastCGI worker) with the kernel's Landlock and seccomp,
/// before the runtime starts: the paths it may read, the folders it may write beneath, the TCP ports it may connect to,
/// whether it may start programs. What is not declared is denied: a handler that opens another file gets an
/// <see cref="UnauthorizedAccessException"/> (its request a 500), a connect to another port fails, and so does
/// <c>Process.Start</c> unless <see cref="Exec"/>. Enforced by Native AOT builds on Linux; docs/security.md says exactly
/// what is confined, what the runtime is allowed without being declared, and from which instruction on.
/// </summary>
/// <example>
/// <code>[assembly: CgiRouting.Sandbox(Write = new[] { "${TODO_DB}/.." })]</code> (SQLite's database folder, named by
/// the variable the operator sets).
/// </example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class SandboxAttribute : Attribute
{
    /// <summary>
    /// Absolute paths (files or folders, a folder with everything beneath it) the app may read. A path may start with
    /// or contain <c>${NAME}</c>, a variable of the environment the app runs in; <c>${NAME}/..</c> is the folder of the
    /// file <c>NAME</c> names.
    /// </summary>
    public string[] Read { get; set; } = [];

    /// <summary>Absolute paths the app may read, and create, write, rename and remove files and folders beneath.</summary>
    public string[] Write { get; set; } = [];

    /// <summary>The TCP ports the app may connect to (on any host), such as 5432 for PostgreSQL; none by default.</summary>
    public int[] ConnectPorts { get; set; } = [];

    /// <summary>
    /// Environment variables that name a TCP port the app may connect to: a port number, or a URL with one
    /// (<c>postgres://app@db.internal:5433/todo</c>), so that the operator's configuration decides where the database
    /// listens, as <c>${NAME}</c> in a path does for files. A variable that is not set, or has no port, allows nothing.
    /// </summary>
    public string[] ConnectPortsFrom { get; set; } = [];

    /// <summary>Whether the app may start programs (which then run under the same policy); <see langword="false"/> by default.</summary>
    public bool Exec { get; set; }

    /// <summary>
    /// Whether the app refuses to serve (503, and a line in the error log) when the kernel cannot enforce all of the
    /// policy (no Landlock, or an ABI without TCP rules); by default it serves with what the kernel enforces.
    /// </summary>
    public bool Required { get; set; }
}
