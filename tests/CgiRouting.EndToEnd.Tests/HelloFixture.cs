using System;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>samples/Hello published as Native AOT, served by lighttpd, once for all tests of a class.</summary>
public sealed class HelloFixture : IDisposable
{
    public HelloFixture()
    {
        Binary = Repository.PublishedSample("Hello", "hello");
        Server = new LighttpdServer([new HostedApp("/", Binary)]);
    }

    public string Binary { get; }
    public LighttpdServer Server { get; }

    public void Dispose() => Server.Dispose();
}

/// <summary>One Hello build and server for every test class that uses it (publishing twice at once would race).</summary>
[Xunit.CollectionDefinition(Name)]
public sealed class HelloCollection : Xunit.ICollectionFixture<HelloFixture>
{
    public const string Name = "Hello";
}
