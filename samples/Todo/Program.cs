// `todo --migrate` (run by hand, with TODO_DB set): creates the tables and exits. It is looked for before CgiApp.Run,
// whose command line refuses options it does not know, and only when no web server runs the binary: under one, a
// query without '=' may arrive as arguments (RFC 3875 §4.4), and no request may run DDL.
if (args is ["--migrate"] && System.Environment.GetEnvironmentVariable("REQUEST_METHOD") is null)
    return Todo.TodoStore.Migrate(System.Console.Out, System.Console.Error);

// A todo is a short text: a request body over 64 KiB is 413 before any of it is read. An attachment upload may be
// as large as one attachment (a process serves one request, so the limit can depend on it).
bool upload = System.Environment.GetEnvironmentVariable("PATH_INFO")?.EndsWith("/attachments", System.StringComparison.Ordinal) == true;
return CgiRouting.CgiApp.Run(new CgiRouting.CgiOptions
{
    MaxRequestBodySize = upload ? Todo.TodoPage.MaxAttachmentSize + 16 * 1024 : 64 * 1024,
    MaxFormFileSize = Todo.TodoPage.MaxAttachmentSize,
});
