using System.Collections.Generic;
using System.Linq;
using CgiRouting.Dispatching;
using CsCheck;
using Xunit;

namespace CgiRouting.Tests;

public class RequestTests
{
    [Fact]
    public void Headers_come_from_http_variables_and_content_variables()
    {
        var request = new CgiRequest(new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = "POST",
            ["HTTP_X_FORWARDED_FOR"] = "10.0.0.1",
            ["HTTP_USER_AGENT"] = "curl",
            ["CONTENT_TYPE"] = "application/json",
            ["CONTENT_LENGTH"] = "12",
            ["HTTP_CONTENT_LENGTH"] = "999",
            ["REMOTE_ADDR"] = "::1",
            ["PROXY"] = "not a header",
            ["HTTPS"] = "ON",
            ["SCRIPT_NAME"] = "/cgi-bin/app",
        });
        Assert.True(request.IsHttps);
        Assert.Equal("/cgi-bin/app", request.ScriptName);
        Assert.Equal("10.0.0.1", request.GetHeader("x-forwarded-for"));
        Assert.Equal("curl", request.Headers["User-Agent"]);
        Assert.Equal("application/json", request.GetHeader("Content-Type"));
        Assert.Equal("12", request.GetHeader("content-length"));
        Assert.Equal(12, request.ContentLength);
        Assert.Equal("::1", request.RemoteAddress);
        Assert.Null(request.GetHeader("Proxy"));
        Assert.Equal(4, request.Headers.Count);
    }

    [Fact]
    public void Content_length_is_read_once_when_the_request_is_made()
    {
        var environment = new CountingEnvironment(new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = "PUT",
            ["CONTENT_LENGTH"] = "5",
        });
        var request = new CgiRequest(environment, new System.IO.MemoryStream("hello"u8.ToArray()));
        Assert.Equal(5, request.ContentLength);
        Assert.Equal(5, request.ContentLength);
        Assert.Equal("hello", request.ReadBodyText());
        Assert.Equal(5, request.Body.Length);
        Assert.Equal(1, environment.Lookups("CONTENT_LENGTH"));
    }

    /// <summary>Meta-variables that count how often each is looked up.</summary>
    private sealed class CountingEnvironment(Dictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        private readonly Dictionary<string, int> _lookups = [];

        public int Lookups(string name) => _lookups.GetValueOrDefault(name);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
        {
            _lookups[key] = Lookups(key) + 1;
            return inner.TryGetValue(key, out value);
        }

        public string this[string key] => TryGetValue(key, out string? value) ? value : throw new KeyNotFoundException(key);
        public bool ContainsKey(string key) => TryGetValue(key, out _);
        public IEnumerable<string> Keys => inner.Keys;
        public IEnumerable<string> Values => inner.Values;
        public int Count => inner.Count;
        public int Enumerations { get; private set; }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            Enumerations++;
            return inner.GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void One_header_is_read_from_its_variable_without_copying_the_environment()
    {
        var environment = new CountingEnvironment(new Dictionary<string, string>
        {
            ["HTTP_ACCEPT"] = "application/json", ["HTTP_X_FORWARDED_FOR"] = "10.0.0.1", ["CONTENT_TYPE"] = "text/plain",
        });
        var request = new CgiRequest(environment);
        Assert.Equal("application/json", request.GetHeader("accept"));
        Assert.Equal("10.0.0.1", request.GetHeader("X-Forwarded-For"));
        Assert.Equal("text/plain", request.GetHeader("content-type"));
        Assert.Equal(0, environment.Enumerations); // an error answer asks for Accept: 44,000 instructions less
        Assert.Null(request.GetHeader("X-Absent")); // a header not found this way is looked for in Headers
        Assert.Equal(1, environment.Enumerations);
    }

    [Fact]
    public void A_header_read_from_its_variable_is_what_headers_gives()
    {
        // Any environment, any name: GetHeader on a fresh request is the Headers entry, whichever way it was found.
        var variable = Gen.OneOf(Gen.Const("HTTP_ACCEPT"), Gen.Const("HTTP_Accept"), Gen.Const("HTTP_X_A"),
            Gen.Const("HTTP_X__A"), Gen.Const("HTTP_"), Gen.Const("HTTP_CONTENT_TYPE"), Gen.Const("CONTENT_TYPE"),
            Gen.Const("CONTENT_LENGTH"), Gen.Const("HTTP_\u00c9"), Gen.Const("ACCEPT"));
        var value = Gen.OneOf(Gen.Const(""), Gen.Const("v"), Gen.Const("w"));
        var name = Gen.OneOf(Gen.Const("Accept"), Gen.Const("ACCEPT"), Gen.Const("x-a"), Gen.Const("X_A"),
            Gen.Const("x--a"), Gen.Const(""), Gen.Const("Content-Type"), Gen.Const("content-length"),
            Gen.Const("\u00e9"), Gen.Const("\u00c9"));
        Gen.Select(Gen.Select(variable, value).Array[0, 5], name).Sample((pairs, header) =>
        {
            var environment = new Dictionary<string, string>();
            foreach (var (n, v) in pairs)
                environment[n] = v;
            // Two variables that differ only in case make one header, whichever the enumeration gives last: a server
            // never sends both, so the property leaves them out.
            if (environment.Keys.Count(k => k.StartsWith("HTTP_", System.StringComparison.Ordinal)) !=
                environment.Keys.Where(k => k.StartsWith("HTTP_", System.StringComparison.Ordinal)).Select(k => k.ToUpperInvariant()).Distinct().Count())
                return;
            string? expected = new CgiRequest(environment).Headers.TryGetValue(header, out string? found) ? found : null;
            Assert.Equal(expected, new CgiRequest(environment).GetHeader(header));
        }, iter: 2_000);
    }

    [Fact]
    public void Create_sets_what_a_web_server_sets()
    {
        var request = CgiRequest.Create("POST", "/users/7?full=true", "hi", [new("X-User", "ann"), new("Content-Type", "text/plain")]);
        Assert.Equal("CGI/1.1", request.Get("GATEWAY_INTERFACE"));
        Assert.Equal("HTTP/1.1", request.Get("SERVER_PROTOCOL"));
        Assert.Equal("POST", request.Get("REQUEST_METHOD"));
        Assert.Equal("127.0.0.1", request.RemoteAddress);
        Assert.Equal("", request.Get("SCRIPT_NAME"));
        Assert.Equal("/users/7", request.Get("PATH_INFO"));
        Assert.Equal("full=true", request.Get("QUERY_STRING"));
        Assert.Equal("ann", request.Get("HTTP_X_USER"));
        Assert.Equal("text/plain", request.Get("CONTENT_TYPE"));
        Assert.Null(request.Get("HTTP_CONTENT_TYPE"));
        Assert.Equal("2", request.Get("CONTENT_LENGTH"));
        Assert.Equal(10, request.Environment.Count);
    }

    [Theory]
    [InlineData("/a", "/a", "")]
    [InlineData("/a?", "/a", "")]
    [InlineData("/a?x=1?y", "/a", "x=1?y")]
    [InlineData("?x=1", "", "x=1")]
    [InlineData("", "", "")]
    public void Create_splits_the_target_at_the_first_question_mark(string target, string pathInfo, string query)
    {
        var request = CgiRequest.Create("GET", target);
        Assert.Equal(pathInfo, request.Get("PATH_INFO"));
        Assert.Equal(query, request.Get("QUERY_STRING"));
        Assert.Equal(query, request.QueryString);
    }

    [Fact]
    public void Create_passes_content_length_as_the_server_would_when_given_as_a_header()
    {
        var request = CgiRequest.Create("POST", "/", null, [new("Content-Length", "3")]);
        Assert.Equal("3", request.Get("CONTENT_LENGTH"));
        Assert.Null(request.Get("HTTP_CONTENT_LENGTH"));
        Assert.Equal(3, request.ContentLength);
        Assert.Null(CgiRequest.Create("GET", "/").Get("CONTENT_LENGTH")); // no body, no length
    }

    [Fact]
    public void Header_names_are_spelled_as_on_the_wire()
    {
        var request = new CgiRequest(new Dictionary<string, string>
        {
            ["HTTP_X_FORWARDED_FOR"] = "a",
            ["HTTP_ACCEPT"] = "b",
            ["HTTP_DNT"] = "1",
            ["HTTP_X__Y"] = "c",
        });
        var names = new List<string>(request.Headers.Keys);
        names.Sort(System.StringComparer.Ordinal);
        Assert.Equal(["Accept", "Dnt", "X--Y", "X-Forwarded-For"], names);
    }

    [Fact]
    public void Http_content_variables_and_a_bare_http_prefix_are_not_headers()
    {
        // Some servers pass the client's Content-Type and Content-Length as HTTP_* too; only CONTENT_* count.
        var request = new CgiRequest(new Dictionary<string, string>
        {
            ["HTTP_CONTENT_TYPE"] = "text/evil",
            ["HTTP_CONTENT_LENGTH"] = "999",
            ["HTTP_"] = "nameless",
            ["HTTP_X"] = "x",
        });
        Assert.Null(request.GetHeader("Content-Type"));
        Assert.Null(request.GetHeader("Content-Length"));
        Assert.Equal("x", Assert.Single(request.Headers).Value);
    }

    [Fact]
    public void Query_headers_and_cookies_are_parsed_once()
    {
        var request = CgiRequest.Create("GET", "/?a=1", null, [new("X-A", "1"), new("Cookie", "c=1")]);
        Assert.Same(request.Query, request.Query);
        Assert.Same(request.Headers, request.Headers);
        Assert.Same(request.Cookies, request.Cookies);
    }

    [Theory]
    [InlineData("a=\"\"", "")]
    [InlineData("a=\"", "\"")]
    [InlineData("a=\"x\"", "x")]
    [InlineData("a=\"\"\"", "\"")]
    public void A_cookie_value_loses_one_pair_of_quotes_around_it(string header, string value)
        => Assert.Equal(value, CgiRequest.Create("GET", "/", null, [new("Cookie", header)]).Cookies["a"]);

    // "A request without a body has an empty form", whatever its Content-Type says.
    [Theory]
    [InlineData("multipart/form-data; boundary=b")]
    [InlineData("application/json")]
    public void A_request_with_a_zero_content_length_has_an_empty_form(string contentType)
    {
        var request = new CgiRequest(new Dictionary<string, string>
        {
            ["REQUEST_METHOD"] = "POST",
            ["CONTENT_TYPE"] = contentType,
            ["CONTENT_LENGTH"] = "0",
        }, new System.IO.MemoryStream());
        var form = request.ReadFormData();
        Assert.Empty(form.Fields);
        Assert.Empty(form.Files);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("ON", true)]
    [InlineData("1", true)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Https_is_on_or_1(string? https, bool expected)
    {
        var environment = new Dictionary<string, string>();
        if (https is not null)
            environment["HTTPS"] = https;
        Assert.Equal(expected, new CgiRequest(environment).IsHttps);
    }

    [Fact]
    public void Absent_variables_have_empty_or_null_defaults()
    {
        var request = new CgiRequest(new Dictionary<string, string>());
        Assert.Equal("", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal("", request.QueryString);
        Assert.Equal("", request.ScriptName);
        Assert.Null(request.ContentType);
        Assert.Null(request.RemoteAddress);
        Assert.Empty(request.Headers);
    }

    [Fact]
    public void Empty_content_type_and_remote_address_are_absent()
    {
        var request = new CgiRequest(new Dictionary<string, string> { ["CONTENT_TYPE"] = "", ["REMOTE_ADDR"] = "", ["CONTENT_LENGTH"] = "" });
        Assert.Null(request.ContentType);
        Assert.Null(request.RemoteAddress);
        Assert.Empty(request.Headers);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON; charset=utf-8")]
    [InlineData(" application/json ;x=1")]
    [InlineData("application/problem+json")]
    [InlineData("application/vnd.api+JSON; v=2")]
    public void Json_media_types_are_read(string contentType)
    {
        var request = CgiRequest.Create("POST", "/", "{}", [new("Content-Type", contentType)]);
        Assert.Equal("{}"u8.ToArray(), request.ReadJsonBody());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/jsonx")]
    [InlineData("text/plain; profile=+json")]  // the media type ends at the semicolon
    [InlineData(";+json")]                      // no media type at all
    public void Other_media_types_are_not_json(string contentType)
    {
        var request = CgiRequest.Create("POST", "/", "{}", [new("Content-Type", contentType)]);
        var e = Assert.Throws<CgiRequestException>(() => request.ReadJsonBody());
        Assert.Equal(415, e.StatusCode);
        Assert.Equal("The request body must be JSON (Content-Type: application/json).", e.Message);
    }

    [Theory]
    [InlineData(9, true)]
    [InlineData(10, true)]   // at the limit: drained
    [InlineData(11, false)]  // over it: left unread
    public void An_unread_body_is_drained_up_to_the_limit(int length, bool drained)
    {
        var input = new System.IO.MemoryStream(new byte[20]);
        var request = new CgiRequest(new Dictionary<string, string> { ["CONTENT_LENGTH"] = length.ToString() }, input);
        request.DiscardUnreadBody(10);
        Assert.Equal(drained ? length : 0, input.Position);
    }

    [Fact]
    public void Draining_stops_quietly_at_a_body_that_ends_early()
    {
        var input = new System.IO.MemoryStream(new byte[3]);
        var request = new CgiRequest(new Dictionary<string, string> { ["CONTENT_LENGTH"] = "8" }, input);
        request.DiscardUnreadBody(10);
        Assert.Equal(3, input.Position);
    }

    [Fact]
    public void Path_and_query_defaults()
    {
        var request = new CgiRequest(new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET", ["PATH_INFO"] = "" });
        Assert.Equal("/", request.Path);
        Assert.Equal("", request.QueryString);
        Assert.Empty(request.Query);
        Assert.Equal(0, request.ContentLength);
    }

    [Theory]
    [InlineData("a=1&b=2", "a=1|b=2")]
    [InlineData("a=1&a=2&a=", "a=1|a=2|a=")]
    [InlineData("a&=x&&b=", "a=|=x|b=")]
    [InlineData("q=a+b%20c", "q=a b c")]
    [InlineData("q=%zz%2", "q=%zz%2")]
    [InlineData("q=%", "q=%")]
    [InlineData("k%3Dx=v%26w", "k=x=v&w")]
    [InlineData("q=%C3%A9", "q=é")]
    [InlineData("q=%FF", "q=\uFFFD")]
    [InlineData("a=1;b=2", "a=1;b=2")]
    public void Query_parsing_keeps_order_and_malformed_escapes(string query, string expected)
    {
        var pairs = new List<string>();
        foreach (var (key, value) in QueryCollection.Parse(query))
            pairs.Add(key + "=" + value);
        Assert.Equal(expected, string.Join("|", pairs));
    }

    [Fact]
    public void Form_bodies_parse_like_queries()
    {
        var request = CgiRequest.Create("POST", "/", "name=J%C3%BCrgen+X&n=1", [new("Content-Type", "application/x-www-form-urlencoded")]);
        var form = request.ReadForm();
        Assert.Equal("Jürgen X", form["name"]);
        Assert.Equal("1", form.GetFirst("n"));
    }

    [Theory]
    [InlineData("", new string[0], 0)]
    [InlineData("/", new string[0], 0)]
    [InlineData("/a", new[] { "a" }, 1)]
    [InlineData("/a/b", new[] { "a", "b" }, 2)]
    [InlineData("/a/", new[] { "a", "" }, 2)]
    [InlineData("//", new[] { "", "" }, 2)]
    [InlineData("/a/b/c/d", new[] { "a", "b" }, 4)] // only the first two are stored
    public void Path_segments_split_without_allocating(string path, string[] stored, int count)
    {
        System.Span<System.Range> ranges = stackalloc System.Range[2];
        int n = PathSegments.Split(path, ranges);
        Assert.Equal(count, n);
        for (int i = 0; i < stored.Length; i++)
            Assert.Equal(stored[i], path[ranges[i]]);
    }

    [Theory]
    [InlineData("42", true)]
    [InlineData("-42", true)]
    [InlineData("+42", true)]
    [InlineData(" 42", false)]
    [InlineData("42 ", false)]
    [InlineData("4,2", false)]
    [InlineData("2147483648", false)]
    [InlineData("", false)]
    [InlineData("0x10", false)]
    public void Integers_parse_strictly(string text, bool ok)
    {
        Assert.Equal(ok, ValueParser.TryParse(text, out int _));
    }

    [Fact]
    public void Other_simple_types_parse_invariantly()
    {
        Assert.True(ValueParser.TryParse("1.5e3", out double d) && d == 1500);
        Assert.True(ValueParser.TryParse("12.50", out decimal m) && m == 12.50m);
        Assert.False(ValueParser.TryParse("1,5", out double _));
        Assert.True(ValueParser.TryParse("TRUE", out bool b) && b);
        Assert.False(ValueParser.TryParse("1", out bool _));
        Assert.True(ValueParser.TryParse("2024-02-29", out System.DateOnly day) && day.Day == 29);
        Assert.False(ValueParser.TryParse("02/29/2024", out System.DateOnly _));
        Assert.True(ValueParser.TryParse("2024-02-29T10:00:00+02:00", out System.DateTimeOffset at) && at.Offset.Hours == 2);
        Assert.True(ValueParser.TryParse("01:30:00", out System.TimeSpan span) && span.TotalMinutes == 90);
    }
}
