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

    private static CgiRequest Accepting(string? accept)
        => CgiRequest.Create("GET", "/", null, accept is null ? null : [new("Accept", accept)]);

    [Theory]
    [InlineData(null, "application/x-ndjson")]
    [InlineData("application/json", "application/x-ndjson")]
    [InlineData("*/*", "application/x-ndjson")]
    [InlineData("text/event-stream", "text/event-stream")]
    [InlineData("text/html, TEXT/EVENT-STREAM;q=0.9", "text/event-stream")]
    public async System.Threading.Tasks.Task Only_an_Accept_naming_event_stream_gets_server_sent_events(string? accept, string contentType)
    {
        var response = await CgiRouting.Dispatching.HandlerResults.Stream(new Items(), Accepting(accept), null);
        Assert.Equal(contentType, response.ContentType);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_source_failing_before_its_first_item_is_disposed()
    {
        var items = new Items { Fail = true };
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await CgiRouting.Dispatching.HandlerResults.Stream(items, Accepting(null), null));
        Assert.Equal("no first item", e.Message);
        Assert.True(items.Disposed);
    }

    [Fact]
    public void The_item_stream_is_read_only_and_forward_only_and_disposes_its_source()
    {
        var items = new Items();
        var stream = new CgiRouting.Dispatching.JsonItemStream<Item>(items, hasCurrent: false, typeInfo: null, events: false);
        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Equal(0, stream.Read(new byte[8]));
        Assert.False(items.Disposed);
        stream.Dispose();
        Assert.True(items.Disposed);
    }

    [Fact]
    public void An_item_of_a_type_without_a_writer_or_JsonTypeInfo_is_an_error_naming_the_type()
    {
        var stream = new CgiRouting.Dispatching.JsonItemStream<Unwritable>(new OneUnwritable(), hasCurrent: true, typeInfo: null, events: false);
        var e = Assert.Throws<InvalidOperationException>(() => stream.Read(new byte[64]));
        Assert.Equal("No JSON writer or JsonTypeInfo for Unwritable.", e.Message);
    }

    /// <summary>A type no JsonSerializerContext declares, so no generated writer covers it.</summary>
    private sealed class Unwritable
    {
    }

    private sealed class OneUnwritable : IAsyncEnumerator<Unwritable>
    {
        public Unwritable Current { get; } = new();
        public System.Threading.Tasks.ValueTask<bool> MoveNextAsync() => new(false);
        public System.Threading.Tasks.ValueTask DisposeAsync() => default;
    }

    /// <summary>An empty source, or one whose first MoveNextAsync throws, that records its disposal.</summary>
    private sealed class Items : IAsyncEnumerable<Item>, IAsyncEnumerator<Item>
    {
        public bool Fail { get; init; }
        public bool Disposed { get; private set; }
        public Item Current => throw new InvalidOperationException("no current item");
        public IAsyncEnumerator<Item> GetAsyncEnumerator(System.Threading.CancellationToken cancellationToken = default) => this;
        public System.Threading.Tasks.ValueTask<bool> MoveNextAsync()
            => Fail ? throw new InvalidOperationException("no first item") : new System.Threading.Tasks.ValueTask<bool>(false);
        public System.Threading.Tasks.ValueTask DisposeAsync()
        {
            Disposed = true;
            return default;
        }
    }

    private sealed class LoggingStream : MemoryStream
    {
        public static StringBuilder? Log { get; set; }
        public override void Write(byte[] buffer, int offset, int count) { Log?.Append("write;"); base.Write(buffer, offset, count); }
    }
}
