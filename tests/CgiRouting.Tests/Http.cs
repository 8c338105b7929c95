using System.Collections.Generic;
using System.Threading.Tasks;

namespace CgiRouting.Tests;

/// <summary>Shorthands for dispatching in-process, as docs/guide/testing.md shows users.</summary>
internal static class Http
{
    public static Response Send(string method, string target, string? body = null, params (string Name, string Value)[] headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in headers)
            list.Add(new(name, value));
        return CgiApp.DispatchAsync(CgiRequest.Create(method, target, body, list)).AsTask().GetAwaiter().GetResult();
    }

    public static Response Get(string target) => Send("GET", target);
}
