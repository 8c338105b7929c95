using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>IAsyncEnumerable&lt;T&gt; results: NDJSON or server-sent events, each item out before the next is made.</summary>
public class StreamTests
{
    private static (string Output, string Log) Run(string path, params (string, string)[] extra)
    {
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = path };
        foreach (var (name, value) in extra)
            environment[name] = value;
        var output = new LoggingStream();
        var log = new StringWriter();
        CgiApp.Run(environment, new MemoryStream(), output, new CgiOptions { ErrorLog = log });
        return (Encoding.UTF8.GetString(output.ToArray()), log.ToString());
    }

    [Fact]
    public void Items_are_newline_delimited_json_without_a_content_length()
    {
        var (output, _) = Run("/items/stream/3");
        Assert.Equal("Status: 200 OK\r\nContent-Type: application/x-ndjson\r\nX-Accel-Buffering: no\r\nCache-Control: no-cache\r\n\r\n"
            + "{\"Id\":1,\"Name\":\"item 1\"}\n{\"Id\":2,\"Name\":\"item 2\"}\n{\"Id\":3,\"Name\":\"item 3\"}\n", output);
    }

    [Fact]
    public void An_EventSource_gets_server_sent_events()
    {
        var (output, _) = Run("/items/stream/2", ("HTTP_ACCEPT", "text/event-stream"));
        Assert.StartsWith("Status: 200 OK\r\nContent-Type: text/event-stream\r\n", output);
        Assert.EndsWith("\r\n\r\ndata: {\"Id\":1,\"Name\":\"item 1\"}\n\ndata: {\"Id\":2,\"Name\":\"item 2\"}\n\n", output);
    }

    [Fact]
    public void Each_item_is_written_before_the_next_is_produced()
    {
        StreamRoutes.Log = new StringBuilder();
        LoggingStream.Log = StreamRoutes.Log;
        Run("/items/stream/3");
        // The head, then item by item: produced, written; never two produced in a row.
        Assert.Equal("produce 1;write;write;produce 2;write;produce 3;write;", StreamRoutes.Log.ToString());
        StreamRoutes.Log = null;
        LoggingStream.Log = null;
    }

    [Fact]
    public void An_empty_stream_is_200_with_no_items()
        => Assert.EndsWith("Cache-Control: no-cache\r\n\r\n", Run("/items/stream/0").Output);

    [Fact]
    public void A_handler_failing_before_its_first_item_gets_a_500()
    {
        var (output, log) = Run("/items/failing/0");
        Assert.StartsWith("Status: 500 Internal Server Error\r\n", output);
        Assert.Contains("the source broke after 0", log);
    }

    [Fact]
    public void A_handler_failing_later_ends_the_stream_and_logs()
    {
        var (output, log) = Run("/items/failing/2");
        Assert.StartsWith("Status: 200 OK\r\n", output);
        Assert.EndsWith("\r\n\r\n{\"Id\":1,\"Name\":\"ok\"}\n{\"Id\":2,\"Name\":\"ok\"}\n", output);
        Assert.Contains("the streamed response body failed after its headers were sent", log);
        Assert.Contains("the source broke after 2", log);
    }

    private sealed class LoggingStream : MemoryStream
    {
        public static StringBuilder? Log { get; set; }
        public override void Write(byte[] buffer, int offset, int count) { Log?.Append("write;"); base.Write(buffer, offset, count); }
    }
}
