using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>The binary run by hand: usage, and the route table generated at build time.</summary>
public class CommandLineTests
{
    private static (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CommandLine.Run(arguments, CgiApp.Routes, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void The_generated_route_table_is_registered()
    {
        Assert.Contains(new RouteInfo("GET", "/users/<id>", "Routes.ById") { Json = "generated writer" }, CgiApp.Routes);
        Assert.Contains(new RouteInfo("PROPFIND", "/dav", "Routes.Dav"), CgiApp.Routes);
        // A JSON body: how it is read (Create answers with a Response, so only the body is JSON).
        Assert.Contains(new RouteInfo("POST", "/items", "Routes.Create") { Json = "body: generated reader" }, CgiApp.Routes);
        Assert.Equal(3, CgiApp.Routes.Count(r => r.Handler == "Routes.Multi"));
    }

    [Fact]
    public void Without_arguments_it_explains_itself()
    {
        var (exit, output, _) = Run();
        Assert.Equal(0, exit);
        Assert.Contains("a CGI app built with CgiRouting", output);
        Assert.Contains($"({CgiApp.Routes.Count} routes)", output);
        Assert.Contains("--routes", output);
        Assert.Contains("alias.url", output);
    }

    [Fact]
    public void Routes_lists_method_template_and_handler()
    {
        var (exit, output, _) = Run("--routes");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^METHOD +TEMPLATE +AUTH +HANDLER +JSON +FILTERS$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^GET +/users/<id> +- +Routes\\.ById +generated writer +-$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^DELETE +/users/<id> +- +Routes\\.Delete +-$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^GET +/auth/me +authorize +AuthRoutes\\.Me +-$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^GET +/auth/open +anonymous +AuthRoutes\\.Open +-$"));
        // The filters of a route, in the order they run (the class's first), and when each runs.
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l,
            "^GET +/filters/order +- +FilterRoutes\\.Order +Filters\\.StopAtClass \\(before\\), Filters\\.TraceClass \\(after\\), Filters\\.StopAtMethod \\(before\\), Filters\\.TraceMethod \\(after\\), Filters\\.TraceSecond \\(after\\)$"));
        Assert.Equal(CgiApp.Routes.Count + 1, lines.Length);
    }

    [Fact]
    public void Routes_as_json_for_tooling()
    {
        var (exit, output, _) = Run("--routes", "--json");
        Assert.Equal(0, exit);
        var routes = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .Select(r => new RouteInfo(r.GetProperty("method").GetString()!, r.GetProperty("template").GetString()!, r.GetProperty("handler").GetString()!)
            {
                Json = r.TryGetProperty("json", out var json) ? json.GetString() : null,
                Authorization = r.TryGetProperty("auth", out var auth) ? auth.GetString() : null,
                Filters = r.TryGetProperty("filters", out var filters) ? filters.GetString() : null,
            })
            .ToList();
        Assert.Equal(CgiApp.Routes, routes);
    }

    [Fact]
    public void Routes_say_how_each_JSON_response_is_written()
    {
        var (_, output, _) = Run("--routes");
        Assert.Matches(@"(?m)^GET +/json/everything +- +JsonWriterRoutes\.GetEverything +generated writer +-$", output);
        Assert.Matches(@"(?m)^GET +/json/loose +- +JsonWriterRoutes\.GetLoose +System\.Text\.Json: Loose\.Anything: object is written by its run-time type +-$", output);
        var (_, json, _) = Run("--routes", "--json");
        var loose = JsonDocument.Parse(json).RootElement.EnumerateArray().Single(r => r.GetProperty("template").GetString() == "/json/loose");
        Assert.StartsWith("System.Text.Json: ", loose.GetProperty("json").GetString());
    }

    [Fact]
    public void Apps_without_JSON_responses_keep_three_columns()
    {
        var output = new StringWriter();
        CommandLine.Run(["--routes"], [new RouteInfo("GET", "/", "T.M")], output, new StringWriter());
        Assert.Matches("^METHOD +TEMPLATE +HANDLER\n", output.ToString());
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("routes")]
    [InlineData("--json")]
    public void Unknown_or_incomplete_options_fail(string argument)
    {
        var (exit, _, error) = Run(argument);
        Assert.Equal(2, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Json_escapes_what_json_must()
    {
        var routes = new[] { new RouteInfo("GET", "/a\"b\\c\u0001", "T.M") };
        var output = new StringWriter();
        Assert.Equal(0, CommandLine.Run(["--routes", "--json"], routes, output, new StringWriter()));
        var route = JsonDocument.Parse(output.ToString()).RootElement[0];
        Assert.Equal("/a\"b\\c\u0001", route.GetProperty("template").GetString());
    }

    private static (int Exit, string Output, string Error) Run(RouteInfo[] routes, params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CommandLine.Run(arguments, routes, output, error);
        return (exit, output.ToString().Replace("\r\n", "\n"), error.ToString().Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("-?")]
    [InlineData("--routes --help")]
    public void Help_explains_on_standard_output(string arguments)
    {
        var (exit, output, error) = Run(arguments.Split(' '));
        Assert.Equal(0, exit);
        Assert.Contains("a CGI app built with CgiRouting", output);
        Assert.DoesNotContain("TEMPLATE", output);
        Assert.Empty(error);
    }

    [Fact]
    public void Usage_names_the_binary_and_shows_how_to_run_it()
    {
        string path = System.Environment.ProcessPath!;
        string name = Path.GetFileName(path);
        var (_, output, _) = Run([new RouteInfo("GET", "/", "T.M"), new RouteInfo("GET", "/a", "T.N")]);
        Assert.StartsWith($"{name}: a CGI app built with CgiRouting (2 routes).\n\n", output);
        Assert.Contains($"\n    REQUEST_METHOD=GET PATH_INFO=/ {path}\n", output);
        Assert.Contains($"alias.url       = ( \"/\" => \"/srv/{name}/{name}/\" )", output);
        Assert.DoesNotContain("\r", output);
    }

    [Fact]
    public void An_unknown_option_is_named_on_standard_error_with_the_usage()
    {
        var (exit, output, error) = Run("--bogus");
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith("Unknown option '--bogus'.\n", error);
        Assert.Contains("a CGI app built with CgiRouting", error);
    }

    [Fact]
    public void Json_alone_says_it_goes_with_routes()
    {
        var (exit, output, error) = Run("--json");
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Equal("--json goes with --routes.\n", error);
    }

    [Fact]
    public void The_table_is_padded_to_the_widest_cell_or_heading()
    {
        RouteInfo[] routes = [new("GET", "/", "T.M"), new("POST", "/ab", "T.Nn")];
        Assert.Equal(
            "METHOD  TEMPLATE  HANDLER\n" +
            "GET     /         T.M\n" +
            "POST    /ab       T.Nn\n",
            Run(routes, "--routes").Output);
        RouteInfo[] wide = [new("PROPFIND", "/a/long/template", "Type.Handler") { Json = "generated writer" }, new("GET", "/", "T.M") { Json = "System.Text.Json: why" }];
        Assert.Equal(
            "METHOD    TEMPLATE          HANDLER       JSON\n" +
            "PROPFIND  /a/long/template  Type.Handler  generated writer\n" +
            "GET       /                 T.M           System.Text.Json: why\n",
            Run(wide, "--routes").Output);
    }

    [Fact]
    public void The_json_column_appears_when_any_route_has_json()
    {
        RouteInfo[] routes = [new("GET", "/a", "T.A") { Json = "j1" }, new("GET", "/b", "T.B"), new("GET", "/c", "T.C") { Json = "j2" }];
        var lines = Run(routes, "--routes").Output.Split('\n');
        Assert.Equal("METHOD  TEMPLATE  HANDLER  JSON", lines[0]);
        Assert.Equal("GET     /a        T.A      j1", lines[1]);
        Assert.Equal("GET     /b        T.B", lines[2]);
        Assert.Equal("GET     /c        T.C      j2", lines[3]);
        // A column before another is as wide as its heading, at least.
        RouteInfo[] filtered = [new("GET", "/a", "T.A") { Json = "j", Filters = "F" }];
        Assert.Equal(
            "METHOD  TEMPLATE  HANDLER  JSON  FILTERS\n" +
            "GET     /a        T.A      j     F\n",
            Run(filtered, "--routes").Output);
    }

    [Fact]
    public void The_json_listing_is_exact()
    {
        Assert.Equal("[]\n", Run([], "--routes", "--json").Output);
        RouteInfo[] routes = [new("GET", "/a b", "T.M"), new("POST", "/\"q\"\\\u0001\u001F~", "T.N") { Json = "j" }];
        Assert.Equal(
            "[\n" +
            "  {\"method\": \"GET\", \"template\": \"/a b\", \"handler\": \"T.M\"},\n" +
            "  {\"method\": \"POST\", \"template\": \"/\\\"q\\\"\\\\\\u0001\\u001f~\", \"handler\": \"T.N\", \"json\": \"j\"}\n" +
            "]\n",
            Run(routes, "--routes", "--json").Output);
    }

    [Fact]
    public void The_auth_column_appears_when_any_route_has_authorization()
    {
        RouteInfo[] routes = [new("GET", "/a", "T.A") { Authorization = "authorize" }, new("GET", "/b", "T.B") { Json = "j" },
            new("GET", "/c", "T.C") { Authorization = "anonymous" }];
        Assert.Equal(
            "METHOD  TEMPLATE  AUTH       HANDLER  JSON\n" +
            "GET     /a        authorize  T.A\n" +
            "GET     /b        -          T.B      j\n" +
            "GET     /c        anonymous  T.C\n",
            Run(routes, "--routes").Output);
        Assert.Equal(
            "[\n" +
            "  {\"method\": \"GET\", \"template\": \"/a\", \"handler\": \"T.A\", \"auth\": \"authorize\"},\n" +
            "  {\"method\": \"GET\", \"template\": \"/b\", \"handler\": \"T.B\", \"json\": \"j\"},\n" +
            "  {\"method\": \"GET\", \"template\": \"/c\", \"handler\": \"T.C\", \"auth\": \"anonymous\"}\n" +
            "]\n",
            Run(routes, "--routes", "--json").Output);
    }

    [Fact]
    public void Help_names_the_three_modes_and_the_fastcgi_options()
    {
        var (exit, output, _) = Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("CGI        REQUEST_METHOD is set", output);
        Assert.Contains("FastCGI    --fastcgi ADDRESS, or stdin is a listening socket", output);
        Assert.Contains("Static fields are shared by all its requests.", output);
        Assert.Contains("--fastcgi ADDRESS", output);
        Assert.Contains("--max-concurrency N", output);
        Assert.Contains("--max-requests N", output);
    }

    [Theory]
    [InlineData("--fastcgi", "localhost:9000", "'localhost' in 'localhost:9000' is not an IPv4 address (host names are not resolved).")]
    [InlineData("--fastcgi", "127.0.0.1", "'127.0.0.1' is not an address to listen on: write IP:PORT (127.0.0.1:9000, [::1]:9000) or unix:/path/to.sock.")]
    [InlineData("--fastcgi", "127.0.0.1:70000", "is not an address to listen on")]
    [InlineData("--fastcgi", "unix:", "a unix socket path must have 1 to 107 bytes.")]
    public void A_bad_fastcgi_address_is_refused_with_the_reason(string option, string value, string message)
    {
        var (exit, _, error) = Run(option, value);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("--max-requests", "0", "--max-requests takes a whole number from 1 to 2147483647, not '0'.")]
    [InlineData("--max-concurrency", "-3", "--max-concurrency takes a whole number from 1 to 2147483647, not '-3'.")]
    [InlineData("--max-concurrency", "x", "--max-concurrency takes a whole number")]
    public void Fastcgi_numbers_must_be_positive(string option, string value, string message)
    {
        var (exit, _, error) = Run("--fastcgi", "127.0.0.1:9", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Fastcgi_options_need_fastcgi_mode()
    {
        var (exit, _, error) = Run("--max-requests", "5");
        Assert.Equal(2, exit);
        Assert.Contains("--max-concurrency, --max-requests, --max-rss, --prefork, --socket-mode, --socket-owner and --user go with --fastcgi ADDRESS", error);
        Assert.Equal(2, Run("--user", "nobody").Exit);
        Assert.Equal(2, Run("--prefork", "2").Exit);
        Assert.Equal(2, Run("--fastcgi").Exit);
        Assert.Equal(2, Run("--fastcgi", "127.0.0.1:9000", "--routes").Exit);
    }

    [Fact]
    public void A_listening_socket_is_told_from_other_descriptors()
    {
        int listener = CgiRouting.FastCgi.SocketDescriptor.Listen("127.0.0.1:0", 1);
        try
        {
            Assert.True(CgiRouting.FastCgi.SocketDescriptor.IsListening(listener));
            Assert.False(CgiRouting.FastCgi.SocketDescriptor.IsListening(1)); // the test host's stdout
            Assert.False(CgiRouting.FastCgi.SocketDescriptor.IsListening(987)); // not open
        }
        finally
        {
            CgiRouting.FastCgi.SocketDescriptor.Close(listener);
        }
    }

    [Fact]
    public void An_accepted_TCP_connection_sends_without_waiting_for_acknowledgements()
    {
        // TCP_NODELAY: a response is a few records written one after another, and with Nagle's algorithm the last
        // waited for the server's delayed ACK, 40 ms a request through nginx over TCP.
        int listener = CgiRouting.FastCgi.SocketDescriptor.Listen("127.0.0.1:0", 1);
        try
        {
            int port = int.Parse(CgiRouting.FastCgi.SocketDescriptor.Describe(listener).Split(':')[^1]);
            using var client = new System.Net.Sockets.TcpClient("127.0.0.1", port);
            int accepted = CgiRouting.FastCgi.SocketDescriptor.Accept(listener);
            using var socket = new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle(accepted, ownsHandle: true));
            Assert.True(socket.NoDelay);
        }
        finally
        {
            CgiRouting.FastCgi.SocketDescriptor.Close(listener);
        }
    }

    [Theory]
    [InlineData("iis", null, "--config takes one of lighttpd, apache, nginx, systemd, not 'iis'.\n")]
    [InlineData("iis", "127.0.0.1:9000", "--config takes one of lighttpd, apache, nginx, systemd, not 'iis'.\n")]
    [InlineData("lighttpd", "127.0.0.1:9000", "--config lighttpd --fastcgi takes unix:/path/app.sock, not '127.0.0.1:9000': "
        + "lighttpd starts this binary itself, on a unix socket of that name (lighttpd adds \"-0\": app.sock-0).\n")]
    [InlineData("lighttpd", "unix:app.sock", "--config lighttpd --fastcgi takes unix:/path/app.sock, not 'unix:app.sock'")]
    [InlineData("apache", "unix:/run/app.sock", "--config apache --fastcgi takes IP:PORT, not 'unix:/run/app.sock': "
        + "where this binary listens, started with --fastcgi IP:PORT (mod_proxy_fcgi connects to it there).\n")]
    public void Config_refuses_what_it_cannot_print(string server, string? fastCgi, string message)
    {
        var (exit, output, error) = fastCgi is null ? Run("--config", server) : Run("--config", server, "--fastcgi", fastCgi);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith(message, error.Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData("app/")]
    [InlineData("/app")]
    [InlineData("")]
    public void Config_takes_a_prefix_that_starts_and_ends_with_a_slash(string prefix)
    {
        var (exit, _, error) = Run("--config", "nginx", "--prefix", prefix);
        Assert.Equal(2, exit);
        Assert.Contains("--prefix is a path that starts and ends with '/'", error);
    }

    [Fact]
    public void Config_prints_the_binary_at_the_prefix_port_and_root_asked_for()
    {
        var (exit, output, _) = Run("--config", "lighttpd", "--prefix", "/app/", "--port", "8123", "--root", "/srv/r");
        Assert.Equal(0, exit);
        Assert.Contains("server.port            = 8123\n", output);
        Assert.Contains("server.errorlog        = \"/srv/r/error.log\"", output);
        Assert.Contains("# What the apps write to stderr (handler exceptions) goes to its own log.\n", output);
        Assert.Contains($"alias.url              = ( \"/app/\" => \"{System.Environment.ProcessPath}/\" )", output);
        var (_, nginx, _) = Run("--config", "nginx", "--fastcgi", "unix:/run/a.sock", "--port", "8123");
        Assert.Contains("    upstream app0 {\n        server unix:/run/a.sock;\n", nginx);
        Assert.DoesNotContain("fcgiwrap", nginx);
    }

    [Fact]
    public void Config_lighttpd_with_fastcgi_starts_the_binary_itself_on_the_socket_given()
    {
        var (exit, app, _) = Run("--config", "lighttpd", "--fastcgi", "unix:/srv/r/app.sock", "--prefix", "/app/", "--port", "8123", "--root", "/srv/r");
        Assert.Equal(0, exit);
        Assert.Contains("server.port            = 8123\n", app);
        Assert.Contains("# What the workers write to stderr (handler exceptions) goes to its own log.\n", app);
        Assert.Contains("server.breakagelog     = \"/srv/r/app-stderr.log\"\n", app);
        Assert.Contains("server.modules        += ( \"mod_fastcgi\" )\n", app);
        Assert.Contains($$"""
            $HTTP["url"] =~ "^/app(/|$)" {
                fastcgi.server = ( "/app" => ( (
                    "bin-path"     => "{{System.Environment.ProcessPath}}",
                    "socket"       => "/srv/r/app.sock",
            """.Replace("\r\n", "\n"), app);
        Assert.DoesNotContain("mod_cgi", app);
        Assert.DoesNotContain("fix-root-scriptname", app);
        Assert.EndsWith("""
                    "check-local"  => "disable",
                ) ) )
            }

            """.Replace("\r\n", "\n"), app);
        // At "/", lighttpd must be told to leave SCRIPT_NAME empty and pass the whole path as PATH_INFO.
        var (_, root, _) = Run("--config", "lighttpd", "--fastcgi", "unix:/srv/r/app.sock");
        Assert.Contains("""
            $HTTP["url"] =~ "^/" {
                fastcgi.server = ( "/" => ( (
            """.Replace("\r\n", "\n"), root);
        Assert.EndsWith("""
                    "check-local"  => "disable",
                    "fix-root-scriptname" => "enable",
                ) ) )
            }

            """.Replace("\r\n", "\n"), root);
    }

    [Fact]
    public void Config_apache_with_fastcgi_passes_the_prefix_to_the_worker_at_the_address_given()
    {
        var (exit, app, _) = Run("--config", "apache", "--fastcgi", "127.0.0.1:9000", "--prefix", "/app/", "--port", "8123", "--root", "/srv/r");
        Assert.Equal(0, exit);
        Assert.Contains("Listen            127.0.0.1:8123\n", app);
        Assert.Contains("LoadModule proxy_fcgi_module /usr/lib/apache2/modules/mod_proxy_fcgi.so\n", app);
        Assert.DoesNotContain("cgid", app);
        Assert.Contains("ProxyFCGIBackendType GENERIC\n", app);
        Assert.EndsWith("""
            </Location>
            <LocationMatch "^/app(/|$)">
                ProxyFCGISetEnvIf "reqenv('PATH_INFO') =~ m#^/app(/.*)?$#" PATH_INFO "$1"
                ProxyFCGISetEnvIf true SCRIPT_NAME "/app"
            </LocationMatch>
            ProxyPassMatch "^/app(/.*)?$" "fcgi://127.0.0.1:9000" enablereuse=on

            """.Replace("\r\n", "\n"), app);
        // At "/" no LocationMatch: the <Location "/"> lines alone make SCRIPT_NAME "" and PATH_INFO the whole path.
        var (_, root, _) = Run("--config", "apache", "--fastcgi", "[::1]:9000");
        Assert.EndsWith("""
                ProxyFCGISetEnvIf true SCRIPT_NAME ""
            </Location>
            ProxyPassMatch "^(/.*)?$" "fcgi://[::1]:9000" enablereuse=on

            """.Replace("\r\n", "\n"), root);
    }

    [Theory]
    [InlineData("--port", "0")]
    [InlineData("--port", "65536")]
    [InlineData("--serve", "70000")]
    [InlineData("--prefork", "0")]
    public void Ports_and_worker_counts_must_be_in_range(string option, string value)
    {
        var (exit, _, error) = option == "--prefork" ? Run("--fastcgi", "127.0.0.1:9", option, value) : Run("--config", "nginx", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(value, error);
    }

    /// <summary>The configuration of <paramref name="server"/> for /bin/app below <paramref name="prefix"/>, on port 8123 with root /srv/r.</summary>
    private static string Configuration(string server, string prefix, string? fastCgi, long maxRequests = 0)
    {
        var output = new StringWriter();
        Assert.True(ServerConfiguration.Write(output, server, "/bin/app", prefix, 8123, "/srv/r", fastCgi, maxRequests));
        return output.ToString();
    }

    [Fact]
    public void Apache_runs_the_binary_for_every_path_below_the_prefix()
    {
        string text = Configuration("apache", "/app/", null);
        Assert.StartsWith("ServerRoot        \"/srv/r\"\nServerName        127.0.0.1\nListen            127.0.0.1:8123\n", text);
        Assert.Contains("\nScriptSock   /srv/r/cgid.sock\n", text);
        Assert.EndsWith("\nScriptAliasMatch \"^/app(/.*)?$\" \"/bin/app$1\"\n", text);
        Assert.DoesNotContain("\r", text);
    }

    [Fact]
    public void Nginx_without_a_worker_passes_every_path_below_the_prefix_to_fcgiwrap()
    {
        string text = Configuration("nginx", "/app/", null);
        Assert.StartsWith("daemon off;\nworker_processes 1;\n", text);
        Assert.Contains("\npid /srv/r/nginx.pid;\n", text);
        Assert.Contains("\n        listen 127.0.0.1:8123;\n", text);
        Assert.Contains("\n        location ~ ^/app(?<app_path>/.*)?$ {\n", text);
        Assert.Contains("\n            fastcgi_param REQUEST_METHOD    $request_method;\n", text);
        Assert.Contains("\n            fastcgi_param SCRIPT_FILENAME   /bin/app;\n", text);
        Assert.Contains("\n            fastcgi_param SCRIPT_NAME       \"/app\";\n", text);
        Assert.Contains("\n            fastcgi_pass unix:/srv/r/fcgiwrap.sock;\n", text);
        Assert.Equal("/srv/r/fcgiwrap.sock", ServerConfiguration.FcgiwrapSocket("/srv/r"));
        Assert.EndsWith("        }\n    }\n}\n", text);
    }

    [Fact]
    public void Nginx_with_a_worker_passes_to_it_and_keeps_connections_that_nginx_closes()
    {
        string text = Configuration("nginx", "/", "127.0.0.1:9000");
        Assert.StartsWith("daemon off;\n", text);
        // nginx closes kept connections (idle, or after 100 requests), never the worker: a request sent on one the worker
        // was closing would be lost.
        Assert.Contains("\n    upstream app0 {\n        server 127.0.0.1:9000;\n        keepalive 8;\n        keepalive_timeout 2s;\n"
            + "        keepalive_requests 100;\n    }\n", text);
        Assert.Contains("\n        location ~ ^(?<app_path>/.*)?$ {\n", text);
        Assert.Contains("\n            fastcgi_param SCRIPT_NAME       \"\";\n", text);
        Assert.Contains("\n            fastcgi_keep_conn on;\n            fastcgi_pass app0;\n", text);
        Assert.DoesNotContain("fastcgi_next_upstream", text);
        Assert.DoesNotContain("/bin/app", text);
        Assert.EndsWith("        }\n    }\n}\n", text);
    }

    [Fact]
    public void Nginx_for_workers_with_max_requests_keeps_no_connection()
    {
        string text = Configuration("nginx", "/", "127.0.0.1:9000", maxRequests: 1);
        Assert.Contains("\n    upstream app0 {\n        server 127.0.0.1:9000;\n    }\n", text);
        Assert.DoesNotContain("keepalive", text);
        Assert.DoesNotContain("fastcgi_keep_conn", text);
    }

    [Fact]
    public void Nginx_with_several_workers_prints_one_upstream_of_them_all()
    {
        var (exit, text, _) = Run("--config", "nginx", "--fastcgi", "127.0.0.1:9001,127.0.0.1:9002", "--fastcgi", "unix:/run/c.sock", "--root", "/srv/r");
        Assert.Equal(0, exit);
        Assert.Contains("\n    upstream app0 {\n        server 127.0.0.1:9001 max_fails=1 fail_timeout=10s;\n"
            + "        server 127.0.0.1:9002 max_fails=1 fail_timeout=10s;\n        server unix:/run/c.sock max_fails=1 fail_timeout=10s;\n", text);
        Assert.Contains("\n            fastcgi_next_upstream error timeout;\n            fastcgi_keep_conn on;\n", text);
        var (refused, _, error) = Run("--config", "apache", "--fastcgi", "127.0.0.1:9001", "--fastcgi", "127.0.0.1:9002");
        Assert.Equal(2, refused);
        Assert.Contains("takes one address", error);
    }

    [Fact]
    public void An_unknown_server_has_no_configuration_for_a_FastCGI_worker()
    {
        var output = new StringWriter();
        Assert.False(ServerConfiguration.Write(output, "iis", "/bin/app", "/", 8123, "/srv/r", fastCgi: "127.0.0.1:9000"));
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void Fastcgi_serves_on_the_address_says_so_once_and_removes_its_socket_after_max_requests()
    {
        var (socket, output, log) = ServeOneRequestOverFastCgi(options: null);
        Assert.Equal("", output);
        Assert.StartsWith($"CgiRouting: FastCGI worker (pid {System.Environment.ProcessId}) listening on unix:{socket}, 3 requests at once, exits after 1 request.{System.Environment.NewLine}", log);
        Assert.DoesNotContain("standard input", log);
    }

    [Fact]
    public void Fastcgi_says_it_listens_on_the_apps_own_error_log_when_it_has_one()
    {
        var appLog = new StringWriter();
        var (socket, _, log) = ServeOneRequestOverFastCgi(new CgiOptions { ErrorLog = appLog });
        Assert.Equal("", log);
        Assert.StartsWith($"CgiRouting: FastCGI worker (pid {System.Environment.ProcessId}) listening on unix:{socket}, 3 requests at once", appLog.ToString());
    }

    /// <summary>
    /// A connection to the worker on <paramref name="socket"/> once it accepts: the socket file appears at bind(2), a
    /// moment before listen(2), and until then a connection is refused.
    /// </summary>
    private static FastCgiClient ConnectWhenListening(string socket)
    {
        FastCgiClient? connected = null;
        Assert.True(System.Threading.SpinWait.SpinUntil(() =>
        {
            try { connected = FastCgiClient.Connect("unix:" + socket); return true; }
            catch (System.Net.Sockets.SocketException) { return false; }
        }, 10_000), "the worker listens");
        return connected!;
    }

    /// <summary>
    /// Runs <c>--fastcgi unix:SOCKET --max-concurrency 3 --max-requests 1</c> in the background, sends it one request,
    /// and checks the answer, the exit and that the socket file is gone; returns the socket's path, and what the worker
    /// wrote on standard output and standard error.
    /// </summary>
    private static (string Socket, string Output, string Error) ServeOneRequestOverFastCgi(CgiOptions? options)
    {
        string directory = Directory.CreateTempSubdirectory("cgirouting-cli-").FullName;
        try
        {
            string socket = Path.Combine(directory, "app.sock");
            var output = new StringWriter();
            var error = new StringWriter();
            var worker = Background.Start(() => CommandLine.Run(
                ["--fastcgi", "unix:" + socket, "--max-concurrency", "3", "--max-requests", "1"], CgiApp.Routes, output,
                TextWriter.Synchronized(error), options));
            using (var client = ConnectWhenListening(socket))
            {
                client.SendRequest(1, "GET", "/users/me");
                Assert.EndsWith("\r\n\r\nme", client.ReadText(1));
            }
            Assert.True(worker.Finished(System.TimeSpan.FromSeconds(10)), "the worker exits after its one request");
            Assert.Equal(0, worker.Result);
            Assert.False(File.Exists(socket), "the socket file is removed when the worker exits");
            return (socket, output.ToString(), error.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--fastcgi")]
    [InlineData("--config")]
    [InlineData("--prefix")]
    [InlineData("--root")]
    [InlineData("--max-concurrency")]
    [InlineData("--max-requests")]
    [InlineData("--prefork")]
    [InlineData("--port")]
    public void An_option_that_takes_a_value_says_so_when_it_is_last(string option)
    {
        var (exit, output, error) = Run(option);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"{option} needs a value.{System.Environment.NewLine}", error);
    }

    [Theory]
    [InlineData("--max-concurrency", "2147483647")]
    [InlineData("--max-requests", "2147483647")]
    [InlineData("--prefork", "1")]
    public void Fastcgi_numbers_in_range_are_taken_and_then_need_fastcgi_mode(string option, string value)
    {
        var (exit, _, error) = Run(option, value);
        Assert.Equal(2, exit);
        Assert.Equal("--max-concurrency, --max-requests, --max-rss, --prefork, --socket-mode, --socket-owner and --user go with --fastcgi ADDRESS, "
            + "with a listening socket as standard input, or with one systemd hands over (LISTEN_FDS)." + System.Environment.NewLine, error);
    }

    [Fact]
    public void Config_takes_ping_and_status_paths_below_the_prefix_with_a_worker()
    {
        var (exit, _, error) = Run("--config", "nginx", "--fastcgi", "127.0.0.1:9000", "--prefix", "/app/", "--status-path", "/status");
        Assert.Equal(2, exit);
        Assert.Contains("/status is outside --prefix /app/", error);
        Assert.Contains("write /app/status.", error);
        (exit, _, error) = Run("--config", "nginx", "--ping-path", "/ping");
        Assert.Equal(2, exit);
        Assert.Contains("--ping-path and --status-path are a FastCGI worker's: --config prints them with --fastcgi ADDRESS.", error);
        var (ok, printed, _) = Run("--config", "nginx", "--fastcgi", "127.0.0.1:9000", "--prefix", "/app/", "--status-path", "/app/status");
        Assert.Equal(0, ok);
        Assert.Contains("--fastcgi 127.0.0.1:9000 --status-path /app/status &\n", printed); // the worker's command answers it
        Assert.Contains("\n            location ~ ^/app/status$ {\n                allow 127.0.0.1;\n                allow ::1;\n                deny all;\n", printed);
    }

    [Fact]
    public void User_goes_with_a_manager_started_as_root_and_an_account_that_exists()
    {
        var (exit, _, error) = Run("--fastcgi", "127.0.0.1:9", "--user", "nobody");
        Assert.Equal(2, exit);
        Assert.Contains("--user goes with --prefork: the manager, started as root, runs its workers as USER", error);
        (exit, _, error) = Run("--fastcgi", "127.0.0.1:9", "--prefork", "2", "--user", "no-such-user-here");
        Assert.Equal(2, exit);
        Assert.Contains(UnixAccount.IsRoot ? "There is no user 'no-such-user-here'." : "--user no-such-user-here needs the manager started as root", error);
        (exit, _, error) = Run("--config", "nginx", "--fastcgi", "127.0.0.1:9000", "--prefork", "2", "--user", "nobody");
        Assert.Equal(2, exit);
        Assert.Contains("--user goes with --config systemd (its User=)", error);
    }

    [Fact]
    public void Fastcgi_numbers_stop_at_int_MaxValue()
    {
        var (exit, _, error) = Run("--max-requests", "2147483648");
        Assert.Equal(2, exit);
        Assert.Equal("--max-requests takes a whole number from 1 to 2147483647, not '2147483648'." + System.Environment.NewLine, error);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("65535")]
    public void Config_takes_ports_from_1_to_65535(string port)
    {
        var (exit, output, _) = Run("--config", "nginx", "--port", port);
        Assert.Equal(0, exit);
        Assert.Contains($"\n        listen 127.0.0.1:{port};\n", output);
    }

    [Fact]
    public void Config_defaults_to_the_root_prefix_port_8080_and_a_directory_named_after_binary_and_server()
    {
        var (exit, output, _) = Run("--config", "nginx");
        Assert.Equal(0, exit);
        // Not under /tmp, where any local user could make the folder first and own the server's files.
        string root = $"/var/lib/{Path.GetFileName(System.Environment.ProcessPath)}-nginx";
        Assert.Contains($"\npid {root}/nginx.pid;\n", output);
        Assert.Contains("\n        listen 127.0.0.1:8080;\n", output);
        Assert.Contains("\n        location ~ ^(?<app_path>/.*)?$ {\n", output);
        Assert.Contains($"\n            fastcgi_param SCRIPT_FILENAME   {System.Environment.ProcessPath};\n", output);
    }

    [Fact]
    public void Config_begins_with_every_command_to_run_beside_it()
    {
        string app = System.Environment.ProcessPath!;
        string name = Path.GetFileName(app);
        var (_, nginx, _) = Run("--config", "nginx", "--root", "/srv/r");
        Assert.StartsWith($"# Printed by {name} --config nginx. Save it as /srv/r.conf, where only root may change it, and run as root:\n"
            + "#   install -d -m 0755 /srv/r\n"
            + "#   spawn-fcgi -s /srv/r/fcgiwrap.sock -M 0660 -u nobody -g nogroup -U nobody -G nogroup -P /srv/r/fcgiwrap.pid -- /usr/sbin/fcgiwrap -c 4\n"
            + "#   nginx -p /srv/r/ -e /srv/r/error.log -c /srv/r.conf\n"
            + "# The app runs as nobody, started by the server: give it the folders it writes to (chown nobody:nogroup DIR).\n\ndaemon off;\n", nginx);
        var (_, worker, _) = Run("--config", "nginx", "--root", "/srv/r", "--fastcgi", "unix:/run/app/app.sock", "--prefork", "4",
            "--max-requests", "1", "--env", "TODO_DB=/var/lib/todo/todo.db", "--env", "GREETING=hello world");
        Assert.Contains("\n#   install -d -m 0750 -o nobody -g nogroup /run/app\n"
            + $"#   runuser -u nobody -g nogroup -- env TODO_DB=/var/lib/todo/todo.db GREETING='hello world' {app} --fastcgi unix:/run/app/app.sock --prefork 4 --max-requests 1 &\n", worker);
        var (_, lighttpd, _) = Run("--config", "lighttpd", "--root", "/srv/r");
        Assert.Contains("\n#   install -d -m 0750 -o nobody -g nogroup /srv/r\n#   lighttpd -D -f /srv/r.conf\n", lighttpd);
        var (_, apache, _) = Run("--config", "apache", "--root", "/srv/r", "--fastcgi", "127.0.0.1:9000");
        Assert.Contains($"\n#   runuser -u nobody -g nogroup -- env {app} --fastcgi 127.0.0.1:9000 &\n#   apache2 -f /srv/r.conf -DFOREGROUND\n", apache);
    }

    [Theory]
    [InlineData("--prefork", "3:2", "--prefork takes N or MIN:MAX, with 0 <= MIN <= MAX, 1 <= MAX <= 1024, not '3:2'.")]
    [InlineData("--prefork", "0:0", "not '0:0'")]
    [InlineData("--prefork", "1:", "not '1:'")]
    [InlineData("--prefork", "0:1025", "not '0:1025'")]
    [InlineData("--restart-threshold", "5", "--restart-threshold takes N/SECONDS, two whole numbers from 1, such as 10/60, not '5'.")]
    [InlineData("--restart-threshold", "0/10", "not '0/10'")]
    [InlineData("--idle-timeout", "0", "--idle-timeout takes a whole number from 1")]
    [InlineData("--max-rss", "x", "--max-rss takes a whole number from 1")]
    [InlineData("--status-path", "status", "--status-path takes a path such as /fpm-status, not 'status'.")]
    [InlineData("--ping-path", "/a;b", "--ping-path takes a path such as /fpm-status, not '/a;b'.")]
    [InlineData("--slow-log", "0", "--slow-log takes a number of seconds above 0, such as 5 or 0.5, not '0'.")]
    [InlineData("--slow-log", "-1", "not '-1'")]
    [InlineData("--slow-log", "1e3", "not '1e3'")]
    [InlineData("--access-format", "%x", "--access-format: %x is not a field; the fields are %t %T %R")]
    [InlineData("--access-log", "", "--access-log takes a file's path, or - for the error log.")]
    public void Pool_options_are_checked(string option, string value, string message)
    {
        var (exit, _, error) = Run("--fastcgi", "127.0.0.1:9", "--prefork", "0:4", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Access_format_goes_with_an_access_log_and_an_access_log_that_cannot_be_opened_is_said()
    {
        Assert.Contains("--access-format goes with --access-log.", Run("--fastcgi", "127.0.0.1:9", "--access-format", "json").Error);
        var (exit, _, error) = Run("--fastcgi", "unix:" + Path.Combine(Path.GetTempPath(), $"cgirouting-{System.Guid.NewGuid():N}.sock"),
            "--access-log", "/nonexistent-directory/access.log");
        Assert.Equal(1, exit);
        Assert.Contains("--access-log /nonexistent-directory/access.log cannot be opened (errno 2).", error);
    }

    [Fact]
    public void Idle_timeout_and_restart_threshold_need_a_pool_that_can_shrink_or_a_pool()
    {
        Assert.Contains("--idle-timeout and --restart-threshold go with --prefork.", Run("--fastcgi", "127.0.0.1:9", "--idle-timeout", "5").Error);
        Assert.Contains("--idle-timeout and --restart-threshold go with --prefork.", Run("--fastcgi", "127.0.0.1:9", "--restart-threshold", "5/10").Error);
        Assert.Contains("--idle-timeout goes with a pool that grows and shrinks, --prefork MIN:MAX, not --prefork 4.",
            Run("--fastcgi", "127.0.0.1:9", "--prefork", "4", "--idle-timeout", "5").Error);
    }

    [Fact]
    public void A_printed_configuration_starts_the_pool_as_given()
    {
        string app = System.Environment.ProcessPath!;
        var (exit, units, _) = Run("--config", "systemd", "--fastcgi", "unix:/run/app/app.sock", "--prefork", "0:8", "--idle-timeout", "30",
            "--max-rss", "200", "--restart-threshold", "10/60", "--max-requests", "500", "--ping-path", "/ping", "--status-path", "/status");
        Assert.Equal(0, exit);
        Assert.Contains($"\nExecStart={app} --prefork 0:8 --idle-timeout 30 --max-rss 200 --restart-threshold 10/60 --ping-path /ping --status-path /status --max-requests 500\n", units);
        Assert.Contains(" --prefork 2 --max-requests 1 &", Run("--config", "nginx", "--fastcgi", "127.0.0.1:9000", "--prefork", "2", "--max-requests", "1").Output);
    }

    [Fact]
    public void Config_systemd_prints_a_socket_unit_and_a_notify_service_that_takes_the_socket_by_socket_activation()
    {
        string app = System.Environment.ProcessPath!;
        string name = Path.GetFileName(app);
        var (exit, units, _) = Run("--config", "systemd", "--fastcgi", "unix:/run/app/app.sock", "--prefork", "2", "--max-requests", "100",
            "--env", "TODO_DB=/var/lib/todo/todo.db");
        Assert.Equal(0, exit);
        Assert.Contains($"\n# /etc/systemd/system/{name}.socket\n[Unit]\nDescription={name} FastCGI socket\n\n[Socket]\nListenStream=/run/app/app.sock\n"
            + "SocketUser=nobody\nSocketGroup=nogroup\nSocketMode=0660\n\n[Install]\nWantedBy=sockets.target\n", units);
        Assert.Contains($"\nType=notify\nExecStart={app} --prefork 2 --max-requests 100\n", units);
        Assert.Contains("\nExecReload=/bin/kill -HUP $MAINPID\n", units); // Debian 12's systemd 252 has no Type=notify-reload
        Assert.Contains("\nWatchdogSec=30\n", units);
        Assert.DoesNotContain("StandardInput=", units); // the socket comes by LISTEN_FDS
        Assert.Contains("\nUser=nobody\nGroup=nogroup\nEnvironment=\"TODO_DB=/var/lib/todo/todo.db\"\n", units);
        Assert.DoesNotContain("ExecReload=", Run("--config", "systemd", "--fastcgi", "unix:/run/app/app.sock").Output); // a lone worker has no reload
        Assert.Contains("\nUser=www-data\nGroup=web\n", Run("--config", "systemd", "--fastcgi", "unix:/run/app/app.sock", "--prefork", "2", "--user", "www-data:web").Output);
        Assert.Contains("\nRestart=always\n", units);
        Assert.Contains("\nListenStream=127.0.0.1:9000\n", Run("--config", "systemd", "--fastcgi", "127.0.0.1:9000").Output);
        Assert.Contains("\nListenStream=[::1]:9000\n", Run("--config", "systemd", "--fastcgi", "[::1]:9000").Output); // systemd's IPv6 form
        var (_, escaped, _) = Run("--config", "systemd", "--fastcgi", "10.0.0.2:9000", "--allow-from", "10.0.0.5", "--env", "TODO_DB=postgres://a:p%40ss@db/todo");
        Assert.Contains("\nEnvironment=\"TODO_DB=postgres://a:p%%40ss@db/todo\"\n", escaped); // % starts a systemd specifier
        Assert.Contains($"\nExecStart={app} --allow-from 10.0.0.5\n", escaped);
        var (refused, _, error) = Run("--config", "systemd");
        Assert.Equal(2, refused);
        Assert.Contains("--config systemd prints the units of a FastCGI worker", error);
    }

    [Fact]
    public void Config_env_is_written_in_each_server_s_own_syntax_where_it_starts_the_app()
    {
        string[] env = ["--env", "TODO_DB=/data/todo.db", "--env", "MODE=a b"];
        Assert.Contains("\nsetenv.add-environment = ( \"TODO_DB\" => \"/data/todo.db\",\"MODE\" => \"a b\" )\n", Run(["--config", "lighttpd", .. env]).Output);
        Assert.Contains("\n        \"bin-environment\" => ( \"TODO_DB\" => \"/data/todo.db\",\"MODE\" => \"a b\" ),\n",
            Run(["--config", "lighttpd", "--fastcgi", "unix:/srv/a.sock", .. env]).Output);
        Assert.Contains("\nSetEnv TODO_DB \"/data/todo.db\"\nSetEnv MODE \"a b\"\n", Run(["--config", "apache", .. env]).Output);
        Assert.Contains("\n            fastcgi_param TODO_DB \"/data/todo.db\";\n            fastcgi_param MODE \"a b\";\n            fastcgi_pass unix:",
            Run(["--config", "nginx", .. env]).Output);
        foreach (string bad in new[] { "NOVALUE", "1X=a", "A-B=c", "=x" })
        {
            var (exit, _, error) = Run("--config", "nginx", "--env", bad);
            Assert.Equal(2, exit);
            Assert.Contains("--env takes NAME=VALUE", error);
        }
        foreach (string value in new[] { "a$b", "a\"b", "a\\b", "a\nb" }) // nginx expands $ and cannot escape it; quotes end a string
        {
            var (exit, _, error) = Run("--config", "nginx", "--env", "X=" + value);
            Assert.Equal(2, exit);
            Assert.Contains("is not written into a server's configuration", error);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_worker_s_unix_socket_gets_mode_0660_or_the_mode_and_owner_asked_for()
    {
        string directory = Directory.CreateTempSubdirectory("cgirouting-cli-").FullName;
        try
        {
            foreach (var (options, mode) in new[] { (new string[0], (UnixFileMode)0b110_110_000), (["--socket-mode", "0600"], (UnixFileMode)0b110_000_000) })
            {
                string socket = Path.Combine(directory, "app.sock");
                var error = new StringWriter();
                var worker = Background.Start(() => CommandLine.Run(["--fastcgi", "unix:" + socket, "--max-requests", "1", "--socket-owner", ":65534", .. options],
                    CgiApp.Routes, new StringWriter(), TextWriter.Synchronized(error)));
                Assert.True(System.Threading.SpinWait.SpinUntil(() => File.Exists(socket) && File.GetUnixFileMode(socket) == mode, 10_000),
                    $"the socket's mode is {File.GetUnixFileMode(socket)}, not {mode}");
                using (var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%g", socket]) { RedirectStandardOutput = true })!)
                    Assert.Equal("65534", stat.StandardOutput.ReadToEnd().Trim()); // nogroup
                using (var client = FastCgiClient.Connect("unix:" + socket))
                {
                    client.SendRequest(1, "GET", "/users/me");
                    Assert.EndsWith("\r\n\r\nme", client.ReadText(1));
                }
                Assert.True(worker.Finished(System.TimeSpan.FromSeconds(10)));
            }
            var (exit, _, refused) = Run("--fastcgi", "unix:" + Path.Combine(directory, "b.sock"), "--socket-owner", "no-such-user-here");
            Assert.Equal(2, exit);
            Assert.Contains("There is no user 'no-such-user-here'.", refused);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    [InlineData("0:0:0:0:0:0:0:1", "::1")]
    [InlineData("::ffff:10.0.0.1", "10.0.0.1")] // an IPv4 peer of an IPv6 listener
    [InlineData("localhost", null)]
    [InlineData("10.0.0.1:9000", null)]
    public void Allow_from_addresses_are_compared_as_addresses(string address, string? canonical)
    {
        Assert.Equal(canonical, CgiRouting.FastCgi.SocketDescriptor.CanonicalAddress(address));
        if (canonical is null)
        {
            var (exit, _, error) = Run("--fastcgi", "127.0.0.1:9124", "--allow-from", address);
            Assert.Equal(2, exit);
            Assert.Contains("is not an IP address", error);
        }
    }

    [Theory]
    [InlineData("0.0.0.0:9123")]
    [InlineData("[::]:9123")]
    [InlineData("192.0.2.1:9123")]
    public void A_worker_listens_beyond_loopback_only_with_the_web_servers_that_may_connect_named(string address)
    {
        var (exit, _, error) = Run("--fastcgi", address);
        Assert.Equal(2, exit);
        Assert.Contains($"--fastcgi {address} listens beyond this machine", error);
        Assert.Contains("--allow-from", error);
    }

    [Fact]
    public void Only_the_peers_allow_from_names_are_served()
    {
        // Port 0: the system picks a free port, and the start-up line names it (a port probed free and then closed can
        // be taken by another test before the worker binds it).
        var error = new StringWriter();
        var worker = Background.Start(() => CommandLine.Run(["--fastcgi", "127.0.0.1:0", "--max-requests", "1", "--allow-from", "127.0.0.2"],
            CgiApp.Routes, new StringWriter(), TextWriter.Synchronized(error)));
        Assert.True(System.Threading.SpinWait.SpinUntil(() => error.ToString().Contains("listening on"), 10_000));
        var listening = System.Text.RegularExpressions.Regex.Match(error.ToString(), @"listening on 127\.0\.0\.1:(\d+),");
        Assert.True(listening.Success, error.ToString());
        int port = int.Parse(listening.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, port);
        using (var stranger = FastCgiClient.Connect($"127.0.0.1:{port}")) // from 127.0.0.1, not allowed
        {
            stranger.SendRequest(1, "GET", "/users/me");
            Assert.True(stranger.IsClosedByWorker(), "a peer not allowed is closed unanswered");
        }
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("127.0.0.2"), 0));
        socket.Connect(System.Net.IPAddress.Loopback, port);
        using (var allowed = new FastCgiClient(socket))
        {
            allowed.SendRequest(1, "GET", "/users/me");
            Assert.EndsWith("\r\n\r\nme", allowed.ReadText(1));
        }
        Assert.True(worker.Finished(System.TimeSpan.FromSeconds(10)));
        Assert.Contains("a FastCGI connection from 127.0.0.1, which is not one of the web servers allowed (--allow-from), was closed.", error.ToString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("65535")]
    public void Serve_takes_a_port_from_1_to_65535_and_goes_with_CGI_mode_only(string port)
    {
        // With --fastcgi, --serve refuses before it would start lighttpd: the port was taken.
        var (exit, output, error) = Run("--serve", port, "--fastcgi", "127.0.0.1:9000");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("--serve runs the app under lighttpd, in CGI mode." + System.Environment.NewLine, error);
        Assert.Equal(error, Run("--fastcgi", "127.0.0.1:9000", "--serve").Error); // --serve last, without a port
        Assert.Equal(error, Run("--serve", "--config", "nginx").Error);
    }

    [Fact]
    public void A_port_after_serve_is_digits_only()
    {
        var (exit, _, error) = Run("--serve", "0");
        Assert.Equal(2, exit);
        Assert.Equal("--serve's port is a number from 1 to 65535, not '0'." + System.Environment.NewLine, error);
        Assert.StartsWith("Unknown option ''.", Run("--serve", "").Error); // an empty argument is not a port
        Assert.StartsWith("Unknown option '-1'.", Run("--serve", "-1").Error);
    }

    [Fact]
    public void Openapi_writes_the_document_of_the_route_table_or_says_there_is_none()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, CommandLine.Run(["--openapi"], new RouteList([], "{\"openapi\":\"3.1.0\"}"), output, error));
        Assert.Equal("{\"openapi\":\"3.1.0\"}", output.ToString());
        Assert.Equal("", error.ToString());
        output = new StringWriter();
        Assert.Equal(1, CommandLine.Run(["--openapi"], new RouteList([], null), output, error));
        Assert.Equal("", output.ToString());
        Assert.Equal("This app has no OpenAPI document: it was built with a CgiRouting generator that wrote none." + System.Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Without_max_concurrency_a_worker_serves_two_requests_a_core_at_once()
    {
        string directory = Directory.CreateTempSubdirectory("cgirouting-cli-").FullName;
        try
        {
            string socket = Path.Combine(directory, "app.sock");
            var error = new StringWriter();
            var worker = Background.Start(() => CommandLine.Run(["--max-requests", "1", "--fastcgi", "unix:" + socket], CgiApp.Routes,
                new StringWriter(), TextWriter.Synchronized(error)));
            using (var client = ConnectWhenListening(socket))
            {
                client.SendRequest(1, "GET", "/users/me");
                Assert.EndsWith("\r\n\r\nme", client.ReadText(1));
            }
            Assert.True(worker.Finished(System.TimeSpan.FromSeconds(10)), "the worker exits after its one request");
            Assert.StartsWith($"CgiRouting: FastCGI worker (pid {System.Environment.ProcessId}) listening on unix:{socket}, "
                + $"{System.Environment.ProcessorCount * 2} requests at once, exits after 1 request.\n", error.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void An_address_in_use_is_a_failure_to_start_not_a_usage_error()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var (exit, output, error) = Run("--fastcgi", $"127.0.0.1:{port}");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"CgiRouting: Could not ", error);
        Assert.Contains($"127.0.0.1:{port}", error);
    }

    [Fact]
    public void A_bad_address_is_named_on_one_line_after_CgiRouting()
        => Assert.Equal("CgiRouting: '127.0.0.1' is not an address to listen on: write IP:PORT (127.0.0.1:9000, [::1]:9000) or unix:/path/to.sock.\n",
            Run("--fastcgi", "127.0.0.1").Error);

    [Fact]
    public void Routes_do_not_go_with_fastcgi()
    {
        var (exit, output, error) = Run("--fastcgi", "127.0.0.1:9000", "--routes");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("--routes does not go with --fastcgi.\n", error);
    }

    [Fact]
    public void Headings_set_the_least_width_of_the_auth_and_json_columns_and_filters_come_last()
    {
        RouteInfo[] routes = [new("GET", "/a", "T.A") { Authorization = "a", Json = "j", Filters = "F.One" },
            new("GET", "/b", "T.B") { Json = "a longer way", Filters = "F.Two" }];
        Assert.Equal(
            "METHOD  TEMPLATE  AUTH  HANDLER  JSON          FILTERS\n" +
            "GET     /a        a     T.A      j             F.One\n" +
            "GET     /b        -     T.B      a longer way  F.Two\n",
            Run(routes, "--routes").Output);
    }

    [Fact]
    public void A_worker_started_by_the_prefork_manager_says_nothing_when_it_starts()
    {
        string directory = Directory.CreateTempSubdirectory("cgirouting-cli-").FullName;
        // The manager's pid, as the manager sets it: here the test host's parent, which is alive.
        string parent = File.ReadAllText("/proc/self/stat").Split(") ")[1].Split(' ')[1];
        System.Environment.SetEnvironmentVariable(CgiRouting.FastCgi.PreforkManager.WorkerVariable, parent);
        try
        {
            string socket = Path.Combine(directory, "app.sock");
            var error = new StringWriter();
            var worker = Background.Start(() => CommandLine.Run(["--fastcgi", "unix:" + socket, "--max-requests", "1"], CgiApp.Routes,
                new StringWriter(), TextWriter.Synchronized(error)));
            using (var client = ConnectWhenListening(socket))
            {
                client.SendRequest(1, "GET", "/users/me");
                Assert.EndsWith("\r\n\r\nme", client.ReadText(1));
            }
            Assert.True(worker.Finished(System.TimeSpan.FromSeconds(10)), "the worker exits after its one request");
            Assert.DoesNotContain("listening on", error.ToString());
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(CgiRouting.FastCgi.PreforkManager.WorkerVariable, null);
            Directory.Delete(directory, recursive: true);
        }
    }
}
