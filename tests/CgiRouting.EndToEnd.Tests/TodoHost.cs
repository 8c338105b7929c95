using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Data.Sqlite;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>samples/Todo (Native AOT) behind a web server, with its own SQLite database.</summary>
public abstract class TodoHost : IDisposable
{
    protected TodoHost(Func<IReadOnlyList<HostedApp>, IReadOnlyDictionary<string, string>, WebServer> start)
    {
        Binary = Repository.PublishedSample("Todo", "todo");
        Database = new TodoDatabase();
        Server = start([new HostedApp("/", Binary)], new Dictionary<string, string> { ["TODO_DB"] = Database.Path });
    }

    public string Binary { get; }
    public TodoDatabase Database { get; }
    public WebServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Database.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class LighttpdTodoHost() : TodoHost((apps, env) => new LighttpdServer(apps, env));

public sealed class ApacheTodoHost() : TodoHost((apps, env) => new ApacheServer(apps, env));

public sealed class NginxTodoHost() : TodoHost((apps, env) => new NginxServer(apps, env));

/// <summary>A Todo database file in a directory every user may write (Apache and fcgiwrap run apps as nobody).</summary>
public sealed class TodoDatabase : IDisposable
{
    private readonly string _directory = WebServer.OpenToAll(Directory.CreateTempSubdirectory("cgirouting-todo-db-").FullName);

    public string Path => System.IO.Path.Combine(_directory, "todo.db");

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
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
