using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace CgiRouting;

/// <summary>
/// The one path of a request from its CGI environment to the bytes of its response, in every mode: a CGI process
/// (<see cref="CgiApp.Run()"/>: the process's environment, standard input and output), in-process between streams
/// (<see cref="CgiApp.Run(IReadOnlyDictionary{string, string}, Stream, Stream, CgiOptions?)"/>) and a FastCGI worker's
/// request (<see cref="FastCgi.FastCgiConnection"/>: its PARAMS, STDIN and STDOUT records). The request is built, its
/// deadline armed, the generated dispatcher called, the response written by <see cref="CgiResponseWriter"/>, and what
/// is left of the body drained. What differs by mode is given to it: the streams, the error log, and what a late answer
/// does (<see cref="LateAnswer"/>).
/// </summary>
internal static class RequestPipeline
{
    /// <summary>
    /// After a 413, a body of at most this many bytes is read and dropped once the response is written (see
    /// <see cref="CgiRequest.DiscardUnreadBody"/>); a larger one is left unread.
    /// </summary>
    internal const long MaxBodyDrainedAfterRefusal = 1024 * 1024;

    /// <summary>The answer's text when a handler stopped for <see cref="CgiRequest.RequestAborted"/> (it reaches nobody, or arrives after the deadline's 503).</summary>
    internal const string AbandonedMessage = "The request was abandoned.";

    /// <summary>
    /// Serves one request from <paramref name="environment"/> (the CGI meta-variables) and <paramref name="input"/> (its
    /// body), writing the CGI response to <paramref name="output"/>; returns the exit code of a CGI process, 0. Its
    /// errors go to <paramref name="errorLog"/>, or when that is <see langword="null"/> to the app's
    /// <see cref="CgiOptions.ErrorLog"/>, else standard error (a FastCGI request's go to its STDERR records).
    /// <paramref name="lateAnswer"/> ends the request when it outlives its deadline, and <paramref name="abandonWatch"/>
    /// tells when the web server abandoned it (<see cref="CgiRequest.RequestAborted"/>), which differ by mode.
    /// </summary>
    // No lambda or cached delegate is passed on the CGI path: Native AOT allocates the static fields of every closure
    // class at start-up, which each CGI request pays for (about 2,400 instructions apiece, measured with callgrind).
    // <paramref name="activity"/>: a FastCGI worker's record of the request (its route and status, for its metrics and
    // logs); null in CGI mode, which does nothing more for it.
    public static int Serve(IReadOnlyDictionary<string, string> environment, Stream input, Stream output,
        CgiOptions? options, TextWriter? errorLog, LateAnswer lateAnswer, AbandonWatch? abandonWatch, FastCgi.RequestActivity? activity = null)
    {
        errorLog ??= options?.ErrorLog ?? new StandardDescriptorWriter(2);
        var request = new CgiRequest(environment, input) { AbandonWatch = abandonWatch };
        if (activity is not null)
            activity.Request = request;
        long maxRequestBodySize = options?.MaxRequestBodySize ?? CgiOptions.DefaultMaxRequestBodySize;
        TimeSpan timeout = RequestDeadline.RequestTimeout(environment, options, errorLog);
        RequestDeadline? deadline = null;
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            deadline = lateAnswer.StartOwnDeadline(timeout, request, options) ?? RequestDeadline.Start(timeout, () =>
            {
                errorLog.WriteLine(LateLine(request, timeout));
                Write(request, RequestDeadline.Answer(), output, errorLog);
                request.Abort(); // a handler that passed RequestAborted on stops its work
                lateAnswer.AfterAnswer();
            });
        }
        request.Options = options;
        var pending = DispatchAsync(request, maxRequestBodySize, errorLog);
        var response = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (deadline is not null && !deadline.TryFinish())
        {
            if (activity is not null)
                activity.Status = RequestDeadline.Answer().StatusCode;
            // The 503 is out already. The request ends here all the same: its uploads are closed now, not by a garbage
            // collection some time later (a FastCGI worker lives on), and so is a streamed body nobody will read.
            response.BodyStream?.Dispose();
            request.Release();
            return 0;
        }
        if (activity is not null)
            activity.Status = response.StatusCode;
        Write(request, response, output, errorLog);
        request.Release();
        // A body over the limit was refused unread (413); a modest one is still drained, so that the server
        // delivers the 413 instead of failing the response, while a huge one is never read at all.
        request.DiscardUnreadBody(Math.Max(maxRequestBodySize, MaxBodyDrainedAfterRefusal));
        return 0;
    }

    /// <summary>
    /// The error log's line about a request its deadline answered, without its line end: written when the deadline
    /// fires (a worker does not make it for every request), or made at the start where the deadline answers with no
    /// managed thread (<see cref="LateAnswer.StartOwnDeadline"/>).
    /// </summary>
    internal static string LateLine(CgiRequest request, TimeSpan timeout)
        => string.Concat("CgiRouting: ", PrintableText.Escape(request.Method), " ", PrintableText.Escape(request.Path), " was not answered within ",
            RequestDeadline.Seconds(timeout), " s (CgiOptions.Timeout): answered 503.");

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
    /// Dispatches <paramref name="request"/> to the generated dispatcher with the framework's error handling: 400 for an
    /// unreadable <c>CONTENT_LENGTH</c>, 413 for a body over <paramref name="maxRequestBodySize"/>, a 4xx for a
    /// <see cref="CgiRequestException"/>, 500 (details to <paramref name="errorLog"/>) for any other exception, and
    /// problem details or plain text for the framework's errors.
    /// </summary>
    public static async ValueTask<Response> DispatchAsync(CgiRequest request, long maxRequestBodySize, TextWriter errorLog)
    {
        try
        {
            long length = request.ContentLength;
            if (length < 0)
                return ProblemDetails.Shape(request, Response.Error(400, "CONTENT_LENGTH is not a valid length."));
            if (length > maxRequestBodySize)
                return ProblemDetails.Shape(request, Response.Error(413, RequestBodyStream.TooLargeMessage));
            var dispatcher = CgiApp.RegisteredDispatcher ?? throw new InvalidOperationException(
                "No dispatcher is registered: reference CgiRouting.Generators as an analyzer so that it generates one.");
            var response = await dispatcher(request).ConfigureAwait(false);
            response.ResolveLocation(request); // an app-relative Location (~/...) against this request's SCRIPT_NAME
            // A 200 with validators or a body that can be sliced may become a 304, 206, 412 or 416 (ConditionalAnswer).
            if (response.Conditional is { } conditional)
                response = conditional.Answer(request, response);
            // Only a framework error (binding, 401, 403, 404, 405, and that 412 or 416) is looked at again: problem details or plain text.
            return ProblemDetails.Shape(request, response);
        }
        catch (CgiRequestException e)
        {
            return ProblemDetails.Shape(request, Response.Error(e.StatusCode, e.Message));
        }
        catch (OperationCanceledException) when (request.IsAbandoned)
        {
            // The handler stopped because RequestAborted was cancelled: nobody waits for this answer any more.
            errorLog.WriteLine($"CgiRouting: {PrintableText.Escape(request.Method)} {PrintableText.Escape(request.Path)} was abandoned; its handler stopped.");
            return ProblemDetails.Shape(request, Response.Error(503, AbandonedMessage));
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
