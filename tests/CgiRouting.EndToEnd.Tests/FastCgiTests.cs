using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// The Native AOT build of samples/Hello as a long-lived FastCGI worker behind nginx's <c>fastcgi_pass</c>, on a
/// loopback port and on a unix socket, driven over real HTTP: one worker process answers every request.
/// </summary>
public class FastCgiTests
{
    private static string Hello => Repository.PublishedSample("Hello", "hello");

    [Fact]
    public async Task Nginx_fastcgi_pass_to_a_worker_on_a_tcp_port()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var worker = new FastCgiWorkerProcess(Hello, address, "--max-concurrency", "4");
        Assert.Contains($"CgiRouting: FastCGI worker (pid {worker.Id}) listening on {address}, 4 requests at once.", worker.Stderr);
        using var nginx = new NginxFastCgiServer(["/=" + address]);
        await ServesHello(nginx, worker);
    }

    [Fact]
    public async Task Nginx_fastcgi_pass_to_a_worker_on_a_unix_socket()
    {
        string directory = WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-fcgi-").FullName);
        string socket = Path.Combine(directory, "hello.sock");
        using var worker = new FastCgiWorkerProcess(Hello, "unix:" + socket);
        Assert.Contains($"listening on unix:{socket}, {2 * Environment.ProcessorCount} requests at once.", worker.Stderr);
        // nginx's workers run as "nobody": the socket gets the worker's umask, so open it as an administrator would.
        File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110);
        using (var nginx = new NginxFastCgiServer(["/=unix:" + socket]))
            await ServesHello(nginx, worker);
        worker.Terminate();
        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.False(File.Exists(socket), "the worker removes its socket file when it exits");
        Directory.Delete(directory);
    }

    [Fact]
    public void A_worker_that_finishes_after_its_successor_took_its_socket_leaves_the_successor_s_socket()
    {
        // Worker A, stopped with SIGTERM, still finishes a request; worker B starts on the same path meanwhile and
        // replaces A's socket file (nothing listens on it any more). When A exits it must not remove B's file.
        string directory = Directory.CreateTempSubdirectory("cgirouting-fcgi-").FullName;
        string socket = Path.Combine(directory, "app.sock");
        using var a = new FastCgiWorkerProcess(Hello, "unix:" + socket);
        using var held = CgiRouting.Tests.FastCgiClient.Connect("unix:" + socket);
        held.Begin(1);
        held.SendParams(1, [new("REQUEST_METHOD", "PUT"), new("PATH_INFO", "/notes/n"), new("CONTENT_LENGTH", "4"), new("CONTENT_TYPE", "text/plain")]);
        held.SendStdin(1, "ab"u8, end: false); // A waits for the rest of the body
        a.Terminate();
        System.Threading.Thread.Sleep(300); // A stops listening
        using var b = new FastCgiWorkerProcess(Hello, "unix:" + socket);
        held.SendStdin(1, "cd"u8);
        Assert.EndsWith("n: 4 bytes", held.ReadText(1));
        held.Dispose();
        Assert.True(a.WaitForExit(TimeSpan.FromSeconds(15)), "A exits once its request is answered");
        using var client = CgiRouting.Tests.FastCgiClient.Connect("unix:" + socket); // B's socket is still there
        client.SendRequest(1, "GET", "/hello/b");
        Assert.EndsWith("Hello, b!", client.ReadText(1));
        b.Terminate();
        Assert.True(b.WaitForExit(TimeSpan.FromSeconds(15)));
        Assert.False(File.Exists(socket), "B removes its own socket file");
        Directory.Delete(directory);
    }

    [Fact]
    public async Task A_listening_socket_as_stdin_makes_it_a_worker_as_spawn_fcgi_starts_it()
    {
        Repository.Install("spawn-fcgi:spawn-fcgi");
        string address = NginxFastCgiServer.FreeTcpAddress();
        string port = address[(address.IndexOf(':') + 1)..];
        // spawn-fcgi -n binds the socket, puts it on descriptor 0 and becomes the worker: no --fastcgi option.
        using var worker = new FastCgiWorkerProcess("spawn-fcgi", ["-n", "-a", "127.0.0.1", "-p", port, "--", Hello]);
        Assert.Contains($"CgiRouting: FastCGI worker (pid {worker.Id}) listening on {address} (standard input, from the web server), "
            + $"{2 * Environment.ProcessorCount} requests at once.", worker.Stderr);
        using var nginx = new NginxFastCgiServer(["/=" + address]);
        using var client = nginx.Client();
        for (int i = 0; i < 20; i++)
            Assert.Equal($"Hello, n{i}!", await client.GetStringAsync($"/hello/n{i}"));
        worker.Terminate();
        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, worker.ExitCode);
    }

    [Fact]
    public void Request_method_wins_over_a_listening_socket_on_stdin()
    {
        // CGI mode comes first and probes nothing: with REQUEST_METHOD set, a listening socket as standard input does
        // not make the binary a worker. Python hands it one, as a process manager would.
        string output = Repository.Run("python3", ["-c", """
            import os, socket, subprocess, sys
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            env = dict(os.environ, REQUEST_METHOD="GET", PATH_INFO="/hello/cgi", GATEWAY_INTERFACE="CGI/1.1")
            done = subprocess.run([sys.argv[1]], stdin=listener.fileno(), env=env, capture_output=True, timeout=20)
            sys.stdout.write(done.stdout.decode() + "|" + done.stderr.decode())
            """, Hello]);
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 11\r\n\r\nHello, cgi!|", output);
    }

    /// <summary>
    /// An app that checks a token itself reads the Authorization header: the server must pass it to the worker.
    /// Apache's mod_proxy_fcgi withholds it without CGIPassAuth (hosting/apache-fastcgi.sh sets it); lighttpd passes it.
    /// FastCgi/params-echo.py stands in for the app: it answers with the FastCGI parameters it got.
    /// </summary>
    [Theory]
    [InlineData("lighttpd-fastcgi")]
    [InlineData("apache-fastcgi")]
    public async Task The_authorization_header_reaches_the_worker(string name)
    {
        var echo = new HostedApp("/", Path.Combine(Repository.Root, "tests", "CgiRouting.EndToEnd.Tests", "FastCgi", "params-echo.py"));
        using WebServer server = name == "apache-fastcgi" ? new ApacheFastCgiServer([echo]) : new LighttpdFastCgiServer([echo]);
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/todos/1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t0ken");
        var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        Assert.Contains("PATH_INFO=/todos/1\n", text);
        Assert.Contains("HTTP_AUTHORIZATION=Bearer t0ken\n", text);
    }

    private static async Task ServesHello(WebServer nginx, FastCgiWorkerProcess worker)
    {
        using var client = nginx.Client();
        Assert.Equal("Hello, world!", await client.GetStringAsync("/hello/world"));
        Assert.Equal("{\"message\":\"Hello\",\"count\":5}", await client.GetStringAsync("/greet/5"));
        var created = await client.PostAsync("/greet", new StringContent("{\"name\":\"Ann\",\"times\":3}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("{\"message\":\"Hello, Ann\",\"count\":3}", await created.Content.ReadAsStringAsync());
        // A body larger than one STDIN record (65,535 bytes) arrives whole.
        var note = await client.PutAsync("/notes/big", new StringContent(new string('x', 200_000), Encoding.UTF8, "text/plain"));
        Assert.Equal("big: 200000 bytes", await note.Content.ReadAsStringAsync());
        // The meta-variables are the request's PARAMS.
        string cgi = await client.GetStringAsync("/cgi/x?a=1");
        Assert.Contains("PATH_INFO=/cgi/x\n", cgi);
        Assert.Contains("QUERY_STRING=a=1\n", cgi);
        Assert.Matches("SERVER_SOFTWARE=nginx/[0-9.]+\n", cgi);
        var boom = await client.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, boom.StatusCode);
        Assert.DoesNotContain("secret", await boom.Content.ReadAsStringAsync());
        Assert.Contains("secret detail", worker.Stderr); // the worker's own log keeps it
        // and nginx's error log has it, sent as the request's FCGI_STDERR, as in CGI mode (the app's stderr).
        Assert.Contains("FastCGI sent in stderr: \"CgiRouting: unhandled exception in GET /boom: System.InvalidOperationException: secret detail",
            nginx.AppErrorLog);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/greet/abc")).StatusCode);
        // 16 clients at once, 400 requests: all answered by the one worker process, which is still running.
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async c =>
        {
            using var own = nginx.Client();
            int ok = 0;
            for (int i = 0; i < 25; i++)
            {
                if (await own.GetStringAsync($"/hello/c{c}r{i}") == $"Hello, c{c}r{i}!")
                    ok++;
            }
            return ok;
        }));
        Assert.Equal(400, answers.Sum());
        Assert.False(worker.HasExited);
        Assert.DoesNotContain("FastCGI connection closed", worker.Stderr);
    }

    [Fact]
    public async Task Sigterm_finishes_the_request_in_flight_and_exits_0()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var worker = new FastCgiWorkerProcess(Hello, address);
        using var nginx = new NginxFastCgiServer(["/=" + address]);
        using var client = nginx.Client();
        Assert.Equal("Hello, world!", await client.GetStringAsync("/hello/world"));
        var slow = client.GetStringAsync("/ticks/3"); // three ticks, a quarter of a second apart
        await Task.Delay(150);
        worker.Terminate();
        Assert.Equal(3, (await slow).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, worker.ExitCode);
        Assert.Contains("SIGTERM received: no new connections, finishing the requests in flight.", worker.Stderr);
        Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("/hello/world")).StatusCode);
    }

    [Fact]
    public async Task Max_requests_recycles_the_worker()
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var worker = new FastCgiWorkerProcess(Hello, address, "--max-requests", "3");
        Assert.Contains("exits after 3 requests.", worker.Stderr);
        using var nginx = new NginxFastCgiServer(["/=" + address]);
        using var client = nginx.Client();
        for (int i = 0; i < 3; i++)
            Assert.Equal("Hello, world!", await client.GetStringAsync("/hello/world"));
        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(10)), worker.Stderr);
        Assert.Equal(0, worker.ExitCode);
        Assert.Contains("served 3 requests (--max-requests): exiting.", worker.Stderr);
    }
}
