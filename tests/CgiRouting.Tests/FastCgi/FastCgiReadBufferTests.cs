using System.Collections.Generic;
using System.IO;
using System.Linq;
using CgiRouting.FastCgi;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// A worker keeps the read buffers of closed connections for the next ones: each is larger than the large-object
/// threshold, and a new one per connection piled up on the large object heap until a full collection.
/// </summary>
public class FastCgiReadBufferTests
{
    private static FastCgiServer Server() => new(listener: -1, ownsListener: false, maxConcurrency: 2, maxRequests: 0, options: null, TextWriter.Null);

    [Fact]
    public void A_returned_buffer_is_the_next_one_rented_and_a_new_one_is_made_when_none_is_kept()
    {
        var server = Server();
        byte[] first = server.RentReadBuffer();
        Assert.Equal(FastCgiRecordReader.BufferSize, first.Length);
        Assert.NotSame(first, server.RentReadBuffer());
        server.ReturnReadBuffer(first);
        Assert.Same(first, server.RentReadBuffer());
        Assert.NotSame(first, server.RentReadBuffer());
    }

    [Fact]
    public void At_most_eight_buffers_are_kept()
    {
        var server = Server();
        byte[][] returned = Enumerable.Range(0, FastCgiServer.MaxPooledReadBuffers + 1).Select(_ => server.RentReadBuffer()).ToArray();
        foreach (byte[] buffer in returned)
            server.ReturnReadBuffer(buffer);
        byte[][] rented = Enumerable.Range(0, FastCgiServer.MaxPooledReadBuffers + 1).Select(_ => server.RentReadBuffer()).ToArray();
        // The first eight returned come back, the last one rented after them is new: the ninth was not kept.
        // Compared as references: buffers of zeros are all equal as sequences.
        Assert.True(returned.Take(FastCgiServer.MaxPooledReadBuffers).Reverse()
            .SequenceEqual(rented.Take(FastCgiServer.MaxPooledReadBuffers), ReferenceEqualityComparer.Instance));
        Assert.DoesNotContain(returned, buffer => ReferenceEquals(buffer, rented[^1]));
    }

    [Fact]
    public void A_connection_reads_into_a_kept_buffer_and_gives_it_back_when_it_closes()
    {
        var server = Server();
        byte[] kept = new byte[FastCgiRecordReader.BufferSize];
        server.ReturnReadBuffer(kept);
        var connection = new FastCgiConnection(new MemoryStream(), server, shutdown: null);
        Assert.NotSame(kept, server.RentReadBuffer()); // the connection holds it
        connection.Serve(); // the web server closes the connection at once
        Assert.Same(kept, server.RentReadBuffer());
    }
}
