public static class Slow
{
    [Get("/slow/<id>")]
    public static async Task<string> Get(int id)
    {
        await Task.Yield();
        return "slow " + id;
    }

    [Post("/fire")] public static async Task Fire([Body] Stream body) => await body.CopyToAsync(Stream.Null);
    [Get("/vt")] public static ValueTask<Response> Vt() => new(Response.Redirect("/"));
    [Delete("/v")] public static ValueTask V() => default;
}
