using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace CgiRouting;

/// <summary>
/// The arguments of the binary run by hand (without <c>REQUEST_METHOD</c>), read and checked one by one; nothing is run
/// here. <see cref="CommandLine.Run"/> picks the verb from them (usage, <c>--routes</c>, <c>--openapi</c>,
/// <c>--config</c>, <c>--serve</c>, a FastCGI worker). A class, not a record: a record's equality members would
/// instantiate <c>EqualityComparer&lt;T&gt;</c> for each property type, whose static fields every app allocates at
/// start-up, each CGI request included.
/// </summary>
internal sealed class CommandLineArguments
{
    /// <summary>php-fpm's <c>listen.mode</c> default: the socket's owner and group may connect, no one else.</summary>
    public const int DefaultSocketMode = 0b110_110_000;

    /// <summary><c>-h</c>, <c>--help</c> or <c>-?</c>: the arguments after it were not read.</summary>
    public bool Help { get; private set; }

    /// <summary>An argument that is no option: the arguments after it were not read.</summary>
    public string? UnknownOption { get; private set; }

    public bool ListRoutes { get; private set; }

    /// <summary><c>--json</c>, which goes with <c>--routes</c>.</summary>
    public bool Json { get; private set; }

    public bool OpenApi { get; private set; }

    public bool Serve { get; private set; }

    /// <summary><c>--sandbox-check</c>: what the running kernel enforces of the app's <c>[assembly: Sandbox]</c>.</summary>
    public bool SandboxCheck { get; private set; }

    /// <summary><c>--fastcgi</c>: an address, or several (repeated, or A,B) for <c>--config nginx</c>'s upstream.</summary>
    public string? FastCgi { get; private set; }

    /// <summary><c>--config SERVER</c>.</summary>
    public string? Config { get; private set; }

    /// <summary><c>--prefix</c>: where the app is mounted, <c>/</c> unless given.</summary>
    public string Prefix { get; private set; } = "/";

    public string? Root { get; private set; }

    public string? SocketOwner { get; private set; }

    /// <summary><c>--user USER[:GROUP]</c>: the user a <c>--prefork</c> manager started as root runs its workers as.</summary>
    public string? User { get; private set; }

    public int SocketMode { get; private set; } = DefaultSocketMode;

    /// <summary><c>--allow-from</c>, else the environment's <c>FCGI_WEB_SERVER_ADDRS</c>.</summary>
    public string? AllowFrom { get; private set; } = System.Environment.GetEnvironmentVariable("FCGI_WEB_SERVER_ADDRS");

    /// <summary>
    /// <c>--env NAME=VALUE</c>, each as given, in order: a <see cref="List{T}"/> of strings, a type every app has already:
    /// a new generic instantiation would have its static fields allocated at every start, each CGI request included.
    /// </summary>
    public List<string> Environment { get; } = [];

    /// <summary><c>--max-concurrency</c>, 0 when not given.</summary>
    public int MaxConcurrency { get; private set; }

    /// <summary><c>--prefork</c>: N, or MAX of MIN:MAX; 0 when not given.</summary>
    public int Prefork { get; private set; }

    /// <summary><c>--prefork</c>: N, or MIN of MIN:MAX (0 for ondemand).</summary>
    public int PreforkMin { get; private set; }

    /// <summary><c>--idle-timeout</c> in seconds, 0 when not given (a pool's default is 10).</summary>
    public int IdleTimeout { get; private set; }

    /// <summary><c>--max-rss</c> in MiB, 0 when not given.</summary>
    public int MaxRss { get; private set; }

    /// <summary><c>--restart-threshold N/SECONDS</c>: N and SECONDS, 0 when not given.</summary>
    public (int Count, int Seconds) RestartThreshold { get; private set; }

    /// <summary><c>--ping-path</c>, or null.</summary>
    public string? PingPath { get; private set; }

    /// <summary><c>--status-path</c>, or null.</summary>
    public string? StatusPath { get; private set; }

    /// <summary><c>--access-log PATH</c> (<c>-</c>: the error log), or null.</summary>
    public string? AccessLog { get; private set; }

    /// <summary><c>--access-format</c>: php-fpm's letters, or <c>json</c>; null for the default.</summary>
    public string? AccessFormat { get; private set; }

    /// <summary><c>--slow-log SECONDS</c> as given (a request running longer is logged once), or null.</summary>
    public string? SlowLog { get; private set; }

    /// <summary><c>--slow-log</c>'s threshold, zero when not given.</summary>
    public TimeSpan SlowLogThreshold { get; private set; }

    /// <summary>The pool's options, as given (<c>--prefork</c>, <c>--idle-timeout</c>, <c>--max-rss</c>, <c>--restart-threshold</c>), for a printed command.</summary>
    public string PoolOptions =>
        (Prefork > 0 ? " --prefork " + (PreforkMin == Prefork ? $"{Prefork}" : $"{PreforkMin}:{Prefork}") : "")
        + (IdleTimeout > 0 ? $" --idle-timeout {IdleTimeout}" : "") + (MaxRss > 0 ? $" --max-rss {MaxRss}" : "")
        + (RestartThreshold.Count > 0 ? $" --restart-threshold {RestartThreshold.Count}/{RestartThreshold.Seconds}" : "")
        + (PingPath is not null ? $" --ping-path {PingPath}" : "") + (StatusPath is not null ? $" --status-path {StatusPath}" : "")
        + (AccessLog is not null ? $" --access-log {AccessLog}" : "") + (AccessFormat is not null ? $" --access-format '{AccessFormat}'" : "")
        + (SlowLog is not null ? $" --slow-log {SlowLog}" : "");

    /// <summary><c>--port</c>, or the number after <c>--serve</c>; 8080 unless given.</summary>
    public int Port { get; private set; } = 8080;

    /// <summary><c>--max-requests</c>, 0 when not given.</summary>
    public long MaxRequests { get; private set; }

    /// <summary>Whether an option of a FastCGI worker alone was given.</summary>
    public bool HasWorkerOptions => MaxConcurrency > 0 || MaxRequests > 0 || Prefork > 0 || MaxRss > 0 || PingPath is not null || StatusPath is not null || AccessLog is not null || AccessFormat is not null || SlowLog is not null || SocketOwner is not null || SocketMode != DefaultSocketMode || User is not null;

    private CommandLineArguments()
    {
    }

    /// <summary>
    /// Reads <paramref name="arguments"/>; <see langword="null"/> when one is malformed, after one line on
    /// <paramref name="error"/> that says why (the exit code is then 2). Reading stops at <see cref="Help"/> and at an
    /// <see cref="UnknownOption"/>.
    /// </summary>
    public static CommandLineArguments? Parse(string[] arguments, TextWriter error)
    {
        var parsed = new CommandLineArguments();
        for (int i = 0; i < arguments.Length; i++)
        {
            string argument = arguments[i];
            switch (argument)
            {
                case "--routes":
                    parsed.ListRoutes = true;
                    break;
                case "--json":
                    parsed.Json = true;
                    break;
                case "--openapi":
                    parsed.OpenApi = true;
                    break;
                case "--sandbox-check":
                    parsed.SandboxCheck = true;
                    break;
                case "--serve":
                    parsed.Serve = true;
                    // The port is optional: a number right after --serve.
                    if (i + 1 < arguments.Length && arguments[i + 1].Length > 0 && !arguments[i + 1].AsSpan().ContainsAnyExceptInRange('0', '9'))
                    {
                        if (!int.TryParse(arguments[++i], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                        {
                            error.WriteLine($"--serve's port is a number from 1 to 65535, not '{arguments[i]}'.");
                            return null;
                        }
                        parsed.Port = port;
                    }
                    break;
                case "--fastcgi" or "--config" or "--prefix" or "--root" or "--env" or "--socket-mode" or "--socket-owner" or "--allow-from"
                    or "--max-concurrency" or "--max-requests" or "--prefork" or "--port" or "--idle-timeout" or "--max-rss" or "--restart-threshold" or "--ping-path" or "--status-path" or "--user"
                    or "--access-log" or "--access-format" or "--slow-log":
                    if (i + 1 == arguments.Length)
                    {
                        error.WriteLine($"{argument} needs a value.");
                        return null;
                    }
                    if (!parsed.TrySet(argument, arguments[++i], error))
                        return null;
                    break;
                case "-h" or "--help" or "-?":
                    parsed.Help = true;
                    return parsed;
                default:
                    parsed.UnknownOption = argument;
                    return parsed;
            }
        }
        if ((parsed.IdleTimeout > 0 || parsed.RestartThreshold.Count > 0) && parsed.Prefork == 0)
        {
            error.WriteLine("--idle-timeout and --restart-threshold go with --prefork.");
            return null;
        }
        if (parsed.IdleTimeout > 0 && parsed.PreforkMin == parsed.Prefork)
        {
            error.WriteLine($"--idle-timeout goes with a pool that grows and shrinks, --prefork MIN:MAX, not --prefork {parsed.Prefork}.");
            return null;
        }
        if (parsed.AccessFormat is not null && parsed.AccessLog is null)
        {
            error.WriteLine("--access-format goes with --access-log.");
            return null;
        }
        if (parsed.Json && !parsed.ListRoutes)
        {
            error.WriteLine("--json goes with --routes.");
            return null;
        }
        return parsed;
    }

    /// <summary>
    /// Seconds written as digits with at most three after a point (<c>5</c>, <c>0.25</c>) in milliseconds, or null. By hand:
    /// double.TryParse would bring its parser (8 KB) into every app, and its relocations into every CGI request's start.
    /// </summary>
    private static long? Milliseconds(string value)
    {
        int point = value.IndexOf('.');
        var whole = point < 0 ? value.AsSpan() : value.AsSpan(0, point);
        var fraction = point < 0 ? [] : value.AsSpan(point + 1);
        if (whole.Length is 0 or > 6 || fraction.Length > 3 || (point >= 0 && fraction.IsEmpty)
            || whole.ContainsAnyExceptInRange('0', '9') || fraction.ContainsAnyExceptInRange('0', '9'))
            return null;
        long milliseconds = 0;
        foreach (char c in whole)
            milliseconds = milliseconds * 10 + (c - '0');
        milliseconds *= 1000;
        for (int i = 0, scale = 100; i < fraction.Length; i++, scale /= 10)
            milliseconds += (fraction[i] - '0') * scale;
        return milliseconds;
    }

    /// <summary>Sets the option <paramref name="option"/> that takes <paramref name="value"/>; false after a line on <paramref name="error"/>.</summary>
    private bool TrySet(string option, string value, TextWriter error)
    {
        switch (option)
        {
            // Repeated, or A,B: several workers, for --config nginx's upstream; a worker listens on one.
            case "--fastcgi": FastCgi = FastCgi is null ? value : FastCgi + "," + value; return true;
            case "--config": Config = value; return true;
            case "--prefix": Prefix = value; return true;
            case "--root": Root = value; return true;
            case "--socket-owner": SocketOwner = value; return true;
            case "--user": User = value; return true;
            case "--allow-from": AllowFrom = value; return true;
            case "--env":
                int equals = value.IndexOf('=');
                if (equals <= 0 || value.AsSpan(0, equals).ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
                    || char.IsAsciiDigit(value[0]))
                {
                    error.WriteLine($"--env takes NAME=VALUE, a NAME of letters, digits and '_', not '{value}'.");
                    return false;
                }
                if (value.AsSpan(equals + 1).ContainsAny("\"\\$\n\r"))
                {
                    // Each server quotes and expands differently (nginx expands $ in fastcgi_param and cannot escape it).
                    error.WriteLine($"--env {value[..equals]}: a value with \", \\, $ or a line break is not written into a server's configuration; set it where the app reads its own.");
                    return false;
                }
                Environment.Add(value);
                return true;
            case "--socket-mode":
                if (value.Length is < 3 or > 4 || value.AsSpan().ContainsAnyExceptInRange('0', '7'))
                {
                    error.WriteLine($"--socket-mode takes an octal mode such as 0660, not '{value}'.");
                    return false;
                }
                SocketMode = Convert.ToInt32(value, 8);
                return true;
            case "--ping-path" or "--status-path":
                if (!value.StartsWith('/') || value.AsSpan().ContainsAny(" \"'\\$;{}"))
                {
                    error.WriteLine($"{option} takes a path such as /fpm-status, not '{value}'.");
                    return false;
                }
                if (option == "--ping-path")
                    PingPath = value;
                else
                    StatusPath = value;
                return true;
            case "--access-log":
                if (value.Length == 0 || value.Contains('\0'))
                {
                    error.WriteLine("--access-log takes a file's path, or - for the error log.");
                    return false;
                }
                AccessLog = value;
                return true;
            case "--access-format":
                if (!global::CgiRouting.FastCgi.AccessLog.IsValidFormat(value, error))
                    return false;
                AccessFormat = value;
                return true;
            case "--slow-log":
                if (Milliseconds(value) is not long slow || slow <= 0 || slow > 86_400_000)
                {
                    error.WriteLine($"--slow-log takes a number of seconds above 0, such as 5 or 0.5, not '{value}'.");
                    return false;
                }
                (SlowLog, SlowLogThreshold) = (value, TimeSpan.FromMilliseconds(slow));
                return true;
            case "--prefork" when value.Contains(':'):
                // MIN:MAX, php-fpm's dynamic pool (MIN 0: its ondemand one).
                int colon = value.IndexOf(':');
                if (!int.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out int min)
                    || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int max) || max < 1 || min > max || max > 1024)
                {
                    error.WriteLine($"--prefork takes N or MIN:MAX, with 0 <= MIN <= MAX, 1 <= MAX <= 1024, not '{value}'.");
                    return false;
                }
                (PreforkMin, Prefork) = (min, max);
                return true;
            case "--restart-threshold":
                int slash = value.IndexOf('/');
                if (slash < 0 || !int.TryParse(value.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int count)
                    || !int.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || count < 1 || seconds < 1)
                {
                    error.WriteLine($"--restart-threshold takes N/SECONDS, two whole numbers from 1, such as 10/60, not '{value}'.");
                    return false;
                }
                RestartThreshold = (count, seconds);
                return true;
        }
        long limit = option == "--port" ? 65535 : int.MaxValue;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number)
            || number < 1 || number > limit)
        {
            error.WriteLine($"{option} takes a whole number from 1 to {limit}, not '{value}'.");
            return false;
        }
        if (option == "--max-concurrency")
            MaxConcurrency = (int)number;
        else if (option == "--prefork")
            (PreforkMin, Prefork) = ((int)number, (int)number);
        else if (option == "--idle-timeout")
            IdleTimeout = (int)number;
        else if (option == "--max-rss")
            MaxRss = (int)number;
        else if (option == "--port")
            Port = (int)number;
        else
            MaxRequests = number;
        return true;
    }
}
