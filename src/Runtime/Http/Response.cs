using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CgiRouting;

/// <summary>
/// An HTTP response as a handler builds it: a status code, headers and a body. <see cref="CgiApp"/> writes it to
/// standard output as a CGI response (RFC 3875 §6), with <c>Content-Length</c> computed from the body.
/// </summary>
public sealed class Response
{
    /// <summary>The media type of <see cref="Text"/> responses.</summary>
    public const string TextContentType = "text/plain; charset=utf-8";

    /// <summary>The media type of JSON responses.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>The media type of <see cref="Problem"/> responses (RFC 9457).</summary>
    public const string ProblemJsonContentType = "application/problem+json";

    /// <summary>The media type of <see cref="Html"/> responses.</summary>
    public const string HtmlContentType = "text/html; charset=utf-8";

    private List<KeyValuePair<string, string>>? _headers;
    private List<(string Name, string Value, CookieOptions? Options)>? _cookies;

    private Response(int statusCode, string contentType, Stream body)
        : this(statusCode, contentType, ReadOnlyMemory<byte>.Empty)
    {
        BodyStream = body;
    }

    private Response(int statusCode, string? contentType, ReadOnlyMemory<byte> body)
    {
        if (statusCode is < 100 or > 599)
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "An HTTP status code is from 100 to 599.");
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
    }

    /// <summary>The status code.</summary>
    public int StatusCode { get; }

    /// <summary>The <c>Content-Type</c>, or <see langword="null"/> for a response without a body.</summary>
    public string? ContentType { get; private set; }

    /// <summary>The body bytes (empty for a streamed response: see <see cref="BodyStream"/>).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>
    /// The body of a <see cref="Stream(System.IO.Stream, string, int)"/> response, which CgiRouting copies to the
    /// client as it reads it and then disposes; <see langword="null"/> for other responses.
    /// </summary>
    public Stream? BodyStream { get; }

    /// <summary>The body decoded as UTF-8, for tests and logs.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>
    /// Headers other than <c>Status</c>, <c>Content-Type</c> and <c>Content-Length</c>, in order, then the cookies of
    /// <see cref="WithCookie"/> as <c>Set-Cookie</c> headers (with <c>Secure</c> as for a plain-HTTP request when it
    /// depends on the request).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _cookies is null
        ? _headers ?? (IReadOnlyList<KeyValuePair<string, string>>)[]
        : HeadersFor(https: false);

    /// <summary>The headers to send to a client that came over HTTPS (<paramref name="https"/>) or not.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> HeadersFor(bool https)
    {
        if (_cookies is null)
            return Headers;
        var all = new List<KeyValuePair<string, string>>(_headers ?? []);
        foreach (var (name, value, options) in _cookies)
            all.Add(new("Set-Cookie", SetCookie.Format(name, value, options, https)));
        return all;
    }

    /// <summary>A text response, <c>text/plain; charset=utf-8</c>.</summary>
    public static Response Text(string text, int status = 200) => new(status, TextContentType, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// A JSON response, with the status of your choice, of a type that a <c>JsonSerializerContext</c> of the app
    /// declares and the generator's JSON writers cover (docs/json.md): <c>Response.Json(user, 201)</c>. The bytes are
    /// those System.Text.Json writes with that context, written without System.Text.Json's start-up. For a type
    /// outside that subset, pass its metadata: <c>Response.Json(value, AppJson.Default.T, status)</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No generated writer covers <typeparamref name="T"/>.</exception>
    public static Response Json<T>(T value, int status = 200)
    {
        if (Dispatching.GeneratedJson<T>.Write is not { } write)
        {
            throw new InvalidOperationException(
                $"No generated JSON writer covers {typeof(T).Name}: declare it with [JsonSerializable] in a JsonSerializerContext of the app, "
                + "or, for a type outside the writers' subset (see --routes and docs/json.md), use Response.Json(value, AppJson.Default.Type, status).");
        }
        var json = new Dispatching.JsonUtf8Builder();
        write(json, value);
        return Json(json, status);
    }

    /// <summary>A JSON response of what a generated writer wrote into <paramref name="json"/>, without copying it.</summary>
    internal static Response Json(Dispatching.JsonUtf8Builder json, int status) => new(status, JsonContentType, json.WrittenMemory);

    /// <summary>A JSON response, serialized through the app's source-generated <paramref name="typeInfo"/>.</summary>
    public static Response Json<T>(T value, JsonTypeInfo<T> typeInfo, int status = 200)
        => new(status, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    /// <summary>
    /// An HTML page, <c>text/html; charset=utf-8</c>. Put values into it with <see cref="CgiRouting.Html.Encode"/>:
    /// <c>Response.Html($"&lt;h1&gt;Hello, {Html.Encode(name)}&lt;/h1&gt;")</c>.
    /// </summary>
    public static Response Html(string html, int status = 200) => new(status, HtmlContentType, Encoding.UTF8.GetBytes(html));

    /// <summary>
    /// A response whose body is read from <paramref name="body"/> while it is written, without holding it in memory:
    /// a file, a pipe, a generated export. It has no <c>Content-Length</c> (the server chunks it or closes the
    /// connection at its end), each read is passed on at once, and <c>X-Accel-Buffering: no</c> tells nginx not to
    /// hold it back. The stream is disposed once written. For a download, add <see cref="AsAttachment"/>.
    /// </summary>
    public static Response Stream(Stream body, string contentType, int status = 200)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(contentType);
        return new Response(status, contentType, body);
    }

    /// <summary>
    /// A binary response. A GET of it with a <c>Range</c> gets that part of it (206), as for <see cref="File"/>;
    /// give it an <see cref="WithETag"/> or <see cref="WithLastModified"/> so that a client can resume with <c>If-Range</c>.
    /// </summary>
    public static Response Bytes(byte[] body, string contentType = "application/octet-stream", int status = 200)
        => new(status, contentType, body) { AcceptsRanges = true, Conditional = new ConditionalResponse() };

    /// <summary>
    /// The file at <paramref name="path"/>, streamed from disk with its <c>Content-Length</c>, its
    /// <c>Last-Modified</c> and an <c>ETag</c> made of its size and modification time, so that a client's
    /// <c>If-None-Match</c> or <c>If-Modified-Since</c> gets a 304 and its <c>Range</c> a 206. The media type is
    /// <paramref name="contentType"/>, or else the one its extension names (<c>.html</c>, <c>.css</c>, <c>.js</c>,
    /// <c>.png</c>, ...; <c>application/octet-stream</c> for the others). A file that does not exist (or a directory)
    /// is 404. <paramref name="path"/> is opened as given: never build it from a request without checking it.
    /// </summary>
    public static Response File(string path, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        // A folder is not a file either: opening one fails with UnauthorizedAccessException.
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException || Directory.Exists(path))
        {
            return Error(404, "Not Found");
        }
        // Length and time are read from the open file, so that they describe the bytes sent even if it is replaced meanwhile.
        long length = RandomAccess.GetLength(handle);
        var modified = new DateTimeOffset(System.IO.File.GetLastWriteTimeUtc(handle));
        string tag = string.Create(CultureInfo.InvariantCulture, $"\"{modified.UtcTicks:x}-{length:x}\"");
        return new Response(200, contentType ?? MediaTypes.ForFileName(path), new FileStream(handle, FileAccess.Read, bufferSize: 0))
        {
            AcceptsRanges = true,
            BodyStreamLength = length,
            Conditional = new ConditionalResponse(),
        }.WithETag(tag).WithLastModified(modified);
    }

    /// <summary>
    /// A client redirect: <c>Status: 302 Found</c> (or <paramref name="status"/>) and <c>Location</c>, so that every
    /// server sends a real redirect rather than re-dispatching a local one (RFC 3875 §6.2.2). A location that starts
    /// with <c>~/</c> is app-relative (a typed link of <c>CgiRouting.Generated.Links</c> is one): it is resolved
    /// against the request this response answers, as <see cref="CgiRequest.Url"/> does (<c>~/items/5</c> is
    /// <c>/gb/items/5</c> for an app mounted at <c>/gb</c>).
    /// </summary>
    public static Response Redirect(string location, int status = 302)
    {
        if (status is < 300 or > 399)
            throw new ArgumentOutOfRangeException(nameof(status), status, "A redirect has a 3xx status code.");
        return new Response(status, null, ReadOnlyMemory<byte>.Empty).WithHeader("Location", location);
    }

    /// <summary>
    /// <c>303 See Other</c> to <paramref name="location"/>: the answer to a form POST, so that the browser loads the
    /// page with a GET and a reload does not post the form again. A location that starts with <c>~/</c> is resolved
    /// as for <see cref="Redirect"/>.
    /// </summary>
    public static Response SeeOther(string location) => Redirect(location, 303);

    /// <summary>A response with no body, such as 204 No Content.</summary>
    public static Response Empty(int status = 204) => new(status, null, ReadOnlyMemory<byte>.Empty);

    /// <summary>404 Not Found with a short text body.</summary>
    public static Response NotFound(string message = "Not Found") => Text(message, 404);

    /// <summary>400 Bad Request with a short text body.</summary>
    public static Response BadRequest(string message) => Text(message, 400);

    /// <summary>
    /// An error answer of the framework itself (a 4xx or 500 that no handler wrote), with <paramref name="message"/> as
    /// its plain-text body, or as the <c>detail</c> of its problem details when the client prefers JSON (see
    /// <see cref="ProblemDetails"/>).
    /// </summary>
    internal static Response Error(int status, string message, Dispatching.ValidationErrors? validation = null)
        => new(status, TextContentType, Encoding.UTF8.GetBytes(message)) { ErrorMessage = message, Validation = validation };

    /// <summary>The failures of a validation 400 (<see cref="Dispatching.ValidationErrors"/>), written as problem details' <c>errors</c>.</summary>
    internal Dispatching.ValidationErrors? Validation { get; private init; }

    /// <summary>The message of a framework error (<see cref="Error"/>); null for every other response.</summary>
    internal string? ErrorMessage { get; private init; }

    /// <summary>
    /// An RFC 9457 problem details answer, <c>application/problem+json</c>:
    /// <c>{"type":"about:blank","title":"Conflict","status":409,"detail":"The name is taken."}</c>. The
    /// <c>title</c> is the status's reason phrase unless given; <c>detail</c> is left out when null. It is the shape
    /// of the framework's own errors for clients that ask for JSON (and for every client with
    /// <see cref="CgiOptions.UseProblemDetails"/>); a handler's <c>Problem</c> is JSON whatever the client asks for.
    /// Written without System.Text.Json.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not from 400 to 599.</exception>
    public static Response Problem(int status, string? title = null, string? detail = null) => ProblemOf(status, title, detail, null);

    /// <summary>The 400 of failed validation as ASP.NET Core's validation problem details: a title and an <c>errors</c> member.</summary>
    internal static Response ValidationProblem(Dispatching.ValidationErrors errors) => ProblemOf(400, Dispatching.ValidationErrors.Title, null, errors);

    private static Response ProblemOf(int status, string? title, string? detail, Dispatching.ValidationErrors? errors)
    {
        if (status is < 400 or > 599)
            throw new ArgumentOutOfRangeException(nameof(status), status, "A problem has a 4xx or 5xx status code.");
        var json = new Dispatching.JsonUtf8Builder();
        json.StartObject();
        json.Property("\"type\":"u8);
        json.String("about:blank");
        json.Property("\"title\":"u8);
        json.String(title ?? HttpStatus.ReasonPhrase(status));
        json.Property("\"status\":"u8);
        json.Number(status);
        if (detail is not null)
        {
            json.Property("\"detail\":"u8);
            json.String(detail);
        }
        if (errors is not null)
        {
            json.Property("\"errors\":"u8);
            errors.WriteTo(json);
        }
        json.EndObject();
        return new(status, ProblemJsonContentType, json.WrittenMemory);
    }

    /// <summary>
    /// Adds a header and returns this response, so calls chain. A second header of the same name replaces the
    /// first, except <c>Set-Cookie</c>, which may occur many times; <c>Content-Type</c> sets <see cref="ContentType"/>.
    /// Names and values that could split the response are not written: the response becomes a 500.
    /// </summary>
    public Response WithHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            ContentType = value;
            return this;
        }
        _headers ??= [];
        if (!name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
            _headers.RemoveAll(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        _headers.Add(new(name, value));
        return this;
    }

    /// <summary>
    /// Sets a cookie (a <c>Set-Cookie</c> header) and returns this response. Without <paramref name="options"/> it is
    /// a session cookie with the safe defaults of <see cref="CookieOptions"/>: <c>Path=/</c>, <c>HttpOnly</c>,
    /// <c>SameSite=Lax</c>, and <c>Secure</c> when the request came over HTTPS. Any value may be given: what RFC 6265's
    /// cookie-octet does not allow (a space, <c>" , ; \</c>, a control or non-ASCII character) and <c>%</c> are
    /// percent-encoded, as ASP.NET Core does, and <see cref="CgiRequest.Cookies"/> and <c>[Cookie]</c> decode them, so
    /// the value set is the value read back.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not an HTTP token, or the path or domain has a character a
    /// <c>Set-Cookie</c> header may not hold (RFC 6265 §4.1.1: <c>;</c>, CR, LF, ...).</exception>
    public Response WithCookie(string name, string value, CookieOptions? options = null)
    {
        SetCookie.Check(name, value, options);
        (_cookies ??= []).Add((name, PercentEncoding.EncodeCookieValue(value), options));
        return this;
    }

    /// <summary>
    /// Tells the browser to delete the cookie <paramref name="name"/> set with <c>Path=/</c> (an empty value that
    /// expired in 1970, <c>Max-Age=0</c>); for a cookie set with another <c>Path</c> or a <c>Domain</c>, use the
    /// overload that takes them.
    /// </summary>
    public Response DeleteCookie(string name) => DeleteCookie(name, null);

    /// <summary>Deletes the cookie <paramref name="name"/> set with the <c>Path</c> and <c>Domain</c> of <paramref name="options"/>.</summary>
    public Response DeleteCookie(string name, CookieOptions? options) => WithCookie(name, "", new CookieOptions
    {
        Path = options?.Path,
        Domain = options?.Domain,
        Expires = DateTimeOffset.UnixEpoch,
        MaxAge = TimeSpan.Zero,
        Secure = options?.Secure,
        HttpOnly = options?.HttpOnly ?? true,
        SameSite = options?.SameSite ?? SameSiteMode.Lax,
    });

    /// <summary>
    /// Makes this response a download saved as <paramref name="fileName"/>: <c>Content-Disposition: attachment</c>
    /// with the name made safe (RFC 6266): any path is dropped, and the name is sent both as a plain ASCII
    /// <c>filename</c> (other characters, quotes and controls as <c>_</c>) and exactly as a UTF-8 <c>filename*</c>.
    /// </summary>
    public Response AsAttachment(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        string name = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];
        if (name.Length == 0 || name is "." or "..")
            name = "download";
        var ascii = new StringBuilder(name.Length);
        var encoded = new StringBuilder(name.Length * 3);
        foreach (char c in name)
            ascii.Append(c is >= ' ' and < '\x7F' and not '"' and not '\\' and not '%' ? c : '_');
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            // RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else percent-encoded.
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                || "!#$&+-.^_`|~".Contains((char)b, StringComparison.Ordinal))
                encoded.Append((char)b);
            else
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return WithHeader("Content-Disposition", $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    }

    /// <summary>
    /// Resolves an app-relative <c>Location</c> (<c>~/...</c>, see <see cref="Redirect"/>) against
    /// <paramref name="request"/>, the request this response answers.
    /// </summary>
    internal void ResolveLocation(CgiRequest request)
    {
        if (_headers is null)
            return;
        for (int i = 0; i < _headers.Count; i++)
        {
            var (name, value) = _headers[i];
            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase) && value.StartsWith("~/", StringComparison.Ordinal))
                _headers[i] = new(name, request.Url(value));
        }
    }

    /// <summary>
    /// Sets the <c>ETag</c>, the version of this representation (RFC 9110 §8.8.3): <paramref name="tag"/> in double
    /// quotes unless it is already, and weak with a leading <c>W/</c>. A GET or HEAD whose <c>If-None-Match</c> names
    /// it then gets 304 Not Modified instead of this 200; one whose <c>If-Match</c> does not, 412. (An <c>ETag</c> set
    /// with <see cref="WithHeader"/> alone is sent, but not answered from.)
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="tag"/> has a space, a double quote or a control character.</exception>
    public Response WithETag(string tag)
    {
        Conditional ??= new ConditionalResponse();
        return WithHeader("ETag", EntityTag.Quote(tag));
    }

    /// <summary>
    /// Sets <c>Last-Modified</c> (to the second; HTTP has no finer time): a GET or HEAD whose <c>If-Modified-Since</c>
    /// is not before it then gets 304 Not Modified instead of this response, unless it sent <c>If-None-Match</c>.
    /// </summary>
    public Response WithLastModified(DateTimeOffset lastModified)
    {
        Conditional ??= new ConditionalResponse();
        return WithHeader("Last-Modified", HttpDate.Format(lastModified));
    }

    /// <summary>
    /// What answers a GET or HEAD of this response that asks for less of it (a 304, 206, ...), attached by
    /// <see cref="WithETag"/>, <see cref="WithLastModified"/>, <see cref="Bytes"/> and <see cref="File"/>; null for
    /// other responses, which are sent as they are.
    /// </summary>
    internal ConditionalAnswer? Conditional { get; private set; }

    /// <summary>Whether a GET with a <c>Range</c> gets part of this response's body: <see cref="Bytes"/> and <see cref="File"/>.</summary>
    internal bool AcceptsRanges { get; private init; }

    /// <summary>The value of the header <paramref name="name"/> set by <see cref="WithHeader"/> (cookies aside), or <see langword="null"/>.</summary>
    internal string? HeaderValue(string name)
    {
        if (_headers is null)
            return null;
        foreach (var header in _headers)
        {
            if (header.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                return header.Value;
        }
        return null;
    }

    /// <summary>The length of <see cref="BodyStream"/> when it is known (<see cref="File"/>), -1 otherwise.</summary>
    private long BodyStreamLength { get; init; } = -1;

    /// <summary>
    /// The body's length: <see cref="Body"/>'s, or <see cref="BodyStream"/>'s when it is known (then sent as
    /// <c>Content-Length</c>, and no more than that copied); -1 for a stream of unknown length.
    /// </summary>
    internal long BodyLength => BodyStream is null ? Body.Length : BodyStreamLength;

    /// <summary>
    /// <paramref name="count"/> bytes of this response's body from <paramref name="start"/>, as a 206 with its
    /// headers, its cookies and <c>Content-Range</c>. A streamed body must be seekable (a file's is).
    /// </summary>
    internal Response Part(long start, long count)
    {
        long total = BodyLength;
        Response part;
        if (BodyStream is { } stream)
        {
            stream.Seek(start, SeekOrigin.Begin);
            part = new Response(206, ContentType!, stream) { BodyStreamLength = count };
        }
        else
            part = new Response(206, ContentType, Body.Slice((int)start, (int)count));
        part._headers = _headers is null ? null : new(_headers);
        part._cookies = _cookies;
        return part.WithHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{start + count - 1}/{total}"));
    }

    /// <summary>The first header named <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    public string? GetHeader(string name)
    {
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            return ContentType;
        foreach (var header in Headers)
        {
            if (header.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                return header.Value;
        }
        return null;
    }
}
