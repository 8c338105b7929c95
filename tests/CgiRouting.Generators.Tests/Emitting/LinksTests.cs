// On the old harness (DispatcherLoader): these tests compile the app with the generated links and dispatcher, load it,
// call the links and serve what they return, which the test library cannot do.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Generators.Tests;

/// <summary>
/// The typed links (<c>CgiRouting.Generated.Links</c>, Emitting/LinksEmitter.cs), compiled and called: each link,
/// served as a web server would serve it (its path percent-decoded into PATH_INFO, its query as it is), reaches its
/// route's handler with the values it was given, whatever they hold and whatever the current culture.
/// </summary>
public class LinksTests
{
    private const string App = """
        namespace Shop
        {
            public enum Size { Small, Large }

            [RoutePrefix("/shop")]
            public static class Items
            {
                [Get("/items/<id>")] public static string ById(int id) => "item " + id;
                [Get("/items/<id>/sizes/<size>")] public static string Sized(long id, Size size) => id + " " + size;
                [Get("/by-name/<name>")] public static string ByName(string name) => name;
                [Get("/files/<path...>")] public static string File(string path) => path;
                [Get("/at/<day>/<time>/<when>/<offset>/<span>/<guid>/<price>/<ratio>/<flag>")]
                public static string At(DateOnly day, TimeOnly time, DateTime when, DateTimeOffset offset, TimeSpan span, Guid guid, decimal price, double ratio, bool flag) =>
                    FormattableString.Invariant($"{day:yyyy-MM-dd}|{time:HH:mm:ss.fffffff}|{when:O}|{offset:O}|{span:c}|{guid}|{price}|{ratio:R}|{flag}");
                [Get("/search")]
                public static string Search(string q, int page = 1, bool? open = null, Size? size = null, string[]? tag = null, DateOnly? from = null, [Query("sort by")] string? sort = null) =>
                    FormattableString.Invariant($"{q}|{page}|{open}|{size}|{string.Join(",", tag ?? [])}|{from:yyyy-MM-dd}|{sort}");
                [Get("/two")] [Post("/one")] [Route("PURGE", "/three")] public static string Many() => "many";
                [Get("/keywords")] public static string Keywords(string? @event = null, int link = 0) => @event + " " + link;
            }
        }

        namespace Admin
        {
            public static class Items
            {
                [Get("/admin/items/<id>")] public static string ById(int id) => "admin " + id;
            }

            public static class Links
            {
                [Get("/admin")] public static string Index() => "admin";
            }
        }
        """;

    private static readonly Lazy<Assembly> Loaded = new(() => DispatcherLoader.LoadAssembly(App, out _));

    /// <summary>
    /// The link <c>Links.{type}.{method}(arguments)</c>, called under a culture that writes numbers and dates its own
    /// way (the links must not); optional arguments not given are null.
    /// </summary>
    private static string Link(string type, string method, params object?[] arguments)
    {
        var links = Loaded.Value.GetType("CgiRouting.Generated.Links+" + type) ?? throw new InvalidOperationException($"No Links.{type}");
        var link = links.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == method);
        var all = arguments.Concat(Enumerable.Repeat<object?>(null, link.GetParameters().Length - arguments.Length)).ToArray();
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA"); // another digit grouping, decimal sign and calendar
            return (string)link.Invoke(null, all)!;
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    /// <summary>
    /// Serves <paramref name="link"/> as a web server does: its path percent-decoded into PATH_INFO (a well-formed URL
    /// path first: nothing in it that a URL may not hold, RFC 3986 §3.3 and §3.4), its query string as it came.
    /// </summary>
    private static string Serve(string link, string method = "GET")
    {
        Assert.StartsWith("~/", link);
        Assert.Matches("^~(/([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-F]{2})*)+(\\?([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-F]{2})*)?$", link);
        int q = link.IndexOf('?');
        var environment = new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = method,
            ["SCRIPT_NAME"] = "",
            ["PATH_INFO"] = Uri.UnescapeDataString(q < 0 ? link[1..] : link[1..q]),
            ["QUERY_STRING"] = q < 0 ? "" : link[(q + 1)..],
        };
        var dispatch = Loaded.Value.GetType("CgiRouting.Generated.CgiDispatcher")!.GetMethod("DispatchAsync")!
            .CreateDelegate<Func<CgiRequest, ValueTask<Response>>>();
        var response = dispatch(new CgiRequest(environment)).AsTask().GetAwaiter().GetResult();
        Assert.True(response.StatusCode == 200, $"{method} {link}: {response.StatusCode} {response.BodyText}");
        return response.BodyText;
    }

    [Fact]
    public void A_link_is_its_template_under_the_prefix_with_its_values()
    {
        Assert.Equal("~/shop/items/5", Link("Shop_Items", "ById", 5));
        Assert.Equal("item -5", Serve(Link("Shop_Items", "ById", -5)));
        Assert.Equal("~/shop/items/9000000000/sizes/Large", Link("Shop_Items", "Sized", 9_000_000_000L, Enum.Parse(Loaded.Value.GetType("Shop.Size")!, "Large")));
        Assert.Equal("9000000000 Large", Serve(Link("Shop_Items", "Sized", 9_000_000_000L, Enum.Parse(Loaded.Value.GetType("Shop.Size")!, "Large"))));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a b?c#d%e&f=g+h;i:j@k")]
    [InlineData("caf\u00e9 \u65e5\u672c \U0001F600")]
    [InlineData("%2F%zz..")]
    public void A_string_segment_is_one_segment_whatever_it_holds(string name)
    {
        string link = Link("Shop_Items", "ByName", name);
        Assert.Equal(3, link.Count(c => c == '/')); // ~/shop/by-name/NAME
        Assert.Equal(name, Serve(link));
    }

    /// <summary>
    /// A '/' in a one-segment value is encoded, so the link names that segment; but web servers decode <c>%2F</c> into
    /// PATH_INFO's '/' or refuse it (docs/guide/routing.md), so such a value cannot reach the handler whole.
    /// </summary>
    [Fact]
    public void A_slash_in_a_string_segment_is_encoded()
        => Assert.Equal("~/shop/by-name/a%2Fb", Link("Shop_Items", "ByName", "a/b"));

    [Theory]
    [InlineData("a/b/c.txt", "~/shop/files/a/b/c.txt")]
    [InlineData("dir with space/\u00fc?#%.txt", "~/shop/files/dir%20with%20space/%C3%BC%3F%23%25.txt")]
    public void A_catch_all_keeps_its_slashes_and_encodes_the_rest(string path, string expected)
    {
        Assert.Equal(expected, Link("Shop_Items", "File", path));
        Assert.Equal(path, Serve(expected));
    }

    [Fact]
    public void Values_of_every_path_type_are_written_as_the_dispatcher_parses_them_in_any_culture()
    {
        var values = new object?[]
        {
            new DateOnly(2024, 2, 29), new TimeOnly(13, 45, 30, 500), new DateTime(2024, 5, 1, 12, 30, 0, DateTimeKind.Utc),
            new DateTimeOffset(2024, 5, 1, 14, 30, 0, TimeSpan.FromHours(2)), new TimeSpan(1, 2, 3, 4, 5), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            1234567.5m, 0.1 + 0.2, true,
        };
        string link = Link("Shop_Items", "At", values);
        Assert.Equal("~/shop/at/2024-02-29/13%3A45%3A30.5/2024-05-01T12%3A30%3A00.0000000Z/2024-05-01T14%3A30%3A00.0000000%2B02%3A00/"
            + "1.02%3A03%3A04.0050000/0f8fad5b-d9cb-469f-a165-70867728950e/1234567.5/0.30000000000000004/true", link);
        Assert.Equal("2024-02-29|13:45:30.5000000|2024-05-01T12:30:00.0000000Z|2024-05-01T14:30:00.0000000+02:00|1.02:03:04.0050000|"
            + "0f8fad5b-d9cb-469f-a165-70867728950e|1234567.5|0.30000000000000004|True", Serve(link));

        values[1] = new TimeOnly(7, 0);  // a whole second: no fraction, no '.'
        values[4] = TimeSpan.FromDays(-1.5);
        link = Link("Shop_Items", "At", values);
        Assert.Contains("/07%3A00%3A00/", link);
        Assert.Contains("/-1.12%3A00%3A00/", link);
        Assert.Contains("|07:00:00.0000000|", Serve(link));
        Assert.Contains("|-1.12:00:00|", Serve(link));
    }

    [Fact]
    public void Optional_query_values_are_sent_only_when_given_and_encoded()
    {
        Assert.Equal("~/shop/search?q=x", Link("Shop_Items", "Search", "x"));
        Assert.Equal("x|1|||||", Serve(Link("Shop_Items", "Search", "x")));

        var large = Enum.Parse(Loaded.Value.GetType("Shop.Size")!, "Large");
        string link = Link("Shop_Items", "Search", "a&b=c+d e%f/\u00fc", 2, false, large, new[] { "one", "t w&o" }, new DateOnly(2025, 1, 2), "name desc");
        Assert.Equal("~/shop/search?q=a%26b%3Dc%2Bd%20e%25f%2F%C3%BC&page=2&open=false&size=Large&tag=one&tag=t%20w%26o&from=2025-01-02&sort%20by=name%20desc", link);
        Assert.Equal("a&b=c+d e%f/\u00fc|2|False|Large|one,t w&o|2025-01-02|name desc", Serve(link));
    }

    [Fact]
    public void A_parameter_named_as_a_keyword_or_as_the_builder_is_kept()
    {
        string link = Link("Shop_Items", "Keywords", "party", 3);
        Assert.Equal("~/shop/keywords?event=party&link=3", link);
        Assert.Equal("party 3", Serve(link));
    }

    /// <summary>A handler's routes are numbered as its OpenAPI operationIds are: by path, then method; others last.</summary>
    [Fact]
    public void A_handler_with_several_routes_has_a_link_for_each_numbered_as_its_operationIds()
    {
        Assert.Equal("~/shop/one", Link("Shop_Items", "Many"));
        Assert.Equal("~/shop/two", Link("Shop_Items", "Many_2"));
        Assert.Equal("~/shop/three", Link("Shop_Items", "Many_3"));
        Assert.Equal("many", Serve(Link("Shop_Items", "Many"), "POST"));
        Assert.Equal("many", Serve(Link("Shop_Items", "Many_2")));
        Assert.Equal("many", Serve(Link("Shop_Items", "Many_3"), "PURGE"));

        var routes = (RouteList)Loaded.Value.GetType("CgiRouting.Generated.CgiDispatcher")!
            .GetMethod("GetRoutes", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, null)!;
        using var document = JsonDocument.Parse(routes.OpenApiDocument!);
        var paths = document.RootElement.GetProperty("paths");
        Assert.Equal("Many", paths.GetProperty("/shop/one").GetProperty("post").GetProperty("operationId").GetString());
        Assert.Equal("Many_2", paths.GetProperty("/shop/two").GetProperty("get").GetProperty("operationId").GetString());
    }

    /// <summary>
    /// Two handler classes named <c>Items</c> (in Shop and Admin) get their links by their full names,
    /// <c>Links.Shop_Items</c> and <c>Links.Admin_Items</c>; a class of its own name keeps it; a class named
    /// <c>Links</c> cannot be nested in <c>Links</c> under its own name (CS0542) and is <c>Links_2</c>.
    /// </summary>
    [Fact]
    public void Handler_classes_that_share_a_name_are_told_apart_by_their_namespaces()
    {
        var classes = Loaded.Value.GetType("CgiRouting.Generated.Links")!.GetNestedTypes().Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["Admin_Items", "Links_2", "Shop_Items"], classes);
        Assert.Equal("admin 7", Serve(Link("Admin_Items", "ById", 7)));
        Assert.Equal("item 7", Serve(Link("Shop_Items", "ById", 7)));
        Assert.Equal("admin", Serve(Link("Links_2", "Index")));
    }

    [Fact]
    public void A_class_whose_name_no_other_handler_class_has_keeps_it()
    {
        var result = GeneratorHarness.Run("namespace A.B { public static class Pages { [Get(\"/\")] public static string Index() => \"\"; } }");
        Assert.Empty(result.CompilerErrors);
        Assert.Contains("        public static class Pages\n", result.LinksSource);
        Assert.Contains("            public static string Index() => \"~/\";\n", result.LinksSource);
    }
}
