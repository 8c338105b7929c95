using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Data.Sqlite;

namespace Todo;

/// <summary>
/// The todos in SQLite. Many CGI processes use the file at once: WAL lets readers run beside the one writer,
/// writes take the write lock up front (BEGIN IMMEDIATE), and a busy timeout makes a writer wait its turn
/// instead of failing, so no write is lost under contention.
/// </summary>
internal sealed class TodoStore : IDisposable
{
    /// <summary>The environment variable that names the database file.</summary>
    public const string DatabaseVariable = "TODO_DB";

    private readonly SqliteConnection _connection;

    private TodoStore(SqliteConnection connection) => _connection = connection;

    /// <summary><c>TODO_DB</c>, or <c>todo.db</c> beside the binary.</summary>
    public static string DatabasePath =>
        Environment.GetEnvironmentVariable(DatabaseVariable) is { Length: > 0 } path ? path : Path.Combine(AppContext.BaseDirectory, "todo.db");

    /// <summary>Opens the database, creating the file and the schema on first use.</summary>
    public static TodoStore Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,          // one request per process: nothing to pool
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        var store = new TodoStore(connection);
        store.Execute("PRAGMA busy_timeout = 30000");
        store.Execute("PRAGMA journal_mode = WAL");
        store.Execute("""
            CREATE TABLE IF NOT EXISTS todos (
                id    INTEGER PRIMARY KEY AUTOINCREMENT,
                title TEXT    NOT NULL,
                done  INTEGER NOT NULL DEFAULT 0
            )
            """);
        store.Execute("""
            CREATE TABLE IF NOT EXISTS attachments (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                todo_id      INTEGER NOT NULL REFERENCES todos (id) ON DELETE CASCADE,
                file_name    TEXT    NOT NULL,
                content_type TEXT    NOT NULL,
                content      BLOB    NOT NULL
            )
            """);
        store.Execute("PRAGMA foreign_keys = ON");
        return store;
    }

    public List<TodoItem> List(bool? done)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = done is null
            ? "SELECT id, title, done FROM todos ORDER BY id"
            : "SELECT id, title, done FROM todos WHERE done = $done ORDER BY id";
        if (done is not null)
            command.Parameters.AddWithValue("$done", done.Value ? 1 : 0);
        using var reader = command.ExecuteReader();
        var items = new List<TodoItem>();
        while (reader.Read())
            items.Add(Read(reader));
        return items;
    }

    public TodoItem? Find(long id)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, title, done FROM todos WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public TodoItem Create(string title) => Write(
        "INSERT INTO todos (title) VALUES ($title) RETURNING id",
        command => command.Parameters.AddWithValue("$title", title),
        command => new TodoItem((long)command.ExecuteScalar()!, title, false));

    /// <summary>Changes the given fields; null when there is no such todo.</summary>
    public TodoItem? Update(long id, string? title, bool? done) => Write(
        """
        UPDATE todos SET title = coalesce($title, title), done = coalesce($done, done) WHERE id = $id
        RETURNING id, title, done
        """,
        command =>
        {
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$title", (object?)title ?? DBNull.Value);
            command.Parameters.AddWithValue("$done", done is null ? DBNull.Value : done.Value ? 1 : 0);
        },
        command =>
        {
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        });

    /// <summary>Whether a todo was deleted.</summary>
    public bool Delete(long id) => Write(
        "DELETE FROM todos WHERE id = $id",
        command => command.Parameters.AddWithValue("$id", id),
        command => command.ExecuteNonQuery() > 0);

    /// <summary>Flips a todo between open and done; null when there is no such todo.</summary>
    public TodoItem? Toggle(long id) => Write(
        "UPDATE todos SET done = 1 - done WHERE id = $id RETURNING id, title, done",
        command => command.Parameters.AddWithValue("$id", id),
        command =>
        {
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        });

    /// <summary>Stores a file for a todo; null when there is no such todo.</summary>
    public long? Attach(long todoId, string fileName, string contentType, byte[] content) => Write(
        """
        INSERT INTO attachments (todo_id, file_name, content_type, content)
        SELECT id, $name, $type, $content FROM todos WHERE id = $todo RETURNING id
        """,
        command =>
        {
            command.Parameters.AddWithValue("$todo", todoId);
            command.Parameters.AddWithValue("$name", fileName);
            command.Parameters.AddWithValue("$type", contentType);
            command.Parameters.AddWithValue("$content", content);
        },
        command => command.ExecuteScalar() is long id ? id : (long?)null);

    /// <summary>The attachments of every todo, by todo: id and file name, in order.</summary>
    public Dictionary<long, List<(long Id, string FileName)>> AttachmentNames()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT todo_id, id, file_name FROM attachments ORDER BY id";
        using var reader = command.ExecuteReader();
        var names = new Dictionary<long, List<(long, string)>>();
        while (reader.Read())
        {
            if (!names.TryGetValue(reader.GetInt64(0), out var list))
                names[reader.GetInt64(0)] = list = [];
            list.Add((reader.GetInt64(1), reader.GetString(2)));
        }
        return names;
    }

    /// <summary>One attachment of a todo, or null.</summary>
    public (string FileName, string ContentType, byte[] Content)? Attachment(long todoId, long id)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT file_name, content_type, content FROM attachments WHERE todo_id = $todo AND id = $id";
        command.Parameters.AddWithValue("$todo", todoId);
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)) : null;
    }

    /// <summary>
    /// Runs one write in a transaction that takes the write lock up front (BEGIN IMMEDIATE), so that concurrent
    /// processes queue on the busy timeout instead of failing on a lock upgrade.
    /// </summary>
    private T Write<T>(string sql, Action<SqliteCommand> bind, Func<SqliteCommand, T> run)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        bind(command);
        T result = run(command);
        transaction.Commit();
        return result;
    }

    private static TodoItem Read(SqliteDataReader reader) => new(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2) != 0);

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
