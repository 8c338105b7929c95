using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using CgiRouting.FastCgi;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// The worker's request accounting (<c>--max-requests</c>), its accepting threads and how it stops: what
/// <see cref="FastCgiTests"/> does not reach through requests alone.
/// </summary>
public class FastCgiServerTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Max_requests_counts_begun_requests_and_a_request_past_it_is_still_begun()
    {
        var server = new FastCgiServer(-1, ownsListener: false, maxConcurrency: 4, maxRequests: 2, null, TextWriter.Null);
        Assert.True(server.HasRequestsLeft);
        server.BeginRequest();
        Assert.True(server.HasRequestsLeft);
        server.BeginRequest();
        Assert.False(server.HasRequestsLeft);
        // A request whose BEGIN_REQUEST arrived after the quota was sent by the web server all the same: it is served
        // (refusing it was a 502 for its client: nginx never sends a POST again).
        server.BeginRequest();
        Assert.Equal(3, server.InFlight);

        var unbounded = new FastCgiServer(-1, ownsListener: false, maxConcurrency: 4, maxRequests: 0, null, TextWriter.Null);
        for (int i = 0; i < 3; i++)
            unbounded.BeginRequest();
        Assert.True(unbounded.HasRequestsLeft);
    }

    [Fact]
    public void A_late_request_gives_its_slot_back_and_too_many_stuck_handlers_stop_the_worker_with_1()
    {
        var log = new StringWriter();
        var server = new FastCgiServer(-1, ownsListener: false, maxConcurrency: 2, maxRequests: 0, null, log);
        for (int i = 0; i < 2; i++)
        {
            server.BeginRequest();
            Assert.True(server.TryTakeSlot(TimeSpan.Zero));
        }
        server.BeginRequest();
        Assert.False(server.TryTakeSlot(TimeSpan.FromMilliseconds(50))); // both slots held: the wait ends at its deadline
        server.RequestFinished(RequestSlot.None);

        server.ReleaseLateSlot(); // the first request's deadline answered 503; its handler still runs
        Assert.Equal(1, server.StuckHandlers);
        server.BeginRequest();
        Assert.True(server.TryTakeSlot(TimeSpan.Zero)); // its slot serves the next request
        server.RequestFinished(RequestSlot.Held);
        server.RequestFinished(RequestSlot.ReleasedLate); // the stuck handler returned at last
        Assert.Equal(0, server.StuckHandlers);
        Assert.Empty(log.ToString());

        for (int i = 0; i < 3; i++)
        {
            server.BeginRequest();
            Assert.True(server.TryTakeSlot(TimeSpan.Zero));
            server.ReleaseLateSlot();
        }
        Assert.Equal("CgiRouting: 3 handlers are still running past their deadline (more than --max-concurrency, 2): exiting with 1, "
            + "for a fresh worker to take over.", Assert.Single(Lines(log.ToString())).TrimEnd('\r'));
        Assert.Equal(1, server.Stop(TimeSpan.FromSeconds(10))); // at once: stuck handlers are not waited for
    }

    [Fact]
    public void A_connection_idle_or_stalled_past_the_read_timeout_is_closed_and_frees_its_thread()
    {
        string directory = Directory.CreateTempSubdirectory("cgirouting-fcgi-").FullName;
        int listener = SocketDescriptor.Listen("unix:" + Path.Combine(directory, "w.sock"), 16);
        var server = new FastCgiServer(listener, ownsListener: true, 4, 0, new CgiOptions(), TextWriter.Null) { ReadTimeout = TimeSpan.FromMilliseconds(300) };
        server.Start();
        try
        {
            using var idle = FastCgiClient.Connect("unix:" + Path.Combine(directory, "w.sock"));
            idle.SendRequest(1, "GET", "/users/me", keepConnection: true);
            Assert.Equal(FastCgiTests.MeResponse, idle.ReadText(1));
            using var stalled = FastCgiClient.Connect("unix:" + Path.Combine(directory, "w.sock"));
            stalled.Send([1, 1, 0, 1]); // half a record header, and nothing more
            var clock = Stopwatch.StartNew();
            Assert.True(idle.IsClosedByWorker(), "an idle kept connection is closed after the read timeout");
            Assert.True(stalled.IsClosedByWorker(), "a stalled record is given up after the read timeout");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        }
        finally
        {
            server.Stop(TimeSpan.FromSeconds(5));
            if (server.WaitForThreads(TimeSpan.FromSeconds(5)))
                SocketDescriptor.Close(listener);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_stopped_worker_on_a_shared_listener_leaves_the_next_connection_for_the_other_workers()
    {
        // A --prefork worker shares its manager's listener with the other workers. Before, a thread of a stopping worker
        // could stay blocked in accept(2) after Stop returned and take a connection just as the process exited (nginx:
        // "upstream prematurely closed connection", a 502 for a POST it never sends again). Now Stop returns only
        // once no thread can accept: a connection that comes after it stays queued for another worker.
        string directory = Directory.CreateTempSubdirectory("cgirouting-fcgi-").FullName;
        string address = "unix:" + Path.Combine(directory, "shared.sock");
        int listener = SocketDescriptor.Listen(address, 16);
        var server = new FastCgiServer(listener, ownsListener: false, maxConcurrency: 2, maxRequests: 0, new CgiOptions(), TextWriter.Null);
        server.Start();
        try
        {
            using (var first = FastCgiClient.Connect(address)) // the worker serves until it stops
            {
                first.SendRequest(1, "GET", "/users/me");
                Assert.Equal(FastCgiTests.MeResponse, first.ReadText(1));
            }
            Thread.Sleep(100); // a thread waits in accept again
            Assert.Equal(0, server.Stop(TimeSpan.FromSeconds(5)));
            using var late = FastCgiClient.Connect(address);
            late.SendRequest(1, "GET", "/users/me");
            Thread.Sleep(SocketDescriptor.AcceptWait * 3);
            Assert.True(SocketDescriptor.HasPending(listener), "the connection made after the stop is still queued on the shared listener");
        }
        finally
        {
            server.Stop(TimeSpan.FromSeconds(5));
            if (server.WaitForThreads(TimeSpan.FromSeconds(5)))
                SocketDescriptor.Close(listener);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_second_stop_request_is_not_logged_again()
    {
        var log = new StringWriter();
        var server = new FastCgiServer(-1, ownsListener: false, maxConcurrency: 1, maxRequests: 0, null, log);
        server.RequestStop("first reason");
        server.RequestStop("second reason");
        Assert.Equal("first reason", Assert.Single(Lines(log.ToString())).TrimEnd('\r'));
    }

    [Fact]
    public void Stop_waits_for_requests_in_flight_only_until_its_deadline()
    {
        var log = new StringWriter();
        var server = new FastCgiServer(-1, ownsListener: false, maxConcurrency: 1, maxRequests: 0, null, log);
        Assert.Equal(0, server.Stop(TimeSpan.FromSeconds(30))); // nothing in flight: at once
        Assert.Empty(log.ToString());
        server.BeginRequest();
        var stop = Background.Start(() => server.Stop(TimeSpan.FromMilliseconds(50)));
        Assert.True(stop.Finished(TimeSpan.FromSeconds(10)), "Stop returns after its deadline");
        Assert.Equal(0, stop.Result);
        Assert.Equal("CgiRouting: 1 request is still running after 0.05 s: exiting without it.", Assert.Single(Lines(log.ToString())).TrimEnd('\r'));
    }

    [Fact]
    public void Run_gives_requests_in_flight_the_request_timeout_and_one_second_more()
    {
        using var worker = new FastCgiWorker(options: new CgiOptions { Timeout = TimeSpan.FromMilliseconds(100) }, start: false);
        worker.Server.BeginRequest(); // a request that never finishes
        worker.Server.RequestStop("stop, please");
        var run = Background.Start(worker.Server.Run);
        Assert.True(run.Finished(TimeSpan.FromSeconds(10)));
        Assert.Contains("CgiRouting: 1 request is still running after 1.1 s: exiting without it.", worker.LogText);
        worker.Server.RequestFinished(RequestSlot.None);
    }

    [Fact]
    public void Without_a_request_timeout_run_waits_the_default_timeout_for_requests_in_flight()
    {
        using var worker = new FastCgiWorker(options: new CgiOptions { Timeout = Timeout.InfiniteTimeSpan }, start: false);
        worker.Server.BeginRequest();
        worker.Server.RequestStop("stop, please");
        var run = Background.Start(worker.Server.Run);
        // Still waiting after 1.5 s (CgiOptions.DefaultTimeout is 30 s; an infinite timeout plus one second would be 0.999 s).
        Assert.False(run.Finished(TimeSpan.FromMilliseconds(1500)), "Run gave up on the request");
        worker.Server.RequestFinished(RequestSlot.None);
        Assert.True(run.Finished(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain("still running", worker.LogText);
    }

    [Fact]
    public void Connections_are_served_on_named_background_threads()
    {
        var probe = new ThreadProbe();
        using var worker = new FastCgiWorker(options: new CgiOptions { ErrorLog = probe }, appErrorLog: false);
        using var client = worker.Connect();
        client.SendRequest(1, "GET", "/boom"); // its exception is logged on the thread that serves it
        Assert.StartsWith("Status: 500 ", client.ReadText(1));
        Assert.Equal(("FastCGI", true), (probe.Name, probe.IsBackground));
    }

    [Fact]
    public void Wait_for_threads_is_false_while_a_thread_accepts_and_true_once_stopped_with_no_failed_accept_logged()
    {
        using var worker = new FastCgiWorker();
        Assert.False(worker.Server.WaitForThreads(TimeSpan.FromMilliseconds(100)));
        worker.Server.Stop(TimeSpan.FromSeconds(5));
        Assert.True(worker.Server.WaitForThreads(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain("accept on the FastCGI socket failed", worker.LogText); // stopping is not a failure
    }

    [Fact]
    public void A_failing_accept_is_logged_and_retried_at_most_ten_times_a_second_without_using_up_max_requests()
    {
        var text = new StringBuilder();
        var log = TextWriter.Synchronized(new StringWriter(text));
        string Text()
        {
            lock (log)
                return text.ToString();
        }
        // No such descriptor: accept fails at once (EBADF), as when the worker is out of descriptors.
        var server = new FastCgiServer(-1, ownsListener: false, maxConcurrency: 1, maxRequests: 1, null, log);
        var clock = Stopwatch.StartNew();
        server.Start();
        Assert.True(SpinWait.SpinUntil(() => Lines(Text()).Length >= 2, 10_000), "accept is tried again: " + Text());
        server.Stop(TimeSpan.FromSeconds(1));
        Assert.True(server.WaitForThreads(TimeSpan.FromSeconds(10)));
        var elapsed = clock.Elapsed;
        string[] lines = Lines(Text());
        Assert.All(lines, line => Assert.StartsWith("CgiRouting: accept on the FastCGI socket failed: Bad file descriptor", line));
        Assert.True(lines.Length <= elapsed.TotalMilliseconds / 100 + 2, $"{lines.Length} lines in {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void With_max_requests_no_more_connections_are_accepted_than_requests_are_left()
    {
        using var worker = new FastCgiWorker(maxRequests: 1);
        using var first = worker.Connect();
        first.SendRequest(1, "GET", "/users/me");
        Assert.EndsWith("\r\n\r\nme", first.ReadText(1));
        // The second connection waits in the backlog (for another worker, with --prefork): never accepted here, so
        // never closed unanswered either.
        using var second = worker.Connect();
        second.SendRequest(1, "GET", "/users/me");
        second.ReceiveTimeout = 300;
        var waited = Assert.Throws<IOException>(() => second.Read());
        Assert.Equal(SocketError.TimedOut, Assert.IsType<SocketException>(waited.InnerException).SocketErrorCode);
    }

    /// <summary>An error log that notes the thread it is written on.</summary>
    private sealed class ThreadProbe : TextWriter
    {
        public string? Name { get; private set; }
        public bool IsBackground { get; private set; }
        public override Encoding Encoding => Encoding.UTF8;

        private void Note() => (Name, IsBackground) = (Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground);
        public override void Write(char value) => Note();
        public override void Write(string? value) => Note();
        public override void WriteLine(string? value) => Note();
    }
}
