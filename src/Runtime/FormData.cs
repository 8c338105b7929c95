using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CgiRouting;

/// <summary>
/// A form as the request sent it (<see cref="CgiRequest.ReadFormData"/>): its fields, and for
/// <c>multipart/form-data</c> its files. Field and file names are matched ignoring case, as HTML forms and
/// ASP.NET Core do.
/// </summary>
public sealed class FormData
{
    /// <summary>Parts up to this size stay in memory; a larger file part goes to an unlinked temporary file.</summary>
    internal const int MemoryThreshold = 64 * 1024;

    private readonly List<FormFile> _files;

    private FormData(QueryCollection fields, List<FormFile> files)
    {
        Fields = fields;
        _files = files;
    }

    /// <summary>The fields in their order (names case-sensitive there), decoded; files are not among them.</summary>
    public QueryCollection Fields { get; }

    /// <summary>The file parts, in their order.</summary>
    public IReadOnlyList<FormFile> Files => _files;

    /// <summary>The first value of the field <paramref name="name"/> (any case), or <see langword="null"/>.</summary>
    public string? GetField(string name)
    {
        foreach (var (key, value) in Fields)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        return null;
    }

    /// <summary>Every value of the field <paramref name="name"/> (any case), in order.</summary>
    public string[] GetFields(string name)
    {
        var values = new List<string>();
        foreach (var (key, value) in Fields)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
                values.Add(value);
        }
        return values.ToArray();
    }

    /// <summary>The first file of the field <paramref name="name"/> (any case), or <see langword="null"/>.</summary>
    public FormFile? GetFile(string name) => _files.Find(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every file of the field <paramref name="name"/> (any case), in order.</summary>
    public FormFile[] GetFiles(string name) => _files.FindAll(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToArray();

    /// <summary>Closes the temporary files (their content is gone with them).</summary>
    internal void Release()
    {
        foreach (var file in _files)
            file.Release();
    }

    internal static FormData FromFields(QueryCollection fields) => new(fields, []);

    /// <summary>
    /// Reads a <c>multipart/form-data</c> body with ASP.NET Core's <see cref="MultipartReader"/>. Every limit is
    /// checked as the bytes arrive, before more is read: too many parts is 400, a field or file over its limit 413;
    /// anything malformed (no boundary, no final boundary, headers over 16 KiB or 16 lines, a part without
    /// <c>Content-Disposition</c>) is 400.
    /// </summary>
    internal static FormData ReadMultipart(string contentType, Stream body, CgiOptions limits)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
            throw new CgiRequestException(400, "The multipart/form-data body has no boundary in its Content-Type.");
        if (boundary.Length > 70)
            throw new CgiRequestException(400, "The multipart boundary is longer than 70 characters (RFC 2046).");
        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = null };
        var fields = new List<KeyValuePair<string, string>>();
        var files = new List<FormFile>();
        var form = new FormData(QueryCollection.Empty, files);
        try
        {
            int parts = 0;
            while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
            {
                if (++parts > limits.MaxFormParts)
                    throw new CgiRequestException(400, $"The form has more than {limits.MaxFormParts} parts.");
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { } name)
                    throw new CgiRequestException(400, $"Part {parts} of the form has no Content-Disposition: form-data with a name.");
                string? fileName = FileName(disposition, parts);
                if (fileName is null)
                {
                    byte[] value = ReadField(section.Body, name, limits.MaxFormFieldSize);
                    fields.Add(new(name, Encoding.UTF8.GetString(value)));
                }
                else
                {
                    files.Add(ReadFile(section.Body, name, fileName, section.ContentType ?? "application/octet-stream", limits.MaxFormFileSize));
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            form.Release();
            throw new CgiRequestException(400, "The multipart/form-data body is malformed: " + e.Message);
        }
        catch
        {
            form.Release();
            throw;
        }
        return new FormData(QueryCollection.From(fields), files);
    }

    /// <summary>
    /// The part's file name (<c>filename*</c>, else <c>filename</c>), or null for a field. ASP.NET Core's decoding of
    /// <c>filename*</c> throws on some malformed values (no value, a charset such as UTF-7 that .NET refuses): found by
    /// fuzzing, and answered 400 here rather than 500.
    /// </summary>
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

    private static byte[] ReadField(Stream part, string name, long limit)
    {
        var value = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = part.Read(buffer)) > 0)
        {
            if (value.Length + read > limit)
                throw new CgiRequestException(413, $"The form field '{name}' is larger than {limit} bytes.");
            value.Write(buffer, 0, read);
        }
        return value.ToArray();
    }

    private static FormFile ReadFile(Stream part, string name, string fileName, string contentType, long limit)
    {
        var memory = new MemoryStream();
        FileStream? spill = null;
        var buffer = new byte[16 * 1024];
        long length = 0;
        try
        {
            int read;
            while ((read = part.Read(buffer)) > 0)
            {
                length += read;
                if (length > limit)
                    throw new CgiRequestException(413, $"The file '{name}' is larger than {limit} bytes.");
                if (spill is null && length > MemoryThreshold)
                {
                    spill = CreateUnlinkedFile();
                    memory.WriteTo(spill);
                }
                if (spill is not null)
                    spill.Write(buffer, 0, read);
                else
                    memory.Write(buffer, 0, read);
            }
            if (spill is null)
                return new FormFile(name, fileName, contentType, memory.ToArray(), null, length);
            spill.Flush();
            return new FormFile(name, fileName, contentType, null, spill.SafeFileHandle, length);
        }
        catch
        {
            spill?.Dispose();
            throw;
        }
    }

    /// <summary>A new file in the temporary folder (<c>TMPDIR</c>), unlinked at once: only its descriptor is left.</summary>
    private static FileStream CreateUnlinkedFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "cgirouting-upload-" + Guid.NewGuid().ToString("N"));
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        File.Delete(path);
        return file;
    }
}
