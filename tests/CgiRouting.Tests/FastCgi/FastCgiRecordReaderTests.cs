using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CgiRouting.FastCgi;
using Xunit;
using static CgiRouting.Tests.FastCgiClient;

namespace CgiRouting.Tests;

/// <summary>The record reader alone, over connections that deliver bytes in every chunk size.</summary>
public class FastCgiRecordReaderTests
{
    /// <summary>A connection that gives at most <c>chunk</c> bytes per read, as a socket may.</summary>
    private sealed class Trickle(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(65536)]
    [InlineData(1 << 20)]
    public void Records_of_every_size_come_out_whole_in_order_whatever_the_reads_deliver(int chunk)
    {
        var random = new Random(chunk);
        var sent = new List<(int Type, int Id, byte[] Content)>();
        var bytes = new MemoryStream();
        // Full-size records among small ones: the buffer must move unread bytes to its front between them.
        foreach (int size in new[] { 65535, 3, 65535, 0, 65000, 65535, 17, 40000, 65535, 65535, 1 })
        {
            var content = new byte[size];
            random.NextBytes(content);
            int type = random.Next(1, 12), id = random.Next(0, 65536);
            sent.Add((type, id, content));
            bytes.Write(Record(type, id, content, padding: random.Next(0, 256)));
        }
        var reader = new FastCgiRecordReader(new Trickle(bytes.ToArray(), chunk));
        foreach (var (type, id, content) in sent)
        {
            Assert.True(reader.TryRead(out var record));
            Assert.Equal((type, id), ((int)record.Type, (int)record.RequestId));
            Assert.True(content.AsSpan().SequenceEqual(record.Content.Span));
        }
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void The_end_of_the_connection_inside_a_record_is_a_protocol_error()
    {
        byte[] record = Record(Stdin, 1, new byte[100]);
        for (int cut = 1; cut < record.Length; cut++)
        {
            var reader = new FastCgiRecordReader(new MemoryStream(record[..cut]));
            Assert.Throws<FastCgiProtocolException>(() => reader.TryRead(out _));
        }
    }
}
