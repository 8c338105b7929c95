// On the old harness (GeneratorHarness): these tests drive one GeneratorDriver twice with
// trackIncrementalGeneratorSteps and read the named steps' run reasons and output values, which the test library
// does not expose (it runs the generator once per compilation and compares only diagnostics and sources).
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The generator runs twice, with an edit in between; the named steps must be Cached or Unchanged when the edit
/// cannot change the route table, and the models must hold no symbols, compilations or syntax nodes.
/// </summary>
public class IncrementalTests
{
    private const string Handlers = """
        public static class Users
        {
            [Get("/users/<id>")] public static string ById(int id) => "user " + id;
            [Post("/users")] public static string Create([Body] string body) => body;
        }
        """;

    private const string Other = """
        public static class Helpers
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    private static (GeneratorDriverRunResult First, GeneratorDriverRunResult Second) RunTwice(Func<string, string> editHandlers, Func<string, string> editOther)
    {
        var compilation = Compile(Handlers, Other);
        var driver = Driver().RunGenerators(compilation);
        var first = driver.GetRunResult();
        var edited = compilation
            .ReplaceSyntaxTree(compilation.SyntaxTrees.ElementAt(0), CSharpSyntaxTree.ParseText(Usings + editHandlers(Handlers), GeneratorHarness.ParseOptions, path: "File0.cs"))
            .ReplaceSyntaxTree(compilation.SyntaxTrees.ElementAt(1), CSharpSyntaxTree.ParseText(Usings + editOther(Other), GeneratorHarness.ParseOptions, path: "File1.cs"));
        var second = driver.RunGenerators(edited).GetRunResult();
        return (first, second);
    }

    /// <summary>The reasons of a step's outputs; never empty, or the Assert.All below would pass on nothing.</summary>
    private static List<IncrementalStepRunReason> Reasons(GeneratorDriverRunResult run, string step)
    {
        var reasons = run.Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.NotEmpty(reasons);
        return reasons;
    }

    [Theory]
    [InlineData("handler body")]
    [InlineData("comment")]
    [InlineData("other file")]
    public void Unrelated_edits_leave_the_table_and_the_output_cached(string edit)
    {
        var (first, second) = RunTwice(
            h => edit switch
            {
                "handler body" => h.Replace("\"user \" + id", "\"member \" + id"),
                "comment" => "// a comment\n" + h,
                _ => h,
            },
            o => edit == "other file" ? o.Replace("x * 2", "x + x") : o);

        Assert.All(Reasons(second, TrackingNames.HandlerSpecs), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(second, TrackingNames.RouteTable), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(second, TrackingNames.Links), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        var outputs = second.Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs,
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        // The dispatcher, the typed links and the OpenAPI document, unchanged.
        Assert.Equal(3, second.GeneratedTrees.Length);
        Assert.Equal(first.GeneratedTrees.Select(t => t.ToString()), second.GeneratedTrees.Select(t => t.ToString()));
    }

    [Fact]
    public void A_doc_comment_edit_changes_the_document_and_leaves_the_table_and_the_dispatcher_cached()
    {
        var (first, second) = RunTwice(h => h.Replace("    [Get(\"/users/<id>\")]", "    /// <summary>One user.</summary>\n    [Get(\"/users/<id>\")]"), o => o);
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.HandlerDescriptions));
        Assert.All(Reasons(second, TrackingNames.HandlerSpecs), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(second, TrackingNames.RouteTable), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        string Tree(GeneratorDriverRunResult run, string hintName) =>
            run.GeneratedTrees.Single(t => t.FilePath.EndsWith(hintName, StringComparison.Ordinal)).ToString();
        Assert.Equal(Tree(first, CgiRoutingGenerator.HintName), Tree(second, CgiRoutingGenerator.HintName));
        Assert.DoesNotContain("One user.", Tree(first, OpenApi.OpenApiEmitter.HintName));
        Assert.Contains("One user.", Tree(second, OpenApi.OpenApiEmitter.HintName));
    }

    [Fact]
    public void A_route_edit_changes_the_table()
    {
        var (_, second) = RunTwice(h => h.Replace("/users/<id>", "/members/<id>"), o => o);
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.RouteTable));
        Assert.Contains("/members/", second.GeneratedTrees.Single(t => t.FilePath.EndsWith(CgiRoutingGenerator.HintName, StringComparison.Ordinal)).ToString());
        Assert.Contains("/members/{id}", second.GeneratedTrees.Single(t => t.FilePath.EndsWith(OpenApi.OpenApiEmitter.HintName, StringComparison.Ordinal)).ToString());
    }

    [Fact]
    public void A_prefix_edit_changes_the_table()
    {
        var (_, second) = RunTwice(h => "[RoutePrefix(\"/api\")]\n" + h, o => o);
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.RouteTable));
        Assert.Contains("GET\t/api/users/<id>\tUsers.ById", second.GeneratedTrees.Single(t => t.FilePath.EndsWith(CgiRoutingGenerator.HintName, StringComparison.Ordinal)).ToString());
    }

    [Fact]
    public void An_unrelated_edit_leaves_a_prefix_check_and_the_table_cached()
    {
        var compilation = Compile("[RoutePrefix(\"/api\")]\n" + Handlers, Other);
        var driver = Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.ElementAt(1),
            CSharpSyntaxTree.ParseText(Usings + Other.Replace("x * 2", "x + x"), GeneratorHarness.ParseOptions, path: "File1.cs"));
        var second = driver.RunGenerators(edited).GetRunResult();
        Assert.All(Reasons(second, TrackingNames.RoutePrefixes), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(second, TrackingNames.RouteTable), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void The_class_filter_check_stays_cached_after_an_unrelated_edit_and_a_filter_edit_reaches_the_table()
    {
        const string Filters = "public static class F { public static Response? Check(CgiRequest request) => null; public static Response? Other(CgiRequest request) => null; }\n";
        var compilation = Compile("[Filter(typeof(F), nameof(F.Check))]\n" + Handlers, Filters + Other);
        var driver = Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.ElementAt(1),
            CSharpSyntaxTree.ParseText(Usings + Filters + Other.Replace("x * 2", "x + x"), GeneratorHarness.ParseOptions, path: "File1.cs"));
        var second = driver.RunGenerators(edited).GetRunResult();
        Assert.NotEmpty(Reasons(second, TrackingNames.ClassFilters));
        Assert.All(Reasons(second, TrackingNames.ClassFilters), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(second, TrackingNames.RouteTable), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));

        var renamed = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.ElementAt(0),
            CSharpSyntaxTree.ParseText(Usings + "[Filter(typeof(F), nameof(F.Other))]\n" + Handlers, GeneratorHarness.ParseOptions, path: "File0.cs"));
        Assert.Contains("global::F.Check(request)", driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith(CgiRoutingGenerator.HintName, StringComparison.Ordinal)).ToString());
        Assert.Contains("global::F.Other(request)", driver.RunGenerators(renamed).GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith(CgiRoutingGenerator.HintName, StringComparison.Ordinal)).ToString());
    }

    [Fact]
    public void A_prefix_edit_in_another_part_of_a_partial_class_reaches_the_table()
    {
        var compilation = Compile(Handlers.Replace("static class", "static partial class"), "[RoutePrefix(\"/api\")] public static partial class Users { }");
        var driver = Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.ElementAt(1),
            CSharpSyntaxTree.ParseText(Usings + "[RoutePrefix(\"/v2\")] public static partial class Users { }", GeneratorHarness.ParseOptions, path: "File1.cs"));
        Assert.Contains("GET\t/api/users/<id>", driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith(CgiRoutingGenerator.HintName, StringComparison.Ordinal)).ToString());
        Assert.Contains("GET\t/v2/users/<id>", driver.RunGenerators(edited).GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith(CgiRoutingGenerator.HintName, StringComparison.Ordinal)).ToString());
    }

    private static string Links(GeneratorDriverRunResult run) =>
        run.GeneratedTrees.Single(t => t.FilePath.EndsWith(LinksEmitter.HintName, StringComparison.Ordinal)).ToString();

    /// <summary>
    /// A return type is in the route table (the dispatcher changes) but in no link: the links' model is Unchanged, so
    /// their file is not written again.
    /// </summary>
    [Fact]
    public void An_edit_that_changes_the_table_but_no_link_leaves_the_links_unchanged()
    {
        var (_, second) = RunTwice(h => h.Replace("public static string ById(int id) => \"user \" + id;", "public static byte[] ById(int id) => [];"), o => o);
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.RouteTable));
        Assert.All(Reasons(second, TrackingNames.Links), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        var linksOutput = second.Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Where(o => HintNames(o.Value).Contains(LinksEmitter.HintName)).ToList();
        Assert.Equal(IncrementalStepRunReason.Cached, Assert.Single(linksOutput).Reason);
    }

    /// <summary>The files an output step added: its value is (IEnumerable&lt;GeneratedSourceText&gt;, diagnostics), a type Roslyn keeps internal.</summary>
    private static IEnumerable<string> HintNames(object value) =>
        ((IEnumerable)value.GetType().GetField("Item1")!.GetValue(value)!).Cast<object>()
            .Select(s => (string)s.GetType().GetProperty("HintName", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.GetValue(s)!);

    [Theory]
    [InlineData("/users/<id>", "/members/<id>", "public static string ById(int id) => \"~/members/\"")]
    [InlineData("int id", "long id", "public static string ById(long id) => \"~/users/\"")]
    [InlineData("ById(int id)", "ById(int id, int? page = null)", "public static string ById(int id, int? page = null)")]
    public void A_route_or_parameter_edit_changes_the_links(string before, string after, string expected)
    {
        var (first, second) = RunTwice(h => h.Replace(before, after), o => o);
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.Links));
        Assert.DoesNotContain(expected, Links(first));
        Assert.Contains(expected, Links(second));
    }

    [Fact]
    public void Models_hold_no_symbols_compilations_semantic_models_or_syntax_nodes()
    {
        var (first, _) = RunTwice(h => h, o => o);
        foreach (var step in new[] { TrackingNames.Handlers, TrackingNames.HandlerSpecs, TrackingNames.RouteTable, TrackingNames.Links, TrackingNames.App })
        {
            var outputs = first.Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            foreach (var output in outputs)
                AssertClean(output.Value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
    }

    private static void AssertClean(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
            return;
        Assert.False(value is ISymbol or Compilation or SemanticModel or SyntaxNode, $"{path} holds a {value.GetType().Name}");
        if (value is SyntaxTree)
            return; // diagnostics keep (tree, span) to locate themselves; the tree is not a node, symbol or compilation
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (var item in items)
                AssertClean(item, $"{path}[{i++}]", seen);
            return;
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertClean(field.GetValue(value), path + "." + field.Name, seen);
    }
}
