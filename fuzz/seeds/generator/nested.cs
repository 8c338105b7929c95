namespace Shop.Api
{
    internal static partial class Outer
    {
        public static class Products
        {
            [Get("/products/<id>")] internal static string ById(int id) => "";
            [Get("/products/new")] public static string New() => "";
            [Get("/products/<slug>")] public static string BySlug(string slug) => "";
        }
    }
}
namespace Shop.Api.B
{
    public static class Products
    {
        [Post("/products")] public static Task<Response> Create([Body] string body, CgiRequest request) => Task.FromResult(Response.Empty(201));
    }
}
