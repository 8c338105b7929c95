using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;
using static CgiRouting.Tests.FastCgiClient;

namespace CgiRouting.Tests;

/// <summary>
/// What a request served over FastCGI logs reaches the web server's error log as STDERR records of that request (nginx:
/// "FastCGI sent in stderr"), as standard error does in CGI mode, unless the app set <see cref="CgiOptions.ErrorLog"/>.
/// </summary>
public class FastCgiStderrTests
{
    [Fact]
    public void A_handler_exception_is_sent_as_stderr_closed_by_an_empty_stderr_before_end_request()
    {
        using var worker = new FastCgiWorker(appErrorLog: false);
        using var client = worker.Connect();
        client.SendRequest(1, "GET", "/boom");
        var records = ReadUntilEndRequest(client, 1);

        var stderr = records.Where(r => r.Type == Stderr).ToList();
        Assert.Equal(2, stderr.Count);
        string line = Encoding.UTF8.GetString(stderr[0].Content);
        Assert.StartsWith("CgiRouting: unhandled exception in GET /boom: System.InvalidOperationException: secret detail 1234", line);
        Assert.EndsWith("\n", line);
        Assert.Empty(stderr[1].Content); // the end of the STDERR stream (§5.3)
        // The exception is logged before any of the response; the STDERR stream ends before the STDOUT stream and END_REQUEST.
        int firstStdout = records.FindIndex(r => r.Type == Stdout);
        int stderrEnd = records.IndexOf(stderr[1]);
        int stdoutEnd = records.FindIndex(r => r.Type == Stdout && r.Content.Length == 0);
        Assert.True(records.IndexOf(stderr[0]) < firstStdout);
        Assert.True(stderrEnd < stdoutEnd, string.Join(", ", records.Select(r => r.Type)));
        Assert.Equal(EndRequest, records[^1].Type);
        Assert.StartsWith("Status: 500 Internal Server Error\r\n", StdoutText(records));
        Assert.DoesNotContain("secret detail", StdoutText(records));
        Assert.Contains("CgiRouting: unhandled exception in GET /boom: System.InvalidOperationException: secret detail 1234", worker.LogText); // the worker's own log keeps it too
    }

    [Fact]
    public void A_request_that_logs_nothing_sends_no_stderr()
    {
        using var worker = new FastCgiWorker(appErrorLog: false);
        using var client = worker.Connect();
        client.SendRequest(1, "GET", "/users/me", keepConnection: true);
        var records = ReadUntilEndRequest(client, 1);
        Assert.DoesNotContain(records, r => r.Type == Stderr);
        Assert.EndsWith("\r\n\r\nme", StdoutText(records));
        // An exception in the next request on the same connection is that request's alone.
        client.SendRequest(2, "GET", "/boom", keepConnection: true);
        Assert.Contains(ReadUntilEndRequest(client, 2), r => r.Type == Stderr && r.RequestId == 2 && r.Content.Length > 0);
        client.SendRequest(3, "GET", "/users/me");
        Assert.DoesNotContain(ReadUntilEndRequest(client, 3), r => r.Type == Stderr);
    }

    [Fact]
    public void With_the_apps_own_error_log_nothing_goes_to_stderr()
    {
        using var worker = new FastCgiWorker(); // sets CgiOptions.ErrorLog
        using var client = worker.Connect();
        client.SendRequest(1, "GET", "/boom");
        var records = ReadUntilEndRequest(client, 1);
        Assert.DoesNotContain(records, r => r.Type == Stderr);
        Assert.StartsWith("Status: 500 Internal Server Error\r\n", StdoutText(records));
        Assert.Contains("CgiRouting: unhandled exception in GET /boom: System.InvalidOperationException: secret detail 1234", worker.LogText);
    }

    [Fact]
    public void The_deadlines_line_is_sent_as_stderr_of_the_late_request_and_nothing_follows_end_request()
    {
        using var worker = new FastCgiWorker(options: new CgiOptions { Timeout = TimeSpan.FromMilliseconds(300) }, appErrorLog: false);
        using var client = worker.Connect();
        // The handler reads a body that never comes: it is blocked when the deadline answers from its own thread.
        client.Begin(1);
        client.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "10")]);
        var records = ReadUntilEndRequest(client, 1);
        var stderr = records.Where(r => r.Type == Stderr).ToList();
        Assert.Equal(2, stderr.Count);
        Assert.Equal("CgiRouting: POST /bytes was not answered within 0.3 s (CgiOptions.Timeout): answered 503.\n", Encoding.UTF8.GetString(stderr[0].Content));
        Assert.Empty(stderr[1].Content);
        Assert.StartsWith("Status: 503 Service Unavailable\r\n", StdoutText(records));
        Assert.True(client.IsClosedByWorker(), "no record after END_REQUEST, and the connection closes");
    }

    [Fact]
    public void Params_over_the_limit_are_logged_as_stderr_of_their_request()
    {
        using var worker = new FastCgiWorker(appErrorLog: false);
        using var client = worker.Connect();
        client.SendRequest(1, "GET", "/users/me", extra: ("HTTP_X_BIG", new string('b', 300_000)));
        var records = ReadUntilEndRequest(client, 1);
        Assert.Equal($"CgiRouting: FastCGI request 1 has more than {256 * 1024} bytes of PARAMS: answered 431.\n",
            Encoding.UTF8.GetString(records.First(r => r.Type == Stderr).Content));
        Assert.StartsWith("Status: 431 ", StdoutText(records));
    }

    /// <summary>Every record up to and with END_REQUEST of <paramref name="requestId"/>, in the order they came.</summary>
    internal static List<ClientRecord> ReadUntilEndRequest(FastCgiClient client, int requestId)
    {
        var records = new List<ClientRecord>();
        while (true)
        {
            var record = client.Read() ?? throw new System.IO.EndOfStreamException("the connection ended before END_REQUEST");
            records.Add(record);
            if (record.Type == EndRequest && record.RequestId == requestId)
                return records;
        }
    }

    private static string StdoutText(List<ClientRecord> records)
        => Encoding.UTF8.GetString(records.Where(r => r.Type == Stdout).SelectMany(r => r.Content).ToArray());
}
