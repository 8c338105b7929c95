using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>Handlers that take as long as the test says: one blocks its thread, one awaits.</summary>
public static class SlowRoutes
{
    [Get("/slow/blocking/<ms>")]
    public static string Blocking(int ms)
    {
        Thread.Sleep(ms);
        return "done after " + ms;
    }

    [Get("/slow/labelled/<label>")]
    public static string Labelled(string label, CancellationToken aborted)
    {
        // Until the deadline has answered (it cancels the token), for at most 10 s: a fixed second was not always
        // enough for the deadline's timer to run while test.sh kept the thread pool busy.
        aborted.WaitHandle.WaitOne(10_000);
        return label;
    }

    [Get("/slow/awaiting/<ms>")]
    public static async Task<string> Awaiting(int ms)
    {
        await Task.Delay(ms);
        return "done after " + ms;
    }
}

/// <summary>CgiOptions.Timeout: a request that outlives it is answered 503 while its handler is still running.</summary>
public class DeadlineTests
{
    private static (string Output, string Log, TimeSpan Elapsed) Run(string path, CgiOptions options, params (string, string)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY_INTERFACE"] = "CGI/1.1",
            ["REQUEST_METHOD"] = path.StartsWith("HEAD ", StringComparison.Ordinal) ? "HEAD" : "GET",
            ["PATH_INFO"] = path.StartsWith("HEAD ", StringComparison.Ordinal) ? path[5..] : path,
        };
        foreach (var (name, value) in extra)
            environment[name] = value;
        var output = new SnapshotStream();
        var log = new StringWriter();
        options.ErrorLog = TextWriter.Synchronized(log);
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, CgiApp.Run(environment, new MemoryStream(), output, options));
        return (output.Text, log.ToString(), clock.Elapsed);
    }

    [Theory]
    [InlineData("/slow/blocking/2000")]
    [InlineData("/slow/awaiting/2000")]
    public async Task A_handler_past_the_deadline_is_answered_503_before_it_returns(string path)
    {
        var output = new SnapshotStream();
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = path };
        var log = new StringWriter();
        var run = Task.Run(() => CgiApp.Run(environment, new MemoryStream(), output,
            new CgiOptions { Timeout = TimeSpan.FromMilliseconds(200), ErrorLog = TextWriter.Synchronized(log) }));
        await Task.Delay(1000); // past the deadline, well before the handler is done
        string atDeadline = output.Text;
        Assert.False(run.IsCompleted, "the handler is still running");
        Assert.Equal(0, await run);
        Assert.StartsWith("Status: 503 Service Unavailable\r\n", atDeadline);
        Assert.EndsWith("\r\n\r\nThe request took too long to answer.", atDeadline);
        Assert.Equal(atDeadline, output.Text); // the handler's late result is not written after the 503
        Assert.Contains($"CgiRouting: GET {path} was not answered within 0.2 s (CgiOptions.Timeout): answered 503.", log.ToString());
    }

    [Fact]
    public void A_handler_within_the_deadline_is_answered_normally_and_promptly()
    {
        var (output, log, elapsed) = Run("/slow/awaiting/50", new CgiOptions { Timeout = TimeSpan.FromSeconds(20) });
        Assert.StartsWith("Status: 200 OK\r\n", output);
        Assert.EndsWith("done after 50", output);
        Assert.Equal("", log);
        // The watchdog is woken when the request ends: Run does not wait for the 20 s deadline.
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public void The_server_can_set_the_deadline_with_CGIROUTING_TIMEOUT()
    {
        var (output, log, _) = Run("/slow/blocking/1500", new CgiOptions(), ("CGIROUTING_TIMEOUT", "0.25"));
        Assert.StartsWith("Status: 503 ", output);
        Assert.Contains("within 0.25 s", log);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("0.000")]
    [InlineData("")]
    [InlineData(".5")]          // no whole seconds
    [InlineData("5.")]          // a dot without decimals
    [InlineData(".")]
    [InlineData("1.0001")]      // more than three decimals
    [InlineData("00000001")]    // more than seven digits of whole seconds
    [InlineData("3000000")]     // 3,000,000 s: over int.MaxValue milliseconds
    [InlineData("2147483.648")] // one millisecond over int.MaxValue
    [InlineData("1.5.2")]
    [InlineData("1,5")]
    [InlineData(" 1")]
    [InlineData("1e3")]
    public void A_CGIROUTING_TIMEOUT_that_is_not_a_positive_number_is_reported_and_ignored(string value)
    {
        var (output, log, _) = Run("/slow/blocking/10", new CgiOptions { Timeout = TimeSpan.FromSeconds(20) }, ("CGIROUTING_TIMEOUT", value));
        Assert.StartsWith("Status: 200 OK\r\n", output);
        Assert.Equal($"CgiRouting: CGIROUTING_TIMEOUT='{value}' is not a number of seconds; the timeout stays 20 s.{Environment.NewLine}", log);
    }

    [Theory]
    [InlineData("3000")]        // whole seconds, no dot
    [InlineData("1")]
    [InlineData("9.999")]       // three decimals
    [InlineData("0000001")]     // seven digits of whole seconds
    [InlineData("1000000")]
    [InlineData("2147483.647")] // int.MaxValue milliseconds
    public void A_CGIROUTING_TIMEOUT_of_seconds_with_up_to_three_decimals_is_taken_without_a_word(string value)
    {
        // The handler does not wait: within every one of these deadlines, so the request is answered normally.
        var (output, log, _) = Run("/slow/blocking/0", new CgiOptions { Timeout = TimeSpan.FromMilliseconds(1) }, ("CGIROUTING_TIMEOUT", value));
        Assert.StartsWith("Status: 200 OK\r\n", output);
        Assert.Equal("", log);
    }

    [Fact]
    public void A_CGIROUTING_TIMEOUT_with_whole_seconds_and_decimals_is_the_deadline()
    {
        var (output, log, _) = Run("/slow/blocking/2500", new CgiOptions(), ("CGIROUTING_TIMEOUT", "1.25"));
        Assert.StartsWith("Status: 503 ", output);
        Assert.Contains("GET /slow/blocking/2500 was not answered within 1.25 s (CgiOptions.Timeout): answered 503.", log);
    }

    [Fact]
    public void HEAD_past_the_deadline_gets_the_503_head_without_a_body()
    {
        var (output, _, _) = Run("HEAD /slow/blocking/1000", new CgiOptions { Timeout = TimeSpan.FromMilliseconds(100) });
        Assert.StartsWith("Status: 503 ", output);
        Assert.EndsWith("\r\n\r\n", output);
    }

    [Fact]
    public void An_infinite_timeout_turns_the_deadline_off()
    {
        var (output, _, _) = Run("/slow/blocking/300", new CgiOptions { Timeout = Timeout.InfiniteTimeSpan }, ("CGIROUTING_TIMEOUT", "0.05"));
        // CGIROUTING_TIMEOUT still applies: it is the administrator's word over the app's.
        Assert.StartsWith("Status: 503 ", output);
        var (plain, _, _) = Run("/slow/blocking/300", new CgiOptions { Timeout = Timeout.InfiniteTimeSpan });
        Assert.StartsWith("Status: 200 OK\r\n", plain);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(int.MaxValue + 1L)]
    public void A_timeout_that_is_not_positive_or_too_long_is_refused(long ms)
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new CgiOptions { Timeout = TimeSpan.FromMilliseconds(ms) });
        Assert.StartsWith("The timeout must be positive and at most int.MaxValue ms, or Timeout.InfiniteTimeSpan.", refused.Message);
    }

    [Fact]
    public void A_timeout_of_int_MaxValue_milliseconds_is_the_longest_taken()
        => Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), new CgiOptions { Timeout = TimeSpan.FromMilliseconds(int.MaxValue) }.Timeout);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_native_deadline_writes_the_bytes_the_response_writer_writes(bool head)
    {
        // A signal handler cannot call the writer, so a Native AOT process answers with bytes made ready in advance.
        var written = new MemoryStream();
        CgiResponseWriter.Write(RequestDeadline.Answer(), omitBody: head, https: false, written, TextWriter.Null);
        byte[] ready = (head ? RequestDeadline.AnswerHeadBytes : RequestDeadline.AnswerBytes).ToArray();
        Assert.Equal(Encoding.UTF8.GetString(written.ToArray()), Encoding.UTF8.GetString(ready));
    }

    [Theory]
    [InlineData(30_000, "30")]
    [InlineData(2_000, "2")]
    [InlineData(250, "0.25")]
    [InlineData(500, "0.5")]
    [InlineData(10, "0.01")]
    [InlineData(1, "0.001")]
    [InlineData(1_005, "1.005")]
    [InlineData(1_010, "1.01")]
    [InlineData(120_300, "120.3")]
    [InlineData(2_147_483_647, "2147483.647")]
    public void Seconds_are_written_to_the_millisecond_without_trailing_zeros(int milliseconds, string expected)
        => Assert.Equal(expected, RequestDeadline.Seconds(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void In_process_there_is_no_native_deadline_and_the_timer_answers()
    {
        // The tests run on the JIT, where the C handler is not linked: StartForProcess says so instead of failing.
        Assert.Null(RequestDeadline.StartForProcess(TimeSpan.FromSeconds(30), head: false, "unused\n"));
    }

    [Fact]
    public void A_request_that_finishes_while_its_late_answer_is_being_written_waits_for_that_answer()
    {
        using var started = new ManualResetEventSlim();
        bool answered = false;
        var deadline = RequestDeadline.Start(TimeSpan.FromMilliseconds(1), () =>
        {
            started.Set();
            Thread.Sleep(300); // writing the 503
            Volatile.Write(ref answered, true);
        });
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)), "the deadline fired");
        Assert.False(deadline.TryFinish()); // too late: the 503 is (being) written
        Assert.True(Volatile.Read(ref answered), "TryFinish returned before the late answer was out");
    }

    [Fact]
    public void A_request_finished_in_time_is_never_answered_late()
    {
        int fired = 0;
        var deadline = RequestDeadline.Start(TimeSpan.FromMilliseconds(200), () => Interlocked.Increment(ref fired));
        Assert.True(deadline.TryFinish());
        Thread.Sleep(500);
        Assert.Equal(0, Volatile.Read(ref fired));
    }

    /// <summary>An output stream whose content can be read while another thread writes it.</summary>
    internal sealed class SnapshotStream : MemoryStream
    {
        public string Text { get { lock (this) return Encoding.UTF8.GetString(ToArray()); } }
        public override void Write(ReadOnlySpan<byte> buffer) { lock (this) base.Write(buffer); }
        public override void Write(byte[] buffer, int offset, int count) { lock (this) base.Write(buffer, offset, count); }
    }
}
