using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CgiRouting.Dispatching;

/// <summary>
/// The body of a streamed <c>IAsyncEnumerable&lt;T&gt;</c> result: each item as one JSON line (NDJSON) or one
/// server-sent event (<c>data: ...</c> and a blank line), produced when the response writer asks for more, so that
/// each item leaves as soon as the handler yields it. A read never spans two items.
/// </summary>
internal sealed class JsonItemStream<T>(IAsyncEnumerator<T> items, bool hasCurrent, JsonTypeInfo<T>? typeInfo, bool events) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> _pending;
    private bool _hasCurrent = hasCurrent;
    private bool _started;

    public override int Read(Span<byte> buffer)
    {
        if (_pending.IsEmpty)
        {
            // The first item was fetched before the response started (so that a handler failing at once is a 500).
            if (_started)
                _hasCurrent = items.MoveNextAsync().AsTask().GetAwaiter().GetResult();
            _started = true;
            if (!_hasCurrent)
                return 0;
            _pending = Frame(items.Current);
        }
        int n = Math.Min(buffer.Length, _pending.Length);
        _pending.Span[..n].CopyTo(buffer);
        _pending = _pending[n..];
        return n;
    }

    private ReadOnlyMemory<byte> Frame(T item)
    {
        ReadOnlySpan<byte> json;
        JsonUtf8Builder? builder = null;
        byte[]? serialized = null;
        if (item is null)
            json = "null"u8;
        else if (GeneratedJson<T>.Write is { } write)
        {
            builder = new JsonUtf8Builder();
            write(builder, item);
            json = builder.WrittenMemory.Span;
        }
        else
        {
            serialized = JsonSerializer.SerializeToUtf8Bytes(item, typeInfo
                ?? throw new InvalidOperationException($"No JSON writer or JsonTypeInfo for {typeof(T).Name}."));
            json = serialized;
        }
        ReadOnlySpan<byte> before = events ? "data: "u8 : default;
        ReadOnlySpan<byte> after = events ? "\n\n"u8 : "\n"u8;
        var frame = new byte[before.Length + json.Length + after.Length];
        before.CopyTo(frame);
        json.CopyTo(frame.AsSpan(before.Length));
        after.CopyTo(frame.AsSpan(before.Length + json.Length));
        return frame;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            items.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }
}
