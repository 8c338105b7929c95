using System;
using System.Runtime.InteropServices;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace CgiRouting;

/// <summary>
/// The entry point of a CGI app: <c>return CgiRouting.CgiApp.Run();</c> is the whole of <c>Program.cs</c>.
/// The dispatcher that the CgiRouting generator emits from the app's route attributes registers itself here.
/// </summary>
public static class CgiApp
{
    /// <summary>The generated dispatcher's entry point, as <see cref="SetDispatcher"/> takes it.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public delegate ValueTask<Response> Dispatcher(CgiRequest request);

    // Here rather than in RequestPipeline, which reads it: each class with static fields of references costs one more
    // allocation at every start (about 1,900 instructions per CGI request, measured with callgrind).
    private static Dispatcher? s_dispatcher;
    private static Func<IReadOnlyList<RouteInfo>>? s_routes;

    /// <summary>
    /// Registers the dispatcher and the route table. The generated code calls it from a module initializer; apps
    /// do not. Only delegates are stored: nothing is built until it is needed.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void SetDispatcher(Dispatcher dispatcher, Func<IReadOnlyList<RouteInfo>> routes)
    {
        s_dispatcher = dispatcher;
        s_routes = routes;
        NativeStartup.Ended();
    }

    /// <summary>The registered dispatcher, which <see cref="RequestPipeline"/> calls; null before registration.</summary>
    internal static Dispatcher? RegisteredDispatcher => s_dispatcher;

    /// <summary>
    /// Makes <see cref="DispatchAsync"/> use the dispatcher of the app <paramref name="app"/>, for a test project
    /// that references the app: the generated dispatcher registers itself when the app's module is initialized,
    /// which this ensures. <c>CgiApp.Load(typeof(SomeAppType).Assembly)</c>.
    /// </summary>
    public static void Load(Assembly app) => RuntimeHelpers.RunModuleConstructor(app.ManifestModule.ModuleHandle);

    /// <summary>The app's routes as generated at build time, in dispatch order.</summary>
    public static IReadOnlyList<RouteInfo> Routes => s_routes?.Invoke() ?? [];

    /// <summary>
    /// Serves the one request of this process: reads the CGI environment and standard input, dispatches to the
    /// matching handler and writes the response to standard output. Returns the process exit code.
    /// </summary>
    public static int Run() => Run(new CgiOptions());

    /// <inheritdoc cref="Run()"/>
    public static int Run(CgiOptions options)
    {
        var environment = new ProcessEnvironment();
        if (!environment.ContainsKey("REQUEST_METHOD"))
        {
            // Not run by a web server (RFC 3875 §4.1.12): explain, or list the routes. Under a server, argv is
            // ignored: a query without '=' may arrive there (RFC 3875 §4.4).
            // Without REQUEST_METHOD it may also be a FastCGI worker: --fastcgi, or a listening socket as stdin.
            string[] arguments = Environment.GetCommandLineArgs();
            BindLibcFromTheProcess();
            return CommandLine.Run(arguments.AsSpan(1).ToArray(), Routes, new StandardDescriptorWriter(1), new StandardDescriptorWriter(2), options);
        }
        using var input = StandardDescriptorStream.Open(0, FileAccess.Read);
        using var output = StandardDescriptorStream.Open(1, FileAccess.Write);
        return RequestPipeline.Serve(environment, input, output, options, errorLog: null, new ProcessLateAnswer(), new StandardOutputWatch());
    }

    /// <summary>
    /// The libc functions that only the FastCGI side and the command line call are bound at their first call
    /// (CgiRouting.props binds at start only what a CGI request calls). Looked up as "libc", the runtime would probe
    /// some sixty file names for it (libc.so is a linker script); libc is already in the process, so they are looked up
    /// there. Not needed, and not done, for a CGI request.
    /// </summary>
    private static void BindLibcFromTheProcess()
    {
        if (!OperatingSystem.IsWindows())
            NativeLibrary.SetDllImportResolver(typeof(CgiApp).Assembly, static (name, _, _) => name == "libc" ? NativeLibrary.GetMainProgramHandle() : 0);
    }

    /// <summary>
    /// Serves one request from <paramref name="environment"/> and <paramref name="input"/>, writing the CGI
    /// response to <paramref name="output"/>: what <see cref="Run()"/> does, for tests that check the exact bytes.
    /// Errors go to <see cref="CgiOptions.ErrorLog"/>, standard error by default. When the request outlives
    /// <see cref="CgiOptions.Timeout"/>, the 503 is written from another thread and this method returns once the
    /// handler does (the process entry point exits instead).
    /// </summary>
    public static int Run(IReadOnlyDictionary<string, string> environment, Stream input, Stream output,
        CgiOptions? options = null)
    {
        int exitCode = RequestPipeline.Serve(environment, input, output, options, errorLog: null, new InProcessLateAnswer(), abandonWatch: null);
        output.Flush(); // the response writer leaves that to the stream's owner
        return exitCode;
    }

    /// <summary>
    /// Dispatches <paramref name="request"/> in-process and returns the response the client would get, with the
    /// framework's error handling: 413 for a body over the limit, a 4xx for a bad request, 500 (details to the
    /// error log) for a handler exception. For <c>HEAD</c> the body is kept; the CGI writer leaves it out.
    /// </summary>
    public static ValueTask<Response> DispatchAsync(CgiRequest request, CgiOptions? options = null)
    {
        request.Options = options;
        return RequestPipeline.DispatchAsync(request, options?.MaxRequestBodySize ?? CgiOptions.DefaultMaxRequestBodySize,
            options?.ErrorLog ?? new StandardDescriptorWriter(2));
    }
}
