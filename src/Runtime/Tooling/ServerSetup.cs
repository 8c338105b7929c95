using System.Collections.Generic;

namespace CgiRouting;

/// <summary>
/// What <c>app --config SERVER</c> was asked to print a configuration for. A class, not a record: a record's equality
/// members would instantiate <c>EqualityComparer&lt;T&gt;</c> for each property type, whose static fields every app
/// allocates at start-up, each CGI request included.
/// </summary>
internal sealed class ServerSetup
{
    /// <summary>lighttpd, apache or nginx.</summary>
    public required string Server { get; init; }

    /// <summary>The app's binary, as the server or the worker command runs it.</summary>
    public required string Binary { get; init; }

    /// <summary>Where the app is mounted: <c>/</c> or <c>/app/</c>.</summary>
    public string Prefix { get; init; } = "/";

    public int Port { get; init; } = 8080;

    /// <summary>The folder of the server's logs, pid file and sockets.</summary>
    public required string Root { get; init; }

    /// <summary>The FastCGI worker's address (or addresses, comma separated), or null for a process per request.</summary>
    public string? FastCgi { get; init; }

    /// <summary>The workers' <c>--max-requests</c>, 0 for none.</summary>
    public long MaxRequests { get; init; }

    /// <summary>The workers' <c>--prefork</c> and the pool's other options, as the command line gave them, or "".</summary>
    public string PoolOptions { get; init; } = "";

    /// <summary><c>--user USER[:GROUP]</c>, for systemd's <c>User=</c> and <c>Group=</c>; null for nobody:nogroup.</summary>
    public string? User { get; init; }

    /// <summary>
    /// <c>--ping-path</c> and <c>--status-path</c> as given, each as its option and its path (option, path, option,
    /// path...): the printed configuration lets only this machine reach them.
    /// </summary>
    public IReadOnlyList<string> LocalPaths { get; init; } = [];

    /// <summary>The workers' <c>--allow-from</c>, or null.</summary>
    public string? AllowFrom { get; init; }

    /// <summary>The app's own environment (<c>--env NAME=VALUE</c>, each as given), in order.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];
}
