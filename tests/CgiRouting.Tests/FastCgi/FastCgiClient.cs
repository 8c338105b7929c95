using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;

namespace CgiRouting.Tests;

/// <summary>One record as the test client reads it.</summary>
internal sealed record ClientRecord(int Type, int RequestId, byte[] Content);

/// <summary>
/// A FastCGI client written for the tests, independently of the worker's code: it builds records byte by byte as the
/// specification lays them out, the way a web server sends them, and reads the worker's answers.
/// </summary>
internal sealed class FastCgiClient : IDisposable
{
    public const int BeginRequest = 1, AbortRequest = 2, EndRequest = 3, Params = 4, Stdin = 5, Stdout = 6, Stderr = 7,
        GetValues = 9, GetValuesResult = 10, UnknownType = 11;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    public FastCgiClient(Socket socket)
    {
        _socket = socket;
        _socket.ReceiveTimeout = 10_000;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static FastCgiClient Connect(string address)
    {
        Socket socket;
        if (address.StartsWith("unix:", StringComparison.Ordinal))
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(address[5..]));
        }
        else
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(System.Net.IPEndPoint.Parse(address));
        }
        return new FastCgiClient(socket);
    }

    public int ReceiveTimeout { set => _socket.ReceiveTimeout = value; }

    /// <summary>A record with <paramref name="padding"/> bytes of padding (the version byte may be wrong on purpose).</summary>
    public static byte[] Record(int type, int requestId, ReadOnlySpan<byte> content, int padding = 0, int version = 1)
    {
        var record = new byte[8 + content.Length + padding];
        record[0] = (byte)version;
        record[1] = (byte)type;
        record[2] = (byte)(requestId >> 8);
        record[3] = (byte)requestId;
        record[4] = (byte)(content.Length >> 8);
        record[5] = (byte)content.Length;
        record[6] = (byte)padding;
        content.CopyTo(record.AsSpan(8));
        for (int i = 0; i < padding; i++)
            record[8 + content.Length + i] = 0xEE; // padding is skipped whatever it holds
        return record;
    }

    /// <summary>The records in <paramref name="bytes"/>, as a worker wrote them one after another.</summary>
    public static List<ClientRecord> Parse(ReadOnlySpan<byte> bytes)
    {
        var records = new List<ClientRecord>();
        for (int i = 0; i < bytes.Length;)
        {
            int length = bytes[i + 4] << 8 | bytes[i + 5];
            records.Add(new ClientRecord(bytes[i + 1], bytes[i + 2] << 8 | bytes[i + 3], bytes.Slice(i + 8, length).ToArray()));
            i += 8 + length + bytes[i + 6];
        }
        return records;
    }

    /// <summary>Name-value pairs: a length under 128 in one byte, else in four with the top bit set.</summary>
    public static byte[] Pairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var bytes = new MemoryStream();
        foreach (var (name, value) in pairs)
        {
            byte[] n = Encoding.UTF8.GetBytes(name), v = Encoding.UTF8.GetBytes(value);
            WriteLength(bytes, n.Length);
            WriteLength(bytes, v.Length);
            bytes.Write(n);
            bytes.Write(v);
        }
        return bytes.ToArray();

        static void WriteLength(Stream s, int length)
        {
            if (length < 128)
                s.WriteByte((byte)length);
            else
                s.Write([(byte)(length >> 24 | 0x80), (byte)(length >> 16), (byte)(length >> 8), (byte)length]);
        }
    }

    public void Send(byte[] bytes) => _stream.Write(bytes);

    public void Send(int type, int requestId, ReadOnlySpan<byte> content, int padding = 0) => Send(Record(type, requestId, content, padding));

    public void Begin(int requestId, bool keepConnection = false, int role = 1)
        => Send(BeginRequest, requestId, [(byte)(role >> 8), (byte)role, (byte)(keepConnection ? 1 : 0), 0, 0, 0, 0, 0]);

    /// <summary>PARAMS in records of at most <paramref name="recordSize"/> bytes (a pair may straddle two), then the empty one.</summary>
    public void SendParams(int requestId, IEnumerable<KeyValuePair<string, string>> pairs, int recordSize = 65535)
    {
        byte[] all = Pairs(pairs);
        for (int offset = 0; offset < all.Length; offset += recordSize)
            Send(Params, requestId, all.AsSpan(offset, Math.Min(recordSize, all.Length - offset)), padding: 3);
        Send(Params, requestId, []);
    }

    /// <summary>STDIN in records of at most <paramref name="recordSize"/> bytes, then the empty one.</summary>
    public void SendStdin(int requestId, ReadOnlySpan<byte> body, int recordSize = 65535, bool end = true)
    {
        for (int offset = 0; offset < body.Length; offset += recordSize)
            Send(Stdin, requestId, body.Slice(offset, Math.Min(recordSize, body.Length - offset)), padding: offset % 8);
        if (end)
            Send(Stdin, requestId, []);
    }

    /// <summary>Sends a whole request as nginx would: BEGIN_REQUEST, PARAMS, STDIN.</summary>
    public void SendRequest(int requestId, string method, string path, byte[]? body = null, bool keepConnection = false,
        params (string Name, string Value)[] extra)
    {
        Begin(requestId, keepConnection);
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("GATEWAY_INTERFACE", "CGI/1.1"), new("REQUEST_METHOD", method), new("PATH_INFO", path),
            new("QUERY_STRING", ""), new("CONTENT_LENGTH", body is null ? "" : body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        foreach (var (name, value) in extra)
            pairs.Add(new(name, value));
        SendParams(requestId, pairs);
        SendStdin(requestId, body ?? []);
    }

    /// <summary>The next record, or null at the end of the connection.</summary>
    public ClientRecord? Read()
    {
        var header = new byte[8];
        int got = 0;
        while (got < 8)
        {
            int n = _stream.Read(header, got, 8 - got);
            if (n == 0)
                return got == 0 ? null : throw new EndOfStreamException("record header cut short");
            got += n;
        }
        if (header[0] != 1)
            throw new InvalidDataException("version " + header[0]);
        var content = new byte[header[4] << 8 | header[5]];
        _stream.ReadExactly(content);
        _stream.ReadExactly(new byte[header[6]]);
        return new ClientRecord(header[1], header[2] << 8 | header[3], content);
    }

    /// <summary>
    /// Reads the response to <paramref name="requestId"/>: the STDOUT bytes up to END_REQUEST, which must come after an
    /// empty STDOUT, and END_REQUEST's protocol status; other records are returned in <c>Others</c>.
    /// </summary>
    public (byte[] Stdout, int ProtocolStatus, int StdoutRecords, List<ClientRecord> Others) ReadResponse(int requestId)
    {
        var stdout = new MemoryStream();
        var others = new List<ClientRecord>();
        bool stdoutEnded = false;
        int records = 0;
        while (true)
        {
            var record = Read() ?? throw new EndOfStreamException("the connection ended before END_REQUEST");
            if (record.RequestId != requestId)
            {
                others.Add(record);
                continue;
            }
            if (record.Type == Stdout)
            {
                if (record.Content.Length == 0)
                    stdoutEnded = true;
                else
                {
                    if (stdoutEnded)
                        throw new InvalidDataException("STDOUT after its end");
                    records++;
                    stdout.Write(record.Content);
                }
            }
            else if (record.Type == EndRequest)
            {
                if (records > 0 && !stdoutEnded)
                    throw new InvalidDataException("END_REQUEST without the empty STDOUT");
                return (stdout.ToArray(), record.Content[4], records, others);
            }
            else
                others.Add(record);
        }
    }

    public string ReadText(int requestId) => Encoding.UTF8.GetString(ReadResponse(requestId).Stdout);

    /// <summary>Whether the worker closed the connection (a read returns nothing).</summary>
    public bool IsClosedByWorker()
    {
        try
        {
            return Read() is null;
        }
        catch (IOException)
        {
            return true; // reset
        }
    }

    public void Dispose() => _stream.Dispose();
}
