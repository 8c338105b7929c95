using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>docs/diagnostics.md and AnalyzerReleases.Unshipped.md match the catalogue of descriptors exactly.</summary>
public class DocumentationTests
{
    private static string RepositoryFile(string relative, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", relative));

    [Fact]
    public void Every_descriptor_has_its_section_and_every_section_a_descriptor()
    {
        string doc = RepositoryFile("docs/diagnostics.md");
        var documented = Regex.Matches(doc, "^## (CGI\\d{3}): (.+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
        var catalogue = Catalogue.All();
        Assert.Equal(catalogue.Select(d => d.Id), documented.Keys.OrderBy(k => k));
        foreach (var descriptor in catalogue)
        {
            string anchor = descriptor.Id.ToLowerInvariant();
            Assert.Equal(descriptor.Title.ToString(), documented[descriptor.Id]);
            Assert.Contains($"<a id=\"{anchor}\"></a>\n## {descriptor.Id}:", doc);
            Assert.Equal("CgiRouting", descriptor.Category);
            string section = doc.Split($"<a id=\"{anchor}\"></a>")[1].Split("<a id=")[0];
            Assert.Contains("**Message:**", section);
            Assert.Contains("**Fix:**", section);
        }
    }

    /// <summary>
    /// The project has no published web site, and the repository address the links used (the one the package metadata
    /// names) does not exist, so a help link would lead nowhere (issue 25): a descriptor has none.
    /// </summary>
    [Fact]
    public void No_descriptor_has_a_help_link()
    {
        foreach (var descriptor in Catalogue.All())
            Assert.True(descriptor.HelpLinkUri.Length == 0, $"{descriptor.Id} links to '{descriptor.HelpLinkUri}'");
    }

    [Fact]
    public void The_release_tracking_file_lists_every_descriptor()
    {
        string unshipped = RepositoryFile("src/Generators/AnalyzerReleases.Unshipped.md");
        foreach (var descriptor in Catalogue.All())
            Assert.Matches($"(?m)^{descriptor.Id} \\| CgiRouting \\| {descriptor.DefaultSeverity} \\|", unshipped);
    }
}
