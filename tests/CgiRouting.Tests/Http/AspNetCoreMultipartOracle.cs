using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CgiRouting.Tests;

/// <summary>
/// What <see cref="FormData.ReadMultipart"/> did while it read with ASP.NET Core's <see cref="MultipartReader"/>: the
/// same calls, limit checks in the same order (<see cref="FormData.CheckField"/>, <see cref="FormData.ValueTooLong"/>)
/// and the same 400 and 413, kept here as the oracle a reader of our own is compared with
/// (<see cref="MultipartDifferentialTests"/>). Everything stays in memory: a file is read whole, and held to
/// <see cref="CgiOptions.MaxFormFileSize"/> as it arrives, as the runtime does.
/// </summary>
internal static class AspNetCoreMultipartOracle
{
    /// <summary>A form as a plain value: fields and files in their order, file contents as bytes.</summary>
    internal sealed record Parsed(List<(string Name, string Value)> Fields, List<(string Name, string FileName, string ContentType, byte[] Content)> Files)
    {
        public bool Equals(Parsed? other) => other is not null
            && Fields.SequenceEqual(other.Fields)
            && Files.Count == other.Files.Count
            && Files.Zip(other.Files).All(p => p.First.Name == p.Second.Name && p.First.FileName == p.Second.FileName
                && p.First.ContentType == p.Second.ContentType && p.First.Content.AsSpan().SequenceEqual(p.Second.Content));

        public override int GetHashCode() => HashCode.Combine(Fields.Count, Files.Count);

        public override string ToString()
        {
            var text = new StringBuilder();
            foreach (var (name, value) in Fields)
                text.Append("field ").Append(MultipartDifferentialTests.Escape(name)).Append(" = ").Append(MultipartDifferentialTests.Escape(value)).Append('\n');
            foreach (var (name, fileName, contentType, content) in Files)
                text.Append("file ").Append(MultipartDifferentialTests.Escape(name)).Append(" '").Append(MultipartDifferentialTests.Escape(fileName))
                    .Append("' ").Append(MultipartDifferentialTests.Escape(contentType)).Append(" = ").Append(MultipartDifferentialTests.Escape(content)).Append('\n');
            return text.Length == 0 ? "(empty form)" : text.ToString();
        }
    }

    internal static Parsed Read(string contentType, Stream body, CgiOptions limits)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
            throw new CgiRequestException(400, "The multipart/form-data body has no boundary in its Content-Type.");
        if (boundary.Length > 70)
            throw new CgiRequestException(400, "The multipart boundary is longer than 70 characters (RFC 2046).");
        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = null };
        var fields = new List<(string, string)>();
        var files = new List<(string, string, string, byte[])>();
        try
        {
            int parts = 0;
            while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
            {
                FormData.CheckField(++parts, 0, limits);
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { } name)
                    throw new CgiRequestException(400, $"Part {parts} of the form has no Content-Disposition: form-data with a name.");
                FormData.CheckField(parts, name.Length, limits);
                string? fileName = FileName(disposition, parts);
                if (fileName is null)
                    fields.Add((name, Encoding.UTF8.GetString(ReadField(section.Body, name, limits))));
                else
                    files.Add((name, fileName, section.ContentType ?? "application/octet-stream", ReadFile(section.Body, name, limits.MaxFormFileSize)));
            }
        }
        catch (InvalidDataException e)
        {
            throw new CgiRequestException(400, "The multipart/form-data body is malformed: " + e.Message);
        }
        catch (IOException)
        {
            throw new CgiRequestException(400, "The multipart/form-data body is malformed: it ends before its final boundary.");
        }
        return new Parsed(fields, files);
    }

    private static string? FileName(ContentDispositionHeaderValue disposition, int part)
    {
        try
        {
            return disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value
                : disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : null;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or FormatException or DecoderFallbackException)
        {
            throw new CgiRequestException(400, $"Part {part} of the form has a file name that cannot be decoded.");
        }
    }

    private static byte[] ReadField(Stream part, string name, CgiOptions limits)
    {
        var value = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = part.Read(buffer)) > 0)
        {
            if (value.Length + read > limits.MaxFormValueLength)
                throw FormData.ValueTooLong(name, "bytes", limits);
            value.Write(buffer, 0, read);
        }
        return value.ToArray();
    }

    /// <summary>The runtime's file read without its spill to a temporary file: the same buffer, the same 413.</summary>
    private static byte[] ReadFile(Stream part, string name, long limit)
    {
        var content = new MemoryStream();
        var buffer = new byte[16 * 1024];
        long length = 0;
        int read;
        while ((read = part.Read(buffer)) > 0)
        {
            length += read;
            if (length > limit)
                throw new CgiRequestException(413, $"The file '{name}' is larger than {limit} bytes.");
            content.Write(buffer, 0, read);
        }
        return content.ToArray();
    }
}
