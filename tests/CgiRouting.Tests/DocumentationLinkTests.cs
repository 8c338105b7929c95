using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// Every relative link of README.md, CONTRIBUTING.md and docs/**/*.md leads somewhere: the file exists (relative to
/// the linking file), and a <c>#anchor</c> names a heading of the target (by GitHub's slug) or an
/// <c>&lt;a id="..."&gt;</c> in it. Text moves between pages; a link left behind fails here, not in a reader's browser.
/// </summary>
public class DocumentationLinkTests
{
    private static string Root => CgiRouting.Testing.RepositoryRoot.Path;

    /// <summary>A link's target: what follows "](" up to the closing parenthesis, an optional title aside.</summary>
    private static readonly Regex Link = new(@"\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)", RegexOptions.Compiled);

    private static readonly Regex Heading = new(@"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", RegexOptions.Compiled);

    private static readonly Regex HtmlAnchor = new(@"<a\s+(?:id|name)\s*=\s*""([^""]+)""", RegexOptions.Compiled | RegexOptions.IgnoreCase);

    private static readonly Regex InlineCode = new(@"`+[^`]*`+", RegexOptions.Compiled);

    private static IEnumerable<string> DocumentationFiles()
    {
        foreach (string name in new[] { "README.md", "CONTRIBUTING.md" })
            yield return Path.Combine(Root, name);
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return file;
    }

    /// <summary>The lines of <paramref name="file"/> outside fenced code blocks.</summary>
    private static IEnumerable<(int Number, string Text)> ProseLines(string file)
    {
        bool fenced = false;
        int number = 0;
        foreach (string line in File.ReadLines(file))
        {
            number++;
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }
            if (!fenced)
                yield return (number, line);
        }
    }

    /// <summary>The relative links of <paramref name="file"/>: (line, target).</summary>
    private static IEnumerable<(int Line, string Target)> RelativeLinks(string file)
    {
        foreach (var (number, text) in ProseLines(file))
        {
            // A link's text may be inline code ([`[RoutePrefix]`](...)); inline code elsewhere is not a link.
            string prose = InlineCode.Replace(text, "code");
            foreach (Match match in Link.Matches(prose))
            {
                string target = match.Groups[1].Value;
                if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                    || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
                    continue;
                yield return (number, target);
            }
        }
    }

    /// <summary>The anchors a page offers: its headings' slugs (with GitHub's -1, -2 for repeats) and its HTML anchors.</summary>
    private static HashSet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, text) in ProseLines(file))
        {
            foreach (Match anchor in HtmlAnchor.Matches(text))
                anchors.Add(anchor.Groups[1].Value);
            var heading = Heading.Match(text);
            if (!heading.Success)
                continue;
            string slug = Slug(heading.Groups[1].Value);
            if (seen.TryGetValue(slug, out int count))
            {
                seen[slug] = count + 1;
                anchors.Add($"{slug}-{count}");
            }
            else
            {
                seen[slug] = 1;
                anchors.Add(slug);
            }
        }
        return anchors;
    }

    /// <summary>
    /// GitHub's anchor for a heading: lower case, punctuation dropped except '-' and '_', each space a '-'. Link
    /// syntax in the heading counts by its text.
    /// </summary>
    internal static string Slug(string heading)
    {
        string text = Regex.Replace(heading, @"\[([^\]]*)\]\([^)]*\)", "$1");
        var slug = new StringBuilder();
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
                slug.Append(c);
            else if (c == ' ')
                slug.Append('-');
        }
        return slug.ToString();
    }

    [Theory]
    [InlineData("Routing", "routing")]
    [InlineData("Testing handlers in-process", "testing-handlers-in-process")]
    [InlineData("The server's C library: glibc 2.36 or later", "the-servers-c-library-glibc-236-or-later")]
    [InlineData("7. Chunked bodies arrive empty under Apache CGI", "7-chunked-bodies-arrive-empty-under-apache-cgi")]
    [InlineData("The headline request (`GET /greet/5`) across languages", "the-headline-request-get-greet5-across-languages")]
    [InlineData("snake_case and [a link](x.md)", "snake_case-and-a-link")]
    public void A_heading_gets_GitHubs_slug(string heading, string slug) => Assert.Equal(slug, Slug(heading));

    [Fact]
    public void Every_relative_link_in_the_documentation_leads_to_a_file_and_a_heading()
    {
        var broken = new List<string>();
        var anchors = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        int checkedLinks = 0;
        foreach (string file in DocumentationFiles())
        {
            string where = Path.GetRelativePath(Root, file);
            Assert.True(File.Exists(file), $"{where} is missing");
            foreach (var (line, target) in RelativeLinks(file))
            {
                checkedLinks++;
                int hash = target.IndexOf('#');
                string path = hash < 0 ? target : target[..hash];
                string? anchor = hash < 0 ? null : target[(hash + 1)..];
                string resolved = path.Length == 0 ? file
                    : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(path)));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{where}:{line}: ({target}): no file {Path.GetRelativePath(Root, resolved)}");
                    continue;
                }
                if (anchor is null)
                    continue;
                if (!File.Exists(resolved) || !resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                {
                    broken.Add($"{where}:{line}: ({target}): an anchor into something that is not a markdown file");
                    continue;
                }
                if (!anchors.TryGetValue(resolved, out var offered))
                    anchors[resolved] = offered = Anchors(resolved);
                if (!offered.Contains(anchor))
                    broken.Add($"{where}:{line}: ({target}): {Path.GetRelativePath(Root, resolved)} has no heading '#{anchor}'");
            }
        }
        // The documentation links to itself many times over: finding none would mean the links were not read.
        Assert.True(checkedLinks > 50, $"only {checkedLinks} relative links found");
        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_README_stays_the_front_door()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, "README.md"));
        Assert.True(lines.Length <= 200, $"README.md has {lines.Length} lines; the guide (docs/guide/) takes the rest");
        string text = string.Join("\n", lines);
        Assert.Contains("./serve.sh", text);
        Assert.Contains("./test.sh", text);
    }
}
