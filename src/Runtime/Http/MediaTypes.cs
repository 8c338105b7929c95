using System;

namespace CgiRouting;

/// <summary>
/// The media type of a file by its extension, for <see cref="Response.File"/>: the common types of the web, as
/// browsers and servers' <c>mime.types</c> name them; text in UTF-8. A <c>switch</c> rather than a dictionary: nothing to
/// build at start-up, and an app that serves no files links none of it.
/// </summary>
internal static class MediaTypes
{
    /// <summary>What <paramref name="fileName"/>'s extension names (in any case), or <c>application/octet-stream</c>.</summary>
    public static string ForFileName(string fileName)
    {
        var name = fileName.AsSpan();
        int dot = name.LastIndexOf('.');
        if (dot < 0 || name[(dot + 1)..].IndexOfAny('/', '\\') >= 0)
            return "application/octet-stream";
        Span<char> extension = stackalloc char[16];
        var given = name[(dot + 1)..];
        if (given.Length > extension.Length)
            return "application/octet-stream";
        int length = given.ToLowerInvariant(extension);
        return extension[..length] switch
        {
            "html" or "htm" => "text/html; charset=utf-8",
            "css" => "text/css; charset=utf-8",
            "js" or "mjs" => "text/javascript; charset=utf-8",
            "json" or "map" => "application/json",
            "txt" => "text/plain; charset=utf-8",
            "md" => "text/markdown; charset=utf-8",
            "csv" => "text/csv; charset=utf-8",
            "xml" => "application/xml",
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "jpg" or "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "webp" => "image/webp",
            "avif" => "image/avif",
            "ico" => "image/x-icon",
            "pdf" => "application/pdf",
            "zip" => "application/zip",
            "gz" => "application/gzip",
            "wasm" => "application/wasm",
            "woff" => "font/woff",
            "woff2" => "font/woff2",
            "ttf" => "font/ttf",
            "otf" => "font/otf",
            "mp3" => "audio/mpeg",
            "ogg" => "audio/ogg",
            "wav" => "audio/wav",
            "mp4" => "video/mp4",
            "webm" => "video/webm",
            "webmanifest" => "application/manifest+json",
            _ => "application/octet-stream",
        };
    }
}
