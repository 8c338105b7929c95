using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// tests/Apps/Sandboxed published with Native AOT behind lighttpd (CGI), with a folder it may read (SANDBOX_DATA, under
/// /var/tmp: /tmp is the runtime's, for spilled uploads), a folder beneath it that it may write, and a TCP port it may
/// connect to (SANDBOX_PORT); a file beside the folder and another port it must not reach.
/// </summary>
public sealed class SandboxFixture : IDisposable
{
    public SandboxFixture()
    {
        Binary = Repository.PublishedTestApp("Sandboxed", "sandboxed");
        Directory.CreateDirectory("/var/tmp");
        Folder = WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-sandbox-").FullName);
        // CreateTempSubdirectory is under /tmp: move the test's folder to /var/tmp, which the runtime is not given.
        string outside = Path.Combine("/var/tmp", Path.GetFileName(Folder));
        Directory.Delete(Folder);
        Folder = WebServer.OpenToAll(Directory.CreateDirectory(outside).FullName);
        Data = WebServer.OpenToAll(Directory.CreateDirectory(Path.Combine(Folder, "data")).FullName);
        WebServer.OpenToAll(Directory.CreateDirectory(Path.Combine(Data, "out")).FullName);
        File.WriteAllText(Path.Combine(Data, "declared.txt"), "declared data");
        File.WriteAllText(Path.Combine(Folder, "secret.txt"), "the secret beside the data folder");
        Declared = new TcpListener(IPAddress.Loopback, 0);
        Declared.Start();
        Undeclared = new TcpListener(IPAddress.Loopback, 0);
        Undeclared.Start();
        Environment = new Dictionary<string, string> { ["SANDBOX_DATA"] = Data, ["SANDBOX_PORT"] = DeclaredPort.ToString() };
        Server = new LighttpdServer([new HostedApp("/", Binary)], Environment);
    }

    public string Binary { get; }
    public string Folder { get; }
    public string Data { get; }
    public TcpListener Declared { get; }
    public TcpListener Undeclared { get; }
    public int DeclaredPort => ((IPEndPoint)Declared.LocalEndpoint).Port;
    public int UndeclaredPort => ((IPEndPoint)Undeclared.LocalEndpoint).Port;
    public Dictionary<string, string> Environment { get; }
    public LighttpdServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Declared.Stop();
        Undeclared.Stop();
        Directory.Delete(Folder, recursive: true);
    }
}

public sealed class SandboxTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private async Task<(HttpStatusCode Status, string Body)> Get(string path)
    {
        using var client = sandbox.Server.Client();
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, string Body)> Post(string path)
    {
        using var client = sandbox.Server.Client();
        using var response = await client.PostAsync(path, new ByteArrayContent([]));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Query(string path) => Uri.EscapeDataString(path);

    [Theory]
    [InlineData("/read")] // the request's thread
    [InlineData("/read/task")] // a thread of the pool
    [InlineData("/read/thread")] // a new Thread
    [InlineData("/read/finalizer")] // the finalizer thread, which the runtime starts before Main
    public async Task A_handler_reads_its_declared_folder_and_nothing_else_from_any_thread(string endpoint)
    {
        var declared = await Get($"{endpoint}?path={Query(Path.Combine(sandbox.Data, "declared.txt"))}");
        Assert.Equal(HttpStatusCode.OK, declared.Status);
        Assert.StartsWith("declared data", declared.Body);

        foreach (string path in new[] { "/etc/passwd", Path.Combine(sandbox.Data, "..", "secret.txt"), Path.Combine(sandbox.Folder, "secret.txt") })
        {
            Assert.True(File.Exists(path), path); // readable without the sandbox: the test runs as root
            var refused = await Get($"{endpoint}?path={Query(path)}");
            Assert.Equal(HttpStatusCode.InternalServerError, refused.Status);
            Assert.DoesNotContain("secret", refused.Body);
            Assert.DoesNotContain("root:", refused.Body);
        }
        Assert.Contains($"UnauthorizedAccessException: Access to the path '/etc/passwd' is denied", sandbox.Server.AppErrorLog);
    }

    [Fact]
    public async Task A_handler_writes_beneath_its_declared_folder_only()
    {
        string allowed = Path.Combine(sandbox.Data, "out", "new.txt");
        Assert.Equal(HttpStatusCode.OK, (await Post($"/write?path={Query(allowed)}")).Status);
        Assert.Equal("written", File.ReadAllText(allowed));

        foreach (string refused in new[] { Path.Combine(sandbox.Data, "notes.txt"), Path.Combine(sandbox.Folder, "beside.txt"), "/etc/cgirouting-sandbox-test" })
        {
            Assert.Equal(HttpStatusCode.InternalServerError, (await Post($"/write?path={Query(refused)}")).Status);
            Assert.False(File.Exists(refused), refused);
        }
    }

    [Fact]
    public async Task A_handler_cannot_start_a_program()
    {
        var exec = await Get("/exec");
        Assert.Equal(HttpStatusCode.InternalServerError, exec.Status);
        Assert.Contains("An error occurred trying to start process '/bin/sh'", sandbox.Server.AppErrorLog);
    }

    [Fact]
    public async Task A_handler_connects_to_its_declared_port_and_not_to_another()
    {
        var declared = await Get($"/connect?port={sandbox.DeclaredPort}");
        Assert.Equal((HttpStatusCode.OK, "connected"), declared);
        var undeclared = await Get($"/connect?port={sandbox.UndeclaredPort}");
        Assert.Equal(HttpStatusCode.InternalServerError, undeclared.Status);
        Assert.Contains($"SocketException (13): Permission denied [::ffff:127.0.0.1]:{sandbox.UndeclaredPort}", sandbox.Server.AppErrorLog);
    }

    [Fact]
    public async Task System_calls_no_handler_needs_are_refused()
    {
        // kcmp(2) of the process with itself succeeds without the filter (it compares a process with itself).
        Assert.Equal((HttpStatusCode.OK, "errno 1"), await Get("/kcmp"));
    }

    /// <summary>Runs the binary directly with <paramref name="environment"/>: its exit code, stdout and stderr.</summary>
    internal static (int Exit, string Output, string Error) Run(string binary, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    [Fact]
    public void Sandbox_check_prints_what_this_kernel_enforces_and_routes_print_the_policy()
    {
        var check = Run(sandbox.Binary, sandbox.Environment, "--sandbox-check");
        Assert.Equal(0, check.Exit);
        Assert.Matches(@"Landlock ABI [4-9]: files confined", check.Output);
        Assert.Contains($"  read {sandbox.Data}\n", check.Output);
        Assert.Contains($"  write {Path.Combine(sandbox.Data, "out")}\n", check.Output);
        Assert.Contains($"  connect to the port of SANDBOX_PORT: {sandbox.DeclaredPort}\n", check.Output);
        Assert.Contains("seccomp: ", check.Output);
        Assert.Contains("programs: none may be started", check.Output);

        var routes = Run(sandbox.Binary, new Dictionary<string, string>(), "--routes");
        Assert.Equal(0, routes.Exit);
        Assert.StartsWith("METHOD", routes.Output); // the table alone on stdout, the policy beside it on stderr
        Assert.Contains("  write ${SANDBOX_DATA}/out\n", routes.Error);
        Assert.Contains("  connect-from SANDBOX_PORT\n", routes.Error);
        Assert.Contains("  write ${SANDBOX_DATA}/out\n", Run(sandbox.Binary, new Dictionary<string, string>(), "--help").Output);
    }

    [Fact]
    public void On_a_kernel_without_TCP_rules_the_app_says_so_once_and_serves()
    {
        // CGIROUTING_SANDBOX_MAX_ABI=3 uses Landlock as a kernel before 6.7 has it: files, but no TCP rules.
        var environment = new Dictionary<string, string>(sandbox.Environment)
        {
            ["CGIROUTING_SANDBOX_MAX_ABI"] = "3", ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = "/connect",
            ["QUERY_STRING"] = $"port={sandbox.UndeclaredPort}", ["GATEWAY_INTERFACE"] = "CGI/1.1", ["SERVER_PROTOCOL"] = "HTTP/1.1",
        };
        var run = Run(sandbox.Binary, environment);
        Assert.StartsWith("Status: 200 OK", run.Output); // not confined there, as the line says
        Assert.Equal("CgiRouting: the sandbox is not fully enforced by this kernel (run the app with --sandbox-check to see what is): serving with what it enforces.\n", run.Error);
        var check = Run(sandbox.Binary, new Dictionary<string, string>(sandbox.Environment) { ["CGIROUTING_SANDBOX_MAX_ABI"] = "3" }, "--sandbox-check");
        Assert.Contains("Landlock ABI 3 has no TCP rules", check.Output);
        Assert.Equal(1, check.Exit); // declared but not all enforced
    }

    [Fact]
    public async Task A_required_sandbox_that_the_kernel_cannot_enforce_refuses_every_request()
    {
        string binary = Repository.PublishedTestApp("Sandboxed", "sandboxed", "required", "-p:CgiRoutingTestSandbox=required");
        var enforced = new Dictionary<string, string>(sandbox.Environment);
        var older = new Dictionary<string, string>(sandbox.Environment) { ["CGIROUTING_SANDBOX_MAX_ABI"] = "3" };
        using (var server = new LighttpdServer([new HostedApp("/", binary)], enforced))
        {
            using var client = server.Client();
            Assert.Equal("Hello from the sandbox", await client.GetStringAsync("/hello"));
        }
        using (var server = new LighttpdServer([new HostedApp("/", binary)], older))
        {
            using var client = server.Client();
            using var response = await client.GetAsync("/hello");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("The app requires its sandbox", await response.Content.ReadAsStringAsync());
            Assert.Contains("CgiRouting: The app requires its sandbox", server.AppErrorLog);
        }
        // A FastCGI worker, whose standard output is no response, answers each request 503 itself.
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var worker = new FastCgiWorkerProcess(binary, ["--fastcgi", address], older);
        using var site = new PrintedServer("nginx", binary, ["--fastcgi", address]);
        using var fastCgi = site.Client();
        using var refused = await fastCgi.GetAsync("/hello");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("The app requires its sandbox", await refused.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the workers a --prefork manager starts
    public async Task A_FastCGI_worker_is_confined_before_its_first_request(bool prefork)
    {
        string address = NginxFastCgiServer.FreeTcpAddress();
        using var worker = new FastCgiWorkerProcess(sandbox.Binary, prefork ? ["--fastcgi", address, "--prefork", "2"] : ["--fastcgi", address], sandbox.Environment);
        using var site = new PrintedServer("nginx", sandbox.Binary, ["--fastcgi", address]);
        using var client = site.Client();
        Assert.StartsWith("declared data", await client.GetStringAsync($"/read?path={Query(Path.Combine(sandbox.Data, "declared.txt"))}"));
        using var refused = await client.GetAsync("/read/thread?path=/etc/passwd");
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal("errno 1", await client.GetStringAsync("/kcmp"));
    }

    [Fact]
    public void The_samples_declare_their_database_and_nothing_else()
    {
        string folder = sandbox.Folder;
        var todo = Run(Repository.PublishedSample("Todo", "todo"), new Dictionary<string, string> { ["TODO_DB"] = Path.Combine(folder, "todo.db") }, "--sandbox-check");
        Assert.Contains($"  write {folder}\n", todo.Output);
        Assert.DoesNotContain("connect to TCP port", todo.Output);
        var postgres = Run(Repository.PublishedSample("Todo.Postgres", "todo"),
            new Dictionary<string, string> { ["TODO_DB"] = "postgres://app:p%40ss@127.0.0.1:6543/todo" }, "--sandbox-check");
        Assert.Contains("  connect to TCP port 5432\n", postgres.Output);
        Assert.Contains("  connect to the port of TODO_DB: 6543\n", postgres.Output);
    }
}
