using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// The install path of the README, for real: pack CgiRouting and its templates into a local feed, then
/// (1) a fresh app with one PackageReference, published as Native AOT by the package's defaults, serves a request;
/// (2) an app from "dotnet new cgiapp" builds, passes its own tests, publishes and serves a request.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public PackageFeed()
    {
        if (Directory.Exists(Work))
            Directory.Delete(Work, recursive: true);
        Feed = Directory.CreateDirectory(Path.Combine(Work, "feed")).FullName;
        // The apps under test are users' apps: the repository's Directory.Build.props must not reach them.
        File.WriteAllText(Path.Combine(Work, "Directory.Build.props"), "<Project />\n");
        PackageTests.Dotnet(Repository.Root, "pack", "src/Runtime/CgiRouting.csproj", "-c", "Release", "-o", Feed, "-p:Version=" + Version);
        PackageTests.Dotnet(Repository.Root, "pack", "templates/CgiRouting.Templates.csproj", "-c", "Release", "-o", Feed, "-p:Version=" + Version);
    }

    public string Work { get; } = Path.Combine(Repository.Root, "artifacts", "package-test");
    public string Feed { get; }

    /// <summary>A version of its own, so that NuGet's cache never serves a package packed by an earlier run.</summary>
    public string Version { get; } = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");

    public void Dispose()
    {
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }
}

public class PackageTests(PackageFeed feed) : IClassFixture<PackageFeed>
{
    private readonly string _work = feed.Work;
    private readonly string _feed = feed.Feed;
    private readonly string _version = feed.Version;

    [Fact]
    public void A_fresh_app_with_one_package_reference_publishes_as_native_aot()
    {
        string app = Directory.CreateDirectory(Path.Combine(_work, "Fresh")).FullName;
        WriteNuGetConfig(app);
        Dotnet(app, "new", "console", "--framework", "net10.0");
        Dotnet(app, "add", "package", "CgiRouting", "--version", _version);
        File.WriteAllText(Path.Combine(app, "Program.cs"), "return CgiRouting.CgiApp.Run();\n");
        File.WriteAllText(Path.Combine(app, "Routes.cs"), """
            using CgiRouting;
            public static class Routes
            {
                [Get("/hello/<name>")] public static string Hello(string name) => "Hello, " + name + "!";
            }
            """);
        string csprojPath = Path.Combine(app, "Fresh.csproj");
        string csproj = File.ReadAllText(csprojPath);
        Assert.DoesNotContain("PublishAot", csproj);
        Assert.Matches($"<PackageReference Include=\"CgiRouting\" Version=\"{Regex.Escape(_version)}\" />", csproj);
        Assert.Equal("true", Dotnet(app, "msbuild", "-getProperty:InvariantGlobalization").Trim()); // the package's default

        // The package turns PublishAot on, but restore never reads a package's props: rather than a silent JIT
        // publish, the package's targets say what to add.
        var refused = Assert.Throws<InvalidOperationException>(() => Dotnet(app, "publish", "-c", "Release", "-r", "linux-x64", "-o", "out"));
        Assert.Contains("error CGIROUTING001", refused.Message);
        File.WriteAllText(csprojPath, csproj.Replace("<OutputType>Exe</OutputType>", "<OutputType>Exe</OutputType>\n    <PublishAot>true</PublishAot>"));

        string output = Dotnet(app, "publish", "-c", "Release", "-r", "linux-x64", "-o", "out");
        Assert.DoesNotMatch("warning (IL|CS|CGI)", output);
        string binary = Path.Combine(app, "out", "Fresh");
        Assert.False(File.Exists(Path.Combine(app, "out", "Fresh.dll")), "not a Native AOT publish");
        Assert.Equal("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 10\r\n\r\nHello, me!",
            RunCgi(binary, "GET", "/hello/me"));
        Assert.Contains("GET     /hello/<name>  Routes.Hello", Run(binary, [], "--routes"));
    }

    [Fact]
    public void An_app_from_the_template_builds_tests_and_publishes()
    {
        string hive = Path.Combine(_work, "template-hive");
        Dotnet(_work, "new", "install", Path.Combine(_feed, $"CgiRouting.Templates.{_version}.nupkg"), "--debug:custom-hive", hive);
        string app = Path.Combine(_work, "MyService");
        Dotnet(_work, "new", "cgiapp", "-n", "MyService", "-o", app, "--CgiRoutingVersion", _version, "--debug:custom-hive", hive);
        Assert.True(File.Exists(Path.Combine(app, "MyService.slnx")));
        Assert.Contains("namespace MyService;", File.ReadAllText(Path.Combine(app, "MyService", "Routes.cs")));
        WriteNuGetConfig(app);

        string tests = Dotnet(app, "test", "MyService.slnx");
        Assert.Matches("Passed!.*Failed: +0, Passed: +3", tests);

        Dotnet(app, "publish", "MyService/MyService.csproj", "-c", "Release", "-r", "linux-x64", "-o", "out");
        string response = RunCgi(Path.Combine(app, "out", "MyService"), "GET", "/hello/world");
        Assert.EndsWith("{\"text\":\"Hello, world!\",\"length\":5}", response);
    }

    private void WriteNuGetConfig(string directory) => File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="cgirouting-local" value="{_feed}" />
          </packageSources>
        </configuration>
        """);

    private static string RunCgi(string binary, string method, string path) =>
        Run(binary, [("REQUEST_METHOD", method), ("PATH_INFO", path), ("GATEWAY_INTERFACE", "CGI/1.1")]);

    private static string Run(string file, (string Name, string Value)[] environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    internal static string Dotnet(string directory, params string[] arguments) =>
        Repository.Run(directory, "dotnet", arguments, includeError: true);
}
