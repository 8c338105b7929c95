using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace CgiRouting.Tests.Cgi;

/// <summary>
/// Which of libc's functions a binary binds at start (CgiRouting.props's <c>DirectPInvoke</c> items): exactly those that
/// the interop of src/Runtime/Cgi declares, the ones a CGI request may call. One missing would make a request look libc
/// up by name (about 230,000 instructions, some 60 failed opens); one too many, or libc as a whole, costs every CGI
/// request the binding of functions that only a FastCGI worker or the command line calls.
/// </summary>
public sealed class InteropBindingTests
{
    private static readonly Regex Import = new(
        @"\[LibraryImport\(""libc""(?<options>[^\]]*)\)\]\s*(?:\[[^\]]*\]\s*)*[^;(]*?\b(?<name>\w+)\s*\(", RegexOptions.Compiled);

    private static readonly Regex EntryPoint = new(@"EntryPoint\s*=\s*""(?<entry>\w+)""", RegexOptions.Compiled);

    [Fact]
    public void The_functions_bound_at_start_are_the_ones_a_CGI_request_may_call()
    {
        string root = CgiRouting.Testing.RepositoryRoot.Path;
        var declared = Directory.EnumerateFiles(Path.Combine(root, "src/Runtime/Cgi"), "*.cs")
            .SelectMany(file => Import.Matches(File.ReadAllText(file)))
            .Select(m => EntryPoint.Match(m.Groups["options"].Value) is { Success: true } e ? e.Groups["entry"].Value : m.Groups["name"].Value)
            .ToHashSet();
        string props = File.ReadAllText(Path.Combine(root, "src/Runtime/buildTransitive/CgiRouting.props"));
        var bound = Regex.Matches(props, @"<DirectPInvoke Include=""libc!(\w+)"" />").Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(["poll", "read", "write"], declared.Order()); // what the pattern finds, so that it cannot find nothing
        Assert.Equal(declared.Order(), bound.Order());
        Assert.DoesNotContain(@"<DirectPInvoke Include=""libc"" />", props); // libc as a whole: every import bound at start
    }
}
