using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators;

internal sealed partial class DispatcherEmitter
{
    private const string Stopwatch = "global::System.Diagnostics.Stopwatch";

    /// <summary>
    /// The invoker of a handler with <c>[Filter]</c>s: the <c>[Authorize]</c> check, the before-filters in order (a
    /// response they return is the answer), the invoker that binds and calls the handler (<paramref name="handlerInvoker"/>),
    /// then the after-filters, innermost first, on its response: at once when it completed synchronously, after an
    /// await otherwise. Every call is written out: no delegate, no reflection.
    /// </summary>
    private void EmitFiltered(Invoker invoker, string signature, string handlerInvoker)
    {
        var w = _w;
        var handler = invoker.Handler;
        var after = handler.Filters.Where(f => f.Kind != FilterKind.Before).Reverse().ToList();
        bool timed = after.Any(f => f.Kind == FilterKind.AfterTimed);
        string afterName = after.Count > 0 ? _names.Make(invoker.Name + "_After") : "";
        string awaitName = after.Count > 0 ? _names.Make(invoker.Name + "_Await") : "";
        string start = timed ? ", start" : "";

        w.Open($"private static {ValueTaskOfResponse} {invoker.Name}({signature})");
        if (handler.Authorization == Authorization.Required)
            w.Line($"if ({Dispatching}.Authentication.Challenge(request) is {{ }} unauthorized) return new(unauthorized);");
        if (timed)
            w.Line($"long start = {Stopwatch}.GetTimestamp();");
        int number = 0;
        foreach (var filter in handler.Filters.Where(f => f.Kind == FilterKind.Before))
        {
            string answer = "filtered" + (++number).ToString(System.Globalization.CultureInfo.InvariantCulture);
            w.Line($"if ({filter.ContainingType}.{CSharp.Escape(filter.MethodName)}(request) is {{ }} {answer}) return new({answer});");
        }
        string call = $"{handlerInvoker}({string.Join(", ", new[] { "request" }.Concat(invoker.PathParameters.Select(Local)))})";
        if (after.Count == 0)
        {
            w.Line($"return {call};");
            w.Close();
            return;
        }
        w.Line($"var pending = {call};");
        w.Line($"return pending.IsCompletedSuccessfully ? new({afterName}(request, pending.Result{start})) : {awaitName}(pending, request{start});");
        w.Close();

        string startParameter = timed ? ", long start" : "";
        w.Line();
        w.Open($"private static {Runtime}.Response {afterName}({Runtime}.CgiRequest request, {Runtime}.Response response{startParameter})");
        foreach (var filter in after)
        {
            string elapsed = filter.Kind == FilterKind.AfterTimed ? $", {Stopwatch}.GetElapsedTime(start)" : "";
            w.Line($"response = {Dispatching}.HandlerResults.From({filter.ContainingType}.{CSharp.Escape(filter.MethodName)}(request, response{elapsed}));");
        }
        w.Line("return response;");
        w.Close();
        w.Line();
        w.Line($"private static async {ValueTaskOfResponse} {awaitName}({ValueTaskOfResponse} pending, {Runtime}.CgiRequest request{startParameter})");
        w.Line($"    => {afterName}(request, await pending.ConfigureAwait(false){start});");
    }
}
