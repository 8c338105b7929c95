using System;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using Microsoft.Data.Sqlite;
#if TODO_POSTGRES
using Npgsql;
#endif

namespace Todo;

/// <summary>
/// The todos in SQLite, or in PostgreSQL when <c>TODO_DB</c> is a <c>postgres://</c> URL and the binary is built
/// with the PostgreSQL driver (samples/Todo.Postgres; linked in, Npgsql makes every request dearer, SQLite ones
/// too, so the default build leaves it out).
/// <para>
/// SQLite: many CGI processes use the file at once. WAL lets readers run beside the one writer, writes take the
/// write lock up front (BEGIN IMMEDIATE), and a busy timeout makes a writer wait its turn instead of failing, so no
/// write is lost under contention; the file and its tables are made on first use. PostgreSQL: the server orders
/// concurrent writers itself; every statement that writes runs in a transaction of its own; the tables are made once,
/// by the operator's <c>todo --migrate</c> (<see cref="Migrate"/>), never by a request.
/// </para>
/// </summary>
internal sealed class TodoStore : IDisposable
{
    /// <summary>The environment variable that names the database: a file, or a <c>postgres://</c> URL.</summary>
    public const string DatabaseVariable = "TODO_DB";

    private readonly DbConnection _connection;

    private TodoStore(DbConnection connection) => _connection = connection;

    /// <summary><c>TODO_DB</c>, or <c>todo.db</c> beside the binary.</summary>
    public static string DatabasePath =>
        Environment.GetEnvironmentVariable(DatabaseVariable) is { Length: > 0 } path ? path : Path.Combine(AppContext.BaseDirectory, "todo.db");

    private static bool IsPostgres(string database) =>
        database.StartsWith("postgres://", StringComparison.Ordinal) || database.StartsWith("postgresql://", StringComparison.Ordinal);

    /// <summary>
    /// Opens the database. SQLite: the file and its tables are made on first use (a local file the app owns, so
    /// <c>./serve.sh</c> needs no step before it). PostgreSQL: the tables must be there (<c>todo --migrate</c>, see
    /// <see cref="Migrate"/>); a request runs no DDL, so the role it connects as needs no right to create tables.
    /// </summary>
    public static TodoStore Open()
    {
        string database = DatabasePath;
        if (IsPostgres(database))
            return OpenPostgres(database);
        var store = OpenSqlite(database);
        store.CreateTables(SqliteTables, output: null);
        return store;
    }

    /// <summary>
    /// <c>todo --migrate</c>: creates the tables that are missing in the database <c>TODO_DB</c> names and prints what
    /// it did; 0 when they are all there, 1 (the reason on <paramref name="error"/>) when not. Run once by the operator,
    /// as a role that may create tables (the database's owner); running it again changes nothing.
    /// </summary>
    public static int Migrate(TextWriter output, TextWriter error)
    {
        string database = DatabasePath;
        try
        {
            if (IsPostgres(database))
                MigratePostgres(database, output);
            else
            {
                output.WriteLine($"todo --migrate: SQLite database {database}");
                using var store = OpenSqlite(database);
                store.CreateTables(SqliteTables, output);
            }
            return 0;
        }
        catch (Exception e) when (e is DbException or FormatException or InvalidOperationException)
        {
            // The causes too: Npgsql's "Failed to connect to HOST" says why only in its inner exception.
            for (Exception? cause = e; cause is not null; cause = cause.InnerException)
                error.WriteLine($"todo --migrate: {FirstLine(cause.Message)}");
            if (e is DbException { SqlState: "42501" })
                error.WriteLine("todo --migrate: run it as a role that may create tables in the database: its owner (docs/scaling.md).");
            return 1;
        }
    }

    /// <summary>The tables, each with the statement that creates it if it is missing, in the order they depend on each other.</summary>
    private static (string Name, string Create)[] SqliteTables =>
    [
        ("todos", """
            CREATE TABLE IF NOT EXISTS todos (
                id    INTEGER PRIMARY KEY AUTOINCREMENT,
                title TEXT    NOT NULL,
                done  INTEGER NOT NULL DEFAULT 0
            )
            """),
        ("attachments", """
            CREATE TABLE IF NOT EXISTS attachments (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                todo_id      INTEGER NOT NULL REFERENCES todos (id) ON DELETE CASCADE,
                file_name    TEXT    NOT NULL,
                content_type TEXT    NOT NULL,
                content      BLOB    NOT NULL
            )
            """),
    ];

    private static (string Name, string Create)[] PostgresTables =>
    [
        ("todos", """
            CREATE TABLE IF NOT EXISTS todos (
                id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                title text   NOT NULL,
                done  bigint NOT NULL DEFAULT 0
            )
            """),
        ("attachments", """
            CREATE TABLE IF NOT EXISTS attachments (
                id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                todo_id      bigint NOT NULL REFERENCES todos (id) ON DELETE CASCADE,
                file_name    text   NOT NULL,
                content_type text   NOT NULL,
                content      bytea  NOT NULL
            )
            """),
    ];

    /// <summary>
    /// Runs the <paramref name="tables"/>' statements; with an <paramref name="output"/>, it first asks which tables
    /// are there, and says for each whether it was made.
    /// </summary>
    private void CreateTables((string Name, string Create)[] tables, TextWriter? output, DbTransaction? transaction = null)
    {
        foreach (var (name, create) in tables)
        {
            bool existed = output is not null && Exists(name, transaction);
            if (!existed)
                Execute(create, transaction);
            output?.WriteLine(existed ? $"  table {name}: already there" : $"  table {name}: created");
        }
    }

    private bool Exists(string table, DbTransaction? transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _connection is SqliteConnection
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name"
            : "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = @name";
        Bind(command, "@name", table);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static TodoStore OpenSqlite(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,          // one request per process: nothing to pool
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        var store = new TodoStore(connection);
        store.Execute("PRAGMA busy_timeout = 30000");
        store.Execute("PRAGMA journal_mode = WAL");
        store.Execute("PRAGMA foreign_keys = ON");
        return store;
    }

#if TODO_POSTGRES
    /// <summary>
    /// One data source per process: in CGI mode a process opens one connection and ends; a long-lived FastCGI
    /// worker keeps its connections in the data source's pool from one request to the next.
    /// </summary>
    private static NpgsqlDataSource? s_postgres;

    private static TodoStore OpenPostgres(string url)
    {
        if (s_postgres is null)
        {
            var builder = new NpgsqlSlimDataSourceBuilder(PostgresUrl.Parse(url).ConnectionString);
            // Npgsql reads the server's type catalogue on a data source's first connection: in CGI mode, in every
            // request. The schema uses built-in types only.
            builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
            // The slim builder leaves TLS out unless asked: without this, sslmode=require could never connect.
            builder.EnableTransportSecurity();
            s_postgres = builder.Build();
        }
        return new TodoStore(s_postgres.OpenConnection());
    }

    private static void MigratePostgres(string url, TextWriter output)
    {
        var settings = PostgresUrl.Parse(url);
        string user = settings.Username ?? Environment.UserName, where = settings.Host!.Contains(',') ? settings.Host : $"{settings.Host}:{settings.Port}";
        output.WriteLine($"todo --migrate: PostgreSQL database {settings.Database ?? user} on {where} as {user}");
        using var store = OpenPostgres(url);
        using var transaction = store._connection.BeginTransaction();
        // Two operators' --migrate at once would race on CREATE TABLE, which IF NOT EXISTS alone does not make safe:
        // the second waits here for the first to commit.
        store.Execute("SELECT pg_advisory_xact_lock(70310001)", transaction);
        var said = new StringWriter();
        store.CreateTables(PostgresTables, said, transaction);
        transaction.Commit();
        output.Write(said.ToString()); // once it is committed: what it says it made is made
    }
#else
    private static TodoStore OpenPostgres(string url) => throw new InvalidOperationException(NoDriver);

    private static void MigratePostgres(string url, TextWriter output) => throw new InvalidOperationException(NoDriver);

    private const string NoDriver =
        "TODO_DB is a PostgreSQL URL, but this build of the Todo sample has no PostgreSQL driver: publish samples/Todo.Postgres.";
#endif

    public List<TodoItem> List(bool? done) => Query(
        done is null
            ? "SELECT id, title, done FROM todos ORDER BY id"
            : "SELECT id, title, done FROM todos WHERE done = @done ORDER BY id",
        command =>
        {
            if (done is not null)
                Bind(command, "@done", done.Value ? 1 : 0);
        },
        command =>
        {
            using var reader = command.ExecuteReader();
            var items = new List<TodoItem>();
            while (reader.Read())
                items.Add(Read(reader));
            return items;
        });

    public TodoItem? Find(long id) => Query(
        "SELECT id, title, done FROM todos WHERE id = @id",
        command => Bind(command, "@id", id),
        command =>
        {
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        });

    public TodoItem Create(string title) => Write(
        "INSERT INTO todos (title) VALUES (@title) RETURNING id",
        command => Bind(command, "@title", title),
        command => new TodoItem((long)command.ExecuteScalar()!, title, false));

    /// <summary>
    /// Changes the given fields of the todo <paramref name="seen"/> if it is still as seen; null when it is not (changed
    /// or deleted since), so that the caller reads it again rather than overwrite a change it did not see.
    /// </summary>
    public TodoItem? Update(TodoItem seen, string? title, bool? done) => Write(
        """
        UPDATE todos SET title = coalesce(@title, title), done = coalesce(@done, done)
        WHERE id = @id AND title = @seenTitle AND done = @seenDone
        RETURNING id, title, done
        """,
        command =>
        {
            Bind(command, "@id", seen.Id);
            Bind(command, "@title", (object?)title ?? DBNull.Value);
            Bind(command, "@done", done is null ? DBNull.Value : done.Value ? 1 : 0);
            Bind(command, "@seenTitle", seen.Title);
            Bind(command, "@seenDone", seen.Done ? 1 : 0);
        },
        command =>
        {
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        });

    /// <summary>Whether a todo was deleted.</summary>
    public bool Delete(long id) => Write(
        "DELETE FROM todos WHERE id = @id",
        command => Bind(command, "@id", id),
        command => command.ExecuteNonQuery() > 0);

    /// <summary>Flips a todo between open and done; null when there is no such todo.</summary>
    public TodoItem? Toggle(long id) => Write(
        "UPDATE todos SET done = 1 - done WHERE id = @id RETURNING id, title, done",
        command => Bind(command, "@id", id),
        command =>
        {
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        });

    /// <summary>Stores a file for a todo; null when there is no such todo.</summary>
    public long? Attach(long todoId, string fileName, string contentType, byte[] content) => Write(
        """
        INSERT INTO attachments (todo_id, file_name, content_type, content)
        SELECT id, @name, @type, @content FROM todos WHERE id = @todo RETURNING id
        """,
        command =>
        {
            Bind(command, "@todo", todoId);
            Bind(command, "@name", fileName);
            Bind(command, "@type", contentType);
            Bind(command, "@content", content);
        },
        command => command.ExecuteScalar() is long id ? id : (long?)null);

    /// <summary>The attachments of every todo, by todo: id and file name, in order.</summary>
    public Dictionary<long, List<(long Id, string FileName)>> AttachmentNames() => Query(
        "SELECT todo_id, id, file_name FROM attachments ORDER BY id",
        _ => { },
        command =>
        {
            using var reader = command.ExecuteReader();
            var names = new Dictionary<long, List<(long, string)>>();
            while (reader.Read())
            {
                if (!names.TryGetValue(reader.GetInt64(0), out var list))
                    names[reader.GetInt64(0)] = list = [];
                list.Add((reader.GetInt64(1), reader.GetString(2)));
            }
            return names;
        });

    /// <summary>One attachment of a todo, or null.</summary>
    public (string FileName, string ContentType, byte[] Content)? Attachment(long todoId, long id) => Query(
        "SELECT file_name, content_type, content FROM attachments WHERE todo_id = @todo AND id = @id",
        command =>
        {
            Bind(command, "@todo", todoId);
            Bind(command, "@id", id);
        },
        command =>
        {
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)) : ((string, string, byte[])?)null;
        });

    /// <summary>Runs one read.</summary>
    private T Query<T>(string sql, Action<DbCommand> bind, Func<DbCommand, T> run) => Run(null, sql, bind, run);

    /// <summary>
    /// Runs one write in a transaction that takes the write lock up front (BEGIN IMMEDIATE), so that concurrent
    /// processes queue on the busy timeout instead of failing on a lock upgrade.
    /// </summary>
    private T Write<T>(string sql, Action<DbCommand> bind, Func<DbCommand, T> run)
    {
        using var transaction = _connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : _connection.BeginTransaction();
        T result = Run(transaction, sql, bind, run);
        transaction.Commit();
        return result;
    }

    /// <summary>
    /// Runs one statement. The two errors an operator causes (no tables yet, a role without the rights to them)
    /// come out with what to do about them, in the web server's error log with the request's 500.
    /// </summary>
    private T Run<T>(DbTransaction? transaction, string sql, Action<DbCommand> bind, Func<DbCommand, T> run)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        bind(command);
        try
        {
            return run(command);
        }
        catch (DbException e) when (e.SqlState is "42P01") // undefined_table
        {
            throw new InvalidOperationException(FirstLine(e.Message) + ": the Todo tables are not (all) there. Run `todo --migrate` "
                + "once, with TODO_DB set to a role that may create tables (the database's owner); docs/scaling.md.", e);
        }
        catch (DbException e) when (e.SqlState is "42501") // insufficient_privilege
        {
            throw new InvalidOperationException(FirstLine(e.Message) + ": the role TODO_DB names needs SELECT, INSERT, UPDATE "
                + "and DELETE on the Todo tables (GRANT, or ALTER DEFAULT PRIVILEGES before `todo --migrate`); docs/scaling.md.", e);
        }
    }

    private static string FirstLine(string text) => text.AsSpan().IndexOfAny('\r', '\n') is int end and >= 0 ? text[..end] : text;

    private static void Bind(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static TodoItem Read(DbDataReader reader) => new(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2) != 0);

    private void Execute(string sql, DbTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
