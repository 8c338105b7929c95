using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>[Form] binding of urlencoded and multipart forms, files, limits and malformed bodies (issue 10).</summary>
public class FormTests
{
    private const string Boundary = "----form7MA4YWxkTrZu0gW";

    /// <summary>A multipart body: each part is (name, file name or null, content type or null, content).</summary>
    internal static byte[] Multipart(params (string Name, string? FileName, string? Type, string Content)[] parts)
    {
        var body = new StringBuilder();
        foreach (var (name, fileName, type, content) in parts)
        {
            body.Append("--").Append(Boundary).Append("\r\n");
            body.Append("Content-Disposition: form-data; name=\"").Append(name).Append('"');
            if (fileName is not null)
                body.Append("; filename=\"").Append(fileName).Append('"');
            body.Append("\r\n");
            if (type is not null)
                body.Append("Content-Type: ").Append(type).Append("\r\n");
            body.Append("\r\n").Append(content).Append("\r\n");
        }
        body.Append("--").Append(Boundary).Append("--\r\n");
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    private static Response Post(string path, byte[] body, string contentType, CgiOptions? options = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = "POST",
            ["PATH_INFO"] = path,
            ["CONTENT_TYPE"] = contentType,
            ["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return CgiApp.DispatchAsync(new CgiRequest(environment, new MemoryStream(body)), options).AsTask().GetAwaiter().GetResult();
    }

    private static Response PostForm(string path, string body) => Post(path, Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded");

    private static Response PostMultipart(string path, CgiOptions? options, params (string, string?, string?, string)[] parts)
        => Post(path, Multipart(parts), "multipart/form-data; boundary=" + Boundary, options);

    [Fact]
    public void A_record_is_bound_from_an_urlencoded_form_ignoring_case()
    {
        var response = PostForm("/form/guest", "name=Ann+Lee&msg=hi%21&age=30&tags=a&tags=b&subscribe=on");
        Assert.Equal("Ann Lee|hi!|30|a,b|True", response.BodyText);
    }

    [Fact]
    public void Optional_members_may_be_absent_and_an_unticked_checkbox_is_false()
        => Assert.Equal("Ann|hi|-||False", PostForm("/form/guest", "Name=Ann&MSG=hi").BodyText);

    [Fact]
    public void A_record_is_bound_from_a_multipart_form()
    {
        var response = PostMultipart("/form/guest", null, ("name", null, null, "Zoë"), ("msg", null, null, "line1\r\nline2"), ("subscribe", null, null, "true"));
        Assert.Equal("Zoë|line1\r\nline2|-||True", response.BodyText);
    }

    [Theory]
    [InlineData("msg=hi", "Missing required form field 'Name'.")]
    [InlineData("name=Ann", "Missing required form field 'msg'.")]
    [InlineData("name=Ann&msg=hi&age=old", "The form field 'Age' must be")]
    [InlineData("name=Ann&msg=hi&subscribe=maybe", "The form field 'Subscribe' must be")]
    public void A_missing_or_invalid_field_is_400_naming_it(string body, string message)
    {
        var response = PostForm("/form/guest", body);
        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith(message, response.BodyText);
    }

    [Fact]
    public void A_body_that_is_not_a_form_is_415()
    {
        var response = Post("/form/guest", "{\"name\":\"Ann\"}"u8.ToArray(), "application/json");
        Assert.Equal(415, response.StatusCode);
        Assert.Contains("must be a form", response.BodyText);
    }

    [Fact]
    public void A_simple_parameter_binds_one_field()
    {
        Assert.Equal("cats@3", PostForm("/form/field", "q=cats&page=3").BodyText);
        Assert.Equal("cats@1", PostForm("/form/field", "q=cats").BodyText);
        Assert.Equal("Missing required form field 'q'.", PostForm("/form/field", "page=2").BodyText);
    }

    [Fact]
    public void Files_and_fields_are_bound_together_and_settable_properties_keep_their_initializers()
    {
        var response = PostMultipart("/form/upload", null,
            ("title", null, null, "Trip"),
            ("attachment", "notes.txt", "text/plain", "hello"),
            ("photos", "a.jpg", "image/jpeg", "AAAA"),
            ("photos", "b.jpg", null, "BB"));
        Assert.Equal("Trip|5|attachment=notes.txt(text/plain,5)|photos=a.jpg(image/jpeg,4),photos=b.jpg(application/octet-stream,2)", response.BodyText);
    }

    [Fact]
    public void A_FormFile_parameter_reads_its_content()
        => Assert.Equal("document=d.txt(text/plain,11)|hello world", PostMultipart("/form/file", null, ("document", "d.txt", "text/plain", "hello world")).BodyText);

    [Fact]
    public void A_missing_required_file_is_400()
    {
        var response = PostMultipart("/form/file", null, ("other", "d.txt", "text/plain", "x"));
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Missing required form file 'document'.", response.BodyText);
    }

    [Fact]
    public void A_file_over_the_memory_threshold_is_spilled_to_an_unlinked_file_and_reads_back_whole()
    {
        string big = new string('x', FormData.MemoryThreshold * 3 + 17);
        string temp = Directory.CreateTempSubdirectory("cgirouting-form-").FullName;
        string? previous = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", temp);
        try
        {
            var request = Request(Multipart(("document", "big.txt", "text/plain", big)));
            var form = request.ReadFormData();
            var file = form.GetFile("document")!;
            Assert.Equal(big.Length, file.Length);
            Assert.Empty(Directory.GetFileSystemEntries(temp)); // no name on disk, only a descriptor
            using (var first = new StreamReader(file.OpenReadStream()))
            using (var second = new StreamReader(file.OpenReadStream()))
            {
                Assert.Equal(big, first.ReadToEnd());
                Assert.Equal(big, second.ReadToEnd()); // independent positions
            }
            request.Release();
            Assert.Throws<ObjectDisposedException>(() => file.OpenReadStream().ReadByte());
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", previous);
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public async Task CopyToAsync_copies_the_content()
    {
        var file = Request(Multipart(("f", "a.bin", null, "abc"))).ReadFormData().GetFile("F")!;
        var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        Assert.Equal("abc", Encoding.UTF8.GetString(copy.ToArray()));
    }

    [Fact]
    public void Limits_refuse_a_big_file_or_field_with_413_and_too_many_parts_with_400()
    {
        var small = new CgiOptions { MaxFormFileSize = 10, MaxFormFieldSize = 4, MaxFormParts = 2 };
        var file = PostMultipart("/form/file", small, ("document", "d.txt", null, "12345678901"));
        Assert.Equal(413, file.StatusCode);
        Assert.Equal("The file 'document' is larger than 10 bytes.", file.BodyText);
        var field = PostMultipart("/form/field", small, ("q", null, null, "12345"));
        Assert.Equal(413, field.StatusCode);
        Assert.Equal("The form field 'q' is larger than 4 bytes.", field.BodyText);
        var parts = PostMultipart("/form/field", small, ("q", null, null, "a"), ("page", null, null, "1"), ("x", null, null, "y"));
        Assert.Equal(400, parts.StatusCode);
        Assert.Equal("The form has more than 2 parts.", parts.BodyText);
        Assert.Equal("a@1", PostMultipart("/form/field", small, ("q", null, null, "a"), ("page", null, null, "1")).BodyText);
    }

    [Theory]
    [InlineData("multipart/form-data", "--x\r\n\r\n", "no boundary")]
    [InlineData("multipart/form-data; boundary=\"\"", "--x\r\n\r\n", "no boundary")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nvalue", "malformed")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--b--\r\n", "no Content-Disposition")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: attachment; name=\"q\"\r\n\r\nv\r\n--b--\r\n", "no Content-Disposition")]
    [InlineData("multipart/form-data; boundary=b", "not a multipart body at all", "malformed")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"q\"\r\nX-Long: LONG\r\n\r\nv\r\n--b--\r\n", "malformed")]
    // Found by the multipart fuzz target: ASP.NET Core's filename* decoding threw (a 500) on these.
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"f\"; filename*\r\n\r\nx\r\n--b--\r\n", "cannot be decoded")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-7''r%C9.txt\r\n\r\nx\r\n--b--\r\n", "cannot be decoded")]
    public void A_malformed_multipart_body_is_400(string contentType, string body, string message)
    {
        body = body.Replace("LONG", new string('h', 20_000), StringComparison.Ordinal);
        var response = Post("/form/field", Encoding.UTF8.GetBytes(body), contentType);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains(message, response.BodyText);
    }

    [Fact]
    public void A_boundary_of_70_characters_is_the_longest_allowed()
    {
        string longest = new('b', 70);
        string body = $"--{longest}\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nhi\r\n--{longest}--\r\n";
        Assert.Equal("hi@1", Post("/form/field", Encoding.UTF8.GetBytes(body), "multipart/form-data; boundary=" + longest).BodyText);
        string over = longest + "b";
        var response = Post("/form/field", Encoding.UTF8.GetBytes(body.Replace(longest, over, StringComparison.Ordinal)), "multipart/form-data; boundary=" + over);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("The multipart boundary is longer than 70 characters (RFC 2046).", response.BodyText);
    }

    [Fact]
    public void A_field_or_file_of_exactly_its_limit_is_accepted()
    {
        var limits = new CgiOptions { MaxFormFileSize = 10, MaxFormFieldSize = 4 };
        Assert.Equal("1234@1", PostMultipart("/form/field", limits, ("q", null, null, "1234")).BodyText);
        Assert.Equal("document=d.txt(application/octet-stream,10)|1234567890",
            PostMultipart("/form/file", limits, ("document", "d.txt", null, "1234567890")).BodyText);
    }

    [Fact]
    public void The_file_name_is_filename_star_when_sent_else_filename()
    {
        const string body = "--b\r\nContent-Disposition: form-data; name=\"both\"; filename=\"resume.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n\r\n1\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"star\"; filename*=UTF-8''%E2%82%AC.txt\r\n\r\n2\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"plain\"; filename=\"plain.txt\"\r\n\r\n3\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\n4\r\n--b--\r\n";
        var form = new CgiRequest(new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = "POST",
            ["CONTENT_TYPE"] = "multipart/form-data; boundary=b",
            ["CONTENT_LENGTH"] = Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, new MemoryStream(Encoding.UTF8.GetBytes(body))).ReadFormData();
        Assert.Equal(["both:résumé.txt", "star:€.txt", "plain:plain.txt"], form.Files.Select(f => f.Name + ":" + f.FileName));
        Assert.Equal([new KeyValuePair<string, string>("field", "4")], form.Fields);
    }

    /// <summary>
    /// The spilled uploads this process holds open: descriptors of unlinked files named cgirouting-upload- and 32 hex
    /// digits, which Linux's /proc/self/fd shows as "(deleted)". Only this class spills, and its tests run one at a time.
    /// </summary>
    private static int OpenUploads()
    {
        int count = 0;
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            string? target = null;
            try { target = new FileInfo(fd).LinkTarget; } catch (IOException) { } // closed while listed
            if (target is not null && System.Text.RegularExpressions.Regex.IsMatch(target, "/cgirouting-upload-[0-9a-f]{32} \\(deleted\\)$"))
                count++;
        }
        return count;
    }

    [Fact]
    public void A_file_of_exactly_the_memory_threshold_stays_in_memory_and_one_byte_more_spills_to_an_unlinked_temporary_file()
    {
        int before = OpenUploads();
        var atThreshold = Request(Multipart(("f", "a.bin", null, new string('a', FormData.MemoryThreshold))));
        Assert.Equal(FormData.MemoryThreshold, atThreshold.ReadFormData().GetFile("f")!.Length);
        Assert.Equal(before, OpenUploads());
        var over = Request(Multipart(("f", "b.bin", null, new string('b', FormData.MemoryThreshold + 1))));
        var file = over.ReadFormData().GetFile("f")!;
        Assert.Equal(before + 1, OpenUploads());
        using (var reader = new StreamReader(file.OpenReadStream()))
            Assert.Equal(new string('b', FormData.MemoryThreshold + 1), reader.ReadToEnd());
        over.Release();
        Assert.Equal(before, OpenUploads());
    }

    [Theory]
    [InlineData("--" + Boundary + "\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--" + Boundary + "--\r\n", 400)]
    [InlineData("--" + Boundary + "\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nno end", 400)]
    [InlineData("--" + Boundary + "\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n12345\r\n--" + Boundary + "--\r\n", 413)]
    public void A_form_refused_after_a_spilled_file_closes_that_file(string rest, int status)
    {
        int before = OpenUploads();
        byte[] first = Multipart(("f", "big.bin", null, new string('x', FormData.MemoryThreshold * 2)));
        byte[] body = [.. first.AsSpan(0, first.Length - (Boundary.Length + 6)), .. Encoding.UTF8.GetBytes(rest)]; // without "--boundary--\r\n"
        var request = Request(body);
        request.Options = new CgiOptions { MaxFormFieldSize = 4 };
        Assert.Equal(status, Assert.Throws<CgiRequestException>(() => request.ReadFormData()).StatusCode);
        Assert.Equal(before, OpenUploads());
    }

    [Fact]
    public void A_file_over_its_limit_after_it_spilled_is_closed()
    {
        int before = OpenUploads();
        var request = Request(Multipart(("f", "big.bin", null, new string('x', FormData.MemoryThreshold * 2))));
        request.Options = new CgiOptions { MaxFormFileSize = FormData.MemoryThreshold + 20_000 };
        Assert.Equal(413, Assert.Throws<CgiRequestException>(() => request.ReadFormData()).StatusCode);
        Assert.Equal(before, OpenUploads());
    }

    [Fact]
    public void A_spilled_file_reads_as_a_read_only_seekable_stream()
    {
        string content = string.Concat(Enumerable.Range(0, FormData.MemoryThreshold / 8 + 10).Select(i => i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture) + "\n"));
        var request = Request(Multipart(("f", "big.txt", null, content)));
        var file = request.ReadFormData().GetFile("f")!;
        using var stream = file.OpenReadStream();
        Assert.True(stream.CanRead);
        Assert.True(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Equal(content.Length, stream.Length);
        var line = new byte[8];
        Assert.Equal(80, stream.Seek(80, SeekOrigin.Begin));
        Assert.Equal(88, stream.Seek(8, SeekOrigin.Current));
        Assert.Equal(8, stream.Read(line));
        Assert.Equal("0000011\n", Encoding.ASCII.GetString(line));
        Assert.Equal(content.Length - 8, stream.Seek(-8, SeekOrigin.End));
        Assert.Equal(8, stream.Read(line));
        Assert.Equal(content[^8..], Encoding.ASCII.GetString(line));
        Assert.Equal(0, stream.Read(line));
        Assert.Throws<NotSupportedException>(() => stream.Write(line));
        request.Release();
    }

    [Fact]
    public void A_file_in_memory_reads_as_a_read_only_stream()
    {
        var file = Request(Multipart(("f", "a.txt", null, "abc"))).ReadFormData().GetFile("f")!;
        using var stream = file.OpenReadStream();
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.WriteByte(1));
    }

    [Fact]
    public void A_CGI_request_closes_its_spilled_uploads_once_the_response_is_written()
    {
        int before = OpenUploads();
        byte[] body = Multipart(("title", null, null, "big"), ("attachment", "b.bin", null, new string('b', FormData.MemoryThreshold + 1)));
        var environment = new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = "POST",
            ["PATH_INFO"] = "/form/upload",
            ["CONTENT_TYPE"] = "multipart/form-data; boundary=" + Boundary,
            ["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var output = new MemoryStream();
        Assert.Equal(0, CgiApp.Run(environment, new MemoryStream(body), output, new CgiOptions { ErrorLog = TextWriter.Null }));
        Assert.StartsWith("Status: 200 OK\r\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(before, OpenUploads());
    }

    private static CgiRequest Request(byte[] body) => new(new Dictionary<string, string>
    {
        ["REQUEST_METHOD"] = "POST",
        ["CONTENT_TYPE"] = "multipart/form-data; boundary=" + Boundary,
        ["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, new MemoryStream(body));
}
