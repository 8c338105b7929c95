using System;
using System.IO;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>Response.File (issue 20): streamed from disk with its length, date and ETag; 304, 206 and 404 as for any response.</summary>
public class FileResponseTests
{
    private static string Write(string name, string content, DateTime? modified = null)
    {
        string path = Path.Combine(ConditionalRoutes.FilesRoot, name);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, modified ?? new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc));
        return path;
    }

    [Fact]
    public void A_file_is_streamed_with_its_length_type_date_and_ETag()
    {
        Write("site.css", "body { color: red }");
        string output = ConditionalRequestTests.Run("GET", "/served/site.css");
        string tag = $"\"{new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc).Ticks:x}-13\"";
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/css; charset=utf-8\r\nContent-Length: 19\r\nETag: " + tag + "\r\n"
            + "Last-Modified: Tue, 02 Jan 2024 03:04:05 GMT\r\nAccept-Ranges: bytes\r\n\r\nbody { color: red }", output);
    }

    [Fact]
    public void A_file_that_is_not_there_or_is_a_folder_is_404()
    {
        Assert.Equal(404, Http.Get("/served/missing.txt").StatusCode);
        Directory.CreateDirectory(Path.Combine(ConditionalRoutes.FilesRoot, "folder.txt"));
        Assert.Equal(404, Http.Get("/served/folder.txt").StatusCode);
        Assert.Equal(404, Response.File(Path.Combine(ConditionalRoutes.FilesRoot, "no-folder", "x.txt")).StatusCode);
    }

    [Theory]
    [InlineData("page.html", "text/html; charset=utf-8")]
    [InlineData("PAGE.HTM", "text/html; charset=utf-8")]
    [InlineData("app.js", "text/javascript; charset=utf-8")]
    [InlineData("data.json", "application/json")]
    [InlineData("logo.svg", "image/svg+xml")]
    [InlineData("photo.JPeG", "image/jpeg")]
    [InlineData("font.woff2", "font/woff2")]
    [InlineData("app.webmanifest", "application/manifest+json")]
    [InlineData("archive.tar.gz", "application/gzip")]
    [InlineData("notes.unknownext", "application/octet-stream")]
    [InlineData("Makefile", "application/octet-stream")]
    [InlineData("file.", "application/octet-stream")]
    public void The_media_type_comes_from_the_extension(string name, string type)
    {
        Write(name, "x");
        Assert.Equal(type, Http.Get("/served/" + name).ContentType);
        Assert.Equal(type, MediaTypes.ForFileName("/srv/www/" + name));
    }

    [Fact]
    public void A_media_type_given_is_kept_and_a_dot_in_a_folder_is_no_extension()
    {
        Write("given.html", "x");
        Assert.Equal("application/x-custom", Http.Get("/served-as/given.html").ContentType);
        Assert.Equal("application/octet-stream", MediaTypes.ForFileName("/srv/v1.2/README"));
    }

    [Fact]
    public void A_file_is_304_to_its_ETag_and_its_date_and_206_to_a_range()
    {
        Write("page.txt", "0123456789");
        var first = Http.Get("/served/page.txt");
        string tag = first.GetHeader("ETag")!;
        first.BodyStream!.Dispose();
        Assert.Equal(304, Http.Send("GET", "/served/page.txt", null, ("If-None-Match", tag)).StatusCode);
        Assert.Equal(304, Http.Send("GET", "/served/page.txt", null, ("If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT")).StatusCode);
        string output = ConditionalRequestTests.Run("GET", "/served/page.txt", ("Range", "bytes=-4"), ("If-Range", tag));
        Assert.StartsWith("Status: 206 Partial Content\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 4\r\n", output);
        Assert.Contains("\r\nContent-Range: bytes 6-9/10\r\n", output);
        Assert.EndsWith("\r\n\r\n6789", output);
        Assert.Contains("\r\nContent-Range: bytes */10\r\n", ConditionalRequestTests.Run("GET", "/served/page.txt", ("Range", "bytes=10-")));
    }

    [Fact]
    public void A_changed_file_has_another_ETag_and_a_stale_If_Range_gets_all_of_it()
    {
        Write("changing.txt", "0123456789");
        var before = Http.Get("/served/changing.txt");
        before.BodyStream!.Dispose();
        Write("changing.txt", "0123456789", new DateTime(2024, 1, 2, 3, 4, 5, 679, DateTimeKind.Utc)); // a millisecond later
        var after = Http.Send("GET", "/served/changing.txt", null, ("Range", "bytes=0-1"), ("If-Range", before.GetHeader("ETag")!));
        after.BodyStream!.Dispose();
        Assert.NotEqual(before.GetHeader("ETag"), after.GetHeader("ETag"));
        Assert.Equal(200, after.StatusCode);
    }

    private static (string Output, string Log) Written(Response response)
    {
        var output = new MemoryStream();
        var log = new StringWriter();
        CgiResponseWriter.Write(response, omitBody: false, https: false, output, log);
        return (System.Text.Encoding.UTF8.GetString(output.ToArray()), log.ToString());
    }

    [Fact]
    public void A_file_that_grows_after_the_response_is_made_is_sent_at_the_length_announced()
    {
        string path = Write("growing.txt", "0123456789");
        var response = Http.Get("/served/growing.txt");
        File.AppendAllText(path, "more");
        var (text, log) = Written(response);
        Assert.Contains("Content-Length: 10\r\n", text);
        Assert.EndsWith("\r\n\r\n0123456789", text);
        Assert.Equal("", log);
    }

    [Fact]
    public void A_file_larger_than_one_read_is_sent_whole_and_a_range_of_it_exactly()
    {
        string content = new('x', 40_000);
        Write("large.txt", content + "end");
        var (whole, wholeLog) = Written(Http.Get("/served/large.txt"));
        Assert.EndsWith("\r\n\r\n" + content + "end", whole);
        var (part, partLog) = Written(Http.Send("GET", "/served/large.txt", null, ("Range", "bytes=39990-40001")));
        Assert.EndsWith("\r\n\r\nxxxxxxxxxxen", part);
        Assert.Equal(("", ""), (wholeLog, partLog));
    }

    [Fact]
    public void A_file_that_shrinks_after_the_response_is_made_ends_early_and_the_log_says_why()
    {
        string path = Write("shrinking.txt", "0123456789");
        var response = Http.Get("/served/shrinking.txt");
        File.WriteAllText(path, "0123"); // the same file, truncated: the open handle sees it
        var (text, log) = Written(response);
        Assert.Contains("Content-Length: 10\r\n", text);
        Assert.EndsWith("\r\n\r\n0123", text);
        Assert.Equal("CgiRouting: the response body ended 6 bytes short of its Content-Length (the file shrank while it was sent)." + Environment.NewLine, log);
    }

    [Fact]
    public void A_stream_of_unknown_length_is_copied_to_its_end_without_a_word()
    {
        var (text, log) = Written(Response.Stream(new ChunkStream(3), "text/plain"));
        Assert.EndsWith("\r\n\r\nchunk 0\nchunk 1\nchunk 2\n", text);
        Assert.Equal("", log);
    }
}
