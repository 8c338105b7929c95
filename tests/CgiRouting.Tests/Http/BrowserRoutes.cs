using System;
using System.IO;
using System.Text;

namespace CgiRouting.Tests;

/// <summary>Handlers for pages, cookies and cross-origin protection.</summary>
public static class BrowserRoutes
{
    [Get("/page/<name>")] public static Response Page(string name) => Response.Html($"<h1>Hello, {Html.Encode(name)}</h1>");

    [Post("/page/form")] public static Response PostForm() => Response.SeeOther("/page/done");

    [Get("/cookie/read")]
    public static string ReadCookies([Cookie("session")] string session, [Cookie("visits")] int? visits, [Cookie("theme")] string theme = "light")
        => $"session={session} visits={visits?.ToString() ?? "none"} theme={theme}";

    [Get("/cookie/set")] public static Response SetCookie() => Response.Text("set").WithCookie("session", "abc123");

    [Get("/cookie/echo")] public static string EchoCookie([Cookie("n")] string value) => value;

    [Get("/cookie/set-to")] public static Response SetCookieTo(string value) => Response.Text("set").WithCookie("n", value);

    [Get("/cookie/bad")] public static Response BadCookie() => Response.Text("never").WithCookie("a;b", "v");

    [Get("/stream/<chunks>")]
    public static Response Streamed(int chunks) => Response.Stream(new ChunkStream(chunks), "text/plain; charset=utf-8");

    [Get("/download")]
    public static Response Download() => Response.Bytes("a,b\n"u8.ToArray(), "text/csv").AsAttachment("../report 2026.csv");

    [Post("/origin/protected")] public static string Protected() => "accepted";

    [Route("PURGE", "/origin/purge")] public static string Purge() => "purged";

    [Post("/origin/open")] [AllowCrossOrigin] public static string Open() => "accepted anyway";
}

/// <summary>Every handler of a class with [AllowCrossOrigin] serves other sites' unsafe requests.</summary>
[AllowCrossOrigin]
public static class OpenApiRoutes
{
    [Delete("/origin/open-class/<id>")] public static string Remove(int id) => "removed " + id;
}

/// <summary>A body of <c>chunks</c> reads of "chunk N\n", logging each read, to show that each is written before the next.</summary>
public sealed class ChunkStream(int chunks) : Stream
{
    private int _next;

    /// <summary>Every read and every write of the response, in order, when a test sets it.</summary>
    public static StringBuilder? Log { get; set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_next == chunks)
            return 0;
        var bytes = Encoding.UTF8.GetBytes($"chunk {_next++}\n");
        bytes.CopyTo(buffer);
        Log?.Append($"read {_next - 1};");
        return bytes.Length;
    }

    public bool Disposed { get; private set; }
    protected override void Dispose(bool disposing) { Disposed = true; Log?.Append("disposed;"); base.Dispose(disposing); }
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

/// <summary>Streamed results: items produced one by one.</summary>
public static class StreamRoutes
{
    /// <summary>Every item produced, in order, interleaved with what the test's output saw.</summary>
    public static System.Text.StringBuilder? Log { get; set; }

    [Get("/items/stream/<count>")]
    public static async System.Collections.Generic.IAsyncEnumerable<Item> Items(int count)
    {
        for (int i = 1; i <= count; i++)
        {
            await System.Threading.Tasks.Task.Yield();
            Log?.Append($"produce {i};");
            yield return new Item(i, "item " + i);
        }
    }

    [Get("/items/failing/<after>")]
    public static async System.Collections.Generic.IAsyncEnumerable<Item> Failing(int after)
    {
        for (int i = 1; ; i++)
        {
            await System.Threading.Tasks.Task.Yield();
            if (i > after)
                throw new InvalidOperationException("the source broke after " + after);
            yield return new Item(i, "ok");
        }
    }
}
