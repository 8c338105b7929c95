using System.Collections.Generic;
using CgiRouting.Dispatching;
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
        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => inner.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
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
