// On the old harness (through DispatcherLoader): it emits the compilation, loads it and calls the dispatcher.
using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using static CgiRouting.Generators.Tests.GeneratorHarness;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// A route table large enough for the dispatcher to spread literals over hash buckets and split the route
/// switch, compiled, loaded and called: the split must not change what matches.
/// </summary>
public class LargeTableTests
{
    private const int Routes = 600;

    private static Func<CgiRequest, ValueTask<Response>> CompileDispatcher(out string source)
    {
        var code = new StringBuilder("public static class Many\n{\n");
        for (int i = 0; i < Routes; i++)
            code.Append($"    [Get(\"/r{i}/<id>\")] public static string R{i}(int id) => \"r{i} \" + id;\n");
        code.Append("    [Get(\"/<name>/<id>\")] public static string Any(string name, string id) => \"any \" + name + \" \" + id;\n");
        code.Append("    [Get(\"/r7/x/y\")] public static string Deep() => \"deep\";\n");
        code.Append("}\n");
        return DispatcherLoader.Load(code.ToString(), out source);
    }

    [Fact]
    public async Task Buckets_and_split_switches_route_like_the_plain_ones()
    {
        var dispatch = CompileDispatcher(out string source);
        Assert.Contains("SegmentHash.Bucket(segment0,", source);
        // A large table's literals are UTF-8 data, not string objects the dynamic linker relocates at every start.
        Assert.Contains("LiteralSegment.Equals(segment0, \"r3\"u8)", source);
        Assert.DoesNotContain("case \"r3\":", source);
        // So are the literals that are no bucket's: after a parameter, or one of few at a place (issue 23: each string
        // literal is relocated at start, and a table of /r<i>/<id>/x<i> has one per route).
        Assert.Contains("LiteralSegment.Equals(segment1, \"x\"u8)", source);
        Assert.Contains("LiteralSegment.Equals(segment2, \"y\"u8)", source);
        Assert.DoesNotContain("case \"x\":", source);
        Assert.Contains("case 2: return Invoke2(route, request, path, segments, in values);", source);

        for (int i = 0; i < Routes; i += 7)
            Assert.Equal($"r{i} 5", (await dispatch(CgiRequest.Create("GET", $"/r{i}/5"))).BodyText);
        Assert.Equal($"r{Routes - 1} 42", (await dispatch(CgiRequest.Create("GET", $"/r{Routes - 1}/42"))).BodyText);
        // The literal wins, and when it fails further right the string parameter is tried: across a bucket method.
        Assert.Equal("any r3 abc", (await dispatch(CgiRequest.Create("GET", "/r3/abc"))).BodyText);
        Assert.Equal("any zzz 1", (await dispatch(CgiRequest.Create("GET", "/zzz/1"))).BodyText);
        Assert.Equal("deep", (await dispatch(CgiRequest.Create("GET", "/r7/x/y"))).BodyText);
        Assert.Equal(404, (await dispatch(CgiRequest.Create("GET", "/r7/x/z"))).StatusCode);
        // A literal compared as UTF-8 outside a bucket (segment 1, "x") that matches but whose subtree fails falls
        // through to the branches after it, as a switch's case would: here to the string parameter at the root.
        Assert.Equal("any r7 x", (await dispatch(CgiRequest.Create("GET", "/r7/x"))).BodyText);
        Assert.Equal(405, (await dispatch(CgiRequest.Create("POST", "/r9/1"))).StatusCode);
    }
}
