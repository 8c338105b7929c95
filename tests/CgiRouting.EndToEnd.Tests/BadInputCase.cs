using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace CgiRouting.EndToEnd.Tests;

/// <summary>One request of BadInput/corpus.json; see the "about" text there.</summary>
public sealed class BadInputCase
{
    public required string Name { get; init; }
    public required string Method { get; init; }
    public required byte[] Target { get; init; }
    public required int[] Expect { get; init; }
    public int[]? Server { get; init; }
    public bool ThroughServer { get; init; } = true;
    public bool AsChild { get; init; } = true;
    public required List<(string Name, byte[] Value)> Headers { get; init; }
    public byte[]? Body { get; init; }
    public string? ContentLength { get; init; }

    public override string ToString() => Name;

    public static IReadOnlyList<BadInputCase> Load([CallerFilePath] string here = "")
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "BadInput", "corpus.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(Parse).ToList();
    }

    private static BadInputCase Parse(JsonElement c)
    {
        string? repeat = c.TryGetProperty("repeat", out var r)
            ? string.Concat(Enumerable.Repeat(r.GetProperty("text").GetString(), r.GetProperty("count").GetInt32()))
            : null;
        byte[] Bytes(string text) => Decode(repeat is null ? text : text.Replace("@", repeat));
        bool throughServer = !(c.TryGetProperty("server", out var s) && s.ValueKind == JsonValueKind.False);
        return new BadInputCase
        {
            Name = c.GetProperty("name").GetString()!,
            Method = c.GetProperty("method").GetString()!,
            Target = Bytes(c.GetProperty("target").GetString()!),
            Expect = c.GetProperty("expect").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Server = throughServer && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().Select(e => e.GetInt32()).ToArray() : null,
            ThroughServer = throughServer,
            AsChild = !(c.TryGetProperty("child", out var child) && child.ValueKind == JsonValueKind.False),
            Headers = c.TryGetProperty("headers", out var h)
                ? h.EnumerateObject().Select(p => (p.Name, Bytes(p.Value.GetString()!))).ToList()
                : [],
            Body = c.TryGetProperty("body", out var b) ? Bytes(b.GetString()!) : null,
            ContentLength = c.TryGetProperty("contentLength", out var l) ? l.GetString() : null,
        };
    }

    /// <summary>UTF-8, except that \xNN is the raw byte NN.</summary>
    private static byte[] Decode(string text)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }
        return bytes.ToArray();
    }

    /// <summary>The body's length as announced: contentLength, or the body's real length.</summary>
    public string? AnnouncedLength => ContentLength ?? Body?.Length.ToString();

    /// <summary>What a server would put in PATH_INFO (the path, percent-decoded) and QUERY_STRING (raw).</summary>
    public (byte[] PathInfo, byte[] QueryString) AsCgi()
    {
        int q = Array.IndexOf(Target, (byte)'?');
        var path = q < 0 ? Target : Target[..q];
        var query = q < 0 ? [] : Target[(q + 1)..];
        var decoded = new List<byte>();
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && Uri.IsHexDigit((char)path[i + 1]) && Uri.IsHexDigit((char)path[i + 2]))
            {
                decoded.Add(Convert.ToByte(Encoding.ASCII.GetString(path, i + 1, 2), 16));
                i += 2;
            }
            else
            {
                decoded.Add(path[i]);
            }
        }
        return (decoded.ToArray(), query);
    }
}
