// A todo is a short text: a request body over 64 KiB is 413 before any of it is read. An attachment upload may be
// as large as one attachment (a process serves one request, so the limit can depend on it).
bool upload = System.Environment.GetEnvironmentVariable("PATH_INFO")?.EndsWith("/attachments", System.StringComparison.Ordinal) == true;
return CgiRouting.CgiApp.Run(new CgiRouting.CgiOptions
{
    MaxRequestBodySize = upload ? Todo.TodoPage.MaxAttachmentSize + 16 * 1024 : 64 * 1024,
    MaxFormFileSize = Todo.TodoPage.MaxAttachmentSize,
});
