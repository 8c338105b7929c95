using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>The Native AOT binary run directly as a CGI child, as a web server runs it.</summary>
[Collection(HelloCollection.Name)]
public class CgiChildTests(HelloFixture hello)
{
    private async Task<(string Output, int Exit)> RunChild(string method, string path, string? contentLength = null,
        byte[]? input = null, bool closeInput = true)
    {
        var start = new ProcessStartInfo(hello.Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        start.Environment["GATEWAY_INTERFACE"] = "CGI/1.1";
        start.Environment["REQUEST_METHOD"] = method;
        start.Environment["PATH_INFO"] = path;
        start.Environment["QUERY_STRING"] = "";
        if (contentLength is not null)
            start.Environment["CONTENT_LENGTH"] = contentLength;
        using var process = Process.Start(start)!;
        if (input is not null)
            await process.StandardInput.BaseStream.WriteAsync(input);
        await process.StandardInput.BaseStream.FlushAsync();
        if (closeInput)
            process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(10_000)) != exited)
        {
            process.Kill();
            Assert.Fail("the CGI child hung");
        }
        return (await output, process.ExitCode);
    }

    [Fact]
    public async Task Writes_a_cgi_response()
    {
        var (output, exit) = await RunChild("GET", "/greet/5");
        Assert.Equal(0, exit);
        Assert.Equal("Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 29\r\n\r\n{\"message\":\"Hello\",\"count\":5}", output);
    }

    [Fact]
    public async Task Reads_exactly_content_length_even_when_stdin_stays_open()
    {
        // Python's CGI server leaves the client socket on stdin: reading to EOF would hang.
        var (output, _) = await RunChild("PUT", "/notes/a", "5", Encoding.UTF8.GetBytes("hello"), closeInput: false);
        Assert.EndsWith("a: 5 bytes", output);
    }

    [Fact]
    public async Task A_truncated_body_is_400_not_a_hang()
    {
        var (output, _) = await RunChild("PUT", "/notes/a", "100", Encoding.UTF8.GetBytes("short"));
        Assert.StartsWith("Status: 400 Bad Request\r\n", output);
    }

    [Fact]
    public async Task Stdout_redirected_to_a_file_keeps_what_the_shell_writes_around_it()
    {
        // A regular file as stdout shares one offset between the shell and the app: a child that wrote at an offset
        // of its own (pwrite) had its response overwritten by the shell's next line.
        string file = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("sh", ["-c", "{ echo AAAA; \"$APP\"; echo ZZZZ; } > \"$OUT\""]);
            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/bin:/bin";
            start.Environment["APP"] = hello.Binary;
            start.Environment["OUT"] = file;
            start.Environment["GATEWAY_INTERFACE"] = "CGI/1.1";
            start.Environment["REQUEST_METHOD"] = "GET";
            start.Environment["PATH_INFO"] = "/hello/world";
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("AAAA\nStatus: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\nHello, world!ZZZZ\n",
                await File.ReadAllTextAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_request_looks_up_no_library_by_name()
    {
        // read(2) and write(2) are bound when the binary is linked (DirectPInvoke in CgiRouting.props). Bound lazily,
        // the first write made the runtime probe for "libc" in every request: some 60 failed opens of libc.so and
        // liblibc.so, about 110 system calls and 230,000 instructions.
        Repository.Install("strace:strace");
        string trace = Repository.Run(Repository.Root, "env",
            ["REQUEST_METHOD=GET", "PATH_INFO=/hello/me", "strace", "-f", "-e", "trace=%file", hello.Binary], includeError: true);
        Assert.Contains("\r\n\r\nHello, me!", trace); // the response, then strace's report
        Assert.DoesNotContain("libc.so\"", trace);
        Assert.DoesNotContain("liblibc", trace);
    }

    [Fact]
    public void Output_for_a_reader_that_stops_early_ends_quietly()
    {
        // `app --routes | head -1`: the rest of the table meets a closed pipe (EPIPE). The app's own writer drops it, as
        // the console's writers did, instead of ending with an unhandled IOException on stderr and exit code 134.
        string said = Repository.Run(Repository.Root, "bash",
            ["-c", "\"$0\" --routes 2>&1 | head -c 6; echo \" exit=${PIPESTATUS[0]}\"", hello.Binary]);
        Assert.Equal("METHOD exit=0\n", said);
    }

    [Fact]
    public async Task A_FastCGI_worker_looks_up_no_library_by_name()
    {
        // A worker's socket functions are bound at their first call (CgiRouting.props binds at start only what a CGI
        // request calls); they are looked up in the process, where libc already is, not by probing some sixty file
        // names for "libc" (CgiApp.BindLibcFromTheProcess).
        Repository.Install("strace:strace");
        string folder = Directory.CreateTempSubdirectory("cgirouting-lookup-").FullName;
        try
        {
            string trace = Path.Combine(folder, "trace.txt");
            var start = new ProcessStartInfo("strace", ["-f", "-e", "trace=%file", "-o", trace, hello.Binary, "--fastcgi", "unix:" + Path.Combine(folder, "app.sock")])
            { RedirectStandardError = true, RedirectStandardOutput = true };
            start.Environment.Remove("REQUEST_METHOD");
            using var process = Process.Start(start)!;
            string? line = await process.StandardError.ReadLineAsync(); // "CgiRouting: FastCGI worker (pid N) listening on ..."
            var pid = System.Text.RegularExpressions.Regex.Match(line ?? "", @"\(pid (\d+)\) listening on");
            Assert.True(pid.Success, $"the worker did not start: {line}");
            Process.GetProcessById(int.Parse(pid.Groups[1].Value)).Kill(entireProcessTree: false); // SIGKILL: the trace is complete
            await process.WaitForExitAsync();
            string opened = File.ReadAllText(trace);
            Assert.Contains("app.sock", opened); // the trace saw the worker bind its socket
            Assert.DoesNotContain("libc.so\"", opened);
            Assert.DoesNotContain("liblibc", opened);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<(int Exit, string Output, string Error)> RunByHand(params string[] arguments)
    {
        var start = new ProcessStartInfo(hello.Binary, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment.Remove("REQUEST_METHOD");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }

    [Fact]
    public async Task Outside_a_web_server_it_explains_itself_and_lists_its_routes()
    {
        var (exit, output, _) = await RunByHand();
        Assert.Equal(0, exit);
        Assert.Contains("a CGI app built with CgiRouting", output);
        var (_, routes, _) = await RunByHand("--routes", "--json");
        var table = System.Text.Json.JsonDocument.Parse(routes).RootElement;
        Assert.Contains(table.EnumerateArray(), r => r.GetProperty("method").GetString() == "GET"
            && r.GetProperty("template").GetString() == "/greet/<count>" && r.GetProperty("handler").GetString() == "Greetings.Greet");
        var (bad, _, error) = await RunByHand("--nope");
        Assert.Equal(2, bad);
        Assert.Contains("Unknown option '--nope'", error);
    }

    [Fact]
    public async Task Under_a_web_server_arguments_are_ignored()
    {
        // RFC 3875 §4.4: a query without '=' may arrive as argv; it must not be read as an option.
        var start = new ProcessStartInfo(hello.Binary, ["--nope"]) { RedirectStandardOutput = true };
        start.Environment["REQUEST_METHOD"] = "GET";
        start.Environment["PATH_INFO"] = "/hello/me";
        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.EndsWith("Hello, me!", output);
    }

    [Fact]
    public void The_binary_is_native()
    {
        byte[] header = new byte[4];
        using (var file = File.OpenRead(hello.Binary))
            file.ReadExactly(header);
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, header);
        Assert.False(File.Exists(Path.ChangeExtension(hello.Binary, ".dll")));
    }
}
