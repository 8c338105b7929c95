using System.IO;
using System.Linq;
using System.Text;

namespace CgiRouting.Tests;

public sealed record Guest(string Name, [Form("msg")] string Message, int? Age, string[] Tags, bool Subscribe);

public sealed class Upload
{
    public string Title { get; set; } = "";
    public int Count { get; set; } = 5;
    public FormFile? Attachment { get; set; }
    public FormFile[] Photos { get; set; } = [];
}

/// <summary>Handlers bound from forms.</summary>
public static class FormRoutes
{
    [Post("/form/guest")]
    public static string SignGuestBook([Form] Guest guest)
        => $"{guest.Name}|{guest.Message}|{guest.Age?.ToString() ?? "-"}|{string.Join(",", guest.Tags)}|{guest.Subscribe}";

    [Post("/form/field")] public static string Field([Form("q")] string query, [Form] int page = 1) => query + "@" + page;

    [Post("/form/upload")]
    public static string Uploaded([Form] Upload upload)
        => $"{upload.Title}|{upload.Count}|{Describe(upload.Attachment)}|{string.Join(",", upload.Photos.Select(Describe))}";

    [Post("/form/file")] public static string OneFile(FormFile document) => Describe(document) + "|" + Read(document);

    /// <summary>The file of the last <c>/form/slow</c> request, to see whether it is closed once the request ends.</summary>
    public static FormFile? SlowFile { get; private set; }

    [Post("/form/slow")]
    public static string Slow(FormFile document)
    {
        SlowFile = document;
        // Well past the test's 200 ms deadline: its timer runs on the thread pool, which a loaded run can hold up for
        // most of a second (seen once in some thirty runs after the multipart differential tests, at 1 s).
        System.Threading.Thread.Sleep(2500);
        return Describe(document);
    }

    [Post("/form/files")] public static string Files(FormFile[] photos) => photos.Length + ":" + string.Join(",", photos.Select(Describe));

    private static string Describe(FormFile? file) => file is null ? "none" : $"{file.Name}={file.FileName}({file.ContentType},{file.Length})";

    private static string Read(FormFile file)
    {
        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
