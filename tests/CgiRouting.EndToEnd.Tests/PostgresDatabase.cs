using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// A real PostgreSQL server (Debian's package, 15 on bookworm, installed when missing) of the test's own: a data directory in a
/// temporary folder, on a free loopback port, started with pg_ctl as the "postgres" user and stopped on dispose.
/// Trust authentication on loopback, and a database "todo" made for the app; or, <see cref="PostgresDatabase(bool)"/>
/// with <c>fresh</c>, a cluster as a package makes it: passwords checked on TCP (scram-sha-256), no database but
/// PostgreSQL's own. fsync off (the tests kill processes, never the machine). The tests' own psql connects as the
/// superuser through the unix socket, which trusts it.
/// </summary>
public sealed class PostgresDatabase : ITodoStorage
{
    private readonly string _root;
    private readonly int _port;

    public PostgresDatabase() : this(fresh: false)
    {
    }

    public PostgresDatabase(bool fresh)
    {
        Repository.Install("pg_ctlcluster:postgresql", "psql:postgresql-client", "runuser:util-linux");
        // Debian's server programs live in /usr/lib/postgresql/VERSION/bin (15 on bookworm).
        Bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin") + "/")
            .Where(d => File.Exists(d + "initdb")).OrderBy(d => d.Length).ThenBy(d => d, StringComparer.Ordinal).Last();
        _root = Directory.CreateTempSubdirectory("cgirouting-postgres-").FullName;
        _port = FreePort();
        Repository.Run("chown", "postgres:postgres", _root);
        AsPostgres(Bin + "initdb", "-D", Path.Combine(_root, "data"), "-U", "postgres", "--auth-local=trust",
            fresh ? "--auth-host=scram-sha-256" : "--auth-host=trust", "-E", "UTF8", "--no-sync");
        AsPostgres(Bin + "pg_ctl", "-D", Path.Combine(_root, "data"), "-l", Path.Combine(_root, "server.log"), "-w", "-o",
            $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");
        if (!fresh)
            Psql("postgres", "CREATE DATABASE todo");
    }

    /// <summary>
    /// A database "todo" with the Todo tables, made by <paramref name="binary"/>'s <c>--migrate</c> (a build of
    /// samples/Todo.Postgres), as the operator makes them before the app serves.
    /// </summary>
    public static PostgresDatabase WithTables(string binary)
    {
        var database = new PostgresDatabase();
        try
        {
            Migrate(binary, database.Location);
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>The server's TCP port on 127.0.0.1.</summary>
    public int Port => _port;

    /// <summary>Runs <c>TODO_DB=<paramref name="location"/> <paramref name="binary"/> --migrate</c>; what it printed (a failure throws).</summary>
    public static string Migrate(string binary, string location) => Repository.Run("env", $"TODO_DB={location}", binary, "--migrate");

    private string Bin { get; }

    public string Location => $"postgres://postgres@127.0.0.1:{_port}/todo";

    public long Count() =>
        Psql("todo", "SELECT to_regclass('todos') IS NOT NULL") == "t" ? long.Parse(Psql("todo", "SELECT count(*) FROM todos")) : 0;

    /// <summary>PostgreSQL keeps its tables consistent itself; this checks what the schema promises: no attachment without its todo.</summary>
    public string IntegrityCheck() =>
        Psql("todo", "SELECT to_regclass('attachments') IS NOT NULL") != "t"
        || Psql("todo", "SELECT count(*) FROM attachments a LEFT JOIN todos t ON t.id = a.todo_id WHERE t.id IS NULL") == "0"
            ? "ok" : "attachments without a todo";

    /// <summary>What the server wrote to its log.</summary>
    public string ServerLog => File.Exists(Path.Combine(_root, "server.log")) ? File.ReadAllText(Path.Combine(_root, "server.log")) : "";

    public string Psql(string database, string sql) =>
        Repository.Run("psql", "-h", _root, "-p", _port.ToString(), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql).Trim();

    /// <summary>Runs a psql script (SQL and psql's meta-commands, such as <c>\connect</c>) as the superuser; what it printed.</summary>
    public string PsqlScript(string script)
    {
        string file = Path.Combine(_root, $"script-{Guid.NewGuid():N}.sql");
        File.WriteAllText(file, script);
        return Repository.Run("psql", "-h", _root, "-p", _port.ToString(), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-f", file);
    }

    private static void AsPostgres(params string[] command) => Repository.Run("runuser", ["-u", "postgres", "--", .. command]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { AsPostgres(Bin + "pg_ctl", "-D", Path.Combine(_root, "data"), "-m", "immediate", "stop"); } catch (InvalidOperationException) { }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
