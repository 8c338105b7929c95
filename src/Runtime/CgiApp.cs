using System;
using System.Collections;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Threading.Tasks;

namespace CgiRouting;

/// <summary>
/// The entry point of a CGI app: <c>return CgiRouting.CgiApp.Run();</c> is the whole of <c>Program.cs</c>.
/// The dispatcher that the CgiRouting generator emits from the app's route attributes registers itself here.
/// </summary>
public static class CgiApp
{
    private static Func<CgiRequest, ValueTask<Response>>? s_dispatcher;

    /// <summary>
    /// Registers the dispatcher. The generated code calls it from a module initializer; apps do not.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void SetDispatcher(Func<CgiRequest, ValueTask<Response>> dispatcher) => s_dispatcher = dispatcher;

    /// <summary>
    /// Serves the one request of this process: reads the CGI environment and standard input, dispatches to the
    /// matching handler and writes the response to standard output. Returns the process exit code.
    /// </summary>
    public static int Run() => Run(new CgiOptions());

    /// <inheritdoc cref="Run()"/>
    public static int Run(CgiOptions options)
    {
        var environment = ReadEnvironment();
        if (!environment.ContainsKey("REQUEST_METHOD"))
        {
            Console.Error.WriteLine(
                "This program is a CGI app built with CgiRouting: a web server runs it once per request.\n" +
                "Copy it into a cgi-bin directory (or map every path to it) and request it over HTTP.");
            return 2;
        }
        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        return Run(environment, input, output, options.ErrorLog ?? Console.Error, options);
    }

    /// <summary>
    /// Serves one request from <paramref name="environment"/> and <paramref name="input"/>, writing the CGI
    /// response to <paramref name="output"/>: what <see cref="Run()"/> does, for tests that check the exact bytes.
    /// </summary>
    public static int Run(IReadOnlyDictionary<string, string> environment, Stream input, Stream output,
        TextWriter errorLog, CgiOptions? options = null)
    {
        var request = new CgiRequest(environment, input);
        long maxRequestBodySize = options?.MaxRequestBodySize ?? CgiOptions.DefaultMaxRequestBodySize;
        var pending = DispatchCoreAsync(request, maxRequestBodySize, errorLog);
        var response = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        try
        {
            CgiResponseWriter.Write(response, request.Method == "HEAD", output, errorLog);
        }
        catch (IOException e)
        {
            // The client or the server went away (EPIPE): nobody is left to answer.
            errorLog.WriteLine("CgiRouting: the response could not be written: " + e.Message);
        }
        request.DiscardUnreadBody(maxRequestBodySize);
        return 0;
    }

    /// <summary>
    /// Dispatches <paramref name="request"/> in-process and returns the response the client would get, with the
    /// framework's error handling: 413 for a body over the limit, a 4xx for a bad request, 500 (details to the
    /// error log) for a handler exception. For <c>HEAD</c> the body is kept; the CGI writer leaves it out.
    /// </summary>
    public static ValueTask<Response> DispatchAsync(CgiRequest request, CgiOptions? options = null)
        => DispatchCoreAsync(request, options?.MaxRequestBodySize ?? CgiOptions.DefaultMaxRequestBodySize,
            options?.ErrorLog ?? Console.Error);

    private static async ValueTask<Response> DispatchCoreAsync(CgiRequest request, long maxRequestBodySize, TextWriter errorLog)
    {
        try
        {
            long length = request.ContentLength;
            if (length < 0)
                return Response.Text("CONTENT_LENGTH is not a valid length.", 400);
            if (length > maxRequestBodySize)
                return Response.Text("The request body is larger than this app accepts.", 413);
            var dispatcher = s_dispatcher ?? throw new InvalidOperationException(
                "No dispatcher is registered: reference CgiRouting.Generators as an analyzer so that it generates one.");
            return await dispatcher(request).ConfigureAwait(false);
        }
        catch (CgiRequestException e)
        {
            return Response.Text(e.Message, e.StatusCode);
        }
        catch (Exception e)
        {
            errorLog.WriteLine(
                $"CgiRouting: unhandled exception in {request.Method} {request.Path}: {e}");
            return Response.Text("Internal Server Error", 500);
        }
    }

    private static Dictionary<string, string> ReadEnvironment()
    {
        var variables = Environment.GetEnvironmentVariables();
        var environment = new Dictionary<string, string>(variables.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in variables)
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        return environment;
    }
}
