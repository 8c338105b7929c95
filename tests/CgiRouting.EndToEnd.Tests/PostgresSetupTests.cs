using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// docs/scaling.md's "Setting up PostgreSQL", run as written on a fresh PostgreSQL 15 that checks passwords: its SQL
/// block with psql as the superuser, its <c>--migrate</c> line with bash, then the Todo scenario through lighttpd with
/// its workers' <c>TODO_DB</c>, the app role's. The commands are read from the document, so it cannot drift from what
/// is tested.
/// </summary>
public sealed class TodoOnDocumentedPostgresTests(DocumentedPostgresTodoHost host)
    : TodoScenario(host), IClassFixture<DocumentedPostgresTodoHost>
{
    private readonly DocumentedPostgres _storage = (DocumentedPostgres)host.Storage;

    [Fact]
    public void The_documented_migrate_made_the_tables_said_so_and_changes_nothing_when_run_again()
    {
        Assert.Contains("table todos: created", _storage.MigrateOutput);
        Assert.Contains("table attachments: created", _storage.MigrateOutput);
        string again = _storage.RunMigrateLine();
        Assert.Contains("table todos: already there", again);
        Assert.Contains("table attachments: already there", again);
        Assert.Equal("todo_owner", _storage.Database.Psql("todo", "SELECT tableowner FROM pg_tables WHERE tablename = 'todos'"));
    }

    [Fact]
    public void The_app_role_reads_and_writes_rows_but_may_not_create_tables()
    {
        // psql itself takes the documented URL (libpq reads it as the app's parser does).
        string url = _storage.Location;
        Assert.Matches(@"^\d+$", Repository.Run("psql", url, "-v", "ON_ERROR_STOP=1", "-tAc", "SELECT count(*) FROM todos").Trim());
        var refused = Assert.Throws<InvalidOperationException>(() =>
            Repository.Run("psql", url, "-v", "ON_ERROR_STOP=1", "-tAc", "CREATE TABLE intruder (id int)"));
        Assert.Contains("permission denied for schema public", refused.Message);
    }
}

/// <summary>samples/Todo.Postgres behind lighttpd (CGI), on PostgreSQL set up as docs/scaling.md says.</summary>
public sealed class DocumentedPostgresTodoHost() : TodoHost(
    (apps, env) => new LighttpdServer(apps, env), Repository.PublishedSample("Todo.Postgres", "todo"),
    new DocumentedPostgres(Repository.PublishedSample("Todo.Postgres", "todo")));

/// <summary>
/// A fresh PostgreSQL on which docs/scaling.md's set-up has run; <see cref="Location"/> is the workers' documented
/// <c>TODO_DB</c>, with the test server's address for <c>db.internal:5432</c>.
/// </summary>
public sealed class DocumentedPostgres : ITodoStorage
{
    private const string DocumentedAddress = "db.internal:5432", DocumentedBinary = "/srv/myapp/myapp";
    private readonly string _binary;
    private readonly string _migrateLine;

    public DocumentedPostgres(string binary)
    {
        _binary = binary;
        string section = Section(File.ReadAllText(Path.Combine(Repository.Root, "docs", "scaling.md")), "## Setting up PostgreSQL");
        var blocks = Regex.Matches(section, @"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)
            .Select(m => (Language: m.Groups[1].Value, Text: m.Groups[2].Value)).ToList();
        string sql = string.Concat(blocks.Where(b => b.Language == "sql").Select(b => b.Text));
        var shellLines = blocks.Where(b => b.Language == "sh").SelectMany(b => b.Text.Split('\n')).Where(l => !l.StartsWith('#')).ToList();
        _migrateLine = Assert.Single(shellLines, l => l.Contains("--migrate"));
        string workers = Assert.Single(shellLines, l => l.StartsWith("TODO_DB=postgres://todo_app", StringComparison.Ordinal));
        Assert.Contains(DocumentedAddress, _migrateLine);
        Assert.Contains(DocumentedBinary, _migrateLine);
        Assert.Contains(DocumentedAddress, workers);

        Database = new PostgresDatabase(fresh: true);
        try
        {
            Database.PsqlScript(sql);
            MigrateOutput = RunMigrateLine();
            Location = Local(workers["TODO_DB=".Length..]);
        }
        catch
        {
            Database.Dispose();
            throw;
        }
    }

    public PostgresDatabase Database { get; }

    /// <summary>What the documented <c>--migrate</c> printed.</summary>
    public string MigrateOutput { get; }

    public string Location { get; }

    /// <summary>The documented <c>--migrate</c> line, run by bash as written but for the address and the binary.</summary>
    public string RunMigrateLine() => Repository.Run("bash", "-c", Local(_migrateLine).Replace(DocumentedBinary, _binary, StringComparison.Ordinal));

    private string Local(string text) => text.Replace(DocumentedAddress, $"127.0.0.1:{Database.Port}", StringComparison.Ordinal);

    /// <summary>The text of the level-2 section <paramref name="heading"/>, to the next level-2 heading.</summary>
    private static string Section(string markdown, string heading)
    {
        int start = markdown.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/scaling.md has no section '{heading}'");
        int end = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    public long Count() => Database.Count();

    public string IntegrityCheck() => Database.IntegrityCheck();

    public void Dispose() => Database.Dispose();
}

/// <summary>
/// What samples/Todo.Postgres makes of <c>TODO_DB</c> and of a database without its tables, run as a CGI child on a
/// fresh PostgreSQL that checks passwords, as the role <c>tester</c> whose password has <c>@ : /</c> in it and who owns
/// the database <c>todo</c> (so it may create tables there: what is refused is refused by the app, not the server).
/// </summary>
public sealed class PostgresSetupTests(FreshPostgres postgres) : IClassFixture<FreshPostgres>
{
    private const string EncodedPassword = "p%40ss%3Aw%2Frd", Password = "p@ss:w/rd";

    private string Url(string database = "todo", string password = EncodedPassword, string query = "") =>
        $"postgres://tester:{password}@127.0.0.1:{postgres.Database.Port}/{database}{query}";

    [Fact]
    public async Task A_request_before_migrate_answers_500_and_the_log_says_to_run_migrate()
    {
        postgres.Database.Psql("postgres", "CREATE DATABASE before_migrate OWNER tester");
        var (output, error) = await Cgi(Url("before_migrate"));
        Assert.StartsWith("Status: 500", output);
        Assert.Contains("todo --migrate", error);
        Assert.Equal("f", postgres.Database.Psql("before_migrate", "SELECT to_regclass('todos') IS NOT NULL")); // no request made it
    }

    [Fact]
    public async Task A_password_with_at_colon_slash_works_percent_encoded_and_is_refused_unencoded_with_what_to_do()
    {
        var (migrated, exit) = await Migrate(Url());
        Assert.Equal(0, exit);
        Assert.Contains("as tester", migrated);
        var (output, error) = await Cgi(Url());
        Assert.True(output.StartsWith("Status: 200", StringComparison.Ordinal), output + error);

        // Written as it is, the password's '@' ends the user name and password early: refused, with the advice.
        (output, error) = await Cgi(Url(password: Password));
        Assert.StartsWith("Status: 500", output);
        Assert.Contains("must be percent-encoded", error);
        Assert.DoesNotContain("UriFormatException", error);
        Assert.DoesNotContain(Password, error);
        (migrated, exit) = await Migrate(Url(password: Password));
        Assert.Equal(1, exit);
        Assert.Contains("must be percent-encoded", migrated);
    }

    [Fact]
    public async Task Sslmode_is_passed_on_require_fails_on_a_server_without_tls_and_disable_connects()
    {
        var (output, error) = await Cgi(Url(query: "?sslmode=require"));
        Assert.StartsWith("Status: 500", output);
        Assert.Matches("(?i)ssl", error);

        Assert.Equal(0, (await Migrate(Url())).Exit);
        (output, error) = await Cgi(Url(query: "?sslmode=disable&application_name=cgirouting-sslmode-test&connect_timeout=5"));
        Assert.True(output.StartsWith("Status: 200", StringComparison.Ordinal), output + error);
        Assert.Contains("application_name=cgirouting-sslmode-test", postgres.Database.ServerLog); // log_connections
    }

    [Fact]
    public async Task An_unknown_parameter_is_refused_with_its_name()
    {
        var (output, error) = await Cgi(Url(query: "?sslmode=disable&requiressl=1"));
        Assert.StartsWith("Status: 500", output);
        Assert.Contains("'requiressl' is not one this app understands", error);
        var (migrated, exit) = await Migrate(Url(query: "?requiressl=1"));
        Assert.Equal(1, exit);
        Assert.Contains("'requiressl'", migrated);
    }

    /// <summary>GET /todos, the binary run as a CGI child with <paramref name="todoDb"/>: its output and its stderr (the error log).</summary>
    private static async Task<(string Output, string Error)> Cgi(string todoDb)
    {
        var (output, error, _) = await Todo(todoDb, cgi: true);
        return (output, error);
    }

    /// <summary><c>todo --migrate</c>: what it printed on both streams, and its exit code.</summary>
    private static async Task<(string Printed, int Exit)> Migrate(string todoDb)
    {
        var (output, error, exit) = await Todo(todoDb, cgi: false);
        return (output + error, exit);
    }

    private static async Task<(string Output, string Error, int Exit)> Todo(string todoDb, bool cgi)
    {
        var start = new ProcessStartInfo(Repository.PublishedSample("Todo.Postgres", "todo"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        start.Environment["TODO_DB"] = todoDb;
        if (cgi)
        {
            start.Environment["GATEWAY_INTERFACE"] = "CGI/1.1";
            start.Environment["REQUEST_METHOD"] = "GET";
            start.Environment["SCRIPT_NAME"] = "";
            start.Environment["PATH_INFO"] = "/todos";
            start.Environment["QUERY_STRING"] = "";
        }
        else
            start.ArgumentList.Add("--migrate");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(30_000)) != exited)
        {
            process.Kill();
            Assert.Fail("todo hung");
        }
        return (await output, await error, process.ExitCode);
    }
}

/// <summary>
/// A fresh PostgreSQL (passwords checked, connections logged) with the role <c>tester</c>, password <c>p@ss:w/rd</c>,
/// owner of the database <c>todo</c>, which has no tables.
/// </summary>
public sealed class FreshPostgres : IDisposable
{
    public FreshPostgres()
    {
        Database = new PostgresDatabase(fresh: true);
        try
        {
            Database.Psql("postgres", "CREATE ROLE tester LOGIN PASSWORD 'p@ss:w/rd'");
            Database.Psql("postgres", "CREATE DATABASE todo OWNER tester");
            Database.Psql("postgres", "ALTER SYSTEM SET log_connections = on");
            Database.Psql("postgres", "SELECT pg_reload_conf()");
        }
        catch
        {
            Database.Dispose();
            throw;
        }
    }

    public PostgresDatabase Database { get; }

    public void Dispose() => Database.Dispose();
}
