using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CgiRouting.FastCgi;
using CsCheck;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>The bytes of the FastCGI wire format, each piece alone: record headers, name-value pairs, socket addresses.</summary>
public class FastCgiWireFormatTests
{
    [Fact]
    public void A_record_header_is_big_endian_and_pads_the_content_to_eight_bytes()
    {
        var header = new byte[8];
        Assert.Equal(6, FastCgiRecord.WriteHeader(header, FastCgiRecordType.Stdout, 0x1234, 0x0102));
        Assert.Equal(new byte[] { 1, (byte)FastCgiRecordType.Stdout, 0x12, 0x34, 0x01, 0x02, 6, 0 }, header);
        Assert.Equal(0, FastCgiRecord.WriteHeader(header, FastCgiRecordType.Stdin, 0xFFFF, 0xFFF8));
        Assert.Equal(new byte[] { 1, (byte)FastCgiRecordType.Stdin, 0xFF, 0xFF, 0xFF, 0xF8, 0, 0 }, header);
        Assert.Equal(7, FastCgiRecord.WriteHeader(header, FastCgiRecordType.Stdin, 1, 1));
    }

    [Fact]
    public void The_end_of_a_response_is_an_empty_stdout_and_a_complete_end_request_whatever_the_buffer_held()
    {
        var records = Enumerable.Repeat((byte)0xEE, 30).ToArray();
        FastCgiRecordWriter.FormatEnd(records, 0x0203);
        Assert.Equal(new byte[]
        {
            1, (byte)FastCgiRecordType.Stdout, 0x02, 0x03, 0, 0, 0, 0,
            1, (byte)FastCgiRecordType.EndRequest, 0x02, 0x03, 0, 8, 0, 0,
            0, 0, 0, 0, FastCgiRecord.RequestComplete, 0, 0, 0,
            0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE,
        }, records);
    }

    private static byte[] Pair(string name, string value)
    {
        var output = new MemoryStream();
        FastCgiNameValuePairs.Write(output, name, value);
        return output.ToArray();
    }

    [Fact]
    public void Lengths_under_128_take_one_byte_and_longer_ones_four_with_the_top_bit_set()
    {
        Assert.Equal(new byte[] { 1, 127 }, Pair("a", new string('v', 127))[..2]);
        Assert.Equal(new byte[] { 1, 0x80, 0, 0, 128 }, Pair("a", new string('v', 128))[..5]);
        Assert.Equal(new byte[] { 0x80, 0x01, 0x11, 0x70, 0 }, Pair(new string('n', 70_000), "")[..5]);
        Assert.Equal(new byte[] { 0x81, 0x02, 0x03, 0x04 }, WrittenLength(0x01020304));
    }

    private static byte[] WrittenLength(int length)
    {
        // Only the length of a name that long is written: the name itself is not made (16 MiB).
        var output = new MemoryStream();
        typeof(FastCgiNameValuePairs).GetMethod("WriteLength", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, [output, length]);
        return output.ToArray();
    }

    [Fact]
    public void Pairs_round_trip_with_both_length_encodings()
    {
        var pairs = new Dictionary<string, string>();
        byte[] data = [.. Pair("SHORT", "x"), .. Pair(new string('n', 200), new string('v', 70_000)), .. Pair("", "")];
        Assert.True(FastCgiNameValuePairs.TryParse(data, pairs));
        Assert.Equal("x", pairs["SHORT"]);
        Assert.Equal(new string('v', 70_000), pairs[new string('n', 200)]);
        Assert.Equal("", pairs[""]);
    }

    private static byte[] Pairs(params (string Name, string Value)[] pairs) => [.. pairs.SelectMany(p => Pair(p.Name, p.Value))];

    [Fact]
    public void The_next_request_on_a_connection_reuses_the_strings_of_names_and_values_that_did_not_change()
    {
        string[]? recent = null;
        var first = new Dictionary<string, string>();
        Assert.True(FastCgiNameValuePairs.TryParse(Pairs(("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/a"), ("HTTP_HOST", "example.com")), first, ref recent));
        var second = new Dictionary<string, string>();
        Assert.True(FastCgiNameValuePairs.TryParse(Pairs(("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/b"), ("HTTP_HOST", "example.com")), second, ref recent));
        Assert.Equal(["GET", "/b", "example.com"], second.Values);
        string method = first.Keys.First();
        Assert.Same(method, second.Keys.First());                // the same name in the same place: the same string
        Assert.Same(first["HTTP_HOST"], second["HTTP_HOST"]);    // and the same value
        Assert.NotSame(first["REQUEST_URI"], second["REQUEST_URI"]);
        // A pair that moved, or whose value changed, is made anew; the next parse compares with this request's.
        var third = new Dictionary<string, string>();
        Assert.True(FastCgiNameValuePairs.TryParse(Pairs(("HTTP_HOST", "example.com"), ("REQUEST_URI", "/b")), third, ref recent));
        Assert.Equal("example.com", third["HTTP_HOST"]);
        Assert.Same(second["REQUEST_URI"], third["REQUEST_URI"]);
    }

    [Fact]
    public void Only_ascii_text_is_reused_and_a_request_with_many_pairs_is_not_kept()
    {
        string[]? recent = null;
        var first = new Dictionary<string, string>();
        Assert.True(FastCgiNameValuePairs.TryParse(Pairs(("HTTP_X_NAME", "caf\u00e9")), first, ref recent));
        var second = new Dictionary<string, string>();
        Assert.True(FastCgiNameValuePairs.TryParse(Pairs(("HTTP_X_NAME", "caf\u00e9")), second, ref recent));
        Assert.Equal("caf\u00e9", second["HTTP_X_NAME"]);
        Assert.NotSame(first["HTTP_X_NAME"], second["HTTP_X_NAME"]); // compared as ASCII only: decoded again, never guessed
        string[] kept = recent!;
        var many = Enumerable.Range(0, FastCgiNameValuePairs.MaxRecentPairs + 1).Select(i => ("N" + i, "v")).ToArray();
        Assert.True(FastCgiNameValuePairs.TryParse(Pairs(many), new Dictionary<string, string>(), ref recent));
        Assert.Same(kept, recent); // a PARAMS block of thousands of pairs is not held by the connection
    }

    [Fact]
    public void A_request_with_fewer_pairs_leaves_nothing_of_the_last_ones_in_the_kept_strings()
    {
        string[]? recent = null;
        Assert.True(FastCgiNameValuePairs.TryParse(Pairs(("HTTP_HOST", "a"), ("HTTP_COOKIE", "secret=1")), new Dictionary<string, string>(), ref recent));
        Assert.Contains("secret=1", recent!);
        Assert.True(FastCgiNameValuePairs.TryParse(Pairs(("HTTP_HOST", "a")), new Dictionary<string, string>(), ref recent));
        Assert.Equal(new string?[] { "HTTP_HOST", "a", null, null }, recent!.AsEnumerable());
    }

    [Fact]
    public void A_parse_that_reuses_strings_gives_what_a_parse_from_nothing_gives()
    {
        // Any two requests in a row on a connection: the second's pairs are exactly those of a one-off parse.
        var text = Gen.OneOf(Gen.Const(""), Gen.Const("GET"), Gen.Const("x"), Gen.Const("caf\u00e9"), Gen.String[Gen.Char['\0', '\u00ff'], 0, 6]);
        var pairs = Gen.Select(text, text).Array[0, 8];
        Gen.Select(pairs, pairs).Sample((before, after) =>
        {
            string[]? recent = null;
            Assert.True(FastCgiNameValuePairs.TryParse(Pairs(before), new Dictionary<string, string>(), ref recent));
            var reused = new Dictionary<string, string>();
            Assert.True(FastCgiNameValuePairs.TryParse(Pairs(after), reused, ref recent));
            var fresh = new Dictionary<string, string>();
            Assert.True(FastCgiNameValuePairs.TryParse(Pairs(after), fresh));
            Assert.Equal(fresh.OrderBy(p => p.Key, StringComparer.Ordinal), reused.OrderBy(p => p.Key, StringComparer.Ordinal));
        }, iter: 2_000);
    }

    [Theory]
    [InlineData(new byte[] { 5 })]                          // a name length and no value length
    [InlineData(new byte[] { 0 })]                          // an empty name's length and no value length
    [InlineData(new byte[] { 1, 0x80, 0, 0 })]              // a four-byte length cut short
    [InlineData(new byte[] { 0x81, 0, 0, 0, 0 })]           // a name of 16 MiB in five bytes
    [InlineData(new byte[] { 0x80, 1, 0, 0, 0 })]           // a name of 64 KiB
    [InlineData(new byte[] { 0x80, 0, 1, 0, 0 })]           // a name of 256 bytes
    [InlineData(new byte[] { 0, 3, (byte)'a', (byte)'b' })] // a value longer than the rest
    public void Pairs_whose_lengths_run_past_the_end_are_refused(byte[] data)
        => Assert.False(FastCgiNameValuePairs.TryParse(data, new Dictionary<string, string>()));

    [Fact]
    public void A_four_byte_length_may_end_the_data()
    {
        var pairs = new Dictionary<string, string>();
        Assert.True(FastCgiNameValuePairs.TryParse(new byte[] { 0, 0x80, 0, 0, 0 }, pairs));
        Assert.Equal("", pairs[""]);
    }

    [Fact]
    public void The_end_of_the_connection_inside_a_header_or_a_record_is_named()
    {
        var inHeader = new FastCgiRecordReader(new MemoryStream(new byte[] { 1, 5, 0 }));
        Assert.Equal("the connection ended inside a record header.", Assert.Throws<FastCgiProtocolException>(() => inHeader.TryRead(out _)).Message);
        var inContent = new FastCgiRecordReader(new MemoryStream(FastCgiClient.Record(FastCgiClient.Stdin, 1, new byte[10])[..12]));
        Assert.Equal("the connection ended inside a record.", Assert.Throws<FastCgiProtocolException>(() => inContent.TryRead(out _)).Message);
    }

    [Theory]
    [InlineData("127.0.0.1:0", "127.0.0.1:")]
    [InlineData("[::1]:0", "[::1]:")]
    public void A_worker_listens_on_IPv4_and_IPv6_and_describes_the_address_it_got(string address, string described)
    {
        int listener;
        try
        {
            listener = SocketDescriptor.Listen(address, 1);
        }
        catch (InvalidOperationException) when (address.StartsWith('[') && !LoopbackHasIPv6())
        {
            return; // no IPv6 on this machine's loopback
        }
        try
        {
            string text = SocketDescriptor.Describe(listener);
            Assert.StartsWith(described, text);
            int port = int.Parse(text[described.Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(port, 1, 65535);
            using var client = new System.Net.Sockets.TcpClient(address.StartsWith('[') ? "::1" : "127.0.0.1", port); // it accepts there
        }
        finally
        {
            SocketDescriptor.Close(listener);
        }
    }

    /// <summary>Whether .NET's own sockets can listen on [::1] here: then the worker must too.</summary>
    private static bool LoopbackHasIPv6()
    {
        try
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetworkV6,
                System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [Fact]
    public void A_unix_socket_path_of_107_bytes_is_the_longest_and_is_described_whole()
    {
        string directory = Directory.CreateTempSubdirectory("cgirouting-sock-").FullName;
        try
        {
            string path = directory + "/" + new string('s', 107 - directory.Length - 1);
            Assert.Equal(107, path.Length);
            int listener = SocketDescriptor.Listen("unix:" + path, 1);
            try
            {
                Assert.Equal("unix:" + path, SocketDescriptor.Describe(listener));
            }
            finally
            {
                SocketDescriptor.Close(listener);
            }
            var e = Assert.Throws<FormatException>(() => SocketDescriptor.Listen("unix:" + path + "x", 1));
            Assert.Equal($"'unix:{path}x': a unix socket path must have 1 to 107 bytes.", e.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(":9000", "':9000' is not an address to listen on: write IP:PORT (127.0.0.1:9000, [::1]:9000) or unix:/path/to.sock.")]
    [InlineData("[]:9000", "'[]' in '[]:9000' is not an IPv4 address (host names are not resolved).")]
    [InlineData("[::1:9000", "'[::1' in '[::1:9000' is not an IPv4 address (host names are not resolved).")]
    [InlineData("::1]:9000", "'::1]' in '::1]:9000' is not an IPv4 address (host names are not resolved).")]
    [InlineData("[127.0.0.1]:9000", "'127.0.0.1' in '[127.0.0.1]:9000' is not an IPv6 address (host names are not resolved).")]
    [InlineData("::1:9000", "'::1' in '::1:9000' is not an IPv4 address (host names are not resolved).")]
    public void An_address_that_is_not_IP_and_port_is_refused_with_what_was_wrong(string address, string message)
        => Assert.Equal(message, Assert.Throws<FormatException>(() => SocketDescriptor.Listen(address, 1)).Message);

    [Fact]
    public void A_descriptor_that_is_not_a_socket_is_described_by_its_number()
        => Assert.Equal("descriptor 987", SocketDescriptor.Describe(987));

    private static byte[] Header(FastCgiRecordType type, int length)
    {
        var header = new byte[8];
        FastCgiRecord.WriteHeader(header, type, 1, length);
        return header;
    }

    private static readonly byte[] End = [.. Header(FastCgiRecordType.Stdout, 0), .. Header(FastCgiRecordType.EndRequest, 8), 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void Stdout_is_buffered_until_flushed_padded_with_zeros_and_closed_once()
    {
        var connection = new MemoryStream();
        var stdout = new FastCgiOutputStream(new FastCgiRecordWriter(connection), 1);
        Assert.True(stdout.CanWrite);
        Assert.False(stdout.CanRead);
        Assert.False(stdout.CanSeek);
        stdout.Write("ABCDEFGH"u8);
        Assert.Equal(0, connection.Length); // buffered
        stdout.Flush();
        stdout.Write("x"u8);
        stdout.Flush();
        stdout.Flush(); // nothing buffered: nothing sent
        Assert.Equal([.. Header(FastCgiRecordType.Stdout, 8), .. "ABCDEFGH"u8, .. Header(FastCgiRecordType.Stdout, 1), (byte)'x', 0, 0, 0, 0, 0, 0, 0],
            connection.ToArray());
        connection.SetLength(0);
        stdout.Write("yz"u8);
        stdout.Complete();
        stdout.Complete(); // once only
        stdout.Flush();
        Assert.Equal([.. Header(FastCgiRecordType.Stdout, 2), (byte)'y', (byte)'z', 0, 0, 0, 0, 0, 0, .. End], connection.ToArray());
        Assert.Equal("The response is complete.", Assert.Throws<InvalidOperationException>(() => stdout.Write("late"u8)).Message);
    }

    [Fact]
    public void A_long_write_is_cut_into_records_of_65528_bytes_and_a_discarded_response_sends_nothing()
    {
        var connection = new MemoryStream();
        var stdout = new FastCgiOutputStream(new FastCgiRecordWriter(connection), 1);
        byte[] body = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        stdout.Write(body);
        stdout.Complete();
        byte[] sent = connection.ToArray();
        Assert.Equal([.. Header(FastCgiRecordType.Stdout, 65_528), .. body[..65_528], .. Header(FastCgiRecordType.Stdout, 4_472), .. body[65_528..], .. End], sent);
        var dropped = new MemoryStream();
        var discarded = new FastCgiOutputStream(new FastCgiRecordWriter(dropped), 1) { Discarded = true };
        discarded.Write(body);
        discarded.Complete();
        Assert.Equal(0, dropped.Length);
    }

    [Fact]
    public void Stdin_is_a_stream_that_only_reads()
    {
        var stdin = new FastCgiInputStream(null!, 1, new FastCgiOutputStream(new FastCgiRecordWriter(Stream.Null), 1));
        Assert.True(stdin.CanRead);
        Assert.False(stdin.CanSeek);
        Assert.False(stdin.CanWrite);
        Assert.Equal(0, stdin.Read([])); // an empty read asks the connection for nothing
    }
}
