using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// The CGI response writer on its own: which headers a handler may set, what the error log says when it may not, and
/// how many writes a response takes.
/// </summary>
public class ResponseWriterTests
{
    /// <summary>The error <see cref="CgiResponseWriter.FormatHead"/> gives, asserting that no head was made.</summary>
    private static string Refused(Response response)
    {
        Assert.Null(CgiResponseWriter.FormatHead(response, https: false, out string? error));
        Assert.NotNull(error);
        return error;
    }

    private static string Head(Response response)
    {
        byte[]? head = CgiResponseWriter.FormatHead(response, https: false, out string? error);
        Assert.Null(error);
        return Encoding.UTF8.GetString(head!);
    }

    // Hop-by-hop headers (RFC 9110 §7.6.1) and framing are the web server's; Status and Content-Length are CgiRouting's.
    [Theory]
    [InlineData("Status")]
    [InlineData("Content-Length")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Connection")]
    [InlineData("Keep-Alive")]
    [InlineData("Upgrade")]
    [InlineData("Trailer")]
    [InlineData("TE")]
    [InlineData("Proxy-Connection")]
    public void A_header_that_is_the_servers_or_the_frameworks_is_refused_in_any_case(string name)
    {
        foreach (string spelling in new[] { name, name.ToLowerInvariant(), name.ToUpperInvariant() })
        {
            Assert.Equal($"the header '{spelling}' is set by CgiRouting or the web server, not by a handler.",
                Refused(Response.Text("x").WithHeader(spelling, "1")));
        }
    }

    [Theory]
    [InlineData("Statuses")]
    [InlineData("X-Status")]
    [InlineData("Content-Length2")]
    [InlineData("Connections")]
    [InlineData("Upgrade-Insecure-Requests")]
    [InlineData("TE2")]
    [InlineData("T")]
    [InlineData("Trailers")]
    [InlineData("Location")]
    [InlineData("Cache-Control")]
    public void Headers_that_only_resemble_them_are_written(string name)
    {
        Assert.Contains($"\r\n{name}: 1\r\n", Head(Response.Text("x").WithHeader(name, "1")));
    }

    [Fact]
    public void A_header_without_a_name_is_refused()
        => Assert.Equal("a header has an empty name.", Refused(Response.Text("x").WithHeader("", "1")));

    [Theory]
    [InlineData("X Y")]     // a space is printable, and shown as it is
    [InlineData("X:Y")]
    [InlineData("X(Y)")]
    [InlineData("X-\u00E9")]
    public void A_header_name_that_is_not_a_token_is_refused(string name)
    {
        Assert.Equal($"the header name '{name}' has a character that is not allowed in a header name.",
            Refused(Response.Text("x").WithHeader(name, "1")));
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x0A)]
    [InlineData(0x0D)]
    [InlineData(0x1F)]
    [InlineData(0x7F)]
    public void A_control_character_in_a_refused_name_is_shown_escaped(int c)
    {
        Assert.Equal($"the header name 'X\\x{c:X2}Y' has a character that is not allowed in a header name.",
            Refused(Response.Text("x").WithHeader("X" + (char)c + "Y", "1")));
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x0A)]
    [InlineData(0x0D)]
    [InlineData(0x1F)]
    [InlineData(0x7F)]
    public void A_header_value_with_a_control_character_is_refused(int c)
    {
        Assert.Equal("the value of header 'X-A' has a control character (CR, LF or another) that could split the response.",
            Refused(Response.Text("x").WithHeader("X-A", "a" + (char)c + "b")));
        Assert.Equal("the value of header 'X-A' has a control character (CR, LF or another) that could split the response.",
            Refused(Response.Text("x").WithHeader("X-A", "a\r\nSet-Cookie: stolen=1")));
    }

    [Fact]
    public void A_header_value_may_have_tabs_spaces_and_any_other_character()
    {
        Assert.Contains("\r\nX-A: a\tb c~\u00E9\u20AC\r\n", Head(Response.Text("x").WithHeader("X-A", "a\tb c~\u00E9\u20AC")));
    }

    [Fact]
    public void A_head_longer_than_the_stack_space_is_written_whole_in_one_write()
    {
        // The head is formatted on the stack up to 512 characters, then in an array that grows: the bytes must not
        // change at the edge, nor for text that is longer in UTF-8 than in characters.
        foreach (int length in new[] { 0, 400, 447, 448, 449, 512, 1_000, 5_000 })
        {
            string value = new string('\u20AC', length / 3) + new string('v', length - length / 3);
            var response = Response.Text("x", 201).WithHeader("X-Long", value).WithHeader("X-After", "1");
            string expected = "Status: 201 Created\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\n"
                + "X-Long: " + value + "\r\nX-After: 1\r\n\r\n";
            Assert.Equal(expected, Head(response));
            var output = new RecordingStream();
            CgiResponseWriter.Write(response, omitBody: false, https: false, output, new StringWriter());
            Assert.Equal(expected + "x", Encoding.UTF8.GetString(Assert.Single(output.Writes)));
        }
    }

    [Fact]
    public void The_content_type_is_checked_like_any_other_value()
    {
        Assert.Equal("the value of header 'Content-Type' has a control character (CR, LF or another) that could split the response.",
            Refused(Response.Text("x").WithHeader("Content-Type", "text/html\r\nX-Evil: 1")));
    }

    [Fact]
    public void A_bad_name_is_reported_before_a_bad_value()
    {
        Assert.StartsWith("the header name 'X Y'", Refused(Response.Text("x").WithHeader("X Y", "a\nb")));
        Assert.StartsWith("the header 'Connection'", Refused(Response.Text("x").WithHeader("Connection", "a\nb")));
    }

    [Fact]
    public void A_refused_response_becomes_a_500_and_the_reason_goes_to_the_error_log()
    {
        var output = new MemoryStream();
        var log = new StringWriter();
        CgiResponseWriter.Write(Response.Text("secret").WithHeader("Transfer-Encoding", "chunked"), omitBody: false, https: false, output, log);
        Assert.Equal("Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\n\r\nInternal Server Error",
            Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal("CgiRouting: response not sent, the header 'Transfer-Encoding' is set by CgiRouting or the web server, not by a handler."
            + Environment.NewLine, log.ToString());
    }

    /// <summary>Records each write and flush, as the web server would see them arrive.</summary>
    private sealed class RecordingStream : Stream
    {
        public List<byte[]> Writes { get; } = [];
        public int Flushes { get; private set; }
        public int FlushesAfterLastWrite { get; private set; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        /// <summary>Each write and flush in order: "write 2;flush;".</summary>
        public StringBuilder Log { get; } = new();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes.Add(buffer.ToArray());
            FlushesAfterLastWrite = 0;
            Log.Append("write ").Append(buffer.Length).Append(';');
        }

        public override void Flush()
        {
            Flushes++;
            FlushesAfterLastWrite++;
            Log.Append("flush;");
        }

        public byte[] All()
        {
            var all = new MemoryStream();
            foreach (byte[] write in Writes)
                all.Write(write);
            return all.ToArray();
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>A binary response whose head and body together are <paramref name="total"/> bytes.</summary>
    private static (Response Response, byte[] Head, byte[] Body) ResponseOfSize(int total)
    {
        // The head's length depends only on the number of digits of the body's length (5 here).
        int headLength = CgiResponseWriter.FormatHead(Response.Bytes(new byte[10_000]), https: false, out _)!.Length;
        var body = new byte[total - headLength];
        new Random(total).NextBytes(body);
        var response = Response.Bytes(body);
        byte[] head = CgiResponseWriter.FormatHead(response, https: false, out _)!;
        Assert.Equal(total, head.Length + body.Length);
        return (response, head, body);
    }

    [Fact]
    public void A_response_of_up_to_64_KiB_leaves_in_one_write()
    {
        var (response, head, body) = ResponseOfSize(64 * 1024);
        var output = new RecordingStream();
        CgiResponseWriter.Write(response, omitBody: false, https: false, output, new StringWriter());
        var write = Assert.Single(output.Writes);
        Assert.Equal([.. head, .. body], write);
        Assert.Equal(0, output.Flushes); // the stream's owner ends the response
    }

    [Fact]
    public void A_larger_response_leaves_as_head_then_body_without_a_copy()
    {
        var (response, head, body) = ResponseOfSize(64 * 1024 + 1);
        var output = new RecordingStream();
        CgiResponseWriter.Write(response, omitBody: false, https: false, output, new StringWriter());
        Assert.Equal(2, output.Writes.Count);
        Assert.Equal(head, output.Writes[0]);
        Assert.Equal(body, output.Writes[1]);
        Assert.Equal(0, output.Flushes);
    }

    [Fact]
    public void A_buffered_response_is_left_for_the_streams_owner_to_end_and_CgiApp_Run_flushes_the_stream_it_was_given()
    {
        // The writer does not flush a buffered response: a FastCGI response must leave with its END_REQUEST in one
        // write (FastCgiConnectionTests), and standard output is not buffered. CgiApp.Run, given a stream, ends it.
        var output = new RecordingStream();
        CgiResponseWriter.Write(Response.Text("hi"), omitBody: false, https: false, output, new StringWriter());
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nhi", Encoding.UTF8.GetString(output.All()));
        Assert.Equal(0, output.Flushes);

        var given = new RecordingStream();
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = "/users/me" };
        Assert.Equal(0, CgiApp.Run(environment, new MemoryStream(), given));
        Assert.StartsWith("Status: 200 OK\r\n", Encoding.UTF8.GetString(given.All()));
        Assert.Equal(1, given.FlushesAfterLastWrite);
    }

    [Fact]
    public void Head_of_a_large_response_is_one_write_of_the_head_with_the_full_length()
    {
        var (response, head, _) = ResponseOfSize(90 * 1024);
        var output = new RecordingStream();
        CgiResponseWriter.Write(response, omitBody: true, https: false, output, new StringWriter());
        Assert.Equal(head, Assert.Single(output.Writes));
        Assert.Contains($"Content-Length: {response.Body.Length}\r\n", Encoding.UTF8.GetString(head));
    }

    /// <summary>A body that gives its chunks one read at a time.</summary>
    private sealed class ChunkedBody(params string[] chunks) : MemoryStream
    {
        private int _next;

        public override int Read(Span<byte> buffer)
        {
            if (_next == chunks.Length)
                return 0;
            return Encoding.UTF8.GetBytes(chunks[_next++], buffer);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    }

    [Fact]
    public void A_streamed_response_flushes_its_head_and_then_each_read_before_the_next()
    {
        var output = new RecordingStream();
        CgiResponseWriter.Write(Response.Stream(new ChunkedBody("ab", "cde"), "text/plain"), omitBody: false, https: false, output, new StringWriter());
        byte[] head = CgiResponseWriter.FormatHead(Response.Stream(new MemoryStream(), "text/plain"), https: false, out _)!;
        Assert.Equal($"write {head.Length};flush;write 2;flush;write 3;flush;", output.Log.ToString());
        Assert.EndsWith("\r\n\r\nabcde", Encoding.UTF8.GetString(output.All()));
    }

    [Fact]
    public void Head_of_a_streamed_response_flushes_the_head_alone()
    {
        var output = new RecordingStream();
        CgiResponseWriter.Write(Response.Stream(new ChunkedBody("ab"), "text/plain"), omitBody: true, https: false, output, new StringWriter());
        byte[] head = CgiResponseWriter.FormatHead(Response.Stream(new MemoryStream(), "text/plain"), https: false, out _)!;
        Assert.Equal($"write {head.Length};flush;", output.Log.ToString());
    }

    [Theory]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(199)]
    [InlineData(204)]
    [InlineData(304)]
    public void Statuses_without_a_body_have_no_length_and_send_no_body(int status)
    {
        var output = new RecordingStream();
        CgiResponseWriter.Write(Response.Text("dropped", status), omitBody: false, https: false, output, new StringWriter());
        string text = Encoding.UTF8.GetString(output.All());
        Assert.DoesNotContain("Content-Length", text);
        Assert.EndsWith("\r\n\r\n", text);
    }
}
