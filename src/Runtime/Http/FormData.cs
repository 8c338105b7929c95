using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

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
    /// The limits every field of a form is held to, in either encoding, checked as it is parsed: field number
    /// <paramref name="number"/> over <see cref="CgiOptions.MaxFormFields"/> is 413, a name longer than
    /// <see cref="CgiOptions.MaxFormKeyLength"/> 400.
    /// </summary>
    internal static void CheckField(int number, int nameLength, CgiOptions limits)
    {
        if (number > limits.MaxFormFields)
            throw new CgiRequestException(413, $"The form has more than {limits.MaxFormFields} fields.");
        if (nameLength > limits.MaxFormKeyLength)
            throw new CgiRequestException(400, $"A form field name is longer than {limits.MaxFormKeyLength} characters.");
    }

    /// <summary>The 400 of a field value longer than <see cref="CgiOptions.MaxFormValueLength"/>, in <paramref name="unit"/>.</summary>
    internal static CgiRequestException ValueTooLong(string name, string unit, CgiOptions limits)
        => new(400, $"The value of form field '{name}' is longer than {limits.MaxFormValueLength} {unit}.");

    /// <summary>
    /// Reads a <c>multipart/form-data</c> body with <see cref="MultipartBodyReader"/>. Every limit is checked as the
    /// bytes arrive, before more is read: too many parts is 413 and a name or field value too long 400
    /// (<see cref="CheckField"/>), a file over its limit 413; anything malformed (no boundary, no final boundary,
    /// headers over 16 KiB or 16 lines, a part without <c>Content-Disposition: form-data</c> and a name, a file name
    /// that cannot be decoded) is 400. A file that cannot be stored in the temporary folder (a full disk) is the
    /// server's failure, not the client's: it propagates, to be logged and answered 500 without its detail.
    /// </summary>
    internal static FormData ReadMultipart(string contentType, Stream body, CgiOptions limits)
    {
        if (HeaderParameters.ParseMediaType(contentType) is not { } media
            || !media.TryGet("boundary", out var quoted) || quoted is null
            || HeaderParameters.RemoveQuotes(quoted) is not { Length: > 0 } boundary)
            throw new CgiRequestException(400, "The multipart/form-data body has no boundary in its Content-Type.");
        if (boundary.Length > 70)
            throw new CgiRequestException(400, "The multipart boundary is longer than 70 characters (RFC 2046).");
        // Quotes removed twice, as ASP.NET Core's reader did: a boundary=""x"" is x.
        var reader = new MultipartBodyReader(HeaderParameters.RemoveQuotes(boundary), body);
        var fields = new List<KeyValuePair<string, string>>();
        var files = new List<FormFile>();
        var form = new FormData(QueryCollection.Empty, files);
        try
        {
            int parts = 0;
            while (reader.NextPart(out var contentDisposition, out var partType))
            {
                CheckField(++parts, 0, limits);
                var (name, fileName) = NameAndFileName(contentDisposition, parts);
                CheckField(parts, name.Length, limits);
                if (fileName is null)
                {
                    byte[] value = ReadField(reader, name, limits);
                    fields.Add(new(name, Encoding.UTF8.GetString(value)));
                }
                else
                {
                    files.Add(ReadFile(reader, name, fileName, partType ?? "application/octet-stream", limits.MaxFormFileSize));
                }
            }
        }
        catch
        {
            form.Release();
            throw;
        }
        return new FormData(QueryCollection.From(fields), files);
    }

    /// <summary>
    /// The part's field name and its file name (<c>filename*</c>, else <c>filename</c>), null for a field; 400 without
    /// <c>Content-Disposition: form-data</c> and a name, or with a name or file name that cannot be decoded (found by
    /// fuzzing: a <c>filename*</c> without a value, or in UTF-7, which .NET refuses, made ASP.NET Core's parser throw).
    /// </summary>
    private static (string Name, string? FileName) NameAndFileName(string? contentDisposition, int part)
    {
        if (contentDisposition is null
            || HeaderParameters.ParseContentDisposition(contentDisposition) is not { } disposition
            || !disposition.Type.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            throw new CgiRequestException(400, $"Part {part} of the form has no Content-Disposition: form-data with a name.");
        try
        {
            if (disposition.Decoded("name") is not { } name)
                throw new CgiRequestException(400, $"Part {part} of the form has no Content-Disposition: form-data with a name.");
            string? fileName = disposition.DecodedExtended("filename*")
                ?? (disposition.Decoded("filename") is { } plain ? HeaderParameters.RemoveQuotes(plain) : null);
            return (HeaderParameters.RemoveQuotes(name), fileName);
        }
        catch (FormatException)
        {
            throw new CgiRequestException(400, $"Part {part} of the form has a name or file name that cannot be decoded.");
        }
    }

    private static byte[] ReadField(MultipartBodyReader part, string name, CgiOptions limits)
    {
        var value = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = part.ReadPart(buffer)) > 0)
        {
            if (value.Length + read > limits.MaxFormValueLength)
                throw ValueTooLong(name, "bytes", limits);
            value.Write(buffer, 0, read);
        }
        return value.ToArray();
    }

    private static FormFile ReadFile(MultipartBodyReader part, string name, string fileName, string contentType, long limit)
    {
        var memory = new MemoryStream();
        FileStream? spill = null;
        var buffer = new byte[16 * 1024];
        long length = 0;
        try
        {
            int read;
            while ((read = part.ReadPart(buffer)) > 0)
            {
                length += read;
                if (length > limit)
                    throw new CgiRequestException(413, $"The file '{name}' is larger than {limit} bytes.");
                if (spill is null && length <= MemoryThreshold)
                {
                    memory.Write(buffer, 0, read);
                    continue;
                }
                try
                {
                    if (spill is null)
                    {
                        spill = CreateUnlinkedFile();
                        memory.WriteTo(spill);
                    }
                    spill.Write(buffer, 0, read);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A full disk, a TMPDIR that is missing or read-only: the server's failure, whose message names a
                    // path of this machine. Not an IOException, so that it is not answered as a malformed body (400)
                    // but logged whole and answered 500 without its detail.
                    throw new InvalidOperationException("An uploaded file could not be stored in the temporary folder (TMPDIR).", e);
                }
            }
            if (spill is null)
                return new FormFile(name, fileName, contentType, memory.ToArray(), null, length);
            return new FormFile(name, fileName, contentType, null, spill.SafeFileHandle, length);
        }
        catch
        {
            spill?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new file in the temporary folder (<c>TMPDIR</c>), unlinked at once: only its descriptor is left. It is created
    /// 0600 whatever the umask: between creation and unlinking it has a name, and with the usual umask 022 (0644)
    /// another local user watching the folder could open it and read the upload (seen: 1 of 15 uploads read).
    /// </summary>
    private static FileStream CreateUnlinkedFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "cgirouting-upload-" + Guid.NewGuid().ToString("N"));
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var file = new FileStream(path, options);
        try
        {
            File.Delete(path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return file;
    }
}
