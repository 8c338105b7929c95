using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>[Form] binding of urlencoded and multipart forms, files, limits and malformed bodies (issue 10).</summary>
[Collection(nameof(TemporaryFolder))]
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

    private static Response PostForm(string path, string body, CgiOptions? options = null)
        => Post(path, Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded", options);

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
    public void A_file_over_MaxFormFileSize_is_413()
    {
        var small = new CgiOptions { MaxFormFileSize = 10 };
        var file = PostMultipart("/form/file", small, ("document", "d.txt", null, "12345678901"));
        Assert.Equal(413, file.StatusCode);
        Assert.Equal("The file 'document' is larger than 10 bytes.", file.BodyText);
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
    // A name in an RFC 2047 word in UTF-7: ASP.NET Core's parser threw there too, and it was a 500.
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"=?utf-7?B?w6k=?=\"\r\n\r\nx\r\n--b--\r\n", "cannot be decoded")]
    // UTF-16 and UTF-32, which ASP.NET Core decoded: our reader answers 400 rather than link .NET's encoding table
    // into every app with a form (the one difference MultipartDifferentialTests leaves out).
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=utf-16''%41%00\r\n\r\nx\r\n--b--\r\n", "cannot be decoded")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-32BE''%00%00%00%41\r\n\r\nx\r\n--b--\r\n", "cannot be decoded")]
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
        var limits = new CgiOptions { MaxFormFileSize = 10, MaxFormValueLength = 4 };
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
    private static int OpenUploads() => OpenUploadDescriptors().Count;

    /// <summary>The descriptors of <see cref="OpenUploads"/>.</summary>
    private static List<int> OpenUploadDescriptors()
    {
        var descriptors = new List<int>();
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            string? target = null;
            try { target = new FileInfo(fd).LinkTarget; } catch (IOException) { } // closed while listed
            if (target is not null && System.Text.RegularExpressions.Regex.IsMatch(target, "/cgirouting-upload-[0-9a-f]{32} \\(deleted\\)$"))
                descriptors.Add(int.Parse(Path.GetFileName(fd), System.Globalization.CultureInfo.InvariantCulture));
        }
        return descriptors;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_spilled_upload_is_created_readable_and_writable_by_its_owner_only_whatever_the_umask()
    {
        var before = OpenUploadDescriptors();
        uint umask = SetUmask(0); // the most permissive: a file created with the default 0666 would stay 0666
        try
        {
            var request = Request(Multipart(("f", "big.bin", null, new string('x', FormData.MemoryThreshold + 1))));
            Assert.Equal(FormData.MemoryThreshold + 1, request.ReadFormData().GetFile("f")!.Length);
            int spilled = Assert.Single(OpenUploadDescriptors().Except(before));
            // fstat of the open descriptor: the file has no name left to stat.
            using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(spilled, ownsHandle: false);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(handle));
            request.Release();
        }
        finally
        {
            SetUmask(umask);
        }
    }

    [Fact]
    public void An_urlencoded_form_of_MaxFormFields_fields_is_read_and_one_more_is_413()
    {
        var three = new CgiOptions { MaxFormFields = 3 };
        Assert.Equal("x@2", PostForm("/form/field", "q=x&page=2&a", three).BodyText);
        Assert.Equal("x@2", PostForm("/form/field", "&q=x&&page=2&a&", three).BodyText); // empty pieces are no fields
        var over = PostForm("/form/field", "q=x&page=2&a&b", three);
        Assert.Equal(413, over.StatusCode);
        Assert.Equal("The form has more than 3 fields.", over.BodyText);
        var request = CgiRequest.Create("POST", "/", "a&b&c&d");
        request.Options = three;
        Assert.Equal(413, Assert.Throws<CgiRequestException>(() => request.ReadForm()).StatusCode);
    }

    [Fact]
    public void By_default_a_form_has_at_most_1024_fields_and_a_flood_of_fields_is_refused_as_it_is_parsed()
    {
        string atLimit = "q=x" + string.Concat(Enumerable.Repeat("&a", 1023));
        Assert.Equal("x@1", PostForm("/form/field", atLimit).BodyText);
        Assert.Equal(413, PostForm("/form/field", atLimit + "&a").StatusCode);
        byte[] flood = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a&", 1_000_000))); // 2 MB
        long before = GC.GetAllocatedBytesForCurrentThread();
        var response = Post("/form/field", flood, "application/x-www-form-urlencoded");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(413, response.StatusCode);
        // The body as bytes and as text is 6 MB; a million pairs in a list would be 50 MB more.
        Assert.True(allocated < 16_000_000, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void An_urlencoded_field_name_or_value_over_its_length_limit_is_400_and_one_of_exactly_the_limit_is_read()
    {
        var limits = new CgiOptions { MaxFormKeyLength = 4, MaxFormValueLength = 5 };
        Assert.Equal("12345@1", PostForm("/form/field", "q=12345&abcd=", limits).BodyText);
        Assert.Equal("%41%42@1", PostForm("/form/field", "q=%2541%2542", new CgiOptions { MaxFormValueLength = 12 }).BodyText);
        var key = PostForm("/form/field", "q=1&abcde=2", limits);
        Assert.Equal(400, key.StatusCode);
        Assert.Equal("A form field name is longer than 4 characters.", key.BodyText);
        var value = PostForm("/form/field", "q=123456", limits);
        Assert.Equal(400, value.StatusCode);
        Assert.Equal("The value of form field 'q' is longer than 5 characters.", value.BodyText);
        // Lengths are as sent: %41 is three characters.
        Assert.Equal(400, PostForm("/form/field", "q=%41%42", limits).StatusCode);
    }

    [Fact]
    public void A_multipart_form_is_held_to_the_same_field_count_and_name_and_value_lengths()
    {
        var limits = new CgiOptions { MaxFormFields = 2, MaxFormKeyLength = 4, MaxFormValueLength = 4 };
        Assert.Equal("1234@1", PostMultipart("/form/field", limits, ("q", null, null, "1234"), ("page", null, null, "1")).BodyText);
        var parts = PostMultipart("/form/field", limits, ("q", null, null, "a"), ("page", null, null, "1"), ("x", null, null, "y"));
        Assert.Equal(413, parts.StatusCode);
        Assert.Equal("The form has more than 2 fields.", parts.BodyText);
        var key = PostMultipart("/form/field", limits, ("q", null, null, "a"), ("pages", null, null, "1"));
        Assert.Equal(400, key.StatusCode);
        Assert.Equal("A form field name is longer than 4 characters.", key.BodyText);
        var value = PostMultipart("/form/field", limits, ("q", null, null, "12345"));
        Assert.Equal(400, value.StatusCode);
        Assert.Equal("The value of form field 'q' is longer than 4 bytes.", value.BodyText);
    }

    [Fact]
    public void An_upload_that_cannot_be_stored_is_a_plain_500_and_the_reason_goes_to_the_error_log()
    {
        string missing = Path.Combine(Path.GetTempPath(), "cgirouting-missing-" + Guid.NewGuid().ToString("N"));
        string? previous = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", missing);
        try
        {
            var log = new StringWriter();
            var response = PostMultipart("/form/file", new CgiOptions { ErrorLog = log },
                ("document", "big.bin", null, new string('x', FormData.MemoryThreshold + 1)));
            Assert.Equal(500, response.StatusCode);
            Assert.Equal("Internal Server Error", response.BodyText); // no temporary path for the client
            Assert.StartsWith("CgiRouting: unhandled exception in POST /form/file: ", log.ToString());
            Assert.Contains(missing, log.ToString()); // the reason, for the administrator
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", previous);
        }
    }

    [Fact]
    public void A_multipart_body_that_ends_before_its_final_boundary_is_400_with_a_message_of_our_own()
    {
        var response = Post("/form/field", Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nvalue"), "multipart/form-data; boundary=b");
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("The multipart/form-data body is malformed: it ends before its final boundary.", response.BodyText);
    }

    [Fact]
    public void A_late_request_closes_its_spilled_uploads_when_its_handler_returns()
    {
        int before = OpenUploads();
        byte[] body = Multipart(("document", "b.bin", null, new string('b', FormData.MemoryThreshold + 1)));
        var output = new MemoryStream();
        var options = new CgiOptions { Timeout = TimeSpan.FromMilliseconds(200), ErrorLog = TextWriter.Synchronized(new StringWriter()) };
        Assert.Equal(0, CgiApp.Run(MultipartEnvironment("/form/slow", body), new MemoryStream(body), output, options));
        Assert.StartsWith("Status: 503 Service Unavailable\r\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(before, OpenUploads());
        Assert.Throws<ObjectDisposedException>(() => FormRoutes.SlowFile!.OpenReadStream().ReadByte());
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
    [InlineData("--" + Boundary + "\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n12345\r\n--" + Boundary + "--\r\n", 400)]
    public void A_form_refused_after_a_spilled_file_closes_that_file(string rest, int status)
    {
        int before = OpenUploads();
        byte[] first = Multipart(("f", "big.bin", null, new string('x', FormData.MemoryThreshold * 2)));
        byte[] body = [.. first.AsSpan(0, first.Length - (Boundary.Length + 6)), .. Encoding.UTF8.GetBytes(rest)]; // without "--boundary--\r\n"
        var request = Request(body);
        request.Options = new CgiOptions { MaxFormValueLength = 4 };
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
        var output = new MemoryStream();
        Assert.Equal(0, CgiApp.Run(MultipartEnvironment("/form/upload", body), new MemoryStream(body), output, new CgiOptions { ErrorLog = TextWriter.Null }));
        Assert.StartsWith("Status: 200 OK\r\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(before, OpenUploads());
    }

    /// <summary>The CGI environment of a multipart POST of <paramref name="body"/> to <paramref name="path"/>.</summary>
    private static Dictionary<string, string> MultipartEnvironment(string path, byte[] body) => new()
    {
        ["REQUEST_METHOD"] = "POST",
        ["PATH_INFO"] = path,
        ["CONTENT_TYPE"] = "multipart/form-data; boundary=" + Boundary,
        ["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static CgiRequest Request(byte[] body) => new(new Dictionary<string, string>
    {
        ["REQUEST_METHOD"] = "POST",
        ["CONTENT_TYPE"] = "multipart/form-data; boundary=" + Boundary,
        ["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, new MemoryStream(body));
}

/// <summary>
/// Tests that store uploads in the temporary folder, and the two of FormTests that point <c>TMPDIR</c> elsewhere for a
/// while: they run one class at a time, or an upload of the one lands in the folder the other has made missing.
/// </summary>
[CollectionDefinition(nameof(TemporaryFolder))]
public sealed class TemporaryFolder
{
}
