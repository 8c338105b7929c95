using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using CgiRouting.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// samples/Todo behind lighttpd with its database on a 4 MiB disk of its own, and a 2-second request deadline set by
/// the server (<c>CGIROUTING_TIMEOUT</c>), as an administrator would.
/// </summary>
public sealed class FaultTodoHost() : TodoHost(
    (apps, env) => new LighttpdServer(apps, env), new TodoDatabase(new SmallDisk(megabytes: 4)), ("CGIROUTING_TIMEOUT", "2"))
{
    public SmallDisk SmallDisk => Database.Disk!;
}

/// <summary>Faults of issue 14: a full disk, a read-only database, a handler that hangs, a client that is gone.</summary>
public class FaultTests(FaultTodoHost host) : IClassFixture<FaultTodoHost>
{
    private static StringContent Todo(string title) => new($"{{\"title\":\"{title}\"}}", Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> Post(string title)
    {
        using var client = host.Server.Client();
        return await client.PostAsync("/todos", Todo(title));
    }

    [Fact]
    public async Task A_full_disk_answers_500_writes_nothing_and_recovers_when_space_returns()
    {
        (await Post("before the disk fills")).EnsureSuccessStatusCode();
        long before = host.Database.Count();
        host.SmallDisk.Fill();
        try
        {
            using var full = await Post("on a full disk " + new string('x', 900));
            Assert.Equal(HttpStatusCode.InternalServerError, full.StatusCode);
            Assert.Equal("Internal Server Error", await full.Content.ReadAsStringAsync());
            Assert.Contains("CgiRouting: unhandled exception in POST /todos", host.Server.AppErrorLog);
            Assert.Contains("database or disk is full", host.Server.AppErrorLog);
        }
        finally
        {
            host.SmallDisk.Free();
        }
        Assert.Equal(before, host.Database.Count());
        Assert.Equal("ok", host.Database.IntegrityCheck());
        using var after = await Post("after space returned");
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Equal(before + 1, host.Database.Count());
        ReliabilityReport.Write("fault, disk full (a 4 MiB tmpfs filled to the last byte): POST answered 500 with the generic body, "
            + "SQLite's 'database or disk is full' on stderr, no row written, integrity ok; with space back the next POST is 201");
    }

    [Fact]
    public async Task A_read_only_database_answers_500_with_a_clear_line_on_stderr()
    {
        (await Post("before read-only")).EnsureSuccessStatusCode();
        long before = host.Database.Count();
        host.SmallDisk.ReadOnly(true);
        try
        {
            using var response = await Post("on a read-only disk");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("Internal Server Error", await response.Content.ReadAsStringAsync());
            string log = host.Server.AppErrorLog;
            Assert.Contains("CgiRouting: unhandled exception in POST /todos", log);
            Assert.Matches("readonly database|read-only file system|unable to open database file", log);
        }
        finally
        {
            host.SmallDisk.ReadOnly(false);
        }
        Assert.Equal(before, host.Database.Count());
        Assert.Equal("ok", host.Database.IntegrityCheck());
        using var after = await Post("writable again");
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        ReliabilityReport.Write("fault, read-only database (the disk remounted read-only): POST answered 500, the SQLite error on stderr, "
            + "no row written, integrity ok; writable again, the next POST is 201");
    }

    [Fact]
    public async Task A_handler_that_hangs_is_answered_503_at_the_deadline_and_its_process_ends()
    {
        (await Post("before the lock")).EnsureSuccessStatusCode();
        long before = host.Database.Count();
        TimeSpan elapsed;
        // Another writer holds the database's write lock: the app's POST waits on SQLite's 30-second busy timeout,
        // longer than the 2-second deadline the server set.
        using (var locker = new SqliteConnection($"Data Source={host.Database.Path};Pooling=False"))
        {
            locker.Open();
            using var transaction = locker.BeginTransaction(deferred: false); // BEGIN IMMEDIATE
            var clock = Stopwatch.StartNew();
            var posting = Post("while the database is locked");
            // While its handler waits, the deadline is the native one: a kernel timer whose SIGALRM the process
            // catches (bit 13 of SigCgt in /proc/PID/status), not a managed timer on a thread.
            // The process is listed from its exec on, before the runtime has started and armed the timer, so its
            // status is read again until the handler is installed or the process is gone.
            await WaitUntil(() => host.Server.AppProcessIds().Count == 1, TimeSpan.FromSeconds(5));
            int app = host.Server.AppProcessIds().Single();
            bool caught = false;
            while (!caught && clock.Elapsed < TimeSpan.FromSeconds(1.8) && CaughtSignals(app) is ulong mask)
            {
                caught = (mask & (1UL << (14 - 1))) != 0;
                if (!caught)
                {
                    await Task.Delay(10);
                }
            }
            using var response = await posting;
            elapsed = clock.Elapsed;
            Assert.True(caught, "the app process does not catch SIGALRM: no native deadline");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("The request took too long to answer.", await response.Content.ReadAsStringAsync());
            Assert.InRange(elapsed.TotalSeconds, 1.9, 15);
            Assert.Contains("CgiRouting: POST /todos was not answered within 2 s (CgiOptions.Timeout): answered 503.", host.Server.AppErrorLog);
            // The process ended even though its handler was still waiting for the lock.
            await WaitUntil(() => host.Server.AppProcessIds().Count == 0, TimeSpan.FromSeconds(5));
            transaction.Rollback();
        }
        Assert.Equal(before, host.Database.Count());
        Assert.Equal("ok", host.Database.IntegrityCheck());
        using var after = await Post("after the lock");
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        ReliabilityReport.Write($"fault, a handler that hangs (waiting on a database lock held by another writer): 503 after {elapsed.TotalSeconds:F1} s "
            + "(CGIROUTING_TIMEOUT=2 set by lighttpd), the process gone, no row written; after the lock, the next POST is 201");
    }

    [Fact]
    public async Task A_client_gone_before_the_response_leaves_a_clean_exit()
    {
        // stdout is a pipe whose reader is closed before the app answers: the write fails with EPIPE.
        var start = new ProcessStartInfo(host.Binary) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GATEWAY_INTERFACE"] = "CGI/1.1";
        start.Environment["REQUEST_METHOD"] = "POST";
        start.Environment["PATH_INFO"] = "/todos";
        start.Environment["CONTENT_TYPE"] = "application/json";
        byte[] body = "{\"title\":\"client gone\"}"u8.ToArray();
        start.Environment["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["TODO_DB"] = host.Database.Path;
        using var process = Process.Start(start)!;
        process.StandardOutput.Close();
        await process.StandardInput.BaseStream.WriteAsync(body);
        process.StandardInput.Close();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("CgiRouting: the response could not be written", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ok", host.Database.IntegrityCheck());
        ReliabilityReport.Write("fault, client gone (stdout a pipe closed before the answer): exit code 0, one line on stderr, integrity ok");
    }

    /// <summary>The signals a process catches (SigCgt in /proc/PID/status), or null once it is gone.</summary>
    private static ulong? CaughtSignals(int process)
    {
        string status;
        try
        {
            status = File.ReadAllText($"/proc/{process}/status");
        }
        catch (IOException)
        {
            return null;
        }
        return Convert.ToUInt64(status.Split('\n').Single(line => line.StartsWith("SigCgt:", StringComparison.Ordinal))[7..].Trim(), 16);
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, "the condition did not hold in time");
            await Task.Delay(50);
        }
    }
}
