using System.Collections.Generic;
using System.ComponentModel;

namespace CgiRouting.Dispatching;

/// <summary>What the generated dispatcher answers when no route of the request's method matches the path.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RouteFallback
{
    /// <summary>
    /// <paramref name="allowed"/> lists the methods whose routes match the path. None: 404. Otherwise
    /// <c>OPTIONS</c> gets 204 and any other method 405, both with <c>Allow</c>.
    /// </summary>
    public static Response Respond(string method, List<string> allowed)
    {
        if (allowed.Count == 0)
            return Response.Error(404, "Not Found");
        if (!allowed.Contains("OPTIONS"))
            allowed.Add("OPTIONS");
        string allow = string.Join(", ", allowed);
        return method == "OPTIONS"
            ? Response.Empty(204).WithHeader("Allow", allow)
            : Response.Error(405, "Method Not Allowed").WithHeader("Allow", allow);
    }
}
