using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>
/// Real builds of small apps with the .NET SDK: route-table mistakes fail the build at their place in the source,
/// and #pragma suppresses a warning where it stands.
/// </summary>
public class BuildTests
{
    private static (int Exit, string Output) Build(string name, string handlers) =>
        Dotnet(CreateApp(name, handlers), "build", "-nologo", "-v", "quiet");

    /// <summary>
    /// A small app in artifacts/build-tests/NAME with <paramref name="handlers"/>; <paramref name="head"/> goes first in
    /// its project file (CgiRouting.props, as a package reference imports it) and <paramref name="properties"/> into its
    /// PropertyGroup.
    /// </summary>
    private static string CreateApp(string name, string handlers, string head = "", string properties = "")
    {
        string dir = Path.Combine(Repository.Root, "artifacts", "build-tests", name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              {head}
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Repository.Root}/src/Runtime/CgiRouting.csproj" />
                <ProjectReference Include="{Repository.Root}/src/Generators/CgiRouting.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), "return CgiRouting.CgiApp.Run();\n");
        File.WriteAllText(Path.Combine(dir, "Handlers.cs"), handlers);
        return dir;
    }

    /// <summary>Runs dotnet with <paramref name="arguments"/> on the app in <paramref name="dir"/>: its exit code and all it said.</summary>
    private static (int Exit, string Output) Dotnet(string dir, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [.. arguments, dir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd() + error.Result;
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [Fact]
    public void A_published_app_is_linked_with_packed_relative_relocations()
    {
        // CgiRouting.props adds -z pack-relative-relocs: the loader has fewer relocations to read at every start.
        string binary = Repository.PublishedSample("Hello", "hello");
        Repository.Install("readelf:binutils");
        string dynamic = Repository.Run("readelf", "-d", binary);
        Assert.Matches(new Regex(@"\(RELR\)\s+0x[0-9a-f]+"), dynamic);
        Assert.Matches(new Regex(@"\(RELRSZ\)\s+[1-9][0-9]* \(bytes\)"), dynamic);
    }

    [Fact]
    public void A_published_app_carries_a_fixed_gen0_budget()
    {
        // CgiRouting.props embeds the runtime setting GCgen0size (CgiRoutingGCGen0Size, 2 MiB, written in hexadecimal as
        // the runtime reads it): the runtime then skips reading the processor's caches at start, and a FastCGI worker's
        // heap stays small (docs/benchmarks.md measures both).
        byte[] binary = File.ReadAllBytes(Repository.PublishedSample("Hello", "hello"));
        Assert.True(binary.AsSpan().IndexOf("GCgen0size\0200000\0"u8) >= 0, "no GCgen0size=200000 among the binary's embedded runtime settings");
    }

    [Fact]
    public void A_published_app_keeps_in_the_runtimes_settings_only_the_feature_switches_its_code_may_read()
    {
        // The runtime compares each of its garbage-collector settings with every entry of the settings table at start:
        // CgiRouting.props leaves out the SDK's feature switches that no compiled code names (bench/notes.md).
        byte[] hello = File.ReadAllBytes(Repository.PublishedSample("Hello", "hello"));
        Assert.True(hello.AsSpan().IndexOf("RUNTIME_IDENTIFIER\0"u8) >= 0, "the table itself is there");
        Assert.True(hello.AsSpan().IndexOf("System.Globalization.Invariant\0"u8) < 0, "a feature switch nothing reads is left out");
        Assert.True(hello.AsSpan().IndexOf("System.Diagnostics.Tracing.EventSource.IsSupported\0"u8) < 0);

        // An app whose code reads a switch that was left out: it is put back, the app compiled again, and the switch
        // reads at run time as the SDK set it (PredefinedCulturesOnly is true with invariant globalization).
        string dir = CreateApp("ReadsASwitch", """
            public static class Switch
            {
                [CgiRouting.Get("/")]
                public static string Get() => System.AppContext.TryGetSwitch("System.Globalization.PredefinedCulturesOnly", out bool on) ? on.ToString() : "unset";
            }
            """,
            head: $"""<Import Project="{Repository.Root}/src/Runtime/buildTransitive/CgiRouting.props" />""",
            properties: "<PublishAot>true</PublishAot>");
        string publish = Path.Combine(dir, "publish");
        foreach (string earlier in new[] { "obj", "bin", "publish" }) // an earlier run remembered the switch: start afresh
        {
            if (Directory.Exists(Path.Combine(dir, earlier)))
                Directory.Delete(Path.Combine(dir, earlier), recursive: true);
        }
        var (exit, output) = Dotnet(dir, "publish", "-nologo", "-c", "Release", "-r", "linux-x64", "-o", publish);
        Assert.True(exit == 0, output);
        Assert.Contains("ReadsASwitch: the compiled code names the feature switch System.Globalization.PredefinedCulturesOnly", output);
        Assert.Contains("add <CgiRoutingRuntimeSwitch Include=\"System.Globalization.PredefinedCulturesOnly\" />", output);
        byte[] binary = File.ReadAllBytes(Path.Combine(publish, "ReadsASwitch"));
        Assert.True(binary.AsSpan().IndexOf("\0System.Globalization.PredefinedCulturesOnly\0"u8) >= 0, "the switch read is in the table");
        Assert.True(binary.AsSpan().IndexOf("System.Diagnostics.Tracing.EventSource.IsSupported\0"u8) < 0, "the others stay out");
        var run = new ProcessStartInfo(Path.Combine(publish, "ReadsASwitch")) { RedirectStandardOutput = true };
        run.Environment["GATEWAY_INTERFACE"] = "CGI/1.1";
        run.Environment["REQUEST_METHOD"] = "GET";
        run.Environment["PATH_INFO"] = "/";
        using var process = Process.Start(run)!;
        string response = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.EndsWith("\r\n\r\nTrue", response);

        // The next publish keeps the switch from the start: one compile, no message.
        (exit, output) = Dotnet(dir, "publish", "-nologo", "-c", "Release", "-r", "linux-x64", "-o", publish);
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("names the feature switch", output);
        Assert.True(File.ReadAllBytes(Path.Combine(publish, "ReadsASwitch")).AsSpan().IndexOf("\0System.Globalization.PredefinedCulturesOnly\0"u8) >= 0);
    }

    [Fact]
    public void Linking_sqlite_without_its_static_library_stops_the_publish_and_names_the_package()
    {
        // CgiRoutingLinkSqlite links the libsqlite3.a that the C compiler finds. Here the compiler looks in an empty
        // system root and finds none: the publish stops, saying what to install.
        string dir = CreateApp("NoSqliteArchive", "public static class Hi { [CgiRouting.Get(\"/\")] public static string Get() => \"hi\"; }\n",
            head: $"""<Import Project="{Repository.Root}/src/Runtime/buildTransitive/CgiRouting.props" />""",
            properties: "<PublishAot>true</PublishAot><CgiRoutingLinkSqlite>true</CgiRoutingLinkSqlite>");
        string emptyRoot = Directory.CreateDirectory(Path.Combine(dir, "empty-sysroot")).FullName;
        var (exit, output) = Dotnet(dir, "publish", "-nologo", "-c", "Release", "-r", "linux-x64", "-p:SysRoot=" + emptyRoot);
        Assert.NotEqual(0, exit);
        Assert.Matches(new Regex(@"error CGIROUTING002: CgiRoutingLinkSqlite is true, but \S+ finds no libsqlite3\.a .*apt-get install libsqlite3-dev"), output);
    }

    [Fact]
    public void A_conflict_fails_the_build_at_the_template()
    {
        var (exit, output) = Build("Conflict", """
            using CgiRouting;
            public static class Users
            {
                [Get("/users/<id>")] public static string ById(int id) => "";
                [Get("/users/<n>")] public static string ByNumber(int n) => "";
            }
            """);
        Assert.NotEqual(0, exit);
        Assert.Matches(new Regex(@"Handlers\.cs\(5,10\): error CGI012: GET /users/<n> \(Users\.ByNumber\) conflicts with GET /users/<id> \(Users\.ById\): both match '/users/1'"), output);
    }

    [Fact]
    public void Pragma_suppresses_a_warning_where_it_stands()
    {
        var (exit, output) = Build("Pragma", """
            using CgiRouting;
            public static class Search
            {
            #pragma warning disable CGI016 // this client sends GET bodies
                [Get("/a")] public static string A([Body] string a) => a;
            #pragma warning restore CGI016
                [Get("/b")] public static string B([Body] string b) => b;
            }
            """);
        Assert.NotEqual(0, exit); // TreatWarningsAsErrors: B's warning fails the build
        Assert.Matches(new Regex(@"Handlers\.cs\(7,54\): error CGI016: GET /b reads the request body into parameter 'b'"), output);
        Assert.DoesNotMatch(new Regex(@"GET /a reads"), output);
    }
}
