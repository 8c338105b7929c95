using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using static CgiRouting.Tests.FastCgiClient;

namespace CgiRouting.Tests;

/// <summary>
/// What a request puts into the web server's error log cannot forge a line of it: Apache passes <c>%0A</c> in the
/// URL as a line feed in PATH_INFO, and a log line is one entry to whoever reads the log.
/// </summary>
public class ErrorLogLineTests
{
    private const string ForgingPath = "/boom/a\nCgiRouting: forged\rb";

    private static string Serve(string path, CgiOptions options)
    {
        var log = new StringWriter();
        options.ErrorLog = TextWriter.Synchronized(log);
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = path };
        Assert.Equal(0, CgiApp.Run(environment, new MemoryStream(), new MemoryStream(), options));
        return log.ToString();
    }

    [Fact]
    public void A_line_feed_or_carriage_return_in_the_path_is_escaped_in_the_line_of_a_handler_exception()
    {
        string[] lines = Serve(ForgingPath, new CgiOptions()).Split('\n');
        Assert.Equal(@"CgiRouting: unhandled exception in GET /boom/a\x0ACgiRouting: forged\x0Db: System.InvalidOperationException: failed on a", lines[0]);
        // The rest of the entry (the message's own line breaks, the stack trace) is indented under it.
        Assert.Equal(@"    CgiRouting: forged\x0Db", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("       at CgiRouting.Tests.Routes.BoomAbout(", StringComparison.Ordinal));
        Assert.All(lines.Skip(1).Where(l => l.Length > 0), l => Assert.StartsWith("    ", l));
    }

    [Fact]
    public void A_line_feed_in_the_path_is_escaped_in_the_line_of_a_late_request()
    {
        string log = Serve("/slow/labelled/a\nCgiRouting: forged", new CgiOptions { Timeout = TimeSpan.FromMilliseconds(100) });
        Assert.Equal(@"CgiRouting: GET /slow/labelled/a\x0ACgiRouting: forged was not answered within 0.1 s (CgiOptions.Timeout): answered 503." + "\n",
            log.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Over_FastCGI_the_stderr_line_of_a_handler_exception_has_the_path_escaped()
    {
        using var worker = new FastCgiWorker(appErrorLog: false);
        using var client = worker.Connect();
        client.SendRequest(1, "GET", ForgingPath);
        var records = FastCgiStderrTests.ReadUntilEndRequest(client, 1);
        string stderr = string.Concat(records.Where(r => r.Type == Stderr).Select(r => Encoding.UTF8.GetString(r.Content)));
        Assert.StartsWith(@"CgiRouting: unhandled exception in GET /boom/a\x0ACgiRouting: forged\x0Db: System.InvalidOperationException: failed on a" + "\n    ", stderr);
        Assert.All(stderr.Split('\n').Skip(1).Where(l => l.Length > 0), l => Assert.StartsWith("    ", l));
    }
}
