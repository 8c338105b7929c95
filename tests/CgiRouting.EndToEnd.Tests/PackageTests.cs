using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// The install path of the README and docs/guide/installing.md, for real: pack CgiRouting and its templates into a local feed with
/// scripts/pack-local.sh, twice, then
/// (1) a fresh app with one PackageReference to the second pack, published as Native AOT by the package's defaults,
/// serves a request;
/// (2) an app from "dotnet new cgiapp" (the second pack's template) builds, passes its own tests, publishes and
/// serves a request.
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
        // Packed twice, as a developer re-packs after a change: each pack must be a version of its own, or NuGet's
        // cache would go on serving the first.
        FirstVersion = PackLocal();
        Version = PackLocal();
    }

    private string PackLocal()
    {
        string output = Repository.Run("bash", Path.Combine(Repository.Root, "scripts", "pack-local.sh"), Feed);
        var packed = Regex.Match(output, @"^Packed CgiRouting (\S+) into ", RegexOptions.Multiline);
        Assert.True(packed.Success, "pack-local.sh said: " + output);
        return packed.Groups[1].Value;
    }

    public string Work { get; } = Path.Combine(Repository.Root, "artifacts", "package-test");
    public string Feed { get; }

    /// <summary>The version of the first pack.</summary>
    public string FirstVersion { get; }

    /// <summary>The version of the second pack, which the apps use.</summary>
    public string Version { get; }

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
    public void Packing_again_makes_a_new_version()
    {
        Assert.Matches(@"^0\.1\.0-dev\.[0-9]{14}$", feed.FirstVersion);
        Assert.NotEqual(feed.FirstVersion, _version);
        Assert.True(string.CompareOrdinal(_version, feed.FirstVersion) > 0, "the second pack is the newer version");
        foreach (string version in new[] { feed.FirstVersion, _version })
        {
            Assert.True(File.Exists(Path.Combine(_feed, $"CgiRouting.{version}.nupkg")));
            Assert.True(File.Exists(Path.Combine(_feed, $"CgiRouting.Templates.{version}.nupkg")));
        }
    }

    /// <summary>Restore resolved CgiRouting <paramref name="version"/> for the project in <paramref name="projectDirectory"/>.</summary>
    private static void AssertRestored(string projectDirectory, string version)
    {
        string assets = File.ReadAllText(Path.Combine(projectDirectory, "obj", "project.assets.json"));
        Assert.Contains($"\"CgiRouting/{version}\"", assets);
    }

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
        AssertRestored(app, _version);

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
    public async System.Threading.Tasks.Task An_app_from_the_template_builds_tests_publishes_and_serves_as_one_file()
    {
        string hive = Path.Combine(_work, "template-hive");
        Dotnet(_work, "new", "install", Path.Combine(_feed, $"CgiRouting.Templates.{_version}.nupkg"), "--debug:custom-hive", hive);
        string app = Path.Combine(_work, "MyService");
        // No --CgiRoutingVersion: the template defaults to the CgiRouting packed with it.
        Dotnet(_work, "new", "cgiapp", "-n", "MyService", "-o", app, "--debug:custom-hive", hive);
        Assert.True(File.Exists(Path.Combine(app, "MyService.slnx")));
        Assert.Contains("namespace MyService;", File.ReadAllText(Path.Combine(app, "MyService", "Routes.cs")));
        Assert.Contains($"<PackageReference Include=\"CgiRouting\" Version=\"{_version}\" />",
            File.ReadAllText(Path.Combine(app, "MyService", "MyService.csproj")));
        Assert.Contains("bin/", File.ReadAllText(Path.Combine(app, ".gitignore")));
        WriteNuGetConfig(app);

        string tests = Dotnet(app, "test", "MyService.slnx");
        Assert.Matches("Passed!.*Failed: +0, Passed: +3", tests);
        AssertRestored(Path.Combine(app, "MyService"), _version);

        // From the solution folder, as a user would: only the app is published (the test project is not publishable).
        Dotnet(app, "publish", "-c", "Release", "-r", "linux-x64");
        string published = Path.Combine(app, "MyService", "bin", "Release", "net10.0", "linux-x64", "publish");
        Assert.False(Directory.Exists(Path.Combine(app, "MyService.Tests", "bin", "Release", "net10.0", "linux-x64", "publish")));
        string response = RunCgi(Path.Combine(published, "MyService"), "GET", "/hello/world");
        Assert.EndsWith("{\"text\":\"Hello, world!\",\"length\":5}", response);

        // The form of docs/guide/installing.md, into a folder of one's choice.
        Dotnet(app, "publish", "MyService", "-c", "Release", "-r", "linux-x64", "-o", "out");
        Assert.Equal(response, RunCgi(Path.Combine(app, "out", "MyService"), "GET", "/hello/world"));

        // The README's last step: the one file copied to the server and served through the configuration it prints,
        // its commands run as written (lighttpd, which then runs as nobody, and so does the app).
        using var site = new PrintedDeployment("lighttpd", fastCgi: false,
            [new HostedApp("/", Repository.CopyAlone(Path.Combine(app, "out", "MyService")))], new System.Collections.Generic.Dictionary<string, string>());
        using var client = site.Client();
        Assert.Equal("{\"text\":\"Hello, world!\",\"length\":5}", await client.GetStringAsync("/hello/world"));
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
