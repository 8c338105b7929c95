using System;
using System.Collections.Generic;
using System.IO;
using System.Globalization;
using System.Text;
using CgiRouting.FastCgi;

namespace CgiRouting;

/// <summary>
/// What the binary does when it is not run as a CGI program (no <c>REQUEST_METHOD</c>): a FastCGI worker with
/// <c>--fastcgi ADDRESS</c> or when a web server hands it a listening socket as standard input; otherwise, run by
/// hand, it explains itself and lists the route table that was generated at build time.
/// </summary>
internal static class CommandLine
{
    /// <summary>
    /// Runs the verb that <paramref name="arguments"/> name, in this order: <c>-h</c> (usage), <c>--openapi</c>,
    /// <c>--serve</c>, <c>--config</c>, a FastCGI worker (<c>--fastcgi</c>, or a listening socket as standard input),
    /// <c>--routes</c>, and otherwise the usage. Returns the exit code: 2 for arguments that do not fit.
    /// </summary>
    public static int Run(string[] arguments, IReadOnlyList<RouteInfo> routes, TextWriter output, TextWriter error,
        CgiOptions? options = null)
    {
        if (CommandLineArguments.Parse(arguments, error) is not { } parsed)
            return 2;
        if (parsed.Help)
        {
            WriteUsage(output, routes.Count);
            return 0;
        }
        if (parsed.UnknownOption is { } unknown)
        {
            error.WriteLine($"Unknown option '{unknown}'.");
            WriteUsage(error, routes.Count);
            return 2;
        }
        if (parsed.OpenApi)
            return WriteOpenApi(output, error, routes);
        if (parsed.SandboxCheck)
            return CheckSandbox(output);
        if (parsed.Serve)
            return Serve(parsed, error);
        if (parsed.Config is not null)
            return Configure(parsed, output, error);
        // Only here, never on the CGI path, are systemd's LISTEN_FDS read and standard input probed (one getsockopt call).
        int handed = parsed.ListRoutes ? SystemdSocket.None : SystemdSocket.Take(error);
        if (handed == SystemdSocket.Refused)
            return 1;
        if (parsed.FastCgi is not null || handed >= 0 || (!parsed.ListRoutes && SocketDescriptor.IsListening(0)))
            return RunFastCgi(parsed, handed, routes, options, error);
        if (parsed.HasWorkerOptions)
        {
            error.WriteLine("--max-concurrency, --max-requests, --max-rss, --prefork, --socket-mode, --socket-owner and --user go with --fastcgi ADDRESS, "
                + "with a listening socket as standard input, or with one systemd hands over (LISTEN_FDS).");
            return 2;
        }
        if (!parsed.ListRoutes)
        {
            WriteUsage(output, routes.Count);
            return 0;
        }
        if (parsed.Json)
        {
            WriteJson(output, routes);
            return 0;
        }
        WriteTable(output, routes);
        // The policy beside the table, on stderr: a terminal shows both, and a script that reads the table reads only it.
        if ((Sandbox.State & Sandbox.States.Declared) != 0)
            error.WriteLine(Sandbox.Describe());
        return 0;
    }

    /// <summary>
    /// <c>--sandbox-check</c>: the policy, and what this process (confined as a request's would be, by the binary's
    /// constructor) enforces of it on the running kernel. Exit code 1 when the kernel cannot enforce all of it.
    /// </summary>
    private static int CheckSandbox(TextWriter output)
    {
        var state = Sandbox.State;
        output.WriteLine(Sandbox.Describe());
        if ((state & Sandbox.States.Applied) == 0)
            return 0;
        output.WriteLine();
        output.WriteLine("What this kernel enforces of it (each request's process and FastCGI worker is confined the same way):");
        output.Write(Sandbox.Report);
        return (state & Sandbox.States.Incomplete) != 0 ? 1 : 0;
    }

    /// <summary>
    /// <c>--fastcgi ADDRESS</c>, a listening socket as standard input, or one systemd hands over (<paramref name="handed"/>,
    /// else <see cref="SystemdSocket.None"/>): serves as a FastCGI worker, or with <c>--prefork</c> as the manager of
    /// such workers, until SIGTERM or <c>--max-requests</c> requests.
    /// </summary>
    private static int RunFastCgi(CommandLineArguments arguments, int handed, IReadOnlyList<RouteInfo> routes, CgiOptions? options, TextWriter error)
    {
        if (arguments.ListRoutes)
        {
            error.WriteLine("--routes does not go with --fastcgi.");
            return 2;
        }
        string? address = arguments.FastCgi;
        if (handed >= 0 && address is not null)
        {
            error.WriteLine($"CgiRouting: systemd hands this process its listening socket (LISTEN_FDS), so --fastcgi {address} is not used: "
                + "leave it out of ExecStart (the socket unit's ListenStream= says where the worker listens).");
            return 2;
        }
        int listener = handed >= 0 ? handed : 0;
        if (!TryAllowedPeers(arguments.AllowFrom, error, out string[]? allowed) || !IsReachableOnlyByAllowed(address, listener, allowed, error))
            return 2;
        string[]? runAs = null;
        if (arguments.User is not null && RunAs(arguments, error, out runAs) is int refused)
            return refused;
        if (address is not null && address.Contains(','))
        {
            error.WriteLine($"CgiRouting: a worker listens on one address, not '{address}': start one worker for each (--config nginx takes several, for an upstream of them all).");
            return 2;
        }
        if (arguments.AccessLog is { } accessLog && AccessLog.CannotOpen(accessLog) is { } unusable)
        {
            error.WriteLine("CgiRouting: " + unusable);
            return 1;
        }
        (ulong, ulong)? socketFile = null; // the unix socket file this worker made, removed when it exits if still its own
        if (address is not null && Listen(address, arguments, error, out listener, out socketFile) is int failed)
            return failed;
        return arguments.Prefork > 0
            ? RunPrefork(listener, address, socketFile, allowed, runAs, arguments, routes, error)
            : RunWorker(listener, address, socketFile, allowed, arguments, routes, options, error);
    }

    /// <summary>
    /// <c>--user USER[:GROUP]</c>: the command in front of each worker's that runs it as that user (setpriv sets the
    /// supplementary groups, the group and the user in the new process, then executes the worker). A manager only, and
    /// started as root: it binds (or is handed) the socket, and its workers serve without root's rights. setpriv rather
    /// than setuid(2) in the worker: glibc's setuid changes every thread's credentials, a raw system call only the
    /// caller's, and the .NET runtime has threads of its own by then; and each new libc symbol would be looked up at
    /// every start, a CGI request's too. Returns null, or the exit code after a line that says why not.
    /// </summary>
    private static int? RunAs(CommandLineArguments arguments, TextWriter error, out string[]? runAs)
    {
        runAs = null;
        if (arguments.Prefork == 0)
        {
            error.WriteLine("CgiRouting: --user goes with --prefork: the manager, started as root, runs its workers as USER; run a lone worker as its user instead (runuser, or User= of its systemd unit).");
            return 2;
        }
        if (!UnixAccount.IsRoot)
        {
            error.WriteLine($"CgiRouting: --user {arguments.User} needs the manager started as root, to start its workers as that user: leave --user out to run them as this process's user.");
            return 2;
        }
        string? setpriv = Array.Find(new[] { "/usr/bin/setpriv", "/bin/setpriv" }, File.Exists);
        if (setpriv is null)
        {
            error.WriteLine("CgiRouting: --user starts each worker through setpriv, which is not installed: install util-linux (Debian: apt-get install util-linux).");
            return 1;
        }
        try
        {
            var (user, group, named) = UnixAccount.Account(arguments.User!);
            runAs = [setpriv, $"--regid={group}", $"--reuid={user}", named ? "--init-groups" : "--clear-groups", "--"];
            return null;
        }
        catch (FormatException e)
        {
            error.WriteLine("CgiRouting: " + e.Message);
            return 2;
        }
    }

    /// <summary><c>--allow-from</c> (or FCGI_WEB_SERVER_ADDRS) as canonical addresses; null when not given.</summary>
    private static bool TryAllowedPeers(string? allowFrom, TextWriter error, out string[]? allowed)
    {
        allowed = null;
        if (string.IsNullOrWhiteSpace(allowFrom))
            return true;
        allowed = allowFrom.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = 0; i < allowed.Length; i++)
        {
            if (SocketDescriptor.CanonicalAddress(allowed[i]) is not { } canonical)
            {
                error.WriteLine($"CgiRouting: '{allowed[i]}' in --allow-from (or FCGI_WEB_SERVER_ADDRS) is not an IP address.");
                return false;
            }
            allowed[i] = canonical;
        }
        return true;
    }

    /// <summary>
    /// Whether the worker may listen at <paramref name="address"/> (standard input's socket when null): beyond this
    /// machine only with the web servers that may connect named.
    /// </summary>
    private static bool IsReachableOnlyByAllowed(string? address, int listener, string[]? allowed, TextWriter error)
    {
        try
        {
            // A listener handed over (a systemd socket unit, spawn-fcgi) is held to the same rule as one bound here.
            string where = address ?? SocketDescriptor.Describe(listener);
            if (allowed is null && !where.StartsWith("descriptor", StringComparison.Ordinal) && !SocketDescriptor.IsLoopback(where.Split(',')[0]))
            {
                error.WriteLine($"CgiRouting: --fastcgi {where} listens beyond this machine, and any peer that reaches it may say who the client is "
                    + "(REMOTE_USER, REMOTE_ADDR): name the web servers that may connect with --allow-from ADDRESS[,ADDRESS] "
                    + "(or FCGI_WEB_SERVER_ADDRS), or listen on 127.0.0.1 or a unix socket.");
                return false;
            }
            return true;
        }
        catch (FormatException e)
        {
            error.WriteLine("CgiRouting: " + e.Message);
            return false;
        }
    }

    /// <summary>
    /// Listens on <paramref name="address"/>; a unix socket gets <c>--socket-mode</c> and <c>--socket-owner</c> before
    /// anything may connect. Returns null, or the exit code when it cannot listen there.
    /// </summary>
    private static int? Listen(string address, CommandLineArguments arguments, TextWriter error, out int listener, out (ulong, ulong)? socketFile)
    {
        listener = 0;
        socketFile = null;
        try
        {
            // Without --socket-owner, --user's account owns it (php-fpm's listen.owner defaults to the pool's user).
            var (user, group) = arguments.SocketOwner is not null ? UnixAccount.Parse(arguments.SocketOwner)
                : arguments.User is not null ? AccountIds(arguments.User) : (-1, -1);
            listener = SocketDescriptor.Listen(address, backlog: 1024);
            if (address.StartsWith("unix:", StringComparison.Ordinal))
            {
                // Before anything may connect: the umask's mode (srwxr-xr-x for root) let no web server's user in.
                string path = address[5..];
                UnixAccount.Chmod(path, arguments.SocketMode);
                if (user >= 0 || group >= 0)
                    UnixAccount.Chown(path, user, group);
                socketFile = SocketDescriptor.FileIdentity(path);
            }
            return null;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or PlatformNotSupportedException)
        {
            error.WriteLine("CgiRouting: " + e.Message);
            return e is FormatException ? 2 : 1;
        }
    }

    private static (int User, int Group) AccountIds(string account) => UnixAccount.Account(account) is var (user, group, _) ? (user, group) : default;

    /// <summary><c>--prefork N</c> or <c>MIN:MAX</c>: a manager of a pool of workers on <paramref name="listener"/>.</summary>
    private static int RunPrefork(int listener, string? address, (ulong, ulong)? socketFile, string[]? allowed, string[]? runAs,
        CommandLineArguments arguments, IReadOnlyList<RouteInfo> routes, TextWriter error)
    {
        if (allowed is not null) // the workers read it at start, as a web server's spawned workers do
            Environment.SetEnvironmentVariable("FCGI_WEB_SERVER_ADDRS", string.Join(',', allowed));
        var pool = new PoolSettings
        {
            Min = arguments.PreforkMin, Max = arguments.Prefork, IdleTimeoutSeconds = arguments.IdleTimeout > 0 ? arguments.IdleTimeout : 10,
            MaxRequests = arguments.MaxRequests, MaxRssMib = arguments.MaxRss, MaxConcurrency = arguments.MaxConcurrency,
            PingPath = arguments.PingPath, StatusPath = arguments.StatusPath, RouteCount = routes.Count,
            AccessLog = arguments.AccessLog, AccessFormat = arguments.AccessFormat, SlowLog = arguments.SlowLog,
            RestartThreshold = arguments.RestartThreshold.Count, RestartWindowSeconds = arguments.RestartThreshold.Seconds,
            RunAs = runAs,
        };
        string size = pool.Min == pool.Max ? $"{pool.Max} workers started ahead"
            : pool.Min == 0 ? $"up to {pool.Max} workers started on demand, each stopped after {pool.IdleTimeoutSeconds} s idle"
            : $"{pool.Min} to {pool.Max} workers, those beyond {pool.Min} stopped after {pool.IdleTimeoutSeconds} s idle";
        error.WriteLine($"CgiRouting: FastCGI worker manager (pid {Environment.ProcessId}) listening on {SocketDescriptor.Describe(listener)}"
            + (address is null && listener != 0 ? " (from systemd, LISTEN_FDS): " : ": ") + size
            + (runAs is not null ? $", run as {arguments.User}" : "") + (pool.MaxRequests > 0 ? $", each exits after {Requests(pool.MaxRequests)}" : "")
            + (pool.MaxRssMib > 0 ? $", or over {pool.MaxRssMib} MiB resident" : "") + ". SIGHUP replaces the workers from the binary on disk.");
        // Before the workers' environment is made: they must not take NOTIFY_SOCKET for theirs.
        var notifier = SystemdNotifier.FromEnvironment(error);
        int managed = PreforkManager.Run(listener, ownsListener: address is not null, pool, error, notifier);
        if (socketFile is not null)
            SocketDescriptor.Remove(address![5..], socketFile);
        return managed;
    }

    /// <summary>A FastCGI worker on <paramref name="listener"/>, alone or one of a <c>--prefork</c> manager's.</summary>
    private static int RunWorker(int listener, string? address, (ulong, ulong)? socketFile, string[]? allowed, CommandLineArguments arguments,
        IReadOnlyList<RouteInfo> routes, CgiOptions? options, TextWriter error)
    {
        // A worker of --prefork starts for every request or few: its manager said it all once. It ends with its manager.
        string? manager = Environment.GetEnvironmentVariable(PreforkManager.WorkerVariable);
        if (manager is not null && !PreforkManager.FollowManager(manager, error))
            return 1;
        // Requests now run on several threads at once and all write to one error log.
        if (options?.ErrorLog is { } own)
            options.ErrorLog = TextWriter.Synchronized(own);
        var log = options?.ErrorLog ?? error;
        int maxConcurrency = arguments.MaxConcurrency > 0 ? arguments.MaxConcurrency : FastCgiServer.DefaultMaxConcurrency;
        long maxRequests = arguments.MaxRequests;
        var notifier = manager is null ? SystemdNotifier.FromEnvironment(log) : null; // a manager's worker is not the service
        AccessLog? accessLog = null;
        if (arguments.AccessLog is not null)
        {
            try
            {
                accessLog = AccessLog.Open(arguments.AccessLog, arguments.AccessFormat, log);
            }
            catch (IOException e)
            {
                error.WriteLine("CgiRouting: " + e.Message);
                return 1;
            }
        }
        var server = new FastCgiServer(listener, ownsListener: address is not null, maxConcurrency, maxRequests, options, log)
        {
            Retired = manager is null ? null : PreforkManager.Retire,
            AllowedPeers = allowed,
            // A worker alone answers --status-path from a scoreboard of its own, as a pool of one.
            Scoreboard = manager is not null ? Scoreboard.Join(maxConcurrency)
                : arguments.StatusPath is not null ? Scoreboard.CreateOwn(maxConcurrency, routes.Count) : null,
            MaxResidentBytes = (long)arguments.MaxRss << 20,
            PingPath = arguments.PingPath,
            StatusPath = arguments.StatusPath,
            Routes = routes,
            AccessLog = accessLog,
            SlowLogThreshold = arguments.SlowLogThreshold,
            HoldAcceptsWhileFull = manager is not null && Environment.GetEnvironmentVariable(PreforkManager.GrowingPoolVariable) == "1",
            StopBegun = notifier is null ? null : notifier.Stopping,
        };
        if (manager is null)
            log.WriteLine($"CgiRouting: FastCGI worker (pid {Environment.ProcessId}) listening on {SocketDescriptor.Describe(listener)}"
                + (address is not null ? "" : listener != 0 ? " (from systemd, LISTEN_FDS)" : " (standard input, from the web server)")
                + $", {maxConcurrency} requests at once"
                + (maxRequests > 0 ? $", exits after {Requests(maxRequests)}." : "."));
        notifier?.Ready(); // the socket listens: what connects now is queued, and served once Run accepts
        notifier?.StartWatchdogThread();
        int exit = server.Run();
        if (socketFile is not null)
            SocketDescriptor.Remove(address![5..], socketFile);
        return exit;
    }

    private static string Requests(long count) => count == 1 ? "1 request" : $"{count} requests";

    private static void WriteUsage(TextWriter output, int routeCount)
    {
        string name = Path.GetFileName(Environment.ProcessPath) ?? "app";
        output.Write($"""
            {name}: a CGI app built with CgiRouting ({routeCount} routes).

            A web server runs it once per request and passes the request in the environment
            (REQUEST_METHOD, PATH_INFO, QUERY_STRING, CONTENT_LENGTH, HTTP_*) and on stdin.
            To deploy it, copy this file to the server (no .NET runtime is needed) and have the
            server run it for every path below a prefix, for example with lighttpd:

                server.modules += ( "mod_alias", "mod_cgi" )
                alias.url       = ( "/" => "/srv/{name}/{name}/" )
                cgi.assign      = ( "" => "" )

            To try a request by hand:

                REQUEST_METHOD=GET PATH_INFO=/ {Environment.ProcessPath ?? name}

            It runs in one of three modes, chosen in this order:
              CGI        REQUEST_METHOD is set: one request from the environment and stdin.
              FastCGI    --fastcgi ADDRESS, or stdin is a listening socket (lighttpd's
                         bin-path, spawn-fcgi, mod_fcgid): a long-lived worker, with
                         nginx for example:  fastcgi_pass 127.0.0.1:9000;
                         Static fields are shared by all its requests.
              by hand    otherwise: this text, or the routes.

            Options:
              --routes                  list the routes (method, template, handler, how JSON is written)
              --routes --json           the same, as JSON
              --openapi                 the app's OpenAPI 3.1 document (JSON), written at build time
              --fastcgi ADDRESS         serve FastCGI on 127.0.0.1:9000, [::1]:9000 or unix:/path/app.sock
              --max-concurrency N       FastCGI: serve at most N requests at once (default: 2 per core, {FastCgiServer.DefaultMaxConcurrency} here)
              --max-requests N          FastCGI: exit after N requests, for the server to start a fresh worker
              --socket-mode MODE        FastCGI on unix:/path: the socket's mode (default 0660: its owner and group)
              --socket-owner USER[:GROUP]  FastCGI on unix:/path: the socket's owner, for the web server's user or group
              --user USER[:GROUP]       FastCGI --prefork, started as root: the manager binds the socket and runs
                                        its workers as USER (its group unless GROUP; it owns a unix socket too,
                                        unless --socket-owner); needs setpriv (util-linux)
              --allow-from ADDRESS[,..] FastCGI: the web servers that may connect (default FCGI_WEB_SERVER_ADDRS);
                                        needed to listen on an address other than loopback
              --prefork N               FastCGI: a small manager keeps N workers started ahead, each this binary
                                        with the socket as stdin; with --max-requests 1, a process per request
                                        as in CGI, its start-up done before the request arrives.
                                        --prefork MIN:MAX: MIN started, more while all are busy, up to MAX;
                                        MIN 0 starts a worker only once a connection waits. SIGHUP starts new
                                        workers from the binary on disk and lets the old ones finish (a deploy)
              --idle-timeout SECONDS    FastCGI --prefork MIN:MAX: stop a worker beyond MIN idle this long (10)
              --ping-path PATH          FastCGI: a request for PATH is answered "pong" by the worker, not the app
              --status-path PATH        FastCGI: a request for PATH gets the pool's state as JSON (?full: each worker)
                                        or with ?openmetrics as OpenMetrics text, with per-route counts
                                        and latency histograms
              --access-log PATH         FastCGI: a line per request to PATH (- for the error log)
              --access-format FORMAT    the line's fields, php-fpm's letters: %t time, %R remote address,
                                        %m method, %r URI, %q query, %w route template, %s status,
                                        %b response bytes, %d duration, %p pid, %M peak RSS (all:
                                        docs/guide/fastcgi.md); or json for JSON lines
              --slow-log SECONDS        FastCGI: a request still running after SECONDS is logged once
                                        (its route, handler, time so far and thread)
              --max-rss MIB             FastCGI: a worker over MIB resident after a request exits (and is replaced)
              --restart-threshold N/SECONDS  FastCGI --prefork: N workers dead abnormally within SECONDS make the
                                        manager wait before it starts more, doubling while they go on dying
              --config SERVER           print a configuration of SERVER ({ServerConfiguration.Servers}) for this
                                        binary: --prefix /app/ (default /), --port N (8080), --root DIR
                                        (logs and sockets, default /var/lib/{name}-SERVER); a process per request
                                        (nginx through fcgiwrap), or with --fastcgi ADDRESS a FastCGI worker:
                                        lighttpd starts it itself on unix:/path, Apache passes to it at IP:PORT,
                                        nginx at IP:PORT or unix:/path (several: one upstream of them all); with
                                        the workers' --prefork and --max-requests; their --ping-path and
                                        --status-path (below --prefix) answer this machine only. systemd: a
                                        socket unit and a Type=notify service. The commands to run beside it
                                        come first, as comments.
              --env NAME=VALUE          with --config: the app's environment, in the server's syntax (repeatable)
              --serve [PORT]            serve this binary through lighttpd on 127.0.0.1:PORT (8080), for development
              --sandbox-check           what this kernel enforces of the app's [assembly: Sandbox] (below)
              -h, --help                this text

            A FastCGI worker writes one line on stderr when it starts; SIGTERM makes it stop accepting,
            finish the requests in flight and exit. Under systemd (--config systemd) it takes the socket
            its socket unit hands it (LISTEN_FDS, no --fastcgi) and tells systemd READY, RELOADING (SIGHUP),
            STOPPING and the watchdog (NOTIFY_SOCKET, Type=notify).

            {Sandbox.Describe()}

            """.Replace("\r\n", "\n"));
    }

    /// <summary><c>--serve</c>: writes lighttpd's configuration and runs lighttpd on it.</summary>
    private static int Serve(CommandLineArguments arguments, TextWriter error)
    {
        string binary = Environment.ProcessPath ?? "app";
        string name = Path.GetFileName(binary);
        var (prefix, port, root) = (arguments.Prefix, arguments.Port, arguments.Root);
        if (!IsPrefix(prefix, error))
            return 2;
        if (arguments.Config is not null and not "lighttpd" || arguments.FastCgi is not null)
        {
            error.WriteLine("--serve runs the app under lighttpd, in CGI mode.");
            return 2;
        }
        // A fresh private folder (mkdtemp: never one that exists, nor a link), which lighttpd's user may write its
        // logs to, removed when lighttpd stops; or the --root given, kept.
        bool own = root is null;
        root ??= Directory.CreateTempSubdirectory($"{name}-serve-").FullName;
        Directory.CreateDirectory(root);
        try
        {
            string file = Path.Combine(root, "lighttpd.conf");
            using (var writer = new StreamWriter(file))
                ServerConfiguration.Write(writer, "lighttpd", binary, prefix, port, root, null);
            if (own && UnixAccount.IsRoot && UnixAccount.Parse(ServerConfiguration.ServerUser) is var (user, group))
                UnixAccount.Chown(root, user, group); // lighttpd opens its logs once it runs as that user
            error.WriteLine($"Serving {binary} at http://127.0.0.1:{port}{prefix} through lighttpd, one process per request"
                + (UnixAccount.IsRoot ? $", as {ServerConfiguration.ServerUser}." : "."));
            error.WriteLine($"The app's stderr goes to {root}/app-stderr.log, lighttpd's to {root}/error.log. Ctrl-C stops it.");
            return ServerConfiguration.RunLighttpd(file, error);
        }
        finally
        {
            if (own)
                Directory.Delete(root, recursive: true);
        }
    }

    private static bool IsPrefix(string prefix, TextWriter error)
    {
        if (prefix is ['/', ..] && prefix.EndsWith('/'))
            return true;
        error.WriteLine($"--prefix is a path that starts and ends with '/': / or /app/, not '{prefix}'.");
        return false;
    }

    /// <summary><c>--config SERVER</c>: prints a configuration, with the commands to run beside it as comments at its top.</summary>
    private static int Configure(CommandLineArguments arguments, TextWriter output, TextWriter error)
    {
        string server = arguments.Config!;
        var setup = new ServerSetup
        {
            Server = server, Binary = Environment.ProcessPath ?? "app", Prefix = arguments.Prefix, Port = arguments.Port,
            Root = arguments.Root ?? $"/var/lib/{Path.GetFileName(Environment.ProcessPath ?? "app")}-{server}",
            FastCgi = arguments.FastCgi, MaxRequests = arguments.MaxRequests, PoolOptions = arguments.PoolOptions, Environment = arguments.Environment,
            AllowFrom = Environment.GetEnvironmentVariable("FCGI_WEB_SERVER_ADDRS") == arguments.AllowFrom ? null : arguments.AllowFrom,
            User = arguments.User,
            LocalPaths = LocalPaths(arguments),
        };
        if (!IsPrefix(setup.Prefix, error))
            return 2;
        if (setup.Server == "systemd" && setup.FastCgi is null)
        {
            error.WriteLine("--config systemd prints the units of a FastCGI worker: give it --fastcgi ADDRESS (a unix:/path or IP:PORT systemd listens on).");
            return 2;
        }
        foreach (string? path in new[] { arguments.PingPath, arguments.StatusPath })
        {
            if (path is null || setup.Server == "systemd")
                continue;
            if (setup.FastCgi is null)
            {
                error.WriteLine("--ping-path and --status-path are a FastCGI worker's: --config prints them with --fastcgi ADDRESS.");
                return 2;
            }
            if (!path.StartsWith(setup.Prefix, StringComparison.Ordinal))
            {
                error.WriteLine($"{path} is outside --prefix {setup.Prefix}: the server passes only the paths below it to the worker, which "
                    + $"answers --ping-path and --status-path at the whole path: write {setup.Prefix}{path.TrimStart('/')}.");
                return 2;
            }
        }
        if (setup.User is not null && setup.Server != "systemd")
        {
            error.WriteLine($"--config {setup.Server} prints the worker's command run as {ServerConfiguration.ServerUser} (runuser): --user goes with "
                + "--config systemd (its User=) or with a --prefork manager started by hand as root.");
            return 2;
        }
        if (setup.FastCgi is not null && ServerConfiguration.FastCgiRefusal(setup.Server, setup.FastCgi) is { } refusal)
        {
            error.WriteLine(refusal);
            return 2;
        }
        if (!ServerConfiguration.Write(output, setup, withCommands: true))
        {
            error.WriteLine($"--config takes one of {ServerConfiguration.Servers}, not '{setup.Server}'.");
            return 2;
        }
        return 0;
    }

    /// <summary><c>--ping-path</c> and <c>--status-path</c>, each as option and path, for <see cref="ServerSetup.LocalPaths"/>.</summary>
    private static List<string> LocalPaths(CommandLineArguments arguments)
    {
        var paths = new List<string>();
        if (arguments.PingPath is not null)
            paths.AddRange(["--ping-path", arguments.PingPath]);
        if (arguments.StatusPath is not null)
            paths.AddRange(["--status-path", arguments.StatusPath]);
        return paths;
    }

    /// <summary>The OpenAPI document the generator embedded beside the route table.</summary>
    private static int WriteOpenApi(TextWriter output, TextWriter error, IReadOnlyList<RouteInfo> routes)
    {
        if (routes is not RouteList { OpenApiDocument: { } document })
        {
            error.WriteLine("This app has no OpenAPI document: it was built with a CgiRouting generator that wrote none.");
            return 1;
        }
        output.Write(document);
        return 0;
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<RouteInfo> routes)
    {
        int methodWidth = "METHOD".Length, templateWidth = "TEMPLATE".Length, handlerWidth = "HANDLER".Length, authWidth = "AUTH".Length,
            jsonWidth = "JSON".Length;
        bool json = false, auth = false, filters = false;
        foreach (var route in routes)
        {
            methodWidth = Math.Max(methodWidth, route.Method.Length);
            templateWidth = Math.Max(templateWidth, route.Template.Length);
            handlerWidth = Math.Max(handlerWidth, route.Handler.Length);
            authWidth = Math.Max(authWidth, route.Authorization?.Length ?? 0);
            jsonWidth = Math.Max(jsonWidth, route.Json?.Length ?? 0);
            json |= route.Json is not null;
            auth |= route.Authorization is not null;
            filters |= route.Filters is not null;
        }
        // The AUTH column only for apps with [Authorize] or [User], the JSON column (how JSON responses are written)
        // only for apps that return JSON, the FILTERS column only for apps with [Filter].
        string Row(string method, string template, string handler, string? authorization, string? jsonWay, string? filterNames)
        {
            string line = $"{method.PadRight(methodWidth)}  {template.PadRight(templateWidth)}  ";
            if (auth)
                line += (authorization ?? "-").PadRight(authWidth) + "  ";
            line += handler.PadRight(handlerWidth) + "  ";
            if (json)
                line += (jsonWay ?? "").PadRight(jsonWidth) + "  ";
            if (filters)
                line += filterNames ?? "-";
            return line.TrimEnd();
        }
        output.WriteLine(Row("METHOD", "TEMPLATE", "HANDLER", "AUTH", "JSON", "FILTERS"));
        foreach (var route in routes)
            output.WriteLine(Row(route.Method, route.Template, route.Handler, route.Authorization, route.Json, route.Filters));
    }

    /// <summary>
    /// The route table as JSON, written by hand: System.Text.Json's writer would be linked into every app (and
    /// initialized at start-up) for an option that is almost never used.
    /// </summary>
    private static void WriteJson(TextWriter output, IReadOnlyList<RouteInfo> routes)
    {
        var json = new StringBuilder("[");
        for (int i = 0; i < routes.Count; i++)
        {
            json.Append(i == 0 ? "\n" : ",\n").Append("  {\"method\": ");
            AppendString(json, routes[i].Method);
            json.Append(", \"template\": ");
            AppendString(json, routes[i].Template);
            json.Append(", \"handler\": ");
            AppendString(json, routes[i].Handler);
            if (routes[i].Json is { } path)
                AppendString(json.Append(", \"json\": "), path);
            if (routes[i].Authorization is { } authorization)
                AppendString(json.Append(", \"auth\": "), authorization);
            if (routes[i].Filters is { } filterNames)
                AppendString(json.Append(", \"filters\": "), filterNames);
            json.Append('}');
        }
        output.WriteLine(json.Append(routes.Count == 0 ? "]" : "\n]").ToString());
    }

    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
                json.Append('\\').Append(c);
            else if (c < ' ')
                json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                json.Append(c);
        }
        json.Append('"');
    }
}
