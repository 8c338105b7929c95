using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>The Todo binary as a CGI child, with its own database, and behind each web server.</summary>
public sealed class BadInputFixture : IDisposable
{
    private readonly Dictionary<string, TodoHost> _hosts = [];

    public TodoDatabase ChildDatabase { get; } = new();

    /// <summary>The Todo app behind <paramref name="server"/>, started on first use.</summary>
    public TodoHost Host(string server)
    {
        if (!_hosts.TryGetValue(server, out var host))
        {
            _hosts[server] = host = server switch
            {
                "lighttpd" => new LighttpdTodoHost(),
                "apache" => new ApacheTodoHost(),
                "lighttpd-fastcgi" => new LighttpdFastCgiTodoHost(),
                "apache-fastcgi" => new ApacheFastCgiTodoHost(),
                _ => new NginxTodoHost(),
            };
        }
        return host;
    }

    public void Dispose()
    {
        foreach (var host in _hosts.Values)
            host.Dispose();
        ChildDatabase.Dispose();
    }
}

/// <summary>
/// Every request of BadInput/corpus.json gets a well-formed response with the expected status, no crash, no hang,
/// no stack trace, and leaves the database as it was.
/// </summary>
public class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private static readonly IReadOnlyList<BadInputCase> Corpus = BadInputCase.Load();

    public static TheoryData<string> ChildCases() => new(Corpus.Where(c => c.AsChild).Select(c => c.Name));

    public static TheoryData<string, string> ServerCases()
    {
        var data = new TheoryData<string, string>();
        foreach (string server in new[] { "lighttpd", "apache", "nginx", "lighttpd-fastcgi", "apache-fastcgi" })
        {
            foreach (var c in Corpus.Where(c => c.ThroughServer))
                data.Add(server, c.Name);
        }
        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_50_requests() => Assert.True(Corpus.Count >= 50, $"{Corpus.Count} cases");

    [Theory]
    [MemberData(nameof(ChildCases))]
    public async Task As_a_cgi_child(string name)
    {
        var c = Corpus.Single(x => x.Name == name);
        var database = fixture.ChildDatabase;
        await EnsureSchema(database);
        long before = database.Count();

        var (output, exit) = await RunChild(c, database.Path);
        Assert.Equal(0, exit);
        var match = Regex.Match(output, "^Status: (\\d{3}) [^\\r\\n]*\\r\\n");
        Assert.True(match.Success, "not a CGI response: " + Printable(output));
        int split = output.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, "no blank line after the headers");
        string head = output[..split], body = output[(split + 4)..];
        var length = Regex.Match(head, "\\r\\nContent-Length: (\\d+)");
        if (length.Success && c.Method != "HEAD")
            Assert.Equal(int.Parse(length.Groups[1].Value), Encoding.UTF8.GetByteCount(body));
        Assert.Contains(int.Parse(match.Groups[1].Value), c.Expect);
        AssertNoInternals(body);
        Assert.Equal(before, database.Count());
        Assert.Equal("ok", database.IntegrityCheck());
    }

    [Theory]
    [MemberData(nameof(ServerCases))]
    public async Task Through_a_server(string server, string name)
    {
        var c = Corpus.Single(x => x.Name == name);
        var host = fixture.Host(server);
        var database = host.Database;
        await EnsureSchema(database, host.Server);
        long before = database.Count();

        string response = await SendRaw(host.Server.Port, c);
        var match = Regex.Match(response, "^HTTP/1\\.[01] (\\d{3}) ");
        Assert.True(match.Success, "not an HTTP response: " + Printable(response));
        Assert.Contains(int.Parse(match.Groups[1].Value), c.Server ?? c.Expect);
        AssertNoInternals(response);
        Assert.Equal(before, database.Count());
        Assert.Equal("ok", database.IntegrityCheck());
    }

    private static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("SQLite", body);
    }

    /// <summary>Creates the database the way the app does (one harmless GET), so that counts are comparable.</summary>
    private static async Task EnsureSchema(TodoDatabase database, WebServer? server = null)
    {
        if (File.Exists(database.Path))
            return;
        if (server is not null)
        {
            using var client = server.Client();
            (await client.GetAsync("/todos")).EnsureSuccessStatusCode();
        }
        else
        {
            await RunChild(new BadInputCase { Name = "schema", Method = "GET", Target = "/todos"u8.ToArray(), Expect = [200], Headers = [] }, database.Path);
        }
    }

    /// <summary>Runs the binary with exactly the bytes a server would put in its environment and on stdin.</summary>
    private static async Task<(string Output, int Exit)> RunChild(BadInputCase c, string databasePath)
    {
        string binary = Repository.PublishedSample("Todo", "todo");
        string dir = Directory.CreateTempSubdirectory("cgirouting-bad-input-").FullName;
        try
        {
            var (pathInfo, query) = c.AsCgi();
            var env = new List<(string, byte[])>
            {
                ("GATEWAY_INTERFACE", "CGI/1.1"u8.ToArray()),
                ("SERVER_PROTOCOL", "HTTP/1.1"u8.ToArray()),
                ("REQUEST_METHOD", Encoding.UTF8.GetBytes(c.Method)),
                ("PATH_INFO", pathInfo),
                ("QUERY_STRING", query),
                ("SCRIPT_NAME", []),
                ("REMOTE_ADDR", "127.0.0.1"u8.ToArray()),
                ("TODO_DB", Encoding.UTF8.GetBytes(databasePath)),
            };
            if (c.AnnouncedLength is { } announced)
                env.Add(("CONTENT_LENGTH", Encoding.UTF8.GetBytes(announced)));
            foreach (var (header, value) in c.Headers)
            {
                string variable = header.ToUpperInvariant().Replace('-', '_');
                env.Add((variable is "CONTENT_TYPE" ? variable : "HTTP_" + variable, value));
            }
            string bodyFile = Path.Combine(dir, "body");
            File.WriteAllBytes(bodyFile, c.Body ?? []);
            var script = new StringBuilder("exec env -i");
            foreach (var (name, value) in env)
                script.Append(' ').Append(name).Append('=').Append(AnsiC(value));
            script.Append(' ').Append(AnsiC(Encoding.UTF8.GetBytes(binary))).Append(" < ").Append(AnsiC(Encoding.UTF8.GetBytes(bodyFile)));
            string scriptFile = Path.Combine(dir, "run.sh");
            File.WriteAllText(scriptFile, script.ToString());

            var start = new ProcessStartInfo("bash", [scriptFile]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(20_000)) != exited)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{c.Name}: the CGI child hung");
            }
            await error;
            return (await output, process.ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Bash's $'...' quoting, byte by byte, so that any byte reaches the environment as it is.</summary>
    private static string AnsiC(byte[] value)
    {
        var quoted = new StringBuilder("$'");
        foreach (byte b in value)
        {
            if (b is >= 0x20 and < 0x7F && b != '\'' && b != '\\')
                quoted.Append((char)b);
            else
                quoted.Append("\\x").Append(b.ToString("x2"));
        }
        return quoted.Append('\'').ToString();
    }

    /// <summary>Sends the request byte for byte over TCP and reads until the server closes the connection.</summary>
    private static async Task<string> SendRaw(int port, BadInputCase c)
    {
        var request = new MemoryStream();
        void Write(byte[] bytes) => request.Write(bytes);
        void Text(string text) => Write(Encoding.ASCII.GetBytes(text));
        Text(c.Method + " ");
        Write(c.Target);
        Text(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var (name, value) in c.Headers)
        {
            Text(name + ": ");
            Write(value);
            Text("\r\n");
        }
        if (c.AnnouncedLength is { } length)
            Text("Content-Length: " + length + "\r\n");
        Text("\r\n");
        Write(c.Body ?? []);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(request.ToArray());
        var response = new MemoryStream();
        var read = stream.CopyToAsync(response);
        if (await Task.WhenAny(read, Task.Delay(20_000)) != read)
            Assert.Fail($"{c.Name}: no response within 20 s");
        return Encoding.UTF8.GetString(response.ToArray());
    }

    private static string Printable(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
