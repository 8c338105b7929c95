using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using CgiRouting.FastCgi;
using Xunit;
using static CgiRouting.Tests.FastCgiClient;

namespace CgiRouting.Tests;

/// <summary>
/// The FastCGI worker over a real socket, driven by a client written in the test (<see cref="FastCgiClient"/>):
/// the records a web server sends, and the exact bytes it must get back.
/// </summary>
public class FastCgiTests
{
    internal const string MeResponse = "Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nme";

    [Fact]
    public void One_request_gets_the_cgi_response_in_stdout_then_end_request_and_the_connection_closes()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.SendRequest(1, "GET", "/users/me");
        var (stdout, status, _, others) = client.ReadResponse(1);
        Assert.Equal(MeResponse, Encoding.UTF8.GetString(stdout));
        Assert.Equal(0, status);
        Assert.Empty(others);
        Assert.True(client.IsClosedByWorker(), "without FCGI_KEEP_CONN the worker closes the connection");
    }

    [Fact]
    public void Over_tcp_too()
    {
        using var worker = new FastCgiWorker(tcp: true);
        Assert.StartsWith("127.0.0.1:", worker.Address);
        using var client = worker.Connect();
        client.SendRequest(1, "GET", "/users/me");
        Assert.Equal(MeResponse, client.ReadText(1));
    }

    [Fact]
    public void Keep_conn_serves_several_requests_on_one_connection()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        for (int id = 1; id <= 3; id++)
        {
            client.SendRequest(id, "GET", "/n/" + (id * 10), keepConnection: true);
            Assert.EndsWith("\r\n\r\nint " + (id * 10), client.ReadText(id));
        }
        client.SendRequest(7, "POST", "/bytes", Encoding.UTF8.GetBytes("last"), keepConnection: true);
        Assert.EndsWith("\r\n\r\nlast", client.ReadText(7));
        Assert.True(SpinWait.SpinUntil(() => worker.Server.Served == 4, 5000), $"{worker.Server.Served} served"); // counted just after the response
    }

    [Fact]
    public void Each_request_sees_only_its_params_never_the_worker_environment()
    {
        Environment.SetEnvironmentVariable("HTTP_X_USER", "from-the-worker-environment");
        try
        {
            using var worker = new FastCgiWorker();
            using var client = worker.Connect();
            client.SendRequest(1, "GET", "/whoami", keepConnection: true, extra: ("HTTP_X_USER", "ann"));
            Assert.EndsWith("\r\n\r\nann", client.ReadText(1));
            client.SendRequest(2, "GET", "/whoami", keepConnection: true);
            Assert.EndsWith("\r\n\r\nanonymous", client.ReadText(2)); // nothing left over from request 1, nor from the process
        }
        finally
        {
            Environment.SetEnvironmentVariable("HTTP_X_USER", null);
        }
    }

    [Fact]
    public void Get_values_answers_max_conns_max_reqs_and_no_multiplexing()
    {
        using var worker = new FastCgiWorker(maxConcurrency: 3);
        using var client = worker.Connect();
        client.Send(GetValues, 0, Pairs([new("FCGI_MAX_CONNS", ""), new("FCGI_MAX_REQS", ""), new("FCGI_MPXS_CONNS", ""), new("NO_SUCH_VALUE", "")]));
        var record = client.Read()!;
        Assert.Equal(GetValuesResult, record.Type);
        Assert.Equal(0, record.RequestId);
        Assert.Equal(Pairs([new("FCGI_MAX_CONNS", "1024"), new("FCGI_MAX_REQS", "3"), new("FCGI_MPXS_CONNS", "0")]), record.Content);
        client.SendRequest(1, "GET", "/users/me"); // the connection goes on
        Assert.Equal(MeResponse, client.ReadText(1));
    }

    [Fact]
    public void Abort_while_the_body_is_read_ends_the_request_without_a_response()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.Begin(1, keepConnection: true);
        client.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "10")]);
        client.SendStdin(1, "abc"u8, end: false);
        client.Send(AbortRequest, 1, []);
        var (stdout, status, records, _) = client.ReadResponse(1);
        Assert.Empty(stdout);
        Assert.Equal(0, records);
        Assert.Equal(0, status);
        client.SendRequest(2, "GET", "/users/me", keepConnection: true); // kept, as asked
        Assert.Equal(MeResponse, client.ReadText(2));
    }

    [Fact]
    public void Abort_before_the_params_end_ends_the_request()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.Begin(5);
        client.Send(Params, 5, Pairs([new("REQUEST_METHOD", "GET")]));
        client.Send(AbortRequest, 5, []);
        var (stdout, status, _, _) = client.ReadResponse(5);
        Assert.Empty(stdout);
        Assert.Equal(0, status);
    }

    [Fact]
    public void An_unknown_record_type_is_answered_with_unknown_type_and_the_connection_goes_on()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.Send(42, 0, "??"u8, padding: 6);
        var record = client.Read()!;
        Assert.Equal(UnknownType, record.Type);
        Assert.Equal(new byte[] { 42, 0, 0, 0, 0, 0, 0, 0 }, record.Content);
        client.SendRequest(1, "GET", "/users/me");
        Assert.Equal(MeResponse, client.ReadText(1));
    }

    [Fact]
    public void A_role_other_than_responder_is_refused_with_unknown_role()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.Begin(3, keepConnection: true, role: 2); // authorizer
        Assert.Equal(3, client.ReadResponse(3).ProtocolStatus);
        client.Begin(5, keepConnection: true, role: 0x0101); // big-endian: not responder (1) in its low byte alone
        Assert.Equal(3, client.ReadResponse(5).ProtocolStatus);
        client.SendRequest(4, "GET", "/users/me");
        Assert.Equal(MeResponse, client.ReadText(4));
    }

    [Fact]
    public void A_second_request_on_a_busy_connection_is_refused_as_multiplexing()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.Begin(1);
        client.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "4")]);
        client.SendStdin(1, "ab"u8, end: false);
        client.Begin(2); // while request 1 reads its body
        client.SendStdin(1, "cd"u8);
        var (stdout, _, _, others) = client.ReadResponse(1);
        Assert.EndsWith("\r\n\r\nabcd", Encoding.UTF8.GetString(stdout));
        var refusal = Assert.Single(others);
        Assert.Equal((EndRequest, 2, 1), (refusal.Type, refusal.RequestId, (int)refusal.Content[4])); // FCGI_CANT_MPX_CONN
    }

    [Theory]
    [InlineData(2)]   // wrong version
    [InlineData(0)]
    public void A_malformed_record_closes_only_its_connection_with_one_line_on_the_log(int version)
    {
        using var worker = new FastCgiWorker();
        using var good = worker.Connect();
        good.SendRequest(1, "GET", "/users/me", keepConnection: true);
        Assert.Equal(MeResponse, good.ReadText(1));
        using (var bad = worker.Connect())
        {
            bad.Send(Record(BeginRequest, 1, [0, 1, 0, 0, 0, 0, 0, 0], version: version));
            Assert.True(bad.IsClosedByWorker());
        }
        good.SendRequest(2, "GET", "/users/me", keepConnection: true); // the other connection, and the process, go on
        Assert.Equal(MeResponse, good.ReadText(2));
        var lines = worker.LogText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"CgiRouting: FastCGI connection closed, a record has version {version}, not 1.", Assert.Single(lines));
    }

    public static TheoryData<string, byte[]> MalformedConnections => new()
    {
        { "begin request for the request in progress", [.. Record(BeginRequest, 1, [0, 1, 1, 0, 0, 0, 0, 0]),
            .. Record(Params, 1, Pairs([new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "3")])),
            .. Record(Params, 1, []), .. Record(BeginRequest, 1, [0, 1, 1, 0, 0, 0, 0, 0])] },
        { "cut inside a header", [1, 1, 0, 1] },
        { "cut inside a record", Record(BeginRequest, 1, [0, 1, 0, 0, 0, 0, 0, 0])[..10] },
        { "begin request of 3 bytes", Record(BeginRequest, 1, [0, 1, 0]) },
        { "begin request with id 0", Record(BeginRequest, 0, [0, 1, 0, 0, 0, 0, 0, 0]) },
        { "params length past the end", [.. Record(BeginRequest, 1, [0, 1, 0, 0, 0, 0, 0, 0]), .. Record(Params, 1, [4, 200, (byte)'A']), .. Record(Params, 1, [])] },
        { "params 4-byte length cut", [.. Record(BeginRequest, 1, [0, 1, 0, 0, 0, 0, 0, 0]), .. Record(Params, 1, [0x80, 0]), .. Record(Params, 1, [])] },
        { "params 4-byte length near 2^31", [.. Record(BeginRequest, 1, [0, 1, 0, 0, 0, 0, 0, 0]), .. Record(Params, 1, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), .. Record(Params, 1, [])] },
        { "stdin before params end", [.. Record(BeginRequest, 1, [0, 1, 0, 0, 0, 0, 0, 0]), .. Record(Stdin, 1, [1])] },
        { "get values malformed", Record(GetValues, 0, [9, 0, (byte)'A']) },
    };

    [Theory]
    [MemberData(nameof(MalformedConnections))]
    public void Malformed_input_closes_the_connection_and_never_the_worker(string what, byte[] bytes)
    {
        using var worker = new FastCgiWorker();
        using (var bad = worker.Connect())
        {
            bad.Send(bytes);
            if (what.StartsWith("cut", StringComparison.Ordinal))
                bad.Dispose(); // the server hangs up mid-record
            else
                Assert.True(bad.IsClosedByWorker(), what);
        }
        using var good = worker.Connect();
        good.SendRequest(1, "GET", "/users/me");
        Assert.Equal(MeResponse, good.ReadText(1));
        Assert.True(SpinWait.SpinUntil(() => worker.LogText.Length > 0, 5000)); // written when the worker reads the end
        Assert.Equal("CgiRouting: FastCGI connection closed, " + MalformedReasons[what], Assert.Single(worker.LogText.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    /// <summary>What the log line says of each of <see cref="MalformedConnections"/>.</summary>
    private static readonly Dictionary<string, string> MalformedReasons = new()
    {
        ["begin request for the request in progress"] = "BEGIN_REQUEST for request 1, which is in progress.",
        ["cut inside a header"] = "the connection ended inside a record header.",
        ["cut inside a record"] = "the connection ended inside a record.",
        ["begin request of 3 bytes"] = "BEGIN_REQUEST has 3 bytes of content, not 8.",
        ["begin request with id 0"] = "BEGIN_REQUEST has request id 0, which is for management records.",
        ["params length past the end"] = "the PARAMS of request 1 have a name or value longer than the rest of them.",
        ["params 4-byte length cut"] = "the PARAMS of request 1 have a name or value longer than the rest of them.",
        ["params 4-byte length near 2^31"] = "the PARAMS of request 1 have a name or value longer than the rest of them.",
        ["stdin before params end"] = "request 1 sent STDIN before the end of its PARAMS.",
        ["get values malformed"] = "GET_VALUES has a name longer than the record.",
    };

    [Fact]
    public void A_malformed_record_while_the_handler_reads_the_body_drops_the_response_and_closes_the_connection()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.Begin(1, keepConnection: true);
        client.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "10")]);
        client.SendStdin(1, "abc"u8, end: false);
        client.Send(Record(Stdin, 1, "def"u8, version: 7));
        Assert.True(client.IsClosedByWorker(), "no response: the connection is closed");
        Assert.True(SpinWait.SpinUntil(() => worker.LogText.Contains("FastCGI connection closed, a record has version 7, not 1."), 5000), worker.LogText);
    }

    [Fact]
    public void Names_and_values_of_128_bytes_and_more_use_four_byte_lengths()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        string longValue = new string('v', 300), longName = "HTTP_X_" + new string('N', 200);
        string value127 = new string('s', 127), value128 = new string('t', 128);
        client.SendRequest(1, "GET", "/whoami", extra: [(longName, "x"), ("HTTP_X_USER", longValue)]);
        Assert.EndsWith("\r\n\r\n" + longValue, client.ReadText(1));
        // 127 is the largest one-byte length, 128 the smallest four-byte one; a pair may straddle two PARAMS records.
        foreach (string v in new[] { value127, value128 })
        {
            using var c = worker.Connect();
            c.Begin(2);
            c.SendParams(2, [new("REQUEST_METHOD", "GET"), new("PATH_INFO", "/whoami"), new("HTTP_X_USER", v)], recordSize: 50);
            c.SendStdin(2, []);
            Assert.EndsWith("\r\n\r\n" + v, c.ReadText(2));
        }
    }

    [Fact]
    public void A_large_body_arrives_over_several_stdin_records_and_leaves_over_several_stdout_records()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        var body = new byte[200_003];
        new Random(12).NextBytes(body);
        client.Begin(9);
        client.SendParams(9, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "200003"),
            new("CONTENT_TYPE", "application/octet-stream")]);
        client.SendStdin(9, body, recordSize: 65535 - 1000);
        var (stdout, _, records, _) = client.ReadResponse(9);
        Assert.True(records >= 4, $"{records} STDOUT records");
        int split = stdout.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        Assert.Contains("Content-Length: 200003\r\n", Encoding.ASCII.GetString(stdout, 0, split));
        Assert.Equal(body, stdout[split..]);
    }

    [Fact]
    public void A_body_over_the_limit_is_413_before_it_is_read_and_the_connection_goes_on()
    {
        using var worker = new FastCgiWorker(options: new CgiOptions { MaxRequestBodySize = 100 });
        using var client = worker.Connect();
        client.SendRequest(1, "POST", "/bytes", new byte[1000], keepConnection: true);
        Assert.StartsWith("Status: 413 Content Too Large\r\n", client.ReadText(1));
        client.SendRequest(2, "POST", "/bytes", "small"u8.ToArray(), keepConnection: true);
        Assert.EndsWith("\r\n\r\nsmall", client.ReadText(2));
    }

    [Fact]
    public void A_body_shorter_than_content_length_is_400_as_in_cgi_mode()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.Begin(1);
        client.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "10")]);
        client.SendStdin(1, "abc"u8);
        Assert.StartsWith("Status: 400 Bad Request\r\n", client.ReadText(1));
    }

    [Fact]
    public void A_handler_exception_is_500_without_details_and_the_details_go_to_the_log()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.SendRequest(1, "GET", "/boom");
        string text = client.ReadText(1);
        Assert.StartsWith("Status: 500 Internal Server Error\r\n", text);
        Assert.DoesNotContain("secret detail", text);
        Assert.Contains("secret detail 1234", worker.LogText);
    }

    [Fact]
    public void Params_over_the_limit_are_431()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        client.SendRequest(1, "GET", "/users/me", keepConnection: true, extra: ("HTTP_X_BIG", new string('b', 300_000)));
        string refused = client.ReadText(1);
        Assert.StartsWith("Status: 431 Request Header Fields Too Large\r\n", refused);
        Assert.EndsWith("\r\n\r\nThe request's headers are too large.", refused);
        client.SendRequest(2, "GET", "/users/me", keepConnection: true);
        Assert.Equal(MeResponse, client.ReadText(2));
        Assert.Equal($"CgiRouting: FastCGI request 1 has more than {FastCgiConnection.MaxParamsSize} bytes of PARAMS: answered 431.",
            Assert.Single(worker.LogText.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void A_late_request_gets_503_and_end_request_while_its_handler_still_runs()
    {
        using var worker = new FastCgiWorker(options: new CgiOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        using var client = worker.Connect();
        // The handler reads a body that never comes: it is blocked when the deadline answers.
        client.Begin(1);
        client.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "10")]);
        var (stdout, status, _, _) = client.ReadResponse(1);
        Assert.StartsWith("Status: 503 Service Unavailable\r\n", Encoding.UTF8.GetString(stdout));
        Assert.Equal(0, status);
        Assert.True(client.IsClosedByWorker());
        using var next = worker.Connect();
        next.SendRequest(2, "GET", "/users/me");
        Assert.Equal(MeResponse, next.ReadText(2));
    }

    [Fact]
    public void Idle_kept_connections_never_keep_a_request_waiting()
    {
        // nginx keeps idle connections open (keepalive): they must not hold what the next connection's request needs.
        using var worker = new FastCgiWorker(maxConcurrency: 1);
        var idle = Enumerable.Range(0, 5).Select(_ => worker.Connect()).ToList();
        foreach (var client in idle)
        {
            client.SendRequest(1, "GET", "/users/me", keepConnection: true);
            Assert.Equal(MeResponse, client.ReadText(1));
        }
        using var next = worker.Connect();
        next.SendRequest(1, "GET", "/users/me");
        Assert.Equal(MeResponse, next.ReadText(1));
        idle.ForEach(c => c.Dispose());
    }

    [Fact]
    public void Requests_are_served_concurrently_up_to_max_concurrency()
    {
        using var worker = new FastCgiWorker(maxConcurrency: 2);
        var slow = Enumerable.Range(0, 2).Select(_ => worker.Connect()).ToList();
        foreach (var client in slow) // two requests in flight, each waiting for the rest of its body
        {
            client.Begin(1);
            client.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "4")]);
            client.SendStdin(1, "ab"u8, end: false);
        }
        Assert.True(SpinWait.SpinUntil(() => worker.Server.InFlight == 2, 5000));
        using var third = worker.Connect();
        third.SendRequest(1, "GET", "/users/me");
        third.ReceiveTimeout = 500;
        Assert.ThrowsAny<System.IO.IOException>(() => third.Read()); // waits for a slot
        slow[0].SendStdin(1, "cd"u8);
        Assert.EndsWith("\r\n\r\nabcd", slow[0].ReadText(1));
        third.ReceiveTimeout = 10_000;
        Assert.Equal(MeResponse, third.ReadText(1)); // served once the first finished
        slow[1].SendStdin(1, "ef"u8);
        Assert.EndsWith("\r\n\r\nabef", slow[1].ReadText(1));
        slow.ForEach(c => c.Dispose());
    }

    [Fact]
    public void Handlers_that_hang_past_their_deadline_do_not_keep_the_next_request_waiting()
    {
        // The audit's reproduction: --max-concurrency 2, a 1-second timeout, two requests to a handler that does not
        // return for 8 s. Each is answered 503 at its deadline; a request to a fast route must then be served at once,
        // not when a slow handler returns (before, its wait for a slot had no deadline and the worker was stuck).
        using var worker = new FastCgiWorker(maxConcurrency: 2, options: new CgiOptions { Timeout = TimeSpan.FromSeconds(1) });
        var slow = Enumerable.Range(0, 2).Select(_ => worker.Connect()).ToList();
        foreach (var client in slow)
            client.SendRequest(1, "GET", "/filters/slow/15000");
        foreach (var client in slow)
            Assert.StartsWith("Status: 503 ", client.ReadText(1));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var next = worker.Connect();
        next.SendRequest(1, "GET", "/users/me");
        Assert.Equal(MeResponse, next.ReadText(1));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"answered after {clock.Elapsed.TotalSeconds:F1} s: it waited for a hung handler's slot");
        Assert.Equal(2, worker.Server.StuckHandlers);
        slow.ForEach(c => c.Dispose());
    }

    [Fact]
    public void A_request_that_finds_no_slot_within_its_deadline_is_answered_503()
    {
        using var worker = new FastCgiWorker(maxConcurrency: 1, options: new CgiOptions { Timeout = TimeSpan.FromSeconds(10) });
        using var busy = worker.Connect(); // holds the one slot, waiting for the rest of its body, well within its deadline
        busy.Begin(1);
        busy.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "4")]);
        busy.SendStdin(1, "ab"u8, end: false);
        Assert.True(SpinWait.SpinUntil(() => worker.Server.InFlight == 1, 5000));
        using var waiting = worker.Connect(); // with a deadline of its own, 0.2 s, set by the web server
        waiting.Begin(1);
        waiting.SendParams(1, [new("REQUEST_METHOD", "GET"), new("PATH_INFO", "/users/me"), new("CGIROUTING_TIMEOUT", "0.2")]);
        waiting.SendStdin(1, []);
        Assert.StartsWith("Status: 503 ", waiting.ReadText(1));
        Assert.Contains("found none of the 1 request slots (--max-concurrency) free within its timeout of 0.2 s: answered 503.", worker.LogText);
        busy.SendStdin(1, "cd"u8);
        Assert.EndsWith("\r\n\r\nabcd", busy.ReadText(1)); // the busy request itself is unharmed
    }

    [Fact]
    public void Max_requests_stops_the_worker_after_that_many_requests()
    {
        using var worker = new FastCgiWorker(maxRequests: 2, start: false);
        var run = Background.Start(worker.Server.Run);
        using (var client = worker.Connect())
        {
            client.SendRequest(1, "GET", "/users/me");
            Assert.Equal(MeResponse, client.ReadText(1));
        }
        using (var client = worker.Connect())
        {
            client.SendRequest(1, "GET", "/users/me");
            Assert.Equal(MeResponse, client.ReadText(1));
            Assert.True(client.IsClosedByWorker());
        }
        Assert.True(run.Finished(TimeSpan.FromSeconds(10)), "Run returns after two requests");
        Assert.Equal(0, run.Result);
        Assert.Contains("served 2 requests (--max-requests): exiting.", worker.LogText);
        Assert.Equal(2, worker.Server.Served);
        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => worker.Connect()); // no longer listening
    }

    [Fact]
    public void A_connection_that_carries_no_request_leaves_the_worker_s_only_request_to_the_next()
    {
        // A health check, a GET_VALUES probe or a client gone before nginx sent anything: with --max-requests 1 such a
        // connection used up the one accept the worker had, and it neither served nor exited.
        using var worker = new FastCgiWorker(maxRequests: 1, start: false);
        var run = Background.Start(worker.Server.Run);
        using (var probe = worker.Connect())
        {
            probe.Send(FastCgiClient.Record(FastCgiClient.GetValues, 0, []));
            probe.Read(); // GET_VALUES_RESULT
        }
        using (var client = worker.Connect())
        {
            client.SendRequest(1, "GET", "/users/me");
            Assert.Equal(MeResponse, client.ReadText(1));
        }
        Assert.True(run.Finished(TimeSpan.FromSeconds(10)), "Run returns after its one request");
    }

    [Fact]
    public void A_worker_that_reaches_max_requests_serves_the_connections_queued_on_its_own_listener()
    {
        using var worker = new FastCgiWorker(maxRequests: 1, start: false);
        var run = Background.Start(worker.Server.Run);
        using var first = worker.Connect(); // the one request, waiting for the rest of its body
        first.Begin(1);
        first.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "4")]);
        first.SendStdin(1, "ab"u8, end: false);
        Assert.True(SpinWait.SpinUntil(() => worker.Server.InFlight == 1, 5000));
        using var queued = worker.Connect(); // queued by the kernel: no thread accepts past the quota
        queued.SendRequest(1, "GET", "/users/me");
        first.SendStdin(1, "cd"u8);
        Assert.EndsWith("\r\n\r\nabcd", first.ReadText(1));
        // The quota is reached and the worker stops: its listener's queue is emptied before the listener goes.
        Assert.Equal(MeResponse, queued.ReadText(1));
        Assert.True(run.Finished(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_connection_the_web_server_keeps_is_served_past_max_requests_until_it_closes_it()
    {
        // Closing it at the quota raced with the web server's next request on it: nginx answered 502 to the POSTs it
        // had sent on a connection the worker was closing.
        using var worker = new FastCgiWorker(maxRequests: 1, start: false);
        var run = Background.Start(worker.Server.Run);
        using (var client = worker.Connect())
        {
            for (int id = 1; id <= 3; id++)
            {
                client.SendRequest(id, "GET", "/users/me", keepConnection: true);
                Assert.Equal(MeResponse, client.ReadText(id));
            }
            Assert.False(run.Finished(TimeSpan.FromMilliseconds(200)), "the worker waits for the web server to close its connection");
            Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => worker.Connect()); // but accepts no other
        }
        Assert.True(run.Finished(TimeSpan.FromSeconds(10)), "Run returns once the web server has closed its connection");
        Assert.Equal(3, worker.Server.Served);
        Assert.Single(Regex.Matches(worker.LogText, "keeps its connections to this worker open"));
    }

    [Fact]
    public void Stop_serves_what_the_web_server_sends_on_kept_connections_until_it_closes_them()
    {
        using var worker = new FastCgiWorker();
        using var idle = worker.Connect();
        idle.SendRequest(1, "GET", "/users/me", keepConnection: true);
        Assert.Equal(MeResponse, idle.ReadText(1));
        using var busy = worker.Connect();
        busy.Begin(1, keepConnection: true);
        busy.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "4")]);
        busy.SendStdin(1, "ab"u8, end: false);
        Assert.True(SpinWait.SpinUntil(() => worker.Server.Served == 1 && worker.Server.InFlight == 1, 5000)); // reading the body
        var stop = Background.Start(() => worker.Server.Stop(TimeSpan.FromSeconds(10)));
        Assert.False(stop.Finished(TimeSpan.FromMilliseconds(300)), "Stop waits for the request in flight");
        busy.SendStdin(1, "cd"u8);
        Assert.EndsWith("\r\n\r\nabcd", busy.ReadText(1));
        // The idle connection was not closed under the web server: a request it sends now is served.
        idle.SendRequest(2, "GET", "/users/me", keepConnection: true);
        Assert.Equal(MeResponse, idle.ReadText(2));
        Assert.False(stop.Finished(TimeSpan.FromMilliseconds(200)), "Stop waits for the web server to close its connections");
        idle.Dispose();
        busy.Dispose();
        Assert.True(stop.Finished(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, stop.Result);
    }

    [Fact]
    public void Stop_closes_kept_connections_that_are_idle_at_its_deadline()
    {
        using var worker = new FastCgiWorker();
        using var idle = worker.Connect();
        idle.SendRequest(1, "GET", "/users/me", keepConnection: true);
        Assert.Equal(MeResponse, idle.ReadText(1));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stop = Background.Start(() => worker.Server.Stop(TimeSpan.FromMilliseconds(500)));
        Assert.True(idle.IsClosedByWorker());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(450), "closed before the deadline");
        Assert.True(stop.Finished(TimeSpan.FromSeconds(5)));
    }
}

/// <summary>A call on a thread of its own (the worker's calls block), and its result.</summary>
internal sealed class Background
{
    private readonly ManualResetEventSlim _done = new();
    public int Result { get; private set; } = -1;

    public static Background Start(Func<int> call)
    {
        var background = new Background();
        new Thread(() =>
        {
            background.Result = call();
            background._done.Set();
        }) { IsBackground = true }.Start();
        return background;
    }

    public bool Finished(TimeSpan timeout) => _done.Wait(timeout);
}
