using System;
using System.IO;

namespace CgiRouting.FastCgi;

/// <summary>
/// Writes records to a connection, each whole under a lock: the response of the request and the answers to
/// management records read while the handler reads its body (GET_VALUES), or the 503 of a late request from the
/// deadline's thread, never interleave.
/// </summary>
internal sealed class FastCgiRecordWriter(Stream output)
{
    private readonly object _lock = new();

    /// <summary>Writes already formatted records.</summary>
    public void Send(ReadOnlySpan<byte> records)
    {
        lock (_lock)
            output.Write(records);
    }

    /// <summary>Writes one record with <paramref name="content"/> (at most 65,535 bytes).</summary>
    public void Send(FastCgiRecordType type, ushort requestId, ReadOnlySpan<byte> content)
    {
        var record = new byte[FastCgiRecord.HeaderSize + content.Length + 7];
        int padding = FastCgiRecord.WriteHeader(record, type, requestId, content.Length);
        content.CopyTo(record.AsSpan(FastCgiRecord.HeaderSize));
        Send(record.AsSpan(0, FastCgiRecord.HeaderSize + content.Length + padding));
    }

    /// <summary>END_REQUEST with application status 0 and <paramref name="protocolStatus"/> (§5.5).</summary>
    public void SendEndRequest(ushort requestId, byte protocolStatus)
    {
        Span<byte> body = stackalloc byte[8];
        body.Clear();
        body[4] = protocolStatus;
        Send(FastCgiRecordType.EndRequest, requestId, body);
    }

    /// <summary>Formats an empty STDOUT (the end of the response) and END_REQUEST, complete, into 24 bytes.</summary>
    public static void FormatEnd(Span<byte> records, ushort requestId)
    {
        records[..24].Clear();
        FastCgiRecord.WriteHeader(records, FastCgiRecordType.Stdout, requestId, 0);
        FastCgiRecord.WriteHeader(records[8..], FastCgiRecordType.EndRequest, requestId, 8);
        records[16 + 4] = FastCgiRecord.RequestComplete;
    }
}
