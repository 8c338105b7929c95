using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using CgiRouting.FastCgi;
using Xunit;
using static CgiRouting.Tests.FastCgiClient;

namespace CgiRouting.Tests;

/// <summary>
/// One FastCGI connection served on the test's thread from a scripted stream (<see cref="ScriptedStream"/>): each read
/// gets at most one record, so a test knows exactly how far the connection read (whether it kept the connection for
/// the next request, or drained a body), and every byte it wrote. What needs the socket and the accepting threads is
/// in <see cref="FastCgiServerTests"/> and <see cref="FastCgiTests"/>.
/// </summary>
public class FastCgiConnectionTests
{
    private const string MeResponse = FastCgiTests.MeResponse;
    private const byte Keep = 1;

    private static FastCgiServer Server(long maxRequests = 0, CgiOptions? options = null, TextWriter? log = null)
        => new(listener: -1, ownsListener: false, maxConcurrency: 2, maxRequests, options, log ?? TextWriter.Null);

    private static byte[] Begin(int id, byte flags, int role = 1)
        => Record(BeginRequest, id, [(byte)(role >> 8), (byte)role, flags, 0, 0, 0, 0, 0]);

    /// <summary>A request as nginx sends it, a record per chunk: BEGIN_REQUEST, PARAMS, their end, STDIN, its end.</summary>
    private static byte[][] Request(int id, string method, string path, byte flags, byte[]? body = null, params (string Name, string Value)[] extra)
    {
        var pairs = new List<KeyValuePair<string, string>> { new("REQUEST_METHOD", method), new("PATH_INFO", path) };
        if (body is not null)
            pairs.Add(new("CONTENT_LENGTH", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        pairs.AddRange(extra.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        var records = new List<byte[]> { Begin(id, flags), Record(Params, id, Pairs(pairs)), Record(Params, id, []) };
        if (body is { Length: > 0 })
            records.Add(Record(Stdin, id, body));
        records.Add(Record(Stdin, id, []));
        return [.. records];
    }

    /// <summary>Serves <paramref name="stream"/> to its end (or until the connection closes) on this thread.</summary>
    private static FastCgiConnection Serve(ScriptedStream stream, FastCgiServer? server = null, Action? shutdown = null)
    {
        var connection = new FastCgiConnection(stream, server ?? Server(), shutdown);
        connection.Serve();
        return connection;
    }

    /// <summary>The STDOUT text of <paramref name="id"/>, and whether it ended with an empty STDOUT and END_REQUEST (complete).</summary>
    private static (string Stdout, bool Ended) Response(List<ClientRecord> records, int id)
    {
        var mine = records.Where(r => r.RequestId == id).ToList();
        string stdout = Encoding.UTF8.GetString([.. mine.Where(r => r.Type == Stdout).SelectMany(r => r.Content)]);
        bool ended = mine.Count >= 2 && mine[^1] is { Type: EndRequest } end && end.Content[4] == 0
            && mine[^2] is { Type: Stdout, Content.Length: 0 };
        return (stdout, ended);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)] // a flag bit other than FCGI_KEEP_CONN
    public void Without_keep_conn_the_connection_closes_after_the_response_and_the_next_request_is_never_read(int flags)
    {
        byte[][] first = Request(1, "GET", "/users/me", (byte)flags);
        var stream = new ScriptedStream([.. first, .. Request(2, "GET", "/users/me", Keep)]);
        Serve(stream);
        Assert.Equal(first.Length, stream.ChunksRead);
        Assert.Equal((MeResponse, true), Response(stream.Records(), 1));
        Assert.DoesNotContain(stream.Records(), r => r.RequestId == 2);
    }

    [Fact]
    public void With_keep_conn_the_next_request_is_served_on_the_same_connection()
    {
        var stream = new ScriptedStream([.. Request(1, "GET", "/users/me", Keep | 2), .. Request(2, "POST", "/bytes", 0, "two"u8.ToArray())]);
        Serve(stream);
        Assert.Equal(stream.Chunks, stream.ChunksRead);
        Assert.Equal((MeResponse, true), Response(stream.Records(), 1));
        Assert.EndsWith("\r\n\r\ntwo", Response(stream.Records(), 2).Stdout);
    }

    [Fact]
    public void A_refused_role_keeps_the_connection_only_with_keep_conn()
    {
        var stream = new ScriptedStream([Begin(3, 2, role: 2), Begin(4, Keep, role: 2), .. Request(5, "GET", "/users/me", 0)]);
        Serve(stream);
        // The first refusal closes the connection (flags 2 is not FCGI_KEEP_CONN): BEGIN_REQUEST 4 is never read.
        Assert.Equal(1, stream.ChunksRead);
        var refusal = Assert.Single(stream.Records());
        Assert.Equal((EndRequest, 3, 3), (refusal.Type, refusal.RequestId, (int)refusal.Content[4]));

        stream = new ScriptedStream([Begin(4, Keep, role: 2), .. Request(5, "GET", "/users/me", 0)]);
        Serve(stream);
        Assert.Equal((MeResponse, true), Response(stream.Records(), 5));
    }

    [Fact]
    public void A_response_leaves_with_its_end_request_in_one_write()
    {
        // The web server reads the whole answer at once, and the worker makes one system call for it: the response's
        // last STDOUT record, the empty one and END_REQUEST go out together (two writes before).
        var stream = new ScriptedStream(Request(1, "GET", "/users/me", Keep));
        Serve(stream);
        Assert.Equal((MeResponse, true), Response(stream.Records(), 1));
        Assert.Equal(1, stream.Writes);
    }

    /// <summary>The PARAMS nginx sends with the printed configuration (hosting/apps.sh), for a request of <paramref name="path"/>.</summary>
    private static (string, string)[] NginxParameters(string path) =>
    [
        ("GATEWAY_INTERFACE", "CGI/1.1"), ("SERVER_SOFTWARE", "nginx/1.22.1"), ("SERVER_PROTOCOL", "HTTP/1.1"),
        ("SERVER_NAME", "localhost"), ("SERVER_ADDR", "127.0.0.1"), ("SERVER_PORT", "8080"), ("REMOTE_ADDR", "127.0.0.1"),
        ("REMOTE_PORT", "45678"), ("REQUEST_URI", "/app" + path), ("QUERY_STRING", ""), ("CONTENT_TYPE", ""),
        ("CONTENT_LENGTH", ""), ("SCRIPT_NAME", "/app"), ("HTTP_HOST", "127.0.0.1:8080"), ("HTTP_USER_AGENT", "wrk"),
    ];

    [Fact]
    public void A_kept_connection_allocates_per_request_only_what_differs()
    {
        // What a worker allocates per request sets how often its garbage collector runs. On a kept connection, the
        // PARAMS buffer and the output buffer are the last request's, the names and unchanged values are the last
        // request's strings, and the response head is formatted on the stack. Measured on this thread: 1,942 bytes a
        // request; 2,988 without the kept PARAMS buffer, 3,036 without the kept output buffer, 3,339 without the reused
        // strings (7,495 with none of these, for 19 pairs).
        byte[][] requests = [.. Enumerable.Range(1, 500).SelectMany(_ => Request(1, "GET", "/users/me", Keep, null, NginxParameters("/users/me")))];
        var server = Server();
        Serve(new ScriptedStream(Request(1, "GET", "/users/me", Keep)), server);
        var stream = new ScriptedStream(requests);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Serve(stream, server);
        long perRequest = (GC.GetAllocatedBytesForCurrentThread() - before) / 500;
        Assert.Equal(500, stream.Records().Count(r => r.Type == EndRequest));
        Assert.Equal(string.Concat(Enumerable.Repeat(MeResponse, 500)), Response(stream.Records(), 1).Stdout);
        Assert.InRange(perRequest, 1, 2_500);
    }

    [Fact]
    public void A_response_after_a_larger_one_on_the_same_connection_is_exactly_its_own()
    {
        // The second response is written into the first one's (grown) buffer: nothing of the first may show.
        byte[] large = Encoding.UTF8.GetBytes(new string('a', 5_000));
        var stream = new ScriptedStream([.. Request(1, "POST", "/bytes", Keep, large), .. Request(2, "GET", "/users/me", Keep)]);
        Serve(stream);
        var records = stream.Records();
        Assert.EndsWith("\r\n\r\n" + new string('a', 5_000), Response(records, 1).Stdout);
        Assert.Equal((MeResponse, true), Response(records, 2));
    }

    [Fact]
    public void A_connection_that_ends_in_the_body_gets_no_end_request()
    {
        var stream = new ScriptedStream(Begin(1, Keep),
            Record(Params, 1, Pairs([new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "10")])),
            Record(Params, 1, []), Record(Stdin, 1, "abc"u8));
        Serve(stream);
        // The handler's 400 was flushed, but the request is not ended: nobody is left to read END_REQUEST.
        var records = stream.Records();
        Assert.All(records, r => Assert.Equal((Stdout, 1), (r.Type, r.RequestId)));
        Assert.DoesNotContain(records, r => r.Content.Length == 0);
        Assert.StartsWith("Status: 400 Bad Request\r\n", Response(records, 1).Stdout);
    }

    [Fact]
    public void After_a_late_answer_the_connection_is_not_used_again_even_with_keep_conn()
    {
        using var answered = new ManualResetEventSlim();
        int shutdowns = 0;
        byte[][] first =
        [
            Begin(1, Keep),
            Record(Params, 1, Pairs([new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/bytes"), new("CONTENT_LENGTH", "3")])),
            Record(Params, 1, []), Record(Stdin, 1, "abc"u8), Record(Stdin, 1, []),
        ];
        var stream = new ScriptedStream([.. first, .. Request(2, "GET", "/users/me", Keep)])
        {
            // The body arrives only once the deadline has answered 503 (and asked for the connection to be shut down:
            // here shutting down does nothing, so only the connection's own decision keeps request 2 unserved).
            BeforeChunk = i => { if (i == 3) Assert.True(answered.Wait(10_000), "no late answer"); },
        };
        Serve(stream, Server(options: new CgiOptions { Timeout = TimeSpan.FromMilliseconds(200) }), () =>
        {
            Interlocked.Increment(ref shutdowns);
            answered.Set();
        });
        var (stdout, ended) = Response(stream.Records(), 1);
        Assert.StartsWith("Status: 503 Service Unavailable\r\n", stdout);
        Assert.True(ended);
        Assert.Equal(1, shutdowns);
        Assert.DoesNotContain(stream.Records(), r => r.RequestId == 2);
        Assert.True(stream.ChunksRead < first.Length + 1, $"{stream.ChunksRead} records read: request 2 began");
    }

    [Fact]
    public void An_abort_before_the_params_end_keeps_the_connection_with_keep_conn()
    {
        var stream = new ScriptedStream([Begin(1, Keep), Record(Params, 1, Pairs([new("REQUEST_METHOD", "GET")])),
            Record(AbortRequest, 1, []), .. Request(2, "GET", "/users/me", 0)]);
        Serve(stream);
        var ended = Assert.Single(stream.Records(), r => r.RequestId == 1);
        Assert.Equal((EndRequest, 0), (ended.Type, (int)ended.Content[4]));
        Assert.Equal((MeResponse, true), Response(stream.Records(), 2));
    }

    [Fact]
    public void Records_of_other_requests_while_the_params_arrive_are_answered_or_dropped_never_mixed_in()
    {
        var stream = new ScriptedStream(Begin(1, 0),
            Record(Params, 1, Pairs([new("REQUEST_METHOD", "GET"), new("PATH_INFO", "/whoami")])),
            Record(GetValues, 0, Pairs([new("FCGI_MPXS_CONNS", "")])),
            Begin(2, 0),
            Record(Params, 2, Pairs([new("HTTP_X_USER", "intruder")])),
            Record(AbortRequest, 2, []),
            Record(Stdin, 2, "x"u8),
            Record(42, 1, "??"u8),
            Record(Params, 1, []), Record(Stdin, 1, []));
        Serve(stream);
        var records = stream.Records();
        Assert.Equal(("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 9\r\n\r\nanonymous", true), Response(records, 1));
        var values = Assert.Single(records, r => r.Type == GetValuesResult);
        Assert.Equal(Pairs([new("FCGI_MPXS_CONNS", "0")]), values.Content);
        var refusal = Assert.Single(records, r => r.RequestId == 2);
        Assert.Equal((EndRequest, 1), (refusal.Type, (int)refusal.Content[4])); // FCGI_CANT_MPX_CONN
        var unknown = Assert.Single(records, r => r.Type == UnknownType);
        Assert.Equal(new byte[] { 42, 0, 0, 0, 0, 0, 0, 0 }, unknown.Content);
        Assert.Equal(6, records.Count); // and the response: STDOUT, empty STDOUT, END_REQUEST
    }

    [Fact]
    public void Records_of_an_ended_request_are_dropped_without_an_answer()
    {
        // nginx may send the rest of a body, or an abort, after the response it did not wait for.
        var stream = new ScriptedStream([.. Request(1, "GET", "/users/me", Keep),
            Record(AbortRequest, 1, []), Record(Params, 1, []), Record(Stdin, 1, "late"u8), Record(8, 1, "data"u8), // FCGI_DATA
            .. Request(2, "GET", "/users/me", 0)]);
        Serve(stream);
        var records = stream.Records();
        Assert.Equal([1, 1, 1, 2, 2, 2], records.Select(r => r.RequestId));
        Assert.Equal((MeResponse, true), Response(records, 2));
    }

    [Theory]
    [InlineData(0, 200)]
    [InlineData(1, 431)]
    public void Params_of_exactly_the_limit_are_served_and_one_byte_more_is_431(int over, int status)
    {
        var pairs = new List<KeyValuePair<string, string>> { new("REQUEST_METHOD", "GET"), new("PATH_INFO", "/users/me") };
        int padding = FastCgiConnection.MaxParamsSize + over - Pairs(pairs).Length - (1 + 4 + "HTTP_X_PAD".Length);
        pairs.Add(new("HTTP_X_PAD", new string('p', padding)));
        byte[] all = Pairs(pairs);
        Assert.Equal(FastCgiConnection.MaxParamsSize + over, all.Length);
        var records = new List<byte[]> { Begin(1, 0) };
        for (int offset = 0; offset < all.Length; offset += 65535)
            records.Add(Record(Params, 1, all.AsSpan(offset, Math.Min(65535, all.Length - offset))));
        records.AddRange([Record(Params, 1, []), Record(Stdin, 1, [])]);
        var stream = new ScriptedStream([.. records]);
        Serve(stream);
        var (stdout, ended) = Response(stream.Records(), 1);
        Assert.True(ended);
        Assert.Equal(status == 200 ? MeResponse
            : "Status: 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 36\r\n\r\nThe request's headers are too large.", stdout);
    }

    [Fact]
    public void Close_if_idle_shuts_an_idle_connection_down_once()
    {
        int shutdowns = 0;
        var connection = new FastCgiConnection(new ScriptedStream(), Server(), () => shutdowns++);
        connection.CloseIfIdle();
        connection.CloseIfIdle();
        Assert.Equal(1, shutdowns);
    }

    [Fact]
    public void Close_if_idle_does_nothing_once_the_connection_has_ended()
    {
        int shutdowns = 0;
        var connection = Serve(new ScriptedStream(Request(1, "GET", "/users/me", 0)), shutdown: () => shutdowns++);
        connection.CloseIfIdle();
        Assert.Equal(0, shutdowns);
    }

    [Fact]
    public void A_connection_closed_while_idle_answers_no_further_request()
    {
        // Shutting down does nothing here: the connection itself must not begin the request that comes after.
        int shutdowns = 0;
        var stream = new ScriptedStream([.. Request(1, "GET", "/users/me", Keep)]);
        var connection = new FastCgiConnection(stream, Server(), () => shutdowns++);
        connection.CloseIfIdle();
        connection.Serve();
        Assert.Equal(1, stream.ChunksRead);
        Assert.Empty(stream.Records());
        Assert.Equal(1, shutdowns);
    }

    [Fact]
    public void Close_if_idle_during_a_request_lets_it_finish_then_shuts_down_and_begins_no_other()
    {
        int shutdowns = 0, shutdownsDuringRequest = -1;
        FastCgiConnection? connection = null;
        byte[][] first = Request(1, "POST", "/bytes", Keep, "abc"u8.ToArray());
        var stream = new ScriptedStream([.. first, .. Request(2, "GET", "/users/me", Keep)])
        {
            BeforeChunk = i =>
            {
                if (i != 3) // request 1's body: its handler is running
                    return;
                connection!.CloseIfIdle();
                shutdownsDuringRequest = shutdowns;
            },
        };
        connection = new FastCgiConnection(stream, Server(), () => shutdowns++);
        connection.Serve();
        Assert.Equal(0, shutdownsDuringRequest);
        Assert.Equal(1, shutdowns);
        Assert.EndsWith("\r\n\r\nabc", Response(stream.Records(), 1).Stdout);
        Assert.DoesNotContain(stream.Records(), r => r.RequestId == 2);
        Assert.Equal(first.Length + 1, stream.ChunksRead); // request 2's BEGIN_REQUEST, and nothing after it
    }

    [Fact]
    public void With_max_requests_a_kept_connection_is_still_served_and_another_connection_too()
    {
        var server = Server(maxRequests: 2);
        // The web server keeps the connection: every request it sends on it is served, past the quota too.
        var stream = new ScriptedStream([.. Request(1, "GET", "/users/me", Keep), .. Request(2, "GET", "/users/me", Keep),
            .. Request(3, "GET", "/users/me", Keep)]);
        Serve(stream, server);
        Assert.Equal((MeResponse, true), Response(stream.Records(), 3));
        Assert.False(server.HasRequestsLeft);

        // Another connection, accepted before the quota was reached, whose request the web server has sent: it is
        // served (closing it unanswered was a 502, and nginx never sends a POST again).
        var other = new ScriptedStream(Request(4, "GET", "/users/me", 0));
        Serve(other, server);
        Assert.Equal((MeResponse, true), Response(other.Records(), 4));
    }

    [Fact]
    public void An_internal_error_closes_the_connection_with_one_line_on_the_log_and_an_io_error_closes_it_quietly()
    {
        var log = new StringWriter();
        Serve(new ScriptedStream(new byte[] { 1 }) { BeforeChunk = _ => throw new InvalidOperationException("the disk is on fire") }, Server(log: log));
        Assert.StartsWith("CgiRouting: FastCGI connection closed after an internal error: System.InvalidOperationException: the disk is on fire",
            log.ToString());
        Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("CgiRouting:", StringComparison.Ordinal));

        log = new StringWriter();
        Serve(new ScriptedStream(new byte[] { 1 }) { BeforeChunk = _ => throw new IOException("reset") }, Server(log: log));
        Assert.Empty(log.ToString());
    }

    /// <summary>GET with a body the app never reads (no CONTENT_LENGTH): STDIN records of 65,535 bytes, then its end.</summary>
    private static ScriptedStream UnreadBody(int records)
    {
        var chunks = new List<byte[]>(Request(1, "GET", "/users/me", 0)[..3]);
        var content = new byte[65535];
        for (int i = 0; i < records; i++)
            chunks.Add(Record(Stdin, 1, content));
        chunks.Add(Record(Stdin, 1, []));
        chunks.AddRange(Request(2, "GET", "/users/me", 0));
        return new ScriptedStream([.. chunks]);
    }

    [Theory]
    // 16 records (1,048,560 bytes) are within the 1 MiB drained after a response, although MaxRequestBodySize is 100:
    // all read, up to the end of STDIN.
    [InlineData(16, 3 + 16 + 1)]
    // 17 are past it: the connection closes after reading into the 17th, before the end of STDIN.
    [InlineData(17, 3 + 17)]
    public void Closing_after_the_response_drains_an_unread_body_up_to_the_larger_of_the_limit_and_1_mib(int records, int read)
    {
        var stream = UnreadBody(records);
        Serve(stream, Server(options: new CgiOptions { MaxRequestBodySize = 100 }));
        Assert.Equal((MeResponse, true), Response(stream.Records(), 1));
        Assert.Equal(read, stream.ChunksRead);
    }
}

/// <summary>The STDIN of one request as its handler reads it (<see cref="FastCgiInputStream"/>).</summary>
public class FastCgiInputStreamTests
{
    private static (FastCgiInputStream Input, FastCgiOutputStream Output) Input(params byte[][] records)
    {
        var stream = new ScriptedStream(records);
        var connection = new FastCgiConnection(stream, new FastCgiServer(-1, false, 1, 0, null, TextWriter.Null), null);
        var output = new FastCgiOutputStream(new FastCgiRecordWriter(stream), 1);
        return (new FastCgiInputStream(connection, 1, output), output);
    }

    private static byte[] Stdin(int length) => Record(FastCgiClient.Stdin, 1, new byte[length]);
    private static byte[] End => Record(FastCgiClient.Stdin, 1, []);

    [Theory]
    [InlineData(8192, true)]  // exactly the limit, then the end of STDIN
    [InlineData(8191, false)] // one byte short of the body
    public void Drain_to_end_reads_up_to_the_limit_and_says_whether_it_reached_the_end(long limit, bool reached)
        => Assert.Equal(reached, Input(Stdin(4096), Stdin(4096), End).Input.DrainToEnd(limit));

    [Fact]
    public void Drain_to_end_counts_every_record()
        => Assert.False(Input(Stdin(100), Stdin(100), Stdin(100), End).Input.DrainToEnd(150));

    [Fact]
    public void Drain_to_end_is_false_when_the_connection_ends_first()
        => Assert.False(Input(Stdin(10)).Input.DrainToEnd(1000));

    [Fact]
    public void Drain_to_end_is_false_after_an_abort_or_a_broken_record()
    {
        Assert.False(Input(Stdin(10), Record(AbortRequest, 1, [])).Input.DrainToEnd(1000));
        Assert.False(Input(Stdin(10), Record(FastCgiClient.Stdin, 1, [1], version: 3)).Input.DrainToEnd(1000));
    }

    [Fact]
    public void Drain_to_end_is_false_when_reading_fails()
    {
        var stream = new ScriptedStream(Stdin(10), End) { BeforeChunk = i => { if (i == 1) throw new IOException("reset"); } };
        var connection = new FastCgiConnection(stream, new FastCgiServer(-1, false, 1, 0, null, TextWriter.Null), null);
        var input = new FastCgiInputStream(connection, 1, new FastCgiOutputStream(new FastCgiRecordWriter(stream), 1));
        Assert.False(input.DrainToEnd(1000));
    }

    [Fact]
    public void A_broken_record_cuts_the_body_short_on_every_later_read_and_drops_the_response()
    {
        var (input, output) = Input(Record(FastCgiClient.Stdin, 1, "abc"u8), Record(FastCgiClient.Stdin, 1, "def"u8, version: 7), End);
        var buffer = new byte[10];
        Assert.Equal(3, input.Read(buffer));
        for (int i = 0; i < 2; i++)
        {
            var cut = Assert.Throws<CgiRequestException>(() => input.Read(buffer));
            Assert.Equal((400, "The request body ended before CONTENT_LENGTH bytes arrived."), (cut.StatusCode, cut.Message));
        }
        Assert.Equal("a record has version 7, not 1.", input.Broken?.Message);
        Assert.True(output.Discarded);
    }
}

/// <summary>The response of one request as STDOUT records (<see cref="FastCgiOutputStream"/>), byte by byte.</summary>
public class FastCgiOutputStreamTests
{
    /// <summary>The records a response of <paramref name="body"/> becomes (after an error line when <paramref name="error"/>), with the closing ones, as the specification lays them out.</summary>
    private static byte[] Expected(byte[] body, bool error)
    {
        var expected = new MemoryStream();
        if (error)
            expected.Write(Record(Stderr, 1, "oops"u8, padding: 4));
        for (int offset = 0; offset < body.Length; offset += 65528)
        {
            int length = Math.Min(65528, body.Length - offset);
            expected.Write(Record(Stdout, 1, body.AsSpan(offset, length), padding: -length & 7));
        }
        if (error)
            expected.Write(Record(Stderr, 1, []));
        expected.Write(Record(Stdout, 1, []));
        expected.Write(Record(EndRequest, 1, new byte[8]));
        return expected.ToArray();
    }

    private static byte[] Zeroed(byte[] records)
    {
        // The test client pads with 0xEE; the worker pads with zeros.
        for (int i = 0; i < records.Length;)
        {
            int content = records[i + 4] << 8 | records[i + 5], padding = records[i + 6];
            records.AsSpan(i + 8 + content, padding).Clear();
            i += 8 + content + padding;
        }
        return records;
    }

    public static TheoryData<int, bool> Sizes()
    {
        var sizes = new TheoryData<int, bool>();
        // Around the first buffer (4,096 bytes of content), where the padding and the closing records must still fit,
        // and around one record (65,528) and two.
        foreach (int size in Enumerable.Range(4088, 32).Concat([0, 1, 65527, 65528, 65529, 65535, 65536, 131056, 131057, 200_003]))
        {
            sizes.Add(size, false);
            sizes.Add(size, true);
        }
        return sizes;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void A_response_written_at_once_is_stdout_records_of_at_most_65528_bytes_then_the_closing_records(int size, bool error)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        var sent = new MemoryStream();
        var output = new FastCgiOutputStream(new FastCgiRecordWriter(sent), 1);
        if (error)
            output.WriteError("oops"u8);
        output.Write(body);
        output.Complete();
        Assert.Equal(Zeroed(Expected(body, error)), sent.ToArray());
    }

    [Fact]
    public void A_response_written_in_pieces_is_sent_as_flushed()
    {
        var sent = new MemoryStream();
        var output = new FastCgiOutputStream(new FastCgiRecordWriter(sent), 1);
        output.Write(new byte[3000]);
        output.Write(new byte[5000]);
        output.Flush();
        output.Flush(); // nothing more
        output.Write(new byte[70000]);
        output.Complete();
        output.Flush();
        Assert.Equal(Zeroed([.. Record(Stdout, 1, new byte[8000]), .. Record(Stdout, 1, new byte[65528]), .. Expected(new byte[70000 - 65528], false)]),
            sent.ToArray());
    }

    [Fact]
    public void No_stderr_goes_out_after_end_request_or_while_the_response_is_dropped()
    {
        var sent = new MemoryStream();
        var output = new FastCgiOutputStream(new FastCgiRecordWriter(sent), 1) { Discarded = true };
        output.WriteError("dropped"u8);
        Assert.Equal(0, sent.Length);
        output.Discarded = false;
        output.WriteError("kept"u8);
        output.Complete();
        long ended = sent.Length;
        output.WriteError("too late"u8);
        Assert.Equal(ended, sent.Length);
        Assert.Equal(Zeroed([.. Record(Stderr, 1, "kept"u8, padding: 4), .. Record(Stderr, 1, []), .. Expected([], false)]), sent.ToArray());
    }
}

/// <summary>
/// A connection's bytes, scripted: each read returns at most the rest of one chunk (a record, as the tests write
/// them), so <see cref="ChunksRead"/> says exactly how far the connection has read; what is written is kept.
/// </summary>
internal sealed class ScriptedStream(params byte[][] chunks) : Stream
{
    private readonly MemoryStream _written = new();
    private int _next, _offset;

    /// <summary>Called with a chunk's index before its first byte is read (it may block, or throw).</summary>
    public Action<int>? BeforeChunk { get; init; }

    public int Chunks => chunks.Length;

    /// <summary>How many chunks the reader has begun.</summary>
    public int ChunksRead => _next + (_offset > 0 ? 1 : 0);

    public List<ClientRecord> Records()
    {
        lock (_written)
            return Parse(_written.ToArray());
    }

    public override int Read(Span<byte> buffer)
    {
        if (_next == chunks.Length || buffer.IsEmpty)
            return 0;
        if (_offset == 0)
            BeforeChunk?.Invoke(_next);
        var chunk = chunks[_next];
        int count = Math.Min(buffer.Length, chunk.Length - _offset);
        chunk.AsSpan(_offset, count).CopyTo(buffer);
        _offset += count;
        if (_offset == chunk.Length)
            (_next, _offset) = (_next + 1, 0);
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>How many writes the connection made.</summary>
    public int Writes { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_written)
        {
            _written.Write(buffer);
            Writes++;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
