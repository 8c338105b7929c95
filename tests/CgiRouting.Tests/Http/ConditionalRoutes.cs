using System;
using System.Collections.Concurrent;
using System.IO;

namespace CgiRouting.Tests;

/// <summary>Responses with validators, and documents whose changes are guarded by CheckPreconditions (issue 20).</summary>
public static class ConditionalRoutes
{
    /// <summary>The Last-Modified of the validated responses.</summary>
    public static readonly DateTimeOffset Modified = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Get("/cond/tagged")] public static Response Tagged() => Response.Text("tagged").WithETag("v1");

    [Get("/cond/weak")] public static Response Weak() => Response.Text("weak").WithETag("W/\"v1\"");

    [Get("/cond/dated")] public static Response Dated() => Response.Text("dated").WithLastModified(Modified);

    [Get("/cond/both")] public static Response Both() => Response.Text("both").WithETag("v1").WithLastModified(Modified);

    [Get("/cond/plain")] public static Response Plain() => Response.Text("plain");

    [Get("/cond/by-header")] public static Response ByHeader() => Response.Text("by header").WithHeader("ETag", "\"v1\"");

    [Get("/cond/created")] public static Response Created() => Response.Text("created", 201).WithETag("v1");

    [Post("/cond/tagged")] public static Response PostTagged() => Response.Text("posted").WithETag("v1");

    /// <summary>A 200 with every header a 304 keeps, and some it does not.</summary>
    [Get("/cond/headers")]
    public static Response WithHeaders() => Response.Json(new Item(1, "one")).WithETag("v1").WithLastModified(Modified)
        .WithHeader("Cache-Control", "max-age=60").WithHeader("Expires", "Thu, 01 Jan 2099 00:00:00 GMT").WithHeader("Vary", "Accept")
        .WithHeader("Content-Location", "/cond/headers.json").WithHeader("X-Other", "dropped").WithCookie("session", "abc")
        .AsAttachment("one.json");

    /// <summary>A streamed body with an ETag: a 304 must not leave its stream open.</summary>
    [Get("/cond/streamed")] public static Response Streamed() => Response.Stream(LastStream = new ChunkStream(2), "text/plain").WithETag("s1");

    /// <summary>The stream <see cref="Streamed"/> made last.</summary>
    public static ChunkStream? LastStream { get; private set; }

    [Get("/bytes/digits")]
    public static Response Digits() => Response.Bytes("0123456789"u8.ToArray(), "text/plain").WithETag("d1").WithLastModified(Modified);

    [Get("/bytes/weak")] public static Response WeakDigits() => Response.Bytes("0123456789"u8.ToArray(), "text/plain").WithETag("W/\"d1\"");

    [Get("/bytes/untagged")] public static Response Untagged() => Response.Bytes("0123456789"u8.ToArray(), "text/plain");

    [Get("/bytes/empty")] public static Response EmptyBytes() => Response.Bytes([], "text/plain");

    [Get("/bytes/text")] public static Response NotRanged() => Response.Text("0123456789").WithETag("t1");

    [Post("/bytes/digits")] public static Response PostDigits() => Response.Bytes("0123456789"u8.ToArray(), "text/plain");

    /// <summary>The folder <c>/served/&lt;name&gt;</c> serves files from.</summary>
    public static string FilesRoot { get; } = Directory.CreateTempSubdirectory("cgirouting-files-").FullName;

    [Get("/served/<name>")] public static Response Served(string name) => Response.File(Path.Combine(FilesRoot, name));

    [Get("/served-as/<name>")] public static Response ServedAs(string name) => Response.File(Path.Combine(FilesRoot, name), "application/x-custom");

    /// <summary>The documents of <c>/docs/&lt;id&gt;</c>: a text and its version, one id per test.</summary>
    public static ConcurrentDictionary<int, (string Text, int Version)> Docs { get; } = new();

    public static string TagOf(int version) => "doc-" + version;

    [Get("/docs/<id>")]
    public static Response ReadDoc(int id, CgiRequest request)
    {
        if (!Docs.TryGetValue(id, out var doc))
            return Response.NotFound();
        return request.CheckPreconditions(TagOf(doc.Version), Modified.AddDays(doc.Version))
            ?? Response.Text(doc.Text).WithETag(TagOf(doc.Version)).WithLastModified(Modified.AddDays(doc.Version));
    }

    /// <summary>Creates or replaces a document, unless the request's preconditions say the client saw another version.</summary>
    [Put("/docs/<id>")]
    public static Response WriteDoc(int id, [Body] string text, CgiRequest request)
    {
        bool exists = Docs.TryGetValue(id, out var doc);
        if (request.CheckPreconditions(exists ? TagOf(doc.Version) : null, exists ? Modified.AddDays(doc.Version) : null) is { } answer)
            return answer;
        Docs[id] = (text, doc.Version + 1);
        return Response.Text(text, exists ? 200 : 201).WithETag(TagOf(doc.Version + 1));
    }

    [Delete("/docs/<id>")]
    public static Response DeleteDoc(int id, CgiRequest request)
    {
        if (!Docs.TryGetValue(id, out var doc))
            return Response.NotFound();
        if (request.CheckPreconditions(TagOf(doc.Version), null) is { } answer)
            return answer;
        Docs.TryRemove(id, out _);
        return Response.Empty();
    }
}
