using System;
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
    /// <summary>
    /// After a 413, a body of at most this many bytes is read and dropped once the response is written (see
    /// <see cref="CgiRequest.DiscardUnreadBody"/>); a larger one is left unread.
    /// </summary>
    internal const long MaxBodyDrainedAfterRefusal = 1024 * 1024;

    /// <summary>The generated dispatcher's entry point, as <see cref="SetDispatcher"/> takes it.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public delegate ValueTask<Response> Dispatcher(CgiRequest request);

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
    }

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
            return CommandLine.Run(arguments.AsSpan(1).ToArray(), Routes, Console.Out, Console.Error, options);
        }
        using var input = StandardStream(0, FileAccess.Read);
        using var output = StandardStream(1, FileAccess.Write);
        return Serve(environment, input, output, options, errorLog: null, exitWhenLate: true, afterLateAnswer: null);
    }

    /// <summary>
    /// Standard input or output as an unbuffered stream that reads and writes the descriptor itself, at the offset
    /// it shares with the server or shell (see <see cref="StandardDescriptorStream"/>); on Windows, which has no
    /// such descriptors, the console's streams.
    /// </summary>
    internal static Stream StandardStream(int descriptor, FileAccess access)
    {
        if (OperatingSystem.IsWindows())
            return descriptor == 0 ? Console.OpenStandardInput() : Console.OpenStandardOutput();
        return new StandardDescriptorStream(descriptor, access);
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
        => Serve(environment, input, output, options, errorLog: null, exitWhenLate: false, afterLateAnswer: null);

    /// <summary>
    /// Serves one request of a FastCGI connection, exactly as a CGI request: its environment is the request's PARAMS,
    /// its input the STDIN records, its output the STDOUT records, its errors go to <paramref name="errorLog"/> (the
    /// app's <see cref="CgiOptions.ErrorLog"/>, or the request's STDERR records). When the request is late, the 503 is
    /// written from the deadline's thread and <paramref name="afterLateAnswer"/> ends the request there. The deadline
    /// is a managed <see cref="System.Threading.Timer"/>: the kernel timer's handle lives as long as the process, one
    /// per request.
    /// </summary>
    internal static void ServeFastCgi(IReadOnlyDictionary<string, string> environment, Stream input, Stream output,
        CgiOptions? options, TextWriter errorLog, Action afterLateAnswer)
        => Serve(environment, input, output, options, errorLog, exitWhenLate: false, afterLateAnswer);

    // exitWhenLate (CGI): once the 503 of a late request is out, end the process. afterLateAnswer (FastCGI): what ends
    // a late request once its 503 is out; with it, the deadline is a managed timer rather than the kernel's. No lambda
    // or cached delegate is passed on the CGI path: Native AOT allocates the static fields of every closure class at
    // start-up, which each CGI request pays for (about 2,400 instructions apiece, measured with callgrind).
    // errorLog: where this request's errors go, when not options.ErrorLog or standard error (FastCGI).
    private static int Serve(IReadOnlyDictionary<string, string> environment, Stream input, Stream output,
        CgiOptions? options, TextWriter? errorLog, bool exitWhenLate, Action? afterLateAnswer)
    {
        errorLog ??= options?.ErrorLog ?? new StandardErrorLog();
        var request = new CgiRequest(environment, input);
        long maxRequestBodySize = options?.MaxRequestBodySize ?? CgiOptions.DefaultMaxRequestBodySize;
        TimeSpan timeout = RequestDeadline.RequestTimeout(environment, options, errorLog);
        RequestDeadline? deadline = null;
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            string late = string.Concat("CgiRouting: ", PrintableText.Escape(request.Method), " ", PrintableText.Escape(request.Path), " was not answered within ",
                RequestDeadline.Seconds(timeout), " s (CgiOptions.Timeout): answered 503.");
            // The process's one request: the native deadline answers and ends the process, with no thread.
            if (exitWhenLate && options?.ErrorLog is null)
                deadline = RequestDeadline.StartForProcess(timeout, request.Method == "HEAD", late + "\n");
            deadline ??= RequestDeadline.Start(timeout, () =>
            {
                errorLog.WriteLine(late);
                Write(request, RequestDeadline.Answer(), output, errorLog);
                afterLateAnswer?.Invoke();
                if (exitWhenLate)
                    Environment.Exit(0); // the handler may be blocked for good: end the process, as the server would
            });
        }
        request.Options = options;
        var pending = DispatchCoreAsync(request, maxRequestBodySize, errorLog);
        var response = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (deadline is not null && !deadline.TryFinish())
        {
            // The 503 is out already. The request ends here all the same: its uploads are closed now, not by a garbage
            // collection some time later (a FastCGI worker lives on), and so is a streamed body nobody will read.
            response.BodyStream?.Dispose();
            request.Release();
            return 0;
        }
        Write(request, response, output, errorLog);
        request.Release();
        // A body over the limit was refused unread (413); a modest one is still drained, so that the server
        // delivers the 413 instead of failing the response, while a huge one is never read at all.
        request.DiscardUnreadBody(Math.Max(maxRequestBodySize, MaxBodyDrainedAfterRefusal));
        return 0;
    }

    private static void Write(CgiRequest request, Response response, Stream output, TextWriter errorLog)
    {
        try
        {
            CgiResponseWriter.Write(response, request.Method == "HEAD", request.IsHttps, output, errorLog);
        }
        catch (IOException e)
        {
            // The client or the server went away (EPIPE): nobody is left to answer.
            errorLog.WriteLine("CgiRouting: the response could not be written: " + PrintableText.Escape(e.Message));
        }
    }

    /// <summary>
    /// Dispatches <paramref name="request"/> in-process and returns the response the client would get, with the
    /// framework's error handling: 413 for a body over the limit, a 4xx for a bad request, 500 (details to the
    /// error log) for a handler exception. For <c>HEAD</c> the body is kept; the CGI writer leaves it out.
    /// </summary>
    public static ValueTask<Response> DispatchAsync(CgiRequest request, CgiOptions? options = null)
    {
        request.Options = options;
        return DispatchCoreAsync(request, options?.MaxRequestBodySize ?? CgiOptions.DefaultMaxRequestBodySize,
            options?.ErrorLog ?? new StandardErrorLog());
    }

    private static async ValueTask<Response> DispatchCoreAsync(CgiRequest request, long maxRequestBodySize, TextWriter errorLog)
    {
        try
        {
            long length = request.ContentLength;
            if (length < 0)
                return ProblemDetails.Shape(request, Response.Error(400, "CONTENT_LENGTH is not a valid length."));
            if (length > maxRequestBodySize)
                return ProblemDetails.Shape(request, Response.Error(413, RequestBodyStream.TooLargeMessage));
            var dispatcher = s_dispatcher ?? throw new InvalidOperationException(
                "No dispatcher is registered: reference CgiRouting.Generators as an analyzer so that it generates one.");
            // Only a framework error (binding, 401, 403, 404, 405) is looked at again: problem details or plain text.
            return ProblemDetails.Shape(request, await dispatcher(request).ConfigureAwait(false));
        }
        catch (CgiRequestException e)
        {
            return ProblemDetails.Shape(request, Response.Error(e.StatusCode, e.Message));
        }
        catch (Exception e)
        {
            // One entry: the method and path escaped on its first line, the exception's own lines (its message may
            // quote the request too, its stack trace is many lines) indented under it.
            errorLog.WriteLine(
                $"CgiRouting: unhandled exception in {PrintableText.Escape(request.Method)} {PrintableText.Escape(request.Path)}: {PrintableText.EscapeLines(e.ToString())}");
            return ProblemDetails.Shape(request, Response.Error(500, "Internal Server Error"));
        }
    }
}
