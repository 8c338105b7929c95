using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>The exact bytes of CgiApp.Run: what a web server reads from the child (RFC 3875 §6).</summary>
public class ProtocolTests
{
    private static (string Output, string Log) Run(Dictionary<string, string> environment, Stream? input = null, CgiOptions? options = null)
    {
        var output = new MemoryStream();
        var log = new StringWriter();
        options ??= new CgiOptions();
        options.ErrorLog = log;
        int exit = CgiApp.Run(environment, input ?? new MemoryStream(), output, options);
        Assert.Equal(0, exit);
        return (Encoding.UTF8.GetString(output.ToArray()), log.ToString());
    }

    private static Dictionary<string, string> Env(string method, string path, string query = "", params (string, string)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY_INTERFACE"] = "CGI/1.1",
            ["REQUEST_METHOD"] = method,
            ["PATH_INFO"] = path,
            ["QUERY_STRING"] = query,
        };
        foreach (var (name, value) in extra)
            environment[name] = value;
        return environment;
    }

    [Fact]
    public void A_text_response_is_status_headers_blank_line_body_with_crlf()
    {
        var (output, _) = Run(Env("GET", "/users/me"));
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nme", output);
    }

    [Fact]
    public void Head_sends_the_get_headers_without_the_body()
    {
        var (output, _) = Run(Env("HEAD", "/users/me"));
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\n", output);
    }

    [Fact]
    public void No_content_has_no_length_and_no_body()
    {
        var (output, _) = Run(Env("DELETE", "/users/1"));
        Assert.Equal("Status: 204 No Content\r\n\r\n", output);
    }

    [Fact]
    public void A_redirect_is_a_client_redirect_with_status_302()
    {
        var (output, _) = Run(Env("GET", "/go"));
        Assert.StartsWith("Status: 302 Found\r\n", output);
        Assert.Contains("\r\nLocation: /users/me\r\n", output);
    }

    [Fact]
    public void Method_not_allowed_lists_allow()
    {
        var (output, _) = Run(Env("PUT", "/users/me"));
        Assert.StartsWith("Status: 405 Method Not Allowed\r\n", output);
        Assert.Contains("\r\nAllow: GET, HEAD, OPTIONS\r\n", output);
    }

    [Fact]
    public void Missing_path_info_is_the_root()
    {
        var environment = Env("GET", "/");
        environment.Remove("PATH_INFO");
        var (output, _) = Run(environment);
        Assert.StartsWith("Status: 404", output); // Routes has no "/" route; the request did not crash
        Assert.Equal("/", new CgiRequest(environment).Path);
    }

    [Fact]
    public void The_body_is_exactly_content_length_bytes_and_never_read_to_eof()
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes("hello, and more that must not be read"));
        var (output, _) = Run(Env("PUT", "/notes/n", "", ("CONTENT_LENGTH", "5")), input);
        Assert.EndsWith("\r\n\r\nn=hello", output);
        Assert.Equal(5, input.Position);
    }

    [Fact]
    public void A_body_the_handler_did_not_read_is_drained_after_the_response()
    {
        // Apache's mod_cgid resets the connection when a child exits with unread input.
        var input = new MemoryStream(Encoding.UTF8.GetBytes("0123456789 and beyond"));
        var (output, _) = Run(Env("DELETE", "/users/1", "", ("CONTENT_LENGTH", "10")), input);
        Assert.Equal("Status: 204 No Content\r\n\r\n", output);
        Assert.Equal(10, input.Position);
    }

    [Fact]
    public void A_body_shorter_than_content_length_is_400()
    {
        var (output, _) = Run(Env("PUT", "/notes/n", "", ("CONTENT_LENGTH", "100")), new MemoryStream(Encoding.UTF8.GetBytes("short")));
        Assert.StartsWith("Status: 400 Bad Request\r\n", output);
        Assert.EndsWith("The request body ended before CONTENT_LENGTH bytes arrived.", output);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1e3")]
    [InlineData(" 5")]
    [InlineData("99999999999999999999999")]
    public void A_malformed_content_length_is_400(string length)
    {
        var (output, _) = Run(Env("PUT", "/notes/n", "", ("CONTENT_LENGTH", length)), new MemoryStream(new byte[5]));
        Assert.StartsWith("Status: 400 Bad Request\r\n", output);
        Assert.EndsWith("\r\n\r\nCONTENT_LENGTH is not a valid length.", output);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    public void Unset_empty_or_zero_content_length_is_an_empty_body(string? length)
    {
        var environment = Env("PUT", "/notes/n");
        if (length is not null)
            environment["CONTENT_LENGTH"] = length;
        var (output, _) = Run(environment, new ThrowingStream());
        Assert.EndsWith("\r\n\r\nn=", output);
    }

    [Fact]
    public void A_body_over_the_limit_is_413_without_reading_it()
    {
        var options = new CgiOptions { MaxRequestBodySize = 10 };
        string huge = (RequestPipeline.MaxBodyDrainedAfterRefusal + 1).ToString();
        var (output, _) = Run(Env("PUT", "/notes/n", "", ("CONTENT_LENGTH", huge)), new ThrowingStream(), options);
        Assert.StartsWith("Status: 413 Content Too Large\r\n", output);
        Assert.EndsWith("\r\n\r\nThe request body is larger than this app accepts.", output);
        var (atLimit, _) = Run(Env("PUT", "/notes/n", "", ("CONTENT_LENGTH", "10")), new MemoryStream(new byte[10]), options);
        Assert.StartsWith("Status: 200 OK\r\n", atLimit);
    }

    [Fact]
    public void A_modest_body_over_the_limit_is_drained_only_after_the_413_is_written()
    {
        // fcgiwrap writes the whole body to the child: if the child exits without reading it, nginx answers 502.
        var output = new MemoryStream();
        var input = new ReadAfterOutputStream(output, new byte[11]);
        CgiApp.Run(Env("PUT", "/notes/n", "", ("CONTENT_LENGTH", "11")), input, output,
            new CgiOptions { MaxRequestBodySize = 10, ErrorLog = new StringWriter() });
        Assert.StartsWith("Status: 413 Content Too Large\r\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(11, input.Position);
    }

    /// <summary>Fails the test if the body is read before anything was written to the output.</summary>
    private sealed class ReadAfterOutputStream(MemoryStream output, byte[] content) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            output.Length > 0 ? base.Read(buffer, offset, count) : throw new InvalidOperationException("the body was read before the response");

        public override int Read(Span<byte> buffer)
        {
            byte[] chunk = new byte[buffer.Length];
            int n = Read(chunk, 0, chunk.Length);
            chunk.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
    }

    [Fact]
    public void The_default_limit_is_30_megabytes()
    {
        var (output, _) = Run(Env("PUT", "/notes/n", "", ("CONTENT_LENGTH", "30000001")), new ShortStream(30_000_001));
        Assert.StartsWith("Status: 413", output);
    }

    [Fact]
    public void A_header_that_could_split_the_response_is_never_written()
    {
        var (output, log) = Run(Env("GET", "/split"));
        Assert.Equal("Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\n\r\nInternal Server Error", output);
        Assert.DoesNotContain("stolen", output);
        Assert.Contains("X-Evil", log);
    }

    [Fact]
    public void Exceptions_leak_nothing_to_the_client()
    {
        var (output, log) = Run(Env("GET", "/boom"));
        Assert.StartsWith("Status: 500 Internal Server Error\r\n", output);
        Assert.DoesNotContain("secret", output);
        Assert.DoesNotContain("at CgiRouting", output);
        Assert.Contains("secret detail 1234", log);
    }

    [Fact]
    public void A_client_that_went_away_does_not_crash_the_process()
    {
        var log = new StringWriter();
        int exit = CgiApp.Run(Env("GET", "/users/me"), new MemoryStream(), new BrokenPipeStream(), new CgiOptions { ErrorLog = log });
        Assert.Equal(0, exit);
        Assert.Contains("could not be written", log.ToString());
    }

    [Fact]
    public void Set_cookie_lines_stay_separate()
    {
        var (output, _) = Run(Env("GET", "/cookies"));
        Assert.Contains("\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-One: 2\r\n", output);
    }

    /// <summary>Fails the test if anything reads the body.</summary>
    private sealed class ThrowingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("the body was read");
        public override int Read(Span<byte> buffer) => throw new InvalidOperationException("the body was read");
    }

    /// <summary>A body of the announced length, without holding it in memory.</summary>
    private sealed class ShortStream(long length) : Stream
    {
        private long _left = length;
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, _left);
            buffer[..n].Clear();
            _left -= n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class BrokenPipeStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("Broken pipe");
    }
}
