using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Data.Sqlite;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>Where a Todo app keeps its todos, as the tests look into it.</summary>
public interface ITodoStorage : IDisposable
{
    /// <summary>The app's TODO_DB: a file, or a postgres:// URL.</summary>
    string Location { get; }

    /// <summary>How many todos there are (0 before the app created the schema).</summary>
    long Count();

    /// <summary>"ok" when the stored data is intact.</summary>
    string IntegrityCheck();
}

/// <summary>samples/Todo (Native AOT) behind a web server, with its own SQLite database (or another storage).</summary>
public abstract class TodoHost : IDisposable
{
    protected TodoHost(Func<IReadOnlyList<HostedApp>, IReadOnlyDictionary<string, string>, WebServer> start,
        TodoDatabase? database = null, params (string Name, string Value)[] environment)
        : this(start, Repository.PublishedSample("Todo", "todo"), database ?? new TodoDatabase(), environment)
    {
    }

    /// <summary>
    /// <paramref name="binary"/>, a build of samples/Todo or samples/Todo.Postgres, on <paramref name="storage"/>; the
    /// server runs a copy of the binary's folder.
    /// </summary>
    protected TodoHost(Func<IReadOnlyList<HostedApp>, IReadOnlyDictionary<string, string>, WebServer> start,
        string binary, ITodoStorage storage, params (string Name, string Value)[] environment)
    {
        Binary = binary;
        Storage = storage;
        var variables = new Dictionary<string, string> { ["TODO_DB"] = storage.Location };
        foreach (var (name, value) in environment)
            variables[name] = value;
        Server = start([new HostedApp("/", Binary)], variables);
    }

    public string Binary { get; }
    public ITodoStorage Storage { get; }

    /// <summary>The SQLite database of the hosts on samples/Todo.</summary>
    public TodoDatabase Database => (TodoDatabase)Storage;

    public WebServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class LighttpdTodoHost() : TodoHost((apps, env) => new LighttpdServer(apps, env));

public sealed class ApacheTodoHost() : TodoHost((apps, env) => new ApacheServer(apps, env));

public sealed class NginxTodoHost() : TodoHost((apps, env) => new NginxServer(apps, env));

/// <summary>samples/Todo.Postgres behind lighttpd, on a PostgreSQL server of its own whose tables its --migrate made.</summary>
public sealed class PostgresTodoHost() : TodoHost(
    (apps, env) => new LighttpdServer(apps, env), Repository.PublishedSample("Todo.Postgres", "todo"),
    PostgresDatabase.WithTables(Repository.PublishedSample("Todo.Postgres", "todo")));

/// <summary>Todo as a long-lived FastCGI worker (TODO_DB in its environment) behind nginx's fastcgi_pass.</summary>
public sealed class NginxFastCgiTodoHost() : TodoHost((apps, env) => new NginxFastCgiWorkersServer(apps, env));

/// <summary>Todo as a FastCGI worker that lighttpd starts itself (bin-path), TODO_DB in its bin-environment.</summary>
public sealed class LighttpdFastCgiTodoHost() : TodoHost((apps, env) => new LighttpdFastCgiServer(apps, env));

/// <summary>Todo as a FastCGI worker on a loopback port (TODO_DB in its environment) behind Apache's mod_proxy_fcgi.</summary>
public sealed class ApacheFastCgiTodoHost() : TodoHost((apps, env) => new ApacheFastCgiServer(apps, env));

/// <summary>A Todo database file in a directory every user may write (Apache and fcgiwrap run apps as nobody), on
/// <paramref name="disk"/> when given (which it then owns).</summary>
public sealed class TodoDatabase(SmallDisk? disk = null) : ITodoStorage
{
    private readonly string _directory = WebServer.OpenToAll(disk?.Path ?? Directory.CreateTempSubdirectory("cgirouting-todo-db-").FullName);

    /// <summary>The disk of its own the database is on, if it has one.</summary>
    public SmallDisk? Disk => disk;

    public string Path => System.IO.Path.Combine(_directory, "todo.db");

    public string Location => Path;

    /// <summary>How many todos there are (0 before the app created the database).</summary>
    public long Count() => File.Exists(Path) ? (long)Query("SELECT count(*) FROM todos")! : 0;

    /// <summary>SQLite's own check of the file: "ok" when it is intact.</summary>
    public string IntegrityCheck() => File.Exists(Path) ? (string)Query("PRAGMA integrity_check")! : "ok";

    private object? Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        if (disk is null)
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        disk?.Dispose();
    }
}
