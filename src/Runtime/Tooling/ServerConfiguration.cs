using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace CgiRouting;

/// <summary>
/// The web server configurations that <c>app --config SERVER</c> prints for the binary itself, for a user of the
/// package, who has no hosting/ folder: the text hosting/lighttpd.sh, hosting/apache.sh, hosting/nginx.sh and, with
/// <c>--fastcgi</c>, hosting/lighttpd-fastcgi.sh, hosting/apache-fastcgi.sh and hosting/nginx-fastcgi.sh print for
/// one app (an end-to-end test holds them equal, and the scripts' configurations are the ones the end-to-end tests run).
/// </summary>
internal static partial class ServerConfiguration
{
    /// <summary>The servers <c>--config</c> knows (and systemd, for a FastCGI worker's units).</summary>
    public const string Servers = "lighttpd, apache, nginx, systemd";

    /// <summary>The unprivileged user and group every printed configuration runs its server's workers (and the apps) as.</summary>
    public const string ServerUser = "nobody:nogroup";

    /// <summary>
    /// Writes the configuration of <paramref name="server"/> that serves <paramref name="binary"/> at
    /// <paramref name="prefix"/> on 127.0.0.1:<paramref name="port"/>, with logs and sockets in <paramref name="root"/>.
    /// Without <paramref name="fastCgi"/>, one process per request (nginx through fcgiwrap). With it, a FastCGI worker:
    /// lighttpd starts the binary itself on that unix socket (<see cref="FastCgiRefusal"/> says what each server takes),
    /// Apache and nginx pass requests to a worker started separately at that address.
    /// Returns false for a server it does not know.
    /// </summary>
    public static bool Write(TextWriter output, string server, string binary, string prefix, int port, string root, string? fastCgi,
        long maxRequests = 0)
        => Write(output, new ServerSetup { Server = server, Binary = binary, Prefix = prefix, Port = port, Root = root, FastCgi = fastCgi, MaxRequests = maxRequests });

    /// <summary>Writes the configuration of <paramref name="setup"/>; false for a server it does not know.</summary>
    public static bool Write(TextWriter output, ServerSetup setup, bool withCommands = false)
    {
        var (binary, prefix, port, root, fastCgi) = (setup.Binary, setup.Prefix, setup.Port, setup.Root, setup.FastCgi);
        string environment = setup.Environment.Count == 0 ? "" : Environment(setup.Server, fastCgi is not null, setup.Environment);
        string text;
        switch (setup.Server)
        {
            case "lighttpd":
                text = fastCgi is null ? Lighttpd(binary, prefix, port, root) + environment
                    : LighttpdFastCgi(binary, fastCgi[UnixPrefix.Length..], prefix, port, root, environment, setup.LocalPaths);
                break;
            case "apache":
                text = fastCgi is null ? Apache(binary, prefix, port, root) + environment
                    : ApacheFastCgi(fastCgi, prefix, port, root, keepConnections: setup.MaxRequests == 0, setup.LocalPaths);
                break;
            case "systemd" when fastCgi is not null:
                text = SystemdUnits(setup);
                break;
            case "nginx":
                text = fastCgi is null ? Nginx(binary, prefix, port, root, environment)
                    : NginxFastCgi(fastCgi, prefix, port, root, keepConnections: setup.MaxRequests == 0, environment, setup.LocalPaths);
                break;
            default:
                return false;
        }
        if (withCommands && setup.Server != "systemd")
            text = Commands(setup) + text;
        output.Write(text.Replace("\r\n", "\n"));
        return true;
    }

    /// <summary>
    /// A socket unit and a service unit that run the FastCGI worker (or <c>--prefork</c> manager) under systemd: systemd
    /// binds the socket (so a restart drops no connection) and hands it over by socket activation (<c>LISTEN_FDS</c>), which
    /// makes the binary a worker without <c>--fastcgi</c>; <c>Type=notify</c>: it says when it is ready, reloading (SIGHUP,
    /// for a manager: Debian 12's systemd 252 has no <c>Type=notify-reload</c>) and stopping, and feeds the watchdog. It
    /// runs as nobody (or <c>--user</c>'s account, as <c>User=</c>), restarted when it exits (<c>--max-requests</c>) or fails.
    /// </summary>
    private static string SystemdUnits(ServerSetup setup)
    {
        string name = Path.GetFileName(setup.Binary);
        string account = setup.User ?? ServerUser;
        string user = account.Split(':')[0], group = account.Contains(':') ? account[(account.IndexOf(':') + 1)..] : "";
        string address = setup.FastCgi!;
        string listen = address.StartsWith(UnixPrefix, StringComparison.Ordinal) ? address[UnixPrefix.Length..] : address; // [::1]:9000 as systemd writes it
        var text = new System.Text.StringBuilder();
        text.Append($"# Printed by {name} --config systemd. Save the two units below as /etc/systemd/system/{name}.socket and\n")
            .Append($"# /etc/systemd/system/{name}.service, then run as root: systemctl daemon-reload && systemctl enable --now {name}.socket\n")
            .Append("# systemd binds the socket and starts the worker at the first connection, handing it the socket (LISTEN_FDS).\n\n")
            .Append($"# /etc/systemd/system/{name}.socket\n[Unit]\nDescription={name} FastCGI socket\n\n[Socket]\nListenStream={listen}\n");
        if (address.StartsWith(UnixPrefix, StringComparison.Ordinal))
            text.Append("SocketUser=nobody\nSocketGroup=nogroup\nSocketMode=0660\n");
        text.Append("\n[Install]\nWantedBy=sockets.target\n\n")
            .Append($"# /etc/systemd/system/{name}.service\n[Unit]\nDescription={name} FastCGI worker\nRequires={name}.socket\nAfter={name}.socket\n\n[Service]\n")
            .Append("# The worker says READY=1 once it serves (a --prefork manager once its workers are started), STOPPING=1 at SIGTERM.\n")
            .Append("Type=notify\nExecStart=").Append(setup.Binary).Append(WorkerOptions(setup)).Append('\n');
        if (setup.PoolOptions.StartsWith(" --prefork", StringComparison.Ordinal))
            text.Append("# systemctl reload: new workers from the binary on disk, the old ones finish (RELOADING=1, then READY=1).\n")
                .Append("ExecReload=/bin/kill -HUP $MAINPID\n");
        text.Append("# The worker (the manager) tells systemd it is alive every 15 s; one silent for 30 s is restarted.\nWatchdogSec=30\n")
            .Append("StandardOutput=journal\nStandardError=journal\nUser=").Append(user).Append('\n');
        if (group.Length > 0)
            text.Append("Group=").Append(group).Append('\n');
        foreach (string variable in setup.Environment)
            text.Append("Environment=\"").Append(variable.Replace("%", "%%")).Append("\"\n"); // % starts a specifier
        text.Append("# A worker exits after --max-requests, or with 1 when handlers hang: systemd starts a fresh one.\nRestart=always\n")
            .Append("# SIGTERM: the worker serves what is queued and finishes its requests, within the request timeout and a second.\n")
            .Append("TimeoutStopSec=70\n\n[Install]\nWantedBy=multi-user.target\n");
        return text.ToString();
    }

    /// <summary>The app's own environment (<c>--env NAME=VALUE</c>) in the server's syntax, where the server starts the app.</summary>
    private static string Environment(string server, bool fastCgi, IReadOnlyList<string> variables)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < variables.Count; i++)
        {
            var (name, value) = Variable(variables[i]);
            switch (server)
            {
                case "lighttpd":
                    text.Append(i == 0 ? fastCgi ? "        \"bin-environment\" => ( " : "setenv.add-environment = ( " : ",")
                        .Append('"').Append(name).Append("\" => \"").Append(value).Append('"')
                        .Append(i < variables.Count - 1 ? "" : fastCgi ? " ),\n" : " )\n");
                    break;
                case "apache" when !fastCgi:
                    text.Append("SetEnv ").Append(name).Append(" \"").Append(value).Append("\"\n");
                    break;
                case "nginx":
                    text.Append("            fastcgi_param ").Append(name).Append(" \"").Append(value).Append("\";\n");
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// The commands to run beside the configuration, as comments at its top: the folder ROOT, the FastCGI worker or
    /// fcgiwrap where the server does not start the app itself, and the server, each exactly as it must run for the
    /// text below to work; then which user the app runs as, for the folders it writes to.
    /// </summary>
    private static string Commands(ServerSetup setup)
    {
        var (server, binary, root) = (setup.Server, setup.Binary, setup.Root);
        string name = Path.GetFileName(binary);
        string file = root + ".conf";
        var lines = new System.Collections.Generic.List<string>
        {
            $"Printed by {name} --config {server}. Save it as {file}, where only root may change it, and run as root:",
            // lighttpd opens its logs once it runs as nobody; nginx and Apache as root, before they start their workers.
            server == "lighttpd" ? $"  install -d -m 0750 -o nobody -g nogroup {root}" : $"  install -d -m 0755 {root}",
        };
        var env = new System.Text.StringBuilder();
        foreach (string variable in setup.Environment)
            env.Append(Variable(variable).Name).Append('=').Append(Quoted(Variable(variable).Value)).Append(' ');
        if (setup.FastCgi is { } address && server != "lighttpd")
        {
            foreach (string one in address.Split(','))
            {
                if (one.StartsWith(UnixPrefix, StringComparison.Ordinal) && Path.GetDirectoryName(one[UnixPrefix.Length..]) is { Length: > 0 } folder && folder != root)
                    lines.Add($"  install -d -m 0750 -o nobody -g nogroup {folder}");
                lines.Add($"  runuser -u nobody -g nogroup -- env {env}{binary} --fastcgi {one}{WorkerOptions(setup)} &");
            }
        }
        else if (server == "nginx")
            lines.Add($"  spawn-fcgi -s {FcgiwrapSocket(root)} -M 0660 -u nobody -g nogroup -U nobody -G nogroup -P {root}/fcgiwrap.pid -- /usr/sbin/fcgiwrap -c 4");
        lines.Add(server switch
        {
            "lighttpd" => $"  lighttpd -D -f {file}",
            "apache" => $"  apache2 -f {file} -DFOREGROUND",
            _ => $"  nginx -p {root}/ -e {root}/error.log -c {file}",
        });
        lines.Add(setup.FastCgi is not null && server != "lighttpd"
            ? "The worker runs as nobody (its socket is nobody:nogroup, mode 0660, which the server's workers may use): give it the folders it writes to."
            : "The app runs as nobody, started by the server: give it the folders it writes to (chown nobody:nogroup DIR).");
        var text = new System.Text.StringBuilder();
        foreach (string line in lines)
            text.Append("# ").Append(line).Append('\n');
        return text.Append('\n').ToString();
    }

    /// <summary>The worker's own options, as the printed command or unit starts it.</summary>
    private static string WorkerOptions(ServerSetup setup) =>
        setup.PoolOptions + (setup.MaxRequests > 0 ? $" --max-requests {setup.MaxRequests}" : "")
        + (setup.AllowFrom is { } allowed ? $" --allow-from {allowed}" : "");

    /// <summary>An <c>--env</c> argument, <c>NAME=VALUE</c> (checked when it was read), split at its first '='.</summary>
    private static (string Name, string Value) Variable(string variable) =>
        (variable[..variable.IndexOf('=')], variable[(variable.IndexOf('=') + 1)..]);

    private static string Quoted(string value) =>
        value.Length > 0 && !value.AsSpan().ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-:,=@+%") ? value
            : "'" + value.Replace("'", "'\\''") + "'";

    private const string UnixPrefix = "unix:";

    /// <summary>
    /// Why <paramref name="server"/> cannot pass requests to a FastCGI worker at <paramref name="address"/>, or null
    /// when it can. lighttpd starts the worker itself (<c>bin-path</c>, the listening socket as its standard input) on a
    /// unix socket it binds; Apache's mod_proxy_fcgi connects to a worker started separately, on IP:PORT (the form the
    /// end-to-end tests run: a unix socket would need mod_proxy's <c>unix:PATH|fcgi://localhost</c>, untested here).
    /// </summary>
    public static string? FastCgiRefusal(string server, string address) => server switch
    {
        "lighttpd" when !address.StartsWith(UnixPrefix + "/", StringComparison.Ordinal) =>
            $"--config lighttpd --fastcgi takes unix:/path/app.sock, not '{address}': lighttpd starts this binary itself, "
            + "on a unix socket of that name (lighttpd adds \"-0\": app.sock-0).",
        "lighttpd" or "apache" or "systemd" when address.Contains(',') =>
            $"--config {server} --fastcgi takes one address, not '{address}': an upstream of several workers is nginx's (--config nginx).",
        "apache" when address.StartsWith(UnixPrefix, StringComparison.Ordinal) =>
            $"--config apache --fastcgi takes IP:PORT, not '{address}': where this binary listens, started with --fastcgi IP:PORT "
            + "(mod_proxy_fcgi connects to it there).",
        _ => null,
    };

    /// <summary>
    /// Runs lighttpd on <paramref name="file"/> in the foreground until it exits (SIGINT and SIGTERM are passed on to it),
    /// then returns its exit code; 1 with a line that says what to install when it cannot be started. posix_spawnp
    /// rather than System.Diagnostics.Process, which would be linked into every app for this development command.
    /// </summary>
    public static unsafe int RunLighttpd(string file, TextWriter error)
    {
        string[] arguments = ["lighttpd", "-D", "-f", file];
        var argv = stackalloc nint[arguments.Length + 1];
        for (int i = 0; i < arguments.Length; i++)
            argv[i] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
        argv[arguments.Length] = 0;
        error.Flush();
        // This process's environment for lighttpd's (and so the apps'): built here rather than read from libc's environ,
        // which would import dlopen and dlsym into every app, a symbol lookup each at every start.
        var variables = System.Environment.GetEnvironmentVariables();
        var envp = stackalloc nint[variables.Count + 1];
        int count = 0;
        foreach (System.Collections.DictionaryEntry variable in variables)
            envp[count++] = Marshal.StringToCoTaskMemUTF8(variable.Key + "=" + variable.Value);
        envp[count] = 0;
        int spawned;
        int errno = posix_spawnp(&spawned, "lighttpd", null, null, argv, envp);
        int pid = spawned;
        if (errno != 0)
        {
            error.WriteLine(errno == 2 // ENOENT
                ? "lighttpd is not installed: install it (Debian, Ubuntu: sudo apt-get install lighttpd) and run --serve again."
                : $"lighttpd could not be started (errno {errno}).");
            return 1;
        }
        void PassOn(PosixSignalContext context)
        {
            context.Cancel = true;
            _ = kill(pid, 15); // SIGTERM: lighttpd stops at once
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, PassOn);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, PassOn);
        int status;
        while (waitpid(pid, &status, 0) < 0 && Marshal.GetLastPInvokeError() == 4) // EINTR
        {
        }
        return (status & 0x7f) == 0 ? status >> 8 & 0xff : 0; // ended by a signal: it was told to stop
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int posix_spawnp(int* pid, string file, void* actions, void* attributes, nint* argv, nint* environment);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc")]
    private static partial int kill(int pid, int signal);


    /// <summary>The path of fcgiwrap's socket in the nginx configuration.</summary>
    public static string FcgiwrapSocket(string root) => root + "/fcgiwrap.sock";

    private static string Trimmed(string prefix) => prefix.TrimEnd('/');

    // The templates are UTF-8 literals, which the binary keeps as read-only bytes. As interpolated strings, as they were,
    // they were string objects in the binary's writable data, which the dynamic loader relocates at every start: 5,669
    // instructions of every CGI request of samples/Hello (callgrind), for text that only --config and --serve use.

    /// <summary><paramref name="template"/> with each <c>{{name}}</c> replaced by its value in <paramref name="holes"/> (name, value, name, value...), in one pass.</summary>
    private static string Fill(ReadOnlySpan<byte> template, string[] holes)
    {
        string text = Text(template);
        var filled = new StringBuilder(text.Length + 256);
        int start = 0;
        while (text.IndexOf("{{", start, StringComparison.Ordinal) is var open and >= 0)
        {
            int close = text.IndexOf("}}", open, StringComparison.Ordinal);
            filled.Append(text, start, open - start).Append(Hole(holes, text[(open + 2)..close]));
            start = close + 2;
        }
        return filled.Append(text, start, text.Length - start).ToString();
    }

    private static string Hole(string[] holes, string name)
    {
        for (int i = 0; i < holes.Length; i += 2)
        {
            if (holes[i] == name)
                return holes[i + 1];
        }
        throw new InvalidOperationException("A server configuration template has a hole without a value: " + name);
    }

    private static string Text(ReadOnlySpan<byte> template) => Encoding.UTF8.GetString(template);

    /// <summary>The start of a lighttpd configuration; <paramref name="apps"/> names what writes to app-stderr.log.</summary>
    private static string LighttpdHead(int port, string root, string apps) => Fill("""
        # No file is served: the document root is a folder nothing creates, so paths outside the apps are 404 (ROOT holds the
        # logs and the sockets).
        server.document-root   = "{{root}}/no-files"
        # Started as root, lighttpd runs as nobody, and so do the apps it starts. It opens its logs after that: ROOT is nobody's.
        server.username        = "nobody"
        server.groupname       = "nogroup"
        server.bind            = "127.0.0.1"
        server.port            = {{port}}
        server.errorlog        = "{{root}}/error.log"
        # What the {{apps}} write to stderr (handler exceptions) goes to its own log.
        server.breakagelog     = "{{root}}/app-stderr.log"
        server.pid-file        = "{{root}}/lighttpd.pid"
        server.max-connections = 256

        """u8, ["root", root, "port", port.ToString(CultureInfo.InvariantCulture), "apps", apps]);

    private static string Lighttpd(string binary, string prefix, int port, string root) => LighttpdHead(port, root, "apps") + Fill("""
        # Pass the app's output on as it comes (streamed responses: Response.Stream, IAsyncEnumerable<T> results) instead of
        # holding it until the app exits.
        server.stream-response-body = 2
        # mod_auth, when there, comes first: it must decide before mod_cgi runs the app.
        server.modules        += ( "mod_alias", "mod_cgi", "mod_setenv" )
        # The trailing "/" of each target makes lighttpd find the binary and pass the rest of the path as PATH_INFO
        # ("/" for the prefix itself).
        alias.url              = ( "{{prefix}}" => "{{binary}}/" )
        # Only the apps run, never another file.
        $HTTP["url"] =~ "^({{trimmed}})(/|$)" {
            cgi.assign         = ( "" => "" )
        }

        """u8, ["prefix", prefix, "binary", binary, "trimmed", Trimmed(prefix)]);

    /// <summary>
    /// lighttpd's mod_fastcgi starting <paramref name="binary"/> itself on <paramref name="socket"/> (hosting/lighttpd-fastcgi.sh):
    /// in a condition on the prefix, so that a bare "/hello" key does not also take "/hellothere".
    /// </summary>
    private static string LighttpdFastCgi(string binary, string socket, string prefix, int port, string root, string environment,
        IReadOnlyList<string> localPaths)
    {
        // "/" needs fix-root-scriptname, else lighttpd makes the whole path SCRIPT_NAME and leaves PATH_INFO unset;
        // below a prefix the key is the prefix without its trailing slash, which lighttpd makes SCRIPT_NAME.
        bool atRoot = prefix == "/";
        string condition = atRoot ? "^/" : $"^{Trimmed(prefix)}(/|$)";
        string key = atRoot ? "/" : Trimmed(prefix);
        string fixRoot = atRoot ? "        \"fix-root-scriptname\" => \"enable\",\n" : "";
        // lighttpd splits bin-path at spaces: the worker's --ping-path and --status-path, which only it answers.
        var options = new StringBuilder();
        for (int i = 0; i < localPaths.Count; i += 2)
            options.Append(' ').Append(localPaths[i]).Append(' ').Append(localPaths[i + 1]);
        var local = new StringBuilder();
        for (int i = 0; i < localPaths.Count; i += 2)
            local.Append(Fill("""
                # {{option}}: the worker answers it, to this machine only (403 for any other client).
                $HTTP["url"] == "{{path}}" {
                    $HTTP["remote-ip"] != "127.0.0.1" {
                        $HTTP["remote-ip"] != "::1" {
                            url.access-deny = ( "" )
                        }
                    }
                }

                """u8, ["option", localPaths[i], "path", localPaths[i + 1]]));
        return LighttpdHead(port, root, "workers") + Fill("""
            # Pass the app's output on as it comes (streamed responses) instead of holding it until the response is complete.
            server.stream-response-body = 2
            {{access}}server.modules        += ( "mod_fastcgi" )
            $HTTP["url"] =~ "{{condition}}" {
                fastcgi.server = ( "{{key}}" => ( (
                    "bin-path"     => "{{binary}}",
                    "socket"       => "{{socket}}",
                    # One worker process: it answers many requests at once itself.
                    "max-procs"    => 1,
                    # Every path goes to the app: never look for a file of that name first.
                    "check-local"  => "disable",

            """u8, ["condition", condition, "key", key, "binary", binary + options, "socket", socket,
                "access", localPaths.Count == 0 ? "" : "server.modules        += ( \"mod_access\" )\n"]) + fixRoot + environment + Text("""
                ) ) )
            }

            """u8) + local;
    }

    /// <summary>The start of an Apache configuration, up to the modules every one loads.</summary>
    private static string ApacheHead(int port, string root) => Fill("""
        ServerRoot        "{{root}}"
        ServerName        127.0.0.1
        Listen            127.0.0.1:{{port}}
        PidFile           {{root}}/httpd.pid
        DefaultRuntimeDir {{root}}
        ErrorLog          {{root}}/error.log
        LogLevel          warn
        LoadModule mpm_event_module  /usr/lib/apache2/modules/mod_mpm_event.so
        LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
        LoadModule mime_module       /usr/lib/apache2/modules/mod_mime.so
        LoadModule alias_module      /usr/lib/apache2/modules/mod_alias.so

        """u8, ["root", root, "port", port.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>
    /// No file is served below the prefix's siblings: ROOT, the DocumentRoot, holds the logs, the configuration and the
    /// sockets (an audit fetched /error.log, with a handler's stack trace, and /httpd.conf).
    /// </summary>
    private static string ApacheNotFoundOutside(string prefix) => prefix == "/" ? "" : Fill("""
        # No file is served (ROOT holds the logs and the configuration): paths outside the app are 404.
        RedirectMatch 404 "^(?!{{trimmed}}(/|$))"


        """u8, ["trimmed", Trimmed(prefix)]);

    private static string Apache(string binary, string prefix, int port, string root) => ApacheHead(port, root) + Fill("""
        LoadModule cgid_module       /usr/lib/apache2/modules/mod_cgid.so
        LoadModule env_module        /usr/lib/apache2/modules/mod_env.so
        User  nobody
        Group nogroup
        TypesConfig  /etc/mime.types
        ScriptSock   {{root}}/cgid.sock
        DocumentRoot {{root}}
        # Allow encoded slashes (%2F) in PATH_INFO, decoded as every other server does, instead of answering 404 itself.
        AllowEncodedSlashes On
        # Apache answers TRACE itself by echoing the request (headers included) unless told not to.
        TraceEnable Off

        """u8, ["root", root]) + ApacheNotFoundOutside(prefix) + Fill("""
        <Directory />
            Require all granted
            # Pass the Authorization header on (HTTP_AUTHORIZATION), for apps that check tokens themselves: Apache drops it
            # by default.
            CGIPassAuth On
        </Directory>
        ScriptAliasMatch "^{{trimmed}}(/.*)?$" "{{binary}}$1"

        """u8, ["trimmed", Trimmed(prefix), "binary", binary]);

    /// <summary>
    /// Apache's mod_proxy_fcgi passing every path below <paramref name="prefix"/> to the worker at
    /// <paramref name="address"/> (hosting/apache-fastcgi.sh): GENERIC makes SCRIPT_NAME the whole path, which the
    /// ProxyFCGISetEnvIf lines move to PATH_INFO and then take the prefix off.
    /// </summary>
    private static string ApacheFastCgi(string address, string prefix, int port, string root, bool keepConnections, IReadOnlyList<string> localPaths)
        => ApacheHead(port, root) + Text("""
        LoadModule proxy_module      /usr/lib/apache2/modules/mod_proxy.so
        LoadModule proxy_fcgi_module /usr/lib/apache2/modules/mod_proxy_fcgi.so
        User  nobody
        Group nogroup
        TypesConfig  /etc/mime.types

        """u8) + Fill("""
        DocumentRoot {{root}}
        # Allow encoded slashes (%2F) in the path, decoded as every other server does, instead of answering 404 itself.
        AllowEncodedSlashes On
        # Apache answers TRACE itself by echoing the request (headers included) unless told not to.
        TraceEnable Off

        """u8, ["root", root]) + ApacheNotFoundOutside(prefix) + Text("""
        # GENERIC: the CGI meta-variables as for any FastCGI application, not PHP-FPM's. mod_proxy_fcgi then sets
        # SCRIPT_NAME to the whole (decoded) path and no PATH_INFO; the ProxyFCGISetEnvIf lines below move it to PATH_INFO.
        ProxyFCGIBackendType GENERIC
        <Location "/">
            Require all granted
            # Pass the Authorization header on (HTTP_AUTHORIZATION), for apps that check tokens themselves: Apache drops it
            # by default.
            CGIPassAuth On
            ProxyFCGISetEnvIf "reqenv('SCRIPT_NAME') =~ m#^(/.*)$#" PATH_INFO "$1"
            ProxyFCGISetEnvIf true SCRIPT_NAME ""
        </Location>

        """u8) + (prefix == "/" ? "" : Fill("""
        <LocationMatch "^{{trimmed}}(/|$)">
            ProxyFCGISetEnvIf "reqenv('PATH_INFO') =~ m#^{{trimmed}}(/.*)?$#" PATH_INFO "$1"
            ProxyFCGISetEnvIf true SCRIPT_NAME "{{trimmed}}"
        </LocationMatch>

        """u8, ["trimmed", Trimmed(prefix)])) + ApacheLocal(localPaths) + Fill("""
        ProxyPassMatch "^{{trimmed}}(/.*)?$" "fcgi://{{address}}"{{reuse}}

        """u8, ["trimmed", Trimmed(prefix), "address", address, "reuse", keepConnections ? " enablereuse=on" : ""]);

    /// <summary><paramref name="path"/> as a regular expression that matches it alone (a path has none of ' "\$;{}).</summary>
    private static string RegexEscaped(string path)
    {
        var escaped = new StringBuilder();
        foreach (char c in path)
            (".()[]*+?^|".Contains(c) ? escaped.Append('\\') : escaped).Append(c);
        return escaped.ToString();
    }

    /// <summary>Apache's <c>Require local</c> for each of <paramref name="localPaths"/> (option, path, option, path...).</summary>
    private static string ApacheLocal(IReadOnlyList<string> localPaths)
    {
        var text = new StringBuilder(localPaths.Count == 0 ? "" : "LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so\n");
        for (int i = 0; i < localPaths.Count; i += 2)
            text.Append(Fill("""
                # {{option}}: the worker answers it, to this machine only (403 for any other client).
                <Location "{{path}}">
                    Require local
                </Location>

                """u8, ["option", localPaths[i], "path", localPaths[i + 1]]));
        return text.ToString();
    }

    private static string NginxHead(int port, string root) => Fill("""
        daemon off;
        worker_processes 1;
        user nobody nogroup;
        pid {{root}}/nginx.pid;
        error_log {{root}}/error.log warn;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path {{root}}/body;
            fastcgi_temp_path {{root}}/fastcgi;
            proxy_temp_path {{root}}/proxy;
            uwsgi_temp_path {{root}}/uwsgi;
            scgi_temp_path {{root}}/scgi;

        """u8, ["root", root]);

    private static string NginxParameters(string prefix) => Fill("""
                location ~ ^{{trimmed}}(?<app_path>/.*)?$ {
                    # The CGI meta-variables, written out: Debian's fastcgi_params would also set SCRIPT_NAME to the whole path.
                    fastcgi_param GATEWAY_INTERFACE CGI/1.1;
                    fastcgi_param SERVER_SOFTWARE   nginx/$nginx_version;
                    fastcgi_param SERVER_PROTOCOL   $server_protocol;
                    fastcgi_param SERVER_NAME       $server_name;
                    fastcgi_param SERVER_ADDR       $server_addr;
                    fastcgi_param SERVER_PORT       $server_port;
                    fastcgi_param REMOTE_ADDR       $remote_addr;
                    fastcgi_param REMOTE_PORT       $remote_port;
                    fastcgi_param REQUEST_METHOD    $request_method;
                    fastcgi_param REQUEST_URI       $request_uri;
                    fastcgi_param QUERY_STRING      $query_string;
                    fastcgi_param CONTENT_TYPE      $content_type;
                    fastcgi_param CONTENT_LENGTH    $content_length;
                    fastcgi_param HTTPS             $https if_not_empty;

        """u8, ["trimmed", Trimmed(prefix)]);

    private static string Nginx(string binary, string prefix, int port, string root, string environment) => NginxHead(port, root) + Fill("""
            server {
                listen 127.0.0.1:{{port}};
                # No file is served (ROOT holds the logs and sockets): paths outside the apps are 404.
                location / { return 404; }

        """u8, ["port", port.ToString(CultureInfo.InvariantCulture)]) + NginxParameters(prefix) + Fill("""
                    fastcgi_param SCRIPT_FILENAME   {{binary}};
                    fastcgi_param SCRIPT_NAME       "{{trimmed}}";
                    fastcgi_param PATH_INFO         $app_path;
                    # Streamed responses: Debian's fcgiwrap passes the app's output on as it reads it, instead of in 8 KiB
                    # blocks (nginx itself does not buffer a response that says X-Accel-Buffering: no, as CgiRouting's do).
                    fastcgi_param NO_BUFFERING      1;

        """u8, ["binary", binary, "trimmed", Trimmed(prefix)]) + environment + Fill("""
                    fastcgi_pass unix:{{fcgiwrap}};
                }
            }
        }

        """u8, ["fcgiwrap", FcgiwrapSocket(root)]);

    /// <summary>
    /// nginx passing every path below <paramref name="prefix"/> to the workers at <paramref name="addresses"/> (comma
    /// separated: one upstream of them all, which nginx shares requests between and passes a request on to the next
    /// when connecting fails), as hosting/nginx-fastcgi.sh prints it. Connections are kept open and closed by nginx
    /// (keepalive_timeout, keepalive_requests), never by a worker, which could close one as nginx sends a request on it;
    /// for workers with <c>--max-requests</c> (<paramref name="keepConnections"/> false) none is kept, so that a worker
    /// serves exactly that many requests.
    /// </summary>
    private static string NginxFastCgi(string addresses, string prefix, int port, string root, bool keepConnections, string environment,
        IReadOnlyList<string> localPaths)
    {
        var local = new StringBuilder();
        for (int i = 0; i < localPaths.Count; i += 2)
            local.Append(Fill("""
                            # {{option}}: the worker answers it, to this machine only (403 for any other client). A regular
                            # expression: nginx takes no exact location inside one.
                            location ~ ^{{path}}$ {
                                allow 127.0.0.1;
                                allow ::1;
                                deny all;
                                fastcgi_pass app0;
                            }

                """u8, ["option", localPaths[i], "path", RegexEscaped(localPaths[i + 1])]));
        var upstream = new System.Text.StringBuilder("    upstream app0 {\n");
        string[] servers = addresses.Split(',');
        foreach (string server in servers)
            upstream.Append("        server ").Append(server).Append(servers.Length > 1 ? " max_fails=1 fail_timeout=10s;\n" : ";\n");
        if (keepConnections)
            upstream.Append("        keepalive 8;\n        keepalive_timeout 2s;\n        keepalive_requests 100;\n");
        upstream.Append("    }\n");
        return NginxHead(port, root) + upstream + Fill("""
                server {
                    listen 127.0.0.1:{{port}};
                    # No file is served (ROOT holds the logs and sockets): paths outside the apps are 404.
                    location / { return 404; }

            """u8, ["port", port.ToString(CultureInfo.InvariantCulture)]) + NginxParameters(prefix) + Fill("""
                        fastcgi_param SCRIPT_NAME       "{{trimmed}}";
                        fastcgi_param PATH_INFO         $app_path;

            """u8, ["trimmed", Trimmed(prefix)]) + environment + local + (servers.Length > 1 ? "            fastcgi_next_upstream error timeout;\n" : "")
                + (keepConnections ? "            fastcgi_keep_conn on;\n" : "") + Text("""
                        fastcgi_pass app0;
                    }
                }
            }

            """u8);
    }
}
