using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CgiRouting.Testing;
using CgiRouting.Tests;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// Many machines, on paper and in a test (issue 12): samples/Todo.Postgres as two FastCGI workers on two loopback
/// ports, standing in for two machines, both on one real PostgreSQL, behind one nginx whose upstream lists both
/// (hosting/nginx-fastcgi.sh with <c>/=ADDRESS,ADDRESS</c>). docs/scaling.md describes what is measured here.
/// </summary>
public class SeveralWorkersTests
{
    [Fact]
    public async Task Two_workers_on_one_postgresql_share_the_load_and_store_every_post_once()
    {
        using var site = new TwoWorkerSite();
        string run = Guid.NewGuid().ToString("N")[..8];
        var stopwatch = Stopwatch.StartNew();
        var outcomes = await ConcurrentPosts.Send(site.Nginx.BaseAddress, run);
        stopwatch.Stop();

        Assert.Empty(outcomes.Where(o => !o.Succeeded).Select(o => $"{o.Index}: {o.Status} {o.Detail}"));
        Assert.All(outcomes, o => Assert.Equal(201, o.Status));
        var stored = site.StoredTitles(run);
        Assert.Empty(stored.Where(t => t.Value != 1).Select(t => $"{t.Key} stored {t.Value} times"));
        Assert.Equal(Enumerable.Range(0, ConcurrentPosts.Posts).Select(i => ConcurrentPosts.Title(run, i)).Order(), stored.Keys.Order());
        // Each worker connects as a PostgreSQL user of its own, so each row says which worker wrote it.
        var byWorker = site.WrittenBy(run);
        Assert.True(byWorker.GetValueOrDefault(TwoWorkerSite.UserA) > 0 && byWorker.GetValueOrDefault(TwoWorkerSite.UserB) > 0,
            "both workers should have served POSTs: " + string.Join(", ", byWorker));
        Assert.Equal(ConcurrentPosts.Posts, byWorker.Values.Sum());
        Assert.Equal("ok", site.Database.IntegrityCheck());
        ReliabilityReport.Write($"several workers: {ConcurrentPosts.Posts} POSTs from {ConcurrentPosts.Clients} concurrent clients through nginx "
            + $"to two FastCGI workers on one PostgreSQL in {stopwatch.Elapsed.TotalSeconds:F1} s, all 201 and stored once; "
            + $"worker A wrote {byWorker[TwoWorkerSite.UserA]}, worker B {byWorker[TwoWorkerSite.UserB]}");
    }

    [Fact]
    public async Task A_worker_killed_mid_load_fails_only_the_requests_it_had_and_loses_no_acknowledged_write()
    {
        using var site = new TwoWorkerSite();
        string run = Guid.NewGuid().ToString("N")[..8];
        const int KillAfter = 600; // answers, of 2,000: well into the load, with both workers busy
        var killedAt = TimeSpan.Zero;
        var stopwatch = Stopwatch.StartNew();
        var outcomes = await ConcurrentPosts.Send(site.Nginx.BaseAddress, run, answered =>
        {
            if (answered == KillAfter)
            {
                site.WorkerB.KillHard();
                killedAt = stopwatch.Elapsed;
            }
        });
        stopwatch.Stop();
        Assert.True(site.WorkerB.HasExited);
        Assert.False(site.WorkerA.HasExited);

        // What nginx can and cannot retry. A POST whose connection to B failed before nginx sent it (connect() refused:
        // B is gone) is passed on to A by "fastcgi_next_upstream error", and its client never sees the failure. A POST
        // nginx had already sent to B when B died is not passed on: POST is not idempotent, B may have stored it before
        // it died, and repeating it on A could store the todo twice (only "fastcgi_next_upstream non_idempotent" would
        // allow that, and it is deliberately not set). Such a POST gets a 502. There is at most one in flight per client,
        // so at most 16; nginx logs each with the phase it failed in, which tells the two kinds apart.
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        Assert.All(failed, o => Assert.Equal(502, o.Status));
        Assert.True(failed.Count <= ConcurrentPosts.Clients, $"{failed.Count} requests failed; at most one per client was in flight at the kill");
        string log = site.Nginx.AppErrorLog;
        int lostInFlight = site.NginxErrors("while (reading response header from|sending request to) upstream", site.AddressB);
        int passedOnDuringLoad = site.NginxErrors(@"connect\(\) failed .* while connecting to upstream", site.AddressB);
        Assert.Equal(lostInFlight, failed.Count); // every 502 is a request nginx had sent to B: none that it could have retried
        Assert.DoesNotContain($"fastcgi://{site.AddressA}\"", log); // A never failed a request

        // No acknowledged write is lost, none is stored twice; a 502'd POST may or may not have been stored (B may have
        // committed it and died before answering), which its client cannot know: it is not acknowledged.
        var stored = site.StoredTitles(run);
        Assert.Empty(stored.Where(t => t.Value != 1).Select(t => $"{t.Key} stored {t.Value} times"));
        var acknowledged = outcomes.Where(o => o.Status == 201).Select(o => ConcurrentPosts.Title(run, o.Index)).ToList();
        Assert.DoesNotContain(acknowledged, t => !stored.ContainsKey(t));
        Assert.Equal(ConcurrentPosts.Posts - failed.Count, acknowledged.Count);
        int failedButStored = failed.Count(o => stored.ContainsKey(ConcurrentPosts.Title(run, o.Index)));

        // A took over: it wrote everything answered after the kill, and more than B.
        var byWorker = site.WrittenBy(run);
        Assert.True(byWorker.GetValueOrDefault(TwoWorkerSite.UserB) > 0, "B served before it was killed");
        Assert.True(byWorker[TwoWorkerSite.UserA] >= ConcurrentPosts.Posts - KillAfter - ConcurrentPosts.Clients, string.Join(", ", byWorker));

        // The first failures took B out for fail_timeout (10 s). After that nginx tries B again with the next request:
        // connect() is refused, nothing was sent, and fastcgi_next_upstream error passes the POST on to A, so its client
        // gets its 201. (With "fastcgi_next_upstream off" it would get a 502.)
        var wait = killedAt + TimeSpan.FromSeconds(11) - stopwatch.Elapsed;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
        using (var client = site.Nginx.Client())
            for (int i = 0; i < 20; i++)
                Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/todos", Json($"after {run} {i}"))).StatusCode);
        int passedOn = site.NginxErrors(@"connect\(\) failed .* while connecting to upstream", site.AddressB);
        Assert.True(passedOn > passedOnDuringLoad, "nginx should have tried B again after fail_timeout, and passed the POST on: " + site.Nginx.AppErrorLog);
        Assert.Equal(20, int.Parse(site.Database.Psql("todo", $"SELECT count(*) FROM todos WHERE title LIKE 'after {run} %' AND written_by = '{TwoWorkerSite.UserA}'"),
            System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ok", site.Database.IntegrityCheck());
        ReliabilityReport.Write($"several workers, one killed: kill -9 of worker B after {KillAfter} of {ConcurrentPosts.Posts} POSTs "
            + $"({killedAt.TotalSeconds:F1} s in; whole load {stopwatch.Elapsed.TotalSeconds:F1} s): {failed.Count} got 502 (sent to B "
            + $"when it died, {failedButStored} of them stored all the same), {passedOnDuringLoad} passed on to A during the load after connect() to B "
            + $"was refused (B was out for fail_timeout), {passedOn - passedOnDuringLoad} after it; "
            + $"{acknowledged.Count} got 201 and every one is stored once; A wrote {byWorker[TwoWorkerSite.UserA]}, B {byWorker.GetValueOrDefault(TwoWorkerSite.UserB)}");
    }

    [Fact]
    public async Task Requests_abandoned_mid_body_do_not_leave_a_worker_stuck()
    {
        // Through nginx a client that goes away mid-body never reaches a worker (nginx reads the whole body before it
        // passes the request on), so the abandoned requests are sent the way a web server would leave them: straight to
        // worker A, BEGIN_REQUEST, PARAMS and 14 of 100 body bytes, then the connection closed or an ABORT_REQUEST. A
        // worker that kept a request slot for each would be stuck after two (--max-concurrency 2).
        using var site = new TwoWorkerSite("--max-concurrency", "2");
        using (var client = site.Nginx.Client())
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/todos", Json("first"))).StatusCode);
        for (int i = 0; i < 6; i++)
        {
            using var fastCgi = FastCgiClient.Connect(site.AddressA);
            fastCgi.Begin(1, keepConnection: true);
            fastCgi.SendParams(1, new Dictionary<string, string>
            {
                ["GATEWAY_INTERFACE"] = "CGI/1.1", ["REQUEST_METHOD"] = "POST", ["SCRIPT_NAME"] = "", ["PATH_INFO"] = "/todos",
                ["QUERY_STRING"] = "", ["CONTENT_TYPE"] = "application/json", ["CONTENT_LENGTH"] = "100",
            });
            fastCgi.SendStdin(1, "{\"title\":\"half"u8, end: false);
            await Task.Delay(200);
            if (i % 2 == 1)
            {
                fastCgi.Send(FastCgiClient.AbortRequest, 1, []);
                fastCgi.ReadResponse(1); // the worker ends an aborted request with END_REQUEST
            }
        } // the others: closed with 86 bytes of the body never sent

        using (var fastCgi = FastCgiClient.Connect(site.AddressA))
        {
            fastCgi.SendRequest(1, "GET", "/todos");
            Assert.StartsWith("Status: 200", fastCgi.ReadText(1)); // within its 10-second receive timeout
        }
        using (var client = site.Nginx.Client())
            for (int i = 0; i < 20; i++)
                Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/todos", Json($"after {i}"))).StatusCode);
        var byWorker = site.WrittenBy(null);
        Assert.True(byWorker.GetValueOrDefault(TwoWorkerSite.UserA) >= 5 && byWorker.GetValueOrDefault(TwoWorkerSite.UserB) >= 5,
            "both workers should still serve: " + string.Join(", ", byWorker));
        Assert.Equal("0", site.Database.Psql("todo", "SELECT count(*) FROM todos WHERE title LIKE 'half%'"));
        Assert.False(site.WorkerA.HasExited);
    }

    private static StringContent Json(string title) => new($"{{\"title\":\"{title}\"}}", Encoding.UTF8, "application/json");
}

/// <summary>
/// Two samples/Todo.Postgres FastCGI workers on two loopback ports, each connecting to one PostgreSQL as a user of its
/// own, behind nginx with both in one upstream. The schema is made first, by <c>todo --migrate</c> as the superuser,
/// as docs/scaling.md has the operator do; the workers' users may only read and write the tables. The table then gets
/// a column that records the user of each insert, so that every stored row names the worker that wrote it (the sample
/// is unchanged: it names its columns).
/// </summary>
internal sealed class TwoWorkerSite : IDisposable
{
    public const string UserA = "worker_a", UserB = "worker_b";

    public TwoWorkerSite(params string[] workerOptions)
    {
        string binary = Repository.PublishedSample("Todo.Postgres", "todo");
        Database = PostgresDatabase.WithTables(binary);
        try
        {
            Database.Psql("todo", "ALTER TABLE todos ADD COLUMN written_by text NOT NULL DEFAULT current_user");
            foreach (var user in new[] { UserA, UserB })
            {
                Database.Psql("postgres", $"CREATE ROLE {user} LOGIN");
                Database.Psql("todo", $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {user}");
            }
            AddressA = NginxFastCgiServer.FreeTcpAddress();
            AddressB = NginxFastCgiServer.FreeTcpAddress();
            WorkerA = Worker(binary, AddressA, UserA, workerOptions);
            WorkerB = Worker(binary, AddressB, UserB, workerOptions);
            Nginx = new NginxFastCgiServer([$"/={AddressA},{AddressB}"]);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public PostgresDatabase Database { get; }
    public string AddressA { get; } = "";
    public string AddressB { get; } = "";
    public FastCgiWorkerProcess WorkerA { get; } = null!;
    public FastCgiWorkerProcess WorkerB { get; } = null!;
    public NginxFastCgiServer Nginx { get; } = null!;

    private FastCgiWorkerProcess Worker(string binary, string address, string user, string[] options) =>
        new(binary, ["--fastcgi", address, .. options],
            new Dictionary<string, string> { ["TODO_DB"] = Database.Location.Replace("//postgres@", $"//{user}@", StringComparison.Ordinal) });

    /// <summary>The titles of the load <paramref name="run"/> in the table, with how many rows each has.</summary>
    public Dictionary<string, int> StoredTitles(string run) =>
        Rows($"SELECT title, count(*) FROM todos WHERE title LIKE 'load {run} %' GROUP BY title");

    /// <summary>How many rows each worker wrote (of the load <paramref name="run"/>, or all).</summary>
    public Dictionary<string, int> WrittenBy(string? run) =>
        Rows($"SELECT written_by, count(*) FROM todos {(run is null ? "" : $"WHERE title LIKE 'load {run} %'")} GROUP BY written_by");

    /// <summary>How many [error] lines nginx logged that match <paramref name="pattern"/> for the worker at <paramref name="address"/>.</summary>
    public int NginxErrors(string pattern, string address) =>
        Regex.Matches(Nginx.AppErrorLog, $@"\[error\].*{pattern}.*upstream: ""fastcgi://{Regex.Escape(address)}""").Count;

    private Dictionary<string, int> Rows(string sql) =>
        Database.Psql("todo", sql).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|')).ToDictionary(f => f[0], f => int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        Nginx?.Dispose();
        WorkerA?.Dispose();
        WorkerB?.Dispose();
        Database.Dispose();
    }
}
