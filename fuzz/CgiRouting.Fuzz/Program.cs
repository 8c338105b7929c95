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
// "dotnet CgiRouting.Fuzz.dll TARGET FILE" runs one input without the fuzzer (crash regressions).
string target = args.Length > 0 ? args[0] : "request";
Action<byte[]> property = target switch
{
    "request" => Request,
    "query" => Query,
    "multipart" => Multipart,
    _ => throw new ArgumentException("Targets: request, query, multipart."),
};
if (args.Length > 1)
{
    foreach (string file in args[1..])
        property(File.ReadAllBytes(file));
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
    CgiApp.Run(environment, new MemoryStream(body), output, new CgiOptions { ErrorLog = errors, MaxRequestBodySize = 4096, MaxFormParts = 8, MaxFormFieldSize = 512, MaxFormFileSize = 1024 });
    CheckResponse(output.ToArray(), environment["REQUEST_METHOD"] == "HEAD", errors.ToString());
}

static void CheckResponse(byte[] response, bool head, string errors)
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

static int IndexOf(byte[] data, ReadOnlySpan<byte> value) => data.AsSpan().IndexOf(value);
