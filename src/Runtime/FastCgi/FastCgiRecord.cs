using System;

namespace CgiRouting.FastCgi;

/// <summary>
/// One FastCGI record as read: its type, request id and content (the padding dropped). The content lies in the
/// reader's buffer and is valid until the next record is read.
/// </summary>
internal readonly struct FastCgiRecord(FastCgiRecordType type, ushort requestId, ReadOnlyMemory<byte> content)
{
    /// <summary>The size of a record header: version, type, request id (2), content length (2), padding length, reserved.</summary>
    public const int HeaderSize = 8;

    /// <summary>The most content one record carries.</summary>
    public const int MaxContentLength = ushort.MaxValue;

    /// <summary>Protocol status of END_REQUEST (§5.5).</summary>
    public const byte RequestComplete = 0, CantMultiplexConnection = 1, UnknownRole = 3;

    /// <summary>The one role a CgiRouting worker plays (§6.2).</summary>
    public const ushort ResponderRole = 1;

    /// <summary>BEGIN_REQUEST flag: keep the connection open after this request (§5.1).</summary>
    public const byte KeepConnection = 1;

    public FastCgiRecordType Type { get; } = type;
    public ushort RequestId { get; } = requestId;
    public ReadOnlyMemory<byte> Content { get; } = content;

    /// <summary>
    /// Writes a record header for <paramref name="contentLength"/> bytes of content into <paramref name="header"/>,
    /// with the padding that aligns the record to 8 bytes, as Go's and most servers' writers do; returns that padding.
    /// </summary>
    public static int WriteHeader(Span<byte> header, FastCgiRecordType type, ushort requestId, int contentLength)
    {
        int padding = -contentLength & 7;
        header[0] = 1;
        header[1] = (byte)type;
        header[2] = (byte)(requestId >> 8);
        header[3] = (byte)requestId;
        header[4] = (byte)(contentLength >> 8);
        header[5] = (byte)contentLength;
        header[6] = (byte)padding;
        header[7] = 0;
        return padding;
    }
}
