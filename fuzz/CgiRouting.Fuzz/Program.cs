using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using CgiRouting;
using SharpFuzz;

// Fuzz targets, each a property of CgiRouting that must hold for any input (fuzz/run.sh runs them under afl++):
//   request: the input is a CGI request (meta-variables, a blank line, the body); dispatched through the generated
//            dispatcher, it must give a well-formed CGI response that is never a 500 (handlers here do not throw)
//            and never lets a header split the response.
//   query:   any query string parses without throwing, and each pair's key and value come back from GetAll.
//   multipart: the input is a multipart/form-data body (boundary XyZ); reading the form either succeeds, with every
//            file readable to its stated length, or refuses it with a 400 or 413, never another exception.
//   fastcgi: the input is what a web server sends on a FastCGI connection (records of any type, id, length and padding);
//            served by a FastCgiConnection, it never fails inside (a malformed record closes the connection, which is
//            logged as such), and what the worker writes back is well-formed records: each request's STDOUT ends with an
//            empty STDOUT and END_REQUEST, and holds a well-formed CGI response (checked as for "request").
// "dotnet CgiRouting.Fuzz.dll TARGET FILE" runs one input without the fuzzer (crash regressions).
string target = args.Length > 0 ? args[0] : "request";
Action<byte[]> property = target switch
{
    "request" => Request,
    "query" => Query,
    "multipart" => Multipart,
    "fastcgi" => FastCgi,
    _ => throw new ArgumentException("Targets: request, query, multipart, fastcgi."),
};
if (args.Length > 1)
{
    foreach (string file in args[1..])
        property(File.ReadAllBytes(file));
    if (target == "fastcgi")
        Console.WriteLine($"fastcgi: {FastCgiResponsesChecked} responses checked");
    return;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    property(memory.ToArray());
});

static void Request(byte[] input)
{
    // Meta-variables as NAME=VALUE lines, bytes kept as Latin-1 (what a server passes is bytes), up to a blank line.
    int split = IndexOf(input, "\n\n"u8);
    var head = Encoding.Latin1.GetString(input, 0, split < 0 ? input.Length : split);
    byte[] body = split < 0 ? [] : input[(split + 2)..];
    var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["GATEWAY_INTERFACE"] = "CGI/1.1", ["REQUEST_METHOD"] = "GET" };
    foreach (string line in head.Split('\n'))
    {
        int equals = line.IndexOf('=');
        if (equals > 0)
            environment[line[..equals]] = line[(equals + 1)..];
    }
    using var output = new MemoryStream();
    var errors = new StringWriter();
    CgiApp.Run(environment, new MemoryStream(body), output, new CgiOptions { ErrorLog = errors, MaxRequestBodySize = 4096, MaxFormFields = 8, MaxFormValueLength = 512, MaxFormFileSize = 1024 });
    CheckResponse(output.ToArray(), environment["REQUEST_METHOD"] == "HEAD", errors.ToString());
}

static void CheckResponse(byte[] response, bool head, string errors, bool allowHeadBody = false)
{
    int end = IndexOf(response, "\r\n\r\n"u8);
    if (end < 0)
        throw new InvalidDataException("No blank line after the headers.");
    string[] lines = Encoding.UTF8.GetString(response, 0, end).Split("\r\n");
    if (!lines[0].StartsWith("Status: ", StringComparison.Ordinal) || lines[0].Length < 11 || !int.TryParse(lines[0].AsSpan(8, 3), out int status))
        throw new InvalidDataException("The first line is not a status: " + lines[0]);
    // The only 500 allowed: a header that would split the response, refused by the writer (and logged as such).
    if (status == 500 && !errors.Contains("CgiRouting: response not sent", StringComparison.Ordinal))
        throw new InvalidDataException("A 500 for an input: " + errors);
    long? length = null;
    bool streamed = false;
    foreach (string line in lines)
    {
        if (line.IndexOfAny(['\r', '\n']) >= 0 || line.IndexOf(": ", StringComparison.Ordinal) <= 0)
            throw new InvalidDataException("A malformed header line: " + line);
        if (line.StartsWith("Content-Length: ", StringComparison.Ordinal))
            length = long.Parse(line["Content-Length: ".Length..], CultureInfo.InvariantCulture);
        streamed |= line == "X-Accel-Buffering: no";
    }
    if (streamed && length is not null)
        throw new InvalidDataException("A streamed response with a Content-Length.");
    long bodyLength = response.Length - end - 4;
    // A streamed body has no Content-Length: its end is the end of the output.
    // For fastcgi the method is not known here: a HEAD response (no body whatever Content-Length says) is allowed.
    if (allowHeadBody && bodyLength == 0)
        return;
    if (head ? bodyLength != 0 : streamed ? false : length is { } l ? l != bodyLength : bodyLength != 0)
        throw new InvalidDataException($"The body has {bodyLength} bytes; Content-Length says {length}.");
}

static void Query(byte[] input)
{
    string text = Encoding.Latin1.GetString(input);
    var query = CgiRouting.QueryCollection.Parse(text);
    foreach (var pair in query)
    {
        if (Array.IndexOf(query.GetAll(pair.Key), pair.Value) < 0)
            throw new InvalidDataException($"GetAll('{pair.Key}') lacks '{pair.Value}'.");
    }
}

static void Multipart(byte[] input)
{
    var environment = new Dictionary<string, string>
    {
        ["REQUEST_METHOD"] = "POST",
        ["CONTENT_TYPE"] = "multipart/form-data; boundary=XyZ",
        ["CONTENT_LENGTH"] = input.Length.ToString(CultureInfo.InvariantCulture),
    };
    var request = new CgiRequest(environment, new MemoryStream(input));
    FormData form;
    try
    {
        form = request.ReadFormData();
    }
    catch (CgiRequestException e) when (e.StatusCode is 400 or 413)
    {
        return;
    }
    var buffer = new byte[4096];
    foreach (var file in form.Files)
    {
        using var content = file.OpenReadStream();
        long read = 0;
        for (int n; (n = content.Read(buffer)) > 0;)
            read += n;
        if (read != file.Length)
            throw new InvalidDataException($"File '{file.Name}' says {file.Length} bytes; {read} were read.");
    }
}

static void FastCgi(byte[] input)
{
    var output = new MemoryStream();
    var log = new StringWriter();
    var options = new CgiOptions { ErrorLog = log, MaxRequestBodySize = 4096, MaxFormFields = 8, MaxFormValueLength = 512, MaxFormFileSize = 1024,
        Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    var server = new CgiRouting.FastCgi.FastCgiServer(-1, ownsListener: false, maxConcurrency: 1, maxRequests: 0, options, log);
    // Reads deliver at most a few bytes, as a socket may: records are then read in many pieces.
    var connection = new ConnectionStream(new MemoryStream(input), output, chunk: 1 + input.Length % 97);
    new CgiRouting.FastCgi.FastCgiConnection(connection, server, shutdown: null).Serve();
    string errors = log.ToString();
    if (errors.Contains("internal error", StringComparison.Ordinal))
        throw new InvalidDataException(errors);
    // The worker's records: version 1, and per request: STDOUT content, an empty STDOUT, then END_REQUEST.
    byte[] written = output.ToArray();
    var responses = new Dictionary<int, MemoryStream>();
    var ended = new HashSet<int>();
    for (int at = 0; at < written.Length;)
    {
        if (written.Length - at < 8 || written[at] != 1)
            throw new InvalidDataException($"A malformed record header at byte {at}.");
        int type = written[at + 1], id = written[at + 2] << 8 | written[at + 3], length = written[at + 4] << 8 | written[at + 5];
        int padding = written[at + 6];
        if (written.Length - at < 8 + length + padding)
            throw new InvalidDataException($"A record cut short at byte {at}.");
        var content = written.AsSpan(at + 8, length);
        switch (type)
        {
            case 6 when length > 0: // STDOUT
                if (ended.Contains(id))
                    throw new InvalidDataException($"STDOUT of request {id} after its end.");
                if (!responses.TryGetValue(id, out var response))
                    responses[id] = response = new MemoryStream();
                response.Write(content);
                break;
            case 6:
                ended.Add(id);
                break;
            case 3: // END_REQUEST
                if (length != 8)
                    throw new InvalidDataException("END_REQUEST of " + length + " bytes.");
                if (responses.ContainsKey(id) && !ended.Contains(id))
                    throw new InvalidDataException($"END_REQUEST of request {id} without the end of its STDOUT.");
                if (responses.Remove(id, out var done))
                {
                    CheckResponse(done.ToArray(), head: false, errors, allowHeadBody: true);
                    FastCgiResponsesChecked++;
                }
                ended.Remove(id);
                break;
            case 10 or 11 when id == 0: // GET_VALUES_RESULT, UNKNOWN_TYPE
                break;
            default:
                throw new InvalidDataException($"The worker wrote a record of type {type} for request {id}.");
        }
        at += 8 + length + padding;
    }
    // A response begun and never ended is only allowed when the connection ended under it (no END_REQUEST then).
}

static int IndexOf(byte[] data, ReadOnlySpan<byte> value) => data.AsSpan().IndexOf(value);

static partial class Program
{
    /// <summary>How many responses the fastcgi target checked (printed when inputs are replayed).</summary>
    public static int FastCgiResponsesChecked;
}

/// <summary>A connection for the fastcgi target: reads the input, keeps what the worker writes.</summary>
sealed class ConnectionStream(Stream input, Stream output, int chunk) : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, Math.Min(count, chunk));
    public override int Read(Span<byte> buffer) => input.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
