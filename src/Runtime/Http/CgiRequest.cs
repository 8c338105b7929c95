using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;

namespace CgiRouting;

/// <summary>
/// One CGI request (RFC 3875): the meta-variables the web server set, and the body on standard input.
/// Build one from an environment dictionary to test handlers in-process (<see cref="Create"/> is the short way).
/// </summary>
public sealed class CgiRequest
{
    private readonly Stream? _input;
    private QueryCollection? _query;
    private Dictionary<string, string>? _headers;
    private Dictionary<string, string>? _cookies;
    private RequestBodyStream? _body;
    private readonly bool _noContentLength;
    private CancellationTokenSource? _aborted;
    private int _abandoned;

    /// <summary>
    /// A request from CGI meta-variables (<c>REQUEST_METHOD</c>, <c>PATH_INFO</c>, <c>QUERY_STRING</c>,
    /// <c>CONTENT_LENGTH</c>, <c>HTTP_*</c>, ...) and the stream the body is read from.
    /// </summary>
    public CgiRequest(IReadOnlyDictionary<string, string> environment, Stream? input = null)
    {
        Environment = environment;
        _input = input;
        Method = Get("REQUEST_METHOD") ?? "";
        string? path = Get("PATH_INFO");
        Path = string.IsNullOrEmpty(path) ? "/" : path;
        QueryString = Get("QUERY_STRING") ?? "";
        string? contentLength = Get("CONTENT_LENGTH");
        ContentLength = ParseContentLength(contentLength);
        _noContentLength = string.IsNullOrEmpty(contentLength);
    }

    /// <summary>
    /// A request as a web server would pass it: <paramref name="target"/> is the path below the script with an
    /// optional query (<c>/users/42?full=true</c>); <paramref name="body"/> is sent as UTF-8 with its length.
    /// </summary>
    public static CgiRequest Create(string method, string target, string? body = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GATEWAY_INTERFACE"] = "CGI/1.1",
            ["SERVER_PROTOCOL"] = "HTTP/1.1",
            ["REQUEST_METHOD"] = method,
            ["REMOTE_ADDR"] = "127.0.0.1",
            ["SCRIPT_NAME"] = "",
        };
        int q = target.IndexOf('?');
        environment["PATH_INFO"] = q < 0 ? target : target[..q];
        environment["QUERY_STRING"] = q < 0 ? "" : target[(q + 1)..];
        foreach (var header in headers ?? [])
        {
            string name = header.Key.ToUpperInvariant().Replace('-', '_');
            environment[name is "CONTENT_TYPE" or "CONTENT_LENGTH" ? name : "HTTP_" + name] = header.Value;
        }
        byte[] bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
            environment["CONTENT_LENGTH"] = bytes.Length.ToString(CultureInfo.InvariantCulture);
        return new CgiRequest(environment, new MemoryStream(bytes, writable: false));
    }

    /// <summary>All meta-variables, as the web server set them.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary><c>REQUEST_METHOD</c> exactly as sent (methods are case-sensitive), or empty.</summary>
    public string Method { get; }

    /// <summary><c>PATH_INFO</c>, already percent-decoded by the server; <c>/</c> when absent or empty.</summary>
    public string Path { get; }

    /// <summary>The raw query string without <c>?</c>; empty when there is none.</summary>
    public string QueryString { get; }

    /// <summary>The decoded query-string pairs.</summary>
    public QueryCollection Query => _query ??= QueryCollection.Parse(QueryString);

    /// <summary>
    /// The request headers by name, case-insensitive: <c>HTTP_X_USER</c> is <c>X-User</c>, and
    /// <c>Content-Type</c> and <c>Content-Length</c> come from <c>CONTENT_TYPE</c> and <c>CONTENT_LENGTH</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers => _headers ??= ReadHeaders();

    /// <summary>
    /// The request's cookies by name (case-sensitive), from the <c>Cookie</c> header (<c>HTTP_COOKIE</c>): pairs
    /// separated by <c>;</c>, a value in double quotes without them. When a name comes twice, the first wins, as
    /// browsers send the most specific path first (RFC 6265 §5.4). Values are percent-decoded (UTF-8), as
    /// <see cref="Response.WithCookie"/> encodes them, so a value reads back as it was set; a value that is not valid
    /// percent-encoding (<c>%zz</c>, bytes that are not UTF-8) is given as it came.
    /// </summary>
    public IReadOnlyDictionary<string, string> Cookies => _cookies ??= ParseCookies(Get("HTTP_COOKIE"));

    /// <summary>The options this request is served with (limits, trusted origins), set by <see cref="CgiApp"/>.</summary>
    internal CgiOptions? Options { get; set; }

    /// <summary>
    /// The row of the app's route table (<see cref="CgiApp.Routes"/>, as <c>--routes</c> lists them) that the generated
    /// dispatcher matched, or -1 before dispatch and when no route matched. Set by the generated code (one store); a
    /// FastCGI worker reads it for its per-route metrics and access log.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public int RouteIndex { get; set; } = -1;

    private FormData? _form;

    /// <summary><c>CONTENT_TYPE</c>, or <see langword="null"/>.</summary>
    public string? ContentType => NullIfEmpty(Get("CONTENT_TYPE"));

    /// <summary><c>SCRIPT_NAME</c>: the URL path of the app itself (<c>/cgi-bin/app</c>), empty when it owns every path.</summary>
    public string ScriptName => Get("SCRIPT_NAME") ?? "";

    /// <summary>
    /// Where the app is mounted: <c>SCRIPT_NAME</c> without a trailing slash, so <c>/gb</c> for an app served at
    /// <c>/gb/</c> and <c>""</c> at the root. The app's own URLs start with it (<see cref="Url"/>).
    /// </summary>
    public string PathBase => ScriptName.TrimEnd('/');

    /// <summary>
    /// An app-relative URL as a path from the site's root for this request: <c>~/items/5</c> is <c>/gb/items/5</c> when
    /// the app is mounted at <c>/gb</c> (<see cref="PathBase"/>, percent-encoded where a URL path needs it, since
    /// <c>SCRIPT_NAME</c> arrives decoded) and <c>/items/5</c> at the root. A URL that does not start with <c>~/</c> is
    /// returned as it is. The rest of the URL is not encoded again: the typed links the generator emits
    /// (<c>CgiRouting.Generated.Links</c>) are app-relative and encoded already: <c>request.Url(Links.Items.ById(5))</c>.
    /// </summary>
    public string Url(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.StartsWith("~/", StringComparison.Ordinal) ? string.Concat(PercentEncoding.EncodePath(PathBase), url.AsSpan(1)) : url;
    }

    /// <summary>Whether the client connected over TLS: <c>HTTPS</c> is <c>on</c> (any case) or <c>1</c>.</summary>
    public bool IsHttps => Get("HTTPS") is { } https && (https.Equals("on", StringComparison.OrdinalIgnoreCase) || https == "1");

    /// <summary><c>REMOTE_ADDR</c>, the client's address (IPv4 or IPv6), or <see langword="null"/>.</summary>
    public string? RemoteAddress => NullIfEmpty(Get("REMOTE_ADDR"));

    /// <summary>
    /// The body length from <c>CONTENT_LENGTH</c>: 0 when it is unset or empty (no body, unless it is chunked: see
    /// <see cref="Body"/>), -1 when it is not a non-negative integer.
    /// </summary>
    public long ContentLength { get; }

    /// <summary>
    /// The body: exactly <see cref="ContentLength"/> bytes of input. Reading fewer than announced throws
    /// <see cref="CgiRequestException"/> (400). A chunked body that the server passes without a length (Apache,
    /// busybox: <c>Transfer-Encoding: chunked</c> and no <c>CONTENT_LENGTH</c>) is read to the end of input, and
    /// reading more than <see cref="CgiOptions.MaxRequestBodySize"/> of it throws <see cref="CgiRequestException"/> (413).
    /// </summary>
    public Stream Body => _body ??= IsChunkedWithoutLength
        ? RequestBodyStream.UntilEnd(_input ?? Stream.Null, Options?.MaxRequestBodySize ?? CgiOptions.DefaultMaxRequestBodySize)
        : new RequestBodyStream(_input ?? Stream.Null, CheckedContentLength());

    /// <summary>
    /// Whether the request has a body of unknown length: <c>HTTP_TRANSFER_ENCODING</c> names <c>chunked</c> and
    /// <c>CONTENT_LENGTH</c> is unset or empty. lighttpd and nginx de-chunk such a body and set <c>CONTENT_LENGTH</c>;
    /// Apache (mod_cgi and mod_cgid) and busybox pass it de-chunked with no length and end standard input after it
    /// (seen end to end with mod_cgid). Reading it to the end of input loses nothing of what the client
    /// sent, where treating it as no body (as RFC 3875 alone would) stored 0 bytes of a PUT without a word. It cannot
    /// hang where the rule for fixed-length bodies guards against it: the server that keeps the client's socket on
    /// stdin (Python's http.server) passes no Transfer-Encoding; a server that did would still be bounded by
    /// <see cref="CgiOptions.MaxRequestBodySize"/> (413) and <see cref="CgiOptions.Timeout"/> (503). Answering 411
    /// Length Required instead would refuse the request outright on Apache, where curl and browsers' fetch streams
    /// send chunked bodies, for no gain.
    /// </summary>
    private bool IsChunkedWithoutLength
        => _noContentLength && Get("HTTP_TRANSFER_ENCODING") is { } codings && codings.Contains("chunked", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a body was sent: a positive <c>CONTENT_LENGTH</c>, or a chunked body without one.</summary>
    internal bool HasBody => ContentLength > 0 || IsChunkedWithoutLength;

    /// <summary>The meta-variable <paramref name="name"/>, or <see langword="null"/>.</summary>
    public string? Get(string name) => Environment.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The header <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    public string? GetHeader(string name)
    {
        // Its own variable first (HTTP_ACCEPT for Accept, as every web server names it: RFC 3875 §4.1.18), which spares
        // a request that asks for one header copying the whole environment into Headers: an error answer asks for
        // Accept, and that copy was 44,000 instructions of a 404. Only a header not found that way is looked for in
        // Headers, which also finds a variable a server spelled in another case.
        if (_headers is null && HeaderVariable(name) is { } variable && NullIfEmpty(Get(variable)) is { } direct)
            return direct;
        return Headers.TryGetValue(name, out string? value) ? value : null;
    }

    /// <summary>
    /// The CGI variable that holds header <paramref name="name"/> when Headers would take it from there:
    /// <c>CONTENT_TYPE</c>, <c>CONTENT_LENGTH</c>, or <c>HTTP_</c> and the name in capitals with <c>_</c> for <c>-</c>;
    /// <see langword="null"/> for a name Headers could not have (empty, with <c>_</c>, not ASCII).
    /// </summary>
    private static string? HeaderVariable(string name)
    {
        if (name.Length == 0 || name.Contains('_') || !System.Text.Ascii.IsValid(name))
            return null;
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            return "CONTENT_TYPE";
        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            return "CONTENT_LENGTH";
        return string.Create(5 + name.Length, name, static (chars, name) =>
        {
            "HTTP_".CopyTo(chars);
            for (int i = 0; i < name.Length; i++)
                chars[5 + i] = name[i] == '-' ? '_' : char.ToUpperInvariant(name[i]);
        });
    }

    /// <summary>Reads the whole body.</summary>
    public byte[] ReadBodyBytes()
    {
        if (IsChunkedWithoutLength)
        {
            var all = new MemoryStream();
            Body.CopyTo(all);
            return all.ToArray();
        }
        long length = CheckedContentLength();
        var bytes = new byte[length];
        Body.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Reads the whole body as UTF-8 text (invalid bytes become U+FFFD).</summary>
    public string ReadBodyText() => Encoding.UTF8.GetString(ReadBodyBytes());

    /// <summary>
    /// Reads an <c>application/x-www-form-urlencoded</c> body. A body with another <c>Content-Type</c> (such as
    /// <c>multipart/form-data</c>) gives 415 before any of it is read; a body without one is read as a form. After
    /// <see cref="ReadFormData"/> (which <c>[Form]</c> parameters call), the fields it read, in either encoding.
    /// </summary>
    public QueryCollection ReadForm()
    {
        // Once [Form] parameters have read the form, it is what they read (a handler fills its form again from it).
        if (_form is not null)
            return _form.Fields;
        if (HasBody && ContentType is { } contentType && !IsMediaType(contentType, "application/x-www-form-urlencoded"))
            throw new CgiRequestException(415, "The request body must be a form (Content-Type: application/x-www-form-urlencoded).");
        return QueryCollection.ParseForm(ReadBodyText(), Options ?? new CgiOptions());
    }

    /// <summary>
    /// Reads the form the request sent, once (later calls give the same): an
    /// <c>application/x-www-form-urlencoded</c> body (or a body without <c>Content-Type</c>) gives its fields, a
    /// <c>multipart/form-data</c> body its fields and files, within the form limits of <see cref="CgiOptions"/>
    /// (413 or 400 beyond them, 400 when malformed); another <c>Content-Type</c> is 415. A request without a body
    /// has an empty form. <c>[Form]</c> parameters are bound from it.
    /// </summary>
    public FormData ReadFormData()
    {
        if (_form is not null)
            return _form;
        if (HasBody && ContentType is { } contentType && IsMediaType(contentType, "multipart/form-data"))
            return _form = FormData.ReadMultipart(contentType, Body, Options ?? new CgiOptions());
        if (HasBody && ContentType is { } other && !IsMediaType(other, "application/x-www-form-urlencoded"))
            throw new CgiRequestException(415, "The request body must be a form (Content-Type: application/x-www-form-urlencoded or multipart/form-data).");
        return _form = FormData.FromFields(QueryCollection.ParseForm(ReadBodyText(), Options ?? new CgiOptions()));
    }

    /// <summary>
    /// Cancelled when the request is abandoned: its deadline (<see cref="CgiOptions.Timeout"/>) has answered 503, the web
    /// server sent FastCGI's <c>FCGI_ABORT_REQUEST</c>, or the web server closed the connection (in a CGI process, the
    /// pipe of standard output). A handler that takes a <see cref="CancellationToken"/> parameter gets this token;
    /// passed on to <c>Task.Delay</c>, a database command or <c>HttpClient</c>, it stops their work. Nothing watches
    /// the connection until the token is first asked for, so a request that never asks pays nothing.
    /// </summary>
    /// <remarks>
    /// In a CGI process of a Native AOT app the deadline ends the process itself (its work ends with it), so the token
    /// is not cancelled for the deadline there; it is in a FastCGI worker and in-process.
    /// </remarks>
    public CancellationToken RequestAborted
    {
        get
        {
            if (_aborted is { } existing)
                return existing.Token;
            var source = new CancellationTokenSource();
            if (Interlocked.CompareExchange(ref _aborted, source, null) is { } raced)
                return raced.Token;
            if (Volatile.Read(ref _abandoned) != 0)
                source.Cancel();
            else
                AbandonWatch?.Watch(this);
            return source.Token;
        }
    }

    /// <summary>What tells, in this mode, that the web server abandoned the request; set by the mode that serves it.</summary>
    internal AbandonWatch? AbandonWatch { get; set; }

    /// <summary>Whether the request was abandoned (<see cref="Abort"/>).</summary>
    internal bool IsAbandoned => Volatile.Read(ref _abandoned) != 0;

    /// <summary>Cancels <see cref="RequestAborted"/> (now, or as it is first asked for); safe on any thread.</summary>
    internal void Abort()
    {
        Interlocked.Exchange(ref _abandoned, 1); // a full fence, as CompareExchange in RequestAborted: one of the two sees the other
        if (Volatile.Read(ref _aborted) is { } source)
        {
            try
            {
                source.Cancel();
            }
            catch (AggregateException e)
            {
                // A callback of the handler's threw; the request is over all the same.
                Options?.ErrorLog?.WriteLine("CgiRouting: a callback of the request's cancellation threw: " + PrintableText.EscapeLines(e.ToString()));
            }
        }
    }

    /// <summary>Closes what the request holds open: the temporary files of uploaded files, and the watch of its connection.</summary>
    internal void Release()
    {
        _form?.Release();
        if (_aborted is not null)
            AbandonWatch?.Unwatch(this);
    }

    /// <summary>
    /// Reads the body as JSON through <paramref name="typeInfo"/> (from the app's <c>JsonSerializerContext</c>).
    /// A <c>Content-Type</c> that is not JSON gives 415; malformed JSON gives 400; an empty body gives
    /// <see langword="default"/>.
    /// </summary>
    public T? ReadJson<T>(JsonTypeInfo<T> typeInfo)
    {
        if (ReadJsonBody() is not { } bytes)
            return default;
        try
        {
            return JsonSerializer.Deserialize(bytes, typeInfo);
        }
        catch (JsonException e)
        {
            throw JsonBodyError.Reject(e, typeInfo);
        }
    }

    /// <summary>
    /// Reads the whole body for a JSON reader, as <see cref="ReadJson"/> does before it deserializes: a
    /// <c>Content-Type</c> that is not JSON gives 415; an empty body gives <see langword="null"/>.
    /// </summary>
    public byte[]? ReadJsonBody()
    {
        byte[] bytes = ReadBodyBytes();
        if (bytes.Length == 0)
            return null; // some servers set CONTENT_TYPE without a body: only a body has a media type
        string? contentType = ContentType;
        if (contentType is not null && !IsJsonMediaType(contentType))
            throw new CgiRequestException(415, "The request body must be JSON (Content-Type: application/json).");
        return bytes;
    }

    /// <summary>
    /// Reads and drops what the handler left of a body of at most <paramref name="limit"/> bytes, after the
    /// response is written. A CGI child that exits with unread input makes servers that write the whole body to it
    /// fail the response: Apache's mod_cgid resets the connection, fcgiwrap makes nginx answer 502.
    /// </summary>
    internal void DiscardUnreadBody(long limit)
    {
        long length = ContentLength;
        bool chunked = length == 0 && IsChunkedWithoutLength;
        if (!chunked && (length <= 0 || length > limit))
            return;
        try
        {
            if (chunked)
                DiscardInput(limit - (_body?.Position ?? 0)); // at most limit bytes in all, as for a body with a length
            else
                Body.CopyTo(Stream.Null);
        }
        catch (Exception e) when (e is CgiRequestException or IOException)
        {
            // The client went away or sent less: there is nothing left to read.
        }
    }

    /// <summary>Reads and drops at most <paramref name="count"/> more bytes of input, or up to its end.</summary>
    private void DiscardInput(long count)
    {
        if (_input is null)
            return;
        var buffer = new byte[16 * 1024];
        int read;
        while (count > 0 && (read = _input.Read(buffer, 0, (int)Math.Min(buffer.Length, count))) > 0)
            count -= read;
    }

    private static bool IsJsonMediaType(string contentType)
        => IsMediaType(contentType, "application/json") || MediaType(contentType).EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="contentType"/> is <paramref name="mediaType"/>, with any parameters and in any case.</summary>
    private static bool IsMediaType(string contentType, string mediaType)
        => MediaType(contentType).Equals(mediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>text/plain</c> of <c>text/plain; charset=utf-8</c>.</summary>
    private static ReadOnlySpan<char> MediaType(string contentType)
    {
        var mediaType = contentType.AsSpan();
        int semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
            mediaType = mediaType[..semicolon];
        return mediaType.Trim();
    }

    private static long ParseContentLength(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return 0;
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long length) ? length : -1;
    }

    private long CheckedContentLength()
    {
        long length = ContentLength;
        if (length < 0)
            throw new CgiRequestException(400, "CONTENT_LENGTH is not a valid length.");
        return length;
    }

    private Dictionary<string, string> ReadHeaders()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in Environment)
        {
            if (name.StartsWith("HTTP_", StringComparison.Ordinal) && name.Length > 5
                && name is not "HTTP_CONTENT_TYPE" and not "HTTP_CONTENT_LENGTH")
                headers[HeaderName(name.AsSpan(5))] = value;
        }
        if (NullIfEmpty(Get("CONTENT_TYPE")) is { } type)
            headers["Content-Type"] = type;
        if (NullIfEmpty(Get("CONTENT_LENGTH")) is { } length)
            headers["Content-Length"] = length;
        return headers;
    }

    private static Dictionary<string, string> ParseCookies(string? header)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(header))
            return cookies;
        foreach (var range in header.AsSpan().Split(';'))
        {
            var pair = header.AsSpan(range).Trim(' ');
            int equals = pair.IndexOf('=');
            if (equals <= 0)
                continue; // no name: not a cookie (RFC 6265 §5.2 would ignore it too)
            string name = pair[..equals].Trim(' ').ToString();
            var value = pair[(equals + 1)..].Trim(' ');
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                value = value[1..^1];
            cookies.TryAdd(name, PercentEncoding.DecodeCookieValue(value.ToString()));
        }
        return cookies;
    }

    private static string HeaderName(ReadOnlySpan<char> variable)
    {
        return string.Create(variable.Length, variable.ToString(), static (chars, source) =>
        {
            bool upper = true;
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                chars[i] = c == '_' ? '-' : upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
                upper = c == '_';
            }
        });
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
