using System.IO;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// <c>todo --migrate</c> on SQLite (samples/Todo). SQLite needs no such step, its file and tables being made on first
/// use, but the operator's command works on either database. PostgreSQL: <see cref="PostgresSetupTests"/>.
/// </summary>
public class TodoMigrateTests
{
    private static readonly string Binary = Repository.PublishedSample("Todo", "todo");

    [Fact]
    public void Migrate_on_sqlite_makes_the_file_and_its_tables_once_and_says_so()
    {
        using var database = new TodoDatabase();
        string first = Repository.Run("env", $"TODO_DB={database.Path}", Binary, "--migrate");
        Assert.Contains($"SQLite database {database.Path}", first);
        Assert.Contains("table todos: created", first);
        Assert.Contains("table attachments: created", first);
        Assert.True(File.Exists(database.Path));
        Assert.Equal(0, database.Count());
        string again = Repository.Run("env", $"TODO_DB={database.Path}", Binary, "--migrate");
        Assert.Contains("table todos: already there", again);
        Assert.Contains("table attachments: already there", again);
    }

    [Fact]
    public void Under_a_web_server_an_argument_migrate_is_not_a_migration()
    {
        // A server may pass a query without '=' as arguments (RFC 3875 §4.4): GET /todos?--migrate is a request.
        using var database = new TodoDatabase();
        string output = Repository.Run("env", "GATEWAY_INTERFACE=CGI/1.1", "REQUEST_METHOD=GET", "PATH_INFO=/todos",
            "QUERY_STRING=--migrate", $"TODO_DB={database.Path}", Binary, "--migrate");
        Assert.StartsWith("Status: 200", output);
        Assert.DoesNotContain("todo --migrate", output);
    }
}
