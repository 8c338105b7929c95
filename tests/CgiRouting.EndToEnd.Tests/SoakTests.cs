using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CgiRouting.Testing;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>samples/Todo behind lighttpd with a database and a TMPDIR of its own, for the soak.</summary>
public sealed class SoakTodoHost() : TodoHost((apps, env) => new LighttpdServer(apps, env), null, ("TMPDIR", TempDirectory))
{
    private static readonly string TempDirectory = WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-soak-tmp-").FullName);

    /// <summary>The app's TMPDIR: anything left in it after the soak is a leaked temporary file.</summary>
    public string Temp => TempDirectory;
}

/// <summary>
/// The soak of issue 14: mixed requests (GET, POST, PATCH, DELETE, HEAD and bad inputs) from concurrent clients
/// through lighttpd, each client checking every answer against its own model of its todos. After it: every write
/// the model expects is there and nothing else, the database is intact, and nothing leaked: no app process left, no
/// zombie under the server, no descriptor the server did not have before, no temporary file.
/// <c>CGIROUTING_SOAK_REQUESTS</c> sets the count (./test.sh: 3,000; scripts/reliability.sh: 100,000).
/// </summary>
public class SoakTests(SoakTodoHost host) : IClassFixture<SoakTodoHost>
{
    private const int Clients = 8;

    private static readonly (string Method, string Path, string? ContentType, string? Body, int Status)[] BadInputs =
    [
        ("POST", "/todos", "application/json", "{\"title\":", 400),
        ("POST", "/todos", "application/json", "{\"title\":5}", 400),
        ("POST", "/todos", "application/json", "{\"title\":\"   \"}", 400),
        ("POST", "/todos", "text/plain", "{\"title\":\"x\"}", 415),
        ("POST", "/todos", "application/json", "null", 400),
        ("PATCH", "/todos/1", "application/json", "{}", 400),
        ("GET", "/todos/abc", null, null, 404),
        ("GET", "/todos?done=maybe", null, null, 400),
        ("PUT", "/todos", null, null, 405),
        ("GET", "/nothing/here", null, null, 404),
        ("DELETE", "/todos/999999999", null, null, 404),
    ];

    [Fact]
    public async Task Mixed_requests_lose_no_write_and_leak_nothing()
    {
        int total = int.TryParse(Environment.GetEnvironmentVariable("CGIROUTING_SOAK_REQUESTS"), out int n) ? n : 3000;
        string run = Guid.NewGuid().ToString("N")[..8];
        using (var probe = host.Server.Client())
            (await probe.GetAsync("/todos")).EnsureSuccessStatusCode(); // the database exists before the baseline
        await Task.Delay(300);
        int server = host.Server.ServerProcessIds[0];
        int descriptorsBefore = ProcessTable.OpenDescriptors(server); // no connection open
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients, AllowAutoRedirect = false })
        {
            BaseAddress = host.Server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(Math.Max(2, total / 10_000 * 2 + 2)));
        var failures = new ConcurrentQueue<string>();
        var models = new Dictionary<long, (string Title, bool Done)>[Clients];
        var counts = new ConcurrentDictionary<string, int>();
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var mine = models[c] = new Dictionary<long, (string, bool)>();
            var random = new Random(c);
            int i;
            while ((i = Interlocked.Increment(ref next)) < total && !limit.IsCancellationRequested && failures.Count < 20)
            {
                string kind = "";
                try
                {
                    kind = await Step(client, run, c, i, random, mine, limit.Token);
                    counts.AddOrUpdate(kind, 1, (_, v) => v + 1);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidDataException)
                {
                    failures.Enqueue($"request {i} ({kind}): {e.Message}");
                }
            }
        })));
        var elapsed = clock.Elapsed;
        Assert.False(limit.IsCancellationRequested, $"the soak did not finish in time ({next} sent)");
        Assert.Empty(failures);

        // No lost or extra write: the server's list, restricted to this run, is exactly the union of the models.
        using var list = JsonDocument.Parse(await client.GetStringAsync("/todos"));
        var stored = list.RootElement.EnumerateArray()
            .Where(t => t.GetProperty("title").GetString()!.StartsWith($"soak {run} ", StringComparison.Ordinal))
            .ToDictionary(t => t.GetProperty("id").GetInt64(), t => (t.GetProperty("title").GetString()!, t.GetProperty("done").GetBoolean()));
        var expected = models.SelectMany(m => m).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(expected.Count, stored.Count);
        foreach (var (id, row) in expected)
            Assert.Equal(row, stored[id]);
        Assert.Equal("ok", host.Database.IntegrityCheck());

        // Nothing left behind, once the client's connections are closed.
        client.Dispose();
        await Task.Delay(500);
        Assert.Empty(host.Server.AppProcessIds());
        Assert.DoesNotContain(ProcessTable.ChildrenOf(host.Server.ServerProcessIds), p => p.State == 'Z');
        int descriptorsAfter = ProcessTable.OpenDescriptors(server);
        Assert.True(descriptorsAfter <= descriptorsBefore, $"lighttpd had {descriptorsBefore} descriptors open before, {descriptorsAfter} after");
        Assert.Empty(Directory.GetFileSystemEntries(host.Temp));
        Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(host.Database.Path)!).Select(Path.GetFileName),
            f => f is not ("todo.db" or "todo.db-wal" or "todo.db-shm"));

        string mix = string.Join(", ", counts.OrderByDescending(p => p.Value).Select(p => $"{p.Value} {p.Key}"));
        ReliabilityReport.Write($"soak: {total} requests from {Clients} clients through lighttpd in {elapsed.TotalSeconds:F0} s "
            + $"({total / elapsed.TotalSeconds:F0} requests/s): {mix}; {expected.Count} todos left, all as the model says; "
            + $"integrity ok; lighttpd descriptors {descriptorsBefore} before, {descriptorsAfter} after; no app process, zombie or temporary file left");
    }

    /// <summary>One request, chosen by <paramref name="i"/>, checked against the client's model; returns its kind.</summary>
    private static async Task<string> Step(HttpClient client, string run, int c, int i, Random random,
        Dictionary<long, (string Title, bool Done)> mine, CancellationToken token)
    {
        long[] ids = mine.Keys.ToArray();
        long some = ids.Length == 0 ? -1 : ids[random.Next(ids.Length)];
        switch (i % 10)
        {
            case 0 or 1 or 2:
            {
                string title = $"soak {run} {c} {i}";
                using var response = await Send(client, "POST", "/todos", "application/json", $"{{\"title\":\"{title}\"}}", token);
                Expect(response, 201);
                using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
                long id = created.RootElement.GetProperty("id").GetInt64();
                if (response.Headers.Location?.OriginalString != "/todos/" + id)
                    throw new InvalidDataException($"Location {response.Headers.Location} for todo {id}");
                mine[id] = (title, false);
                return "POST";
            }
            case 3 or 4 when some >= 0:
            {
                using var response = await Send(client, "GET", "/todos/" + some, null, null, token);
                Expect(response, 200);
                using var got = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
                var row = (got.RootElement.GetProperty("title").GetString()!, got.RootElement.GetProperty("done").GetBoolean());
                if (row != mine[some])
                    throw new InvalidDataException($"todo {some} is {row}, the model says {mine[some]}");
                return "GET one";
            }
            case 5 when some >= 0:
            {
                string title = $"soak {run} {c} {i} edited";
                using var response = await Send(client, "PATCH", "/todos/" + some, "application/json", $"{{\"title\":\"{title}\",\"done\":true}}", token);
                Expect(response, 200);
                mine[some] = (title, true);
                return "PATCH";
            }
            case 6 when some >= 0:
            {
                using var response = await Send(client, "DELETE", "/todos/" + some, null, null, token);
                Expect(response, 204);
                mine.Remove(some);
                return "DELETE";
            }
            case 7:
            {
                using var response = await Send(client, "GET", "/todos?done=true", null, null, token);
                Expect(response, 200);
                return "GET list";
            }
            case 8:
            {
                var bad = BadInputs[i / 10 % BadInputs.Length];
                using var response = await Send(client, bad.Method, bad.Path, bad.ContentType, bad.Body, token);
                Expect(response, bad.Status);
                return "bad input";
            }
            default:
            {
                using var response = await Send(client, "HEAD", "/todos", null, null, token);
                Expect(response, 200);
                return "HEAD";
            }
        }
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path, string? contentType, string? body, CancellationToken token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        return client.SendAsync(request, token);
    }

    private static void Expect(HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode != status)
            throw new InvalidDataException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, expected {status}");
    }
}
