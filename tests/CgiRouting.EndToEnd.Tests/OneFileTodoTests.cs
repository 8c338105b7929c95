using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// samples/Todo as a user deploys it: the published binary copied alone into an empty folder, nothing beside it (no
/// libe_sqlite3.so), with its database where TODO_DB says. It works because the sample sets CgiRoutingLinkSqlite,
/// which links SQLite into the binary; without it every request that opens the database answers 500
/// (DllNotFoundException: 'e_sqlite3').
/// </summary>
public abstract class OneFileTodoHost(Func<IReadOnlyList<HostedApp>, IReadOnlyDictionary<string, string>, WebServer> start)
    : TodoHost(start, Repository.CopyAlone(Repository.PublishedSample("Todo", "todo")), new TodoDatabase());

public sealed class OneFileLighttpdTodoHost() : OneFileTodoHost((apps, env) => new LighttpdServer(apps, env));

public sealed class OneFileApacheTodoHost() : OneFileTodoHost((apps, env) => new ApacheServer(apps, env));

public sealed class OneFileNginxTodoHost() : OneFileTodoHost((apps, env) => new NginxServer(apps, env));

public sealed class OneFileTodoOnLighttpdTests(OneFileLighttpdTodoHost host) : TodoScenario(host), IClassFixture<OneFileLighttpdTodoHost>;

public sealed class OneFileTodoOnApacheTests(OneFileApacheTodoHost host) : TodoScenario(host), IClassFixture<OneFileApacheTodoHost>;

public sealed class OneFileTodoOnNginxTests(OneFileNginxTodoHost host) : TodoScenario(host), IClassFixture<OneFileNginxTodoHost>;

public class OneFileTodoTests
{
    /// <summary>The shared libraries that <paramref name="binary"/> names for the loader (readelf -d, NEEDED).</summary>
    private static SortedSet<string> Needed(string binary)
    {
        Repository.Install("readelf:binutils");
        string dynamic = Repository.Run("readelf", "-d", binary);
        return new(Regex.Matches(dynamic, @"\(NEEDED\)\s+Shared library: \[([^\]]+)\]").Select(m => m.Groups[1].Value), StringComparer.Ordinal);
    }

    [Fact]
    public void The_binary_needs_no_shared_library_that_a_stock_app_does_not()
    {
        // SQLite is inside the binary, not a shared library the server must have: samples/Todo asks the loader for
        // exactly what samples/Hello (no database) does, the C library, libm and the loader itself.
        var hello = Needed(Repository.PublishedSample("Hello", "hello"));
        var todo = Needed(Repository.PublishedSample("Todo", "todo"));
        Assert.Contains("libc.so.6", hello);
        Assert.Equal(hello, todo);
    }
}
