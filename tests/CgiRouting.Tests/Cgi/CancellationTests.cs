using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>Handlers that wait until their request is abandoned, and say how they ended, by label.</summary>
public static class CancellableRoutes
{
    private static readonly ConcurrentDictionary<string, Outcome> s_outcomes = new();

    /// <summary>What became of the handler of <paramref name="label"/>: started, then cancelled or finished.</summary>
    internal static Outcome Of(string label) => s_outcomes.GetOrAdd(label, _ => new Outcome());

    internal sealed class Outcome
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<string> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [Get("/cancellable/<label>")]
    public static async Task<string> Wait(string label, CancellationToken token)
    {
        var outcome = Of(label);
        outcome.Started.TrySetResult();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(20), token);
            outcome.Ended.TrySetResult("finished");
            return "waited for " + label;
        }
        catch (OperationCanceledException)
        {
            outcome.Ended.TrySetResult("cancelled");
            throw;
        }
    }

    [Get("/cancellable/quick/<label>")]
    public static string Quick(string label, CancellationToken token)
    {
        Of(label).Ended.TrySetResult(token.IsCancellationRequested ? "cancelled" : "finished");
        return "quick " + label + ": " + token.CanBeCanceled;
    }

    /// <summary>Reads its body, noting a cancellation of the token meanwhile.</summary>
    [Post("/cancellable/body/<label>")]
    public static string ReadBody(string label, [Body] Stream body, CancellationToken token)
    {
        var outcome = Of(label);
        token.Register(() => outcome.Ended.TrySetResult("cancelled"));
        outcome.Started.TrySetResult();
        body.CopyTo(Stream.Null);
        outcome.Ended.TrySetResult("finished");
        return "read";
    }
}

/// <summary>
/// <see cref="CgiRequest.RequestAborted"/>, the token a handler's <see cref="CancellationToken"/> parameter gets: cancelled
/// by the request's deadline, by FastCGI's ABORT_REQUEST (while the body is read, and after), and when the web server
/// closes the connection; never for a request that is answered.
/// </summary>
public class CancellationTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    private static string Label() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task The_deadline_cancels_the_token_of_a_handler_still_running()
    {
        string label = Label();
        var environment = new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = "/cancellable/" + label };
        var output = new DeadlineTests.SnapshotStream();
        var log = new StringWriter();
        var run = Task.Run(() => CgiApp.Run(environment, new MemoryStream(), output,
            new CgiOptions { Timeout = TimeSpan.FromMilliseconds(300), ErrorLog = TextWriter.Synchronized(log) }));
        Assert.Equal("cancelled", await CancellableRoutes.Of(label).Ended.Task.WaitAsync(Soon));
        Assert.Equal(0, await run.WaitAsync(Soon));
        Assert.StartsWith("Status: 503 Service Unavailable\r\n", output.Text);
        Assert.EndsWith("The request took too long to answer.", output.Text); // the deadline's answer, not the handler's
        Assert.Contains($"CgiRouting: GET /cancellable/{label} was abandoned; its handler stopped.", log.ToString());
    }

    [Fact]
    public async Task A_request_answered_in_time_is_not_cancelled_and_its_token_can_be()
    {
        string label = Label();
        var response = Http.Get("/cancellable/quick/" + label);
        Assert.Equal("quick " + label + ": True", response.BodyText);
        Assert.Equal("finished", await CancellableRoutes.Of(label).Ended.Task.WaitAsync(Soon));
    }

    [Fact]
    public async Task ABORT_REQUEST_after_the_body_cancels_the_token_and_the_connection_serves_on()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        string label = Label();
        client.SendRequest(1, "GET", "/cancellable/" + label, keepConnection: true);
        await CancellableRoutes.Of(label).Started.Task.WaitAsync(Soon);
        client.Send(FastCgiClient.AbortRequest, 1, []);
        Assert.Equal("cancelled", await CancellableRoutes.Of(label).Ended.Task.WaitAsync(Soon));
        var (stdout, status, _, _) = client.ReadResponse(1);
        Assert.Empty(stdout); // an aborted request's answer is dropped
        Assert.Equal(0, status);
        // The ABORT_REQUEST was left for the connection, which drops it and serves the next request.
        string next = Label();
        client.SendRequest(2, "GET", "/cancellable/quick/" + next, keepConnection: true);
        Assert.EndsWith("quick " + next + ": True", client.ReadText(2));
    }

    [Fact]
    public async Task ABORT_REQUEST_while_the_body_is_read_cancels_the_token()
    {
        using var worker = new FastCgiWorker();
        using var client = worker.Connect();
        string label = Label();
        client.Begin(1);
        client.SendParams(1, [new("REQUEST_METHOD", "POST"), new("PATH_INFO", "/cancellable/body/" + label), new("CONTENT_LENGTH", "8")]);
        client.SendStdin(1, "abcd"u8, end: false);
        await CancellableRoutes.Of(label).Started.Task.WaitAsync(Soon);
        client.Send(FastCgiClient.AbortRequest, 1, []);
        Assert.Equal("cancelled", await CancellableRoutes.Of(label).Ended.Task.WaitAsync(Soon));
        Assert.Empty(client.ReadResponse(1).Stdout);
    }

    [Fact]
    public async Task The_web_server_closing_the_connection_cancels_the_token()
    {
        using var worker = new FastCgiWorker();
        string label = Label();
        using (var client = worker.Connect())
        {
            client.SendRequest(1, "GET", "/cancellable/" + label);
            await CancellableRoutes.Of(label).Started.Task.WaitAsync(Soon);
        }
        Assert.Equal("cancelled", await CancellableRoutes.Of(label).Ended.Task.WaitAsync(Soon));
        Assert.True(SpinWait.SpinUntil(() => worker.Server.InFlight == 0, 5000), "the request ended");
    }
}
