using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// CONTENT_LENGTH and the body stream: exactly that many bytes of standard input, never one more (the server may keep
/// the client's socket open on it), and a body that ends early is the client's fault.
/// </summary>
public class RequestBodyTests
{
    private static CgiRequest Request(string? contentLength, Stream? input = null)
    {
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "POST" };
        if (contentLength is not null)
            environment["CONTENT_LENGTH"] = contentLength;
        return new CgiRequest(environment, input);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("0", 0)]
    [InlineData("5", 5)]
    [InlineData("007", 7)]
    [InlineData("30000000", 30_000_000)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("+5", -1)]                     // RFC 9110 §8.6: 1*DIGIT, no sign
    [InlineData("-0", -1)]
    [InlineData("-5", -1)]
    [InlineData(" 5", -1)]
    [InlineData("5 ", -1)]
    [InlineData(" ", -1)]
    [InlineData("5.0", -1)]
    [InlineData("5,000", -1)]
    [InlineData("1e3", -1)]
    [InlineData("0x10", -1)]
    [InlineData("5, 5", -1)]                   // a repeated header folded by a server
    [InlineData("\u0661\u0662", -1)]         // Arabic-Indic digits are not DIGIT
    [InlineData("9223372036854775808", -1)]    // one more than long.MaxValue
    [InlineData("99999999999999999999999", -1)]
    public void Content_length_is_digits_only(string? value, long expected)
        => Assert.Equal(expected, Request(value).ContentLength);

    [Theory]
    [InlineData("+5")]
    [InlineData("abc")]
    [InlineData("99999999999999999999999")]
    public void A_body_with_an_invalid_length_cannot_be_read(string value)
    {
        var request = Request(value, new MemoryStream(new byte[5]));
        var e = Assert.Throws<CgiRequestException>(() => request.ReadBodyBytes());
        Assert.Equal(400, e.StatusCode);
        Assert.Equal("CONTENT_LENGTH is not a valid length.", e.Message);
        Assert.Equal(400, Assert.Throws<CgiRequestException>(() => request.Body).StatusCode);
    }

    [Fact]
    public void No_input_stream_is_an_empty_body()
    {
        Assert.Empty(Request(null).ReadBodyBytes());
        Assert.Equal(-1, Request(null).Body.ReadByte());
    }

    /// <summary>Standard input as a pipe delivers it: at most <paramref name="chunk"/> bytes a read.</summary>
    private sealed class ChunkedStream(byte[] content, int chunk) : Stream
    {
        private readonly MemoryStream _content = new(content);

        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            return _content.Read(buffer[..Math.Min(buffer.Length, chunk)]);
        }

        public override long Position { get => _content.Position; set => throw new NotSupportedException(); }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static RequestBodyStream Body(string input, long length, int chunk = int.MaxValue)
        => new(new ChunkedStream(Encoding.ASCII.GetBytes(input), chunk), length);

    [Fact]
    public void Reads_stop_at_content_length_even_with_a_larger_buffer()
    {
        var inner = new ChunkedStream(Encoding.ASCII.GetBytes("hello, and more"), int.MaxValue);
        var body = new RequestBodyStream(inner, 5);
        var buffer = new byte[100];
        Assert.Equal(5, body.Read(buffer, 0, buffer.Length));
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer, 0, 5));
        Assert.Equal(5, inner.Position);
        Assert.Equal(0, body.Read(buffer, 0, buffer.Length));
        Assert.Equal(5, inner.Position); // the end of the body is known without asking the input
    }

    [Fact]
    public void A_buffer_of_exactly_the_remaining_length_is_filled()
    {
        var inner = new ChunkedStream(Encoding.ASCII.GetBytes("hello, and more"), int.MaxValue);
        var body = new RequestBodyStream(inner, 5);
        var buffer = new byte[5];
        Assert.Equal(5, body.Read(buffer));
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer));
        Assert.Equal(5, inner.Position);
    }

    [Fact]
    public void A_smaller_buffer_reads_part_and_the_rest_follows()
    {
        var body = Body("0123456789tail", 10);
        var buffer = new byte[4];
        Assert.Equal(4, body.Read(buffer));
        Assert.Equal("0123", Encoding.ASCII.GetString(buffer));
        Assert.Equal(4, body.Position);
        Assert.Equal(4, body.Read(buffer, 0, 4));
        Assert.Equal("4567", Encoding.ASCII.GetString(buffer));
        Assert.Equal(2, body.Read(buffer, 1, 3));
        Assert.Equal("89", Encoding.ASCII.GetString(buffer, 1, 2));
        Assert.Equal(10, body.Position);
        Assert.Equal(0, body.Read(buffer));
    }

    [Fact]
    public void Short_reads_of_the_input_are_passed_on_until_the_length_is_read()
    {
        var inner = new ChunkedStream(Encoding.ASCII.GetBytes("0123456789tail"), 3);
        var body = new RequestBodyStream(inner, 10);
        var all = new MemoryStream();
        body.CopyTo(all);
        Assert.Equal("0123456789", Encoding.ASCII.GetString(all.ToArray()));
        Assert.Equal(10, inner.Position);
    }

    [Fact]
    public void Read_byte_reads_one_byte_at_a_time_up_to_the_length()
    {
        var inner = new ChunkedStream([1, 2, 255, 4], int.MaxValue);
        var body = new RequestBodyStream(inner, 3);
        Assert.Equal(1, body.ReadByte());
        Assert.Equal(2, body.ReadByte());
        Assert.Equal(255, body.ReadByte()); // a byte, not a sign-extended -1
        Assert.Equal(-1, body.ReadByte());
        Assert.Equal(-1, body.ReadByte());
        Assert.Equal(3, inner.Position);
    }

    [Fact]
    public void An_empty_read_or_a_zero_length_body_does_not_touch_the_input()
    {
        var inner = new ChunkedStream([1, 2, 3], int.MaxValue);
        Assert.Equal(0, new RequestBodyStream(inner, 3).Read(Span<byte>.Empty));
        Assert.Equal(0, new RequestBodyStream(inner, 0).Read(new byte[8]));
        Assert.Equal(-1, new RequestBodyStream(inner, 0).ReadByte());
        Assert.Equal(0, inner.Reads);
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("abc", 4)]
    public void Input_that_ends_before_the_length_is_a_400(string input, long length)
    {
        var body = Body(input, length);
        var buffer = new byte[16];
        var e = Assert.Throws<CgiRequestException>(() =>
        {
            while (body.Read(buffer) > 0)
            {
            }
        });
        Assert.Equal(400, e.StatusCode);
        Assert.Equal("The request body ended before CONTENT_LENGTH bytes arrived.", e.Message);
        Assert.Equal(input.Length, body.Position);
    }

    [Fact]
    public void It_is_a_read_only_forward_only_stream_of_known_length()
    {
        var body = Body("hello", 5);
        Assert.True(body.CanRead);
        Assert.False(body.CanSeek);
        Assert.False(body.CanWrite);
        Assert.Equal(5, body.Length);
        Assert.Equal(0, body.Position);
        body.ReadByte();
        Assert.Equal(1, body.Position);
        Assert.Equal(5, body.Length);
        Assert.Throws<NotSupportedException>(() => body.Position = 0);
        Assert.Throws<NotSupportedException>(() => body.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => body.SetLength(1));
        Assert.Throws<NotSupportedException>(() => body.Write(new byte[1], 0, 1));
        body.Flush(); // nothing to flush, and no error
        Assert.Equal(1, body.Position);
    }

    [Fact]
    public async System.Threading.Tasks.Task In_process_dispatch_applies_the_body_limit_of_its_options()
    {
        var request = CgiRequest.Create("PUT", "/notes/n", "12345678901");
        var refused = await CgiApp.DispatchAsync(request, new CgiOptions { MaxRequestBodySize = 10 });
        Assert.Equal(413, refused.StatusCode);
        Assert.Equal("The request body is larger than this app accepts.", refused.BodyText);
        var accepted = await CgiApp.DispatchAsync(CgiRequest.Create("PUT", "/notes/n", "1234567890"), new CgiOptions { MaxRequestBodySize = 10 });
        Assert.Equal("n=1234567890", accepted.BodyText);
    }

    [Fact]
    public void The_request_body_is_one_stream_read_once()
    {
        var request = Request("5", new MemoryStream(Encoding.ASCII.GetBytes("hello")));
        Assert.Same(request.Body, request.Body);
        Assert.Equal((byte)'h', request.Body.ReadByte());
        Assert.Equal("ello", new StreamReader(request.Body).ReadToEnd());
    }

    /// <summary>
    /// Serves a request whose body is sent chunked, as Apache (mod_cgi, mod_cgid) and busybox pass it: the de-chunked
    /// body on standard input and no CONTENT_LENGTH; <paramref name="extra"/> adds or overrides variables.
    /// </summary>
    private static string ServeChunked(string method, string path, Stream input, CgiOptions? options = null, params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY_INTERFACE"] = "CGI/1.1",
            ["REQUEST_METHOD"] = method,
            ["PATH_INFO"] = path,
            ["HTTP_TRANSFER_ENCODING"] = "chunked",
        };
        foreach (var (name, value) in extra)
            environment[name] = value;
        var output = new MemoryStream();
        options ??= new CgiOptions();
        options.ErrorLog = TextWriter.Null;
        Assert.Equal(0, CgiApp.Run(environment, input, output, options));
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static MemoryStream Input(string text) => new(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("chunked")]
    [InlineData("Chunked")]
    [InlineData("gzip, chunked")]
    public void A_chunked_body_without_CONTENT_LENGTH_is_read_to_the_end_of_input(string transferEncoding)
    {
        string output = ServeChunked("PUT", "/notes/n", Input("important note"), null, ("HTTP_TRANSFER_ENCODING", transferEncoding));
        Assert.StartsWith("Status: 200 OK\r\n", output);
        Assert.EndsWith("\r\n\r\nn=important note", output);
    }

    [Fact]
    public void A_chunked_form_is_read_as_a_form()
    {
        string urlencoded = ServeChunked("POST", "/form/field", Input("q=cats&page=3"), null, ("CONTENT_TYPE", "application/x-www-form-urlencoded"));
        Assert.EndsWith("\r\n\r\ncats@3", urlencoded);
        byte[] multipart = FormTests.Multipart(("q", null, null, "dogs"));
        string boundary = Encoding.ASCII.GetString(multipart, 2, Encoding.ASCII.GetString(multipart).IndexOf('\r') - 2);
        string parts = ServeChunked("POST", "/form/field", new MemoryStream(multipart), null, ("CONTENT_TYPE", "multipart/form-data; boundary=" + boundary));
        Assert.EndsWith("\r\n\r\ndogs@1", parts);
    }

    [Fact]
    public void A_chunked_body_of_MaxRequestBodySize_bytes_is_read_and_one_byte_more_is_413()
    {
        var limit = new CgiOptions { MaxRequestBodySize = 10 };
        Assert.EndsWith("\r\n\r\nn=1234567890", ServeChunked("PUT", "/notes/n", Input("1234567890"), limit));
        var over = Input(new string('1', 5_000_000));
        string refused = ServeChunked("PUT", "/notes/n", over, limit);
        Assert.StartsWith("Status: 413 ", refused);
        Assert.EndsWith("\r\n\r\nThe request body is larger than this app accepts.", refused);
        // Refused as it arrives; then at most 1 MiB is drained, as after any 413, and the rest is left unread.
        Assert.InRange(over.Position, 11, RequestPipeline.MaxBodyDrainedAfterRefusal);
    }

    [Fact]
    public void A_chunked_body_the_handler_left_unread_is_drained_after_the_response()
    {
        var input = Input("not for this route");
        Assert.StartsWith("Status: 404 ", ServeChunked("PUT", "/nowhere", input));
        Assert.Equal(input.Length, input.Position);
    }

    [Theory]
    [InlineData(null, null)]       // no body announced at all
    [InlineData("gzip", null)]     // another coding is not a body of unknown length
    [InlineData("chunked", "5")]   // lighttpd and nginx de-chunk and set CONTENT_LENGTH: exactly that many bytes
    public void Without_chunked_and_an_absent_CONTENT_LENGTH_input_is_read_only_as_far_as_CONTENT_LENGTH(string? transferEncoding, string? contentLength)
    {
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "PUT" };
        if (transferEncoding is not null)
            environment["HTTP_TRANSFER_ENCODING"] = transferEncoding;
        if (contentLength is not null)
            environment["CONTENT_LENGTH"] = contentLength;
        var request = new CgiRequest(environment, Input("hello, and more"));
        Assert.Equal(contentLength is null ? "" : "hello", request.ReadBodyText());
    }
}
