// Each request's process is confined by the kernel to what the app declares (Landlock and seccomp, before the runtime
// starts): this app reads and writes no file of its own, connects nowhere and starts no program. Declare what it needs
// as it grows, such as Write = new[] { "${APP_DATA}" } or ConnectPorts = new[] { 5432 } (docs/security.md).
[assembly: CgiRouting.Sandbox]

// The whole program: serve the one request a web server started this process for.
return CgiRouting.CgiApp.Run();
