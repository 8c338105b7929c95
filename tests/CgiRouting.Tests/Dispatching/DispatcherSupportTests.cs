using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using CgiRouting.Dispatching;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>The runtime helpers that the generated dispatcher calls, each on its own contract.</summary>
public class DispatcherSupportTests
{
    private delegate void ReadValue(ref Utf8JsonReader reader);

    /// <summary>The JsonException that <paramref name="read"/> throws; fails the test if it throws none.</summary>
    private static JsonException Refused(ref Utf8JsonReader reader, ReadValue read)
    {
        JsonException? thrown = null;
        try
        {
            read(ref reader);
        }
        catch (JsonException e)
        {
            thrown = e;
        }
        Assert.True(thrown is not null, "the JSON was accepted");
        return thrown;
    }

    private static void ReadAs(string type, ref Utf8JsonReader reader)
    {
        switch (type)
        {
            case "String": JsonBodyReading.String(ref reader); break;
            case "Boolean": JsonBodyReading.Boolean(ref reader); break;
            case "SByte": JsonBodyReading.SByte(ref reader); break;
            case "Byte": JsonBodyReading.Byte(ref reader); break;
            case "Int16": JsonBodyReading.Int16(ref reader); break;
            case "UInt16": JsonBodyReading.UInt16(ref reader); break;
            case "Int32": JsonBodyReading.Int32(ref reader); break;
            case "UInt32": JsonBodyReading.UInt32(ref reader); break;
            case "Int64": JsonBodyReading.Int64(ref reader); break;
            case "UInt64": JsonBodyReading.UInt64(ref reader); break;
            case "Double": JsonBodyReading.Double(ref reader); break;
            case "Single": JsonBodyReading.Single(ref reader); break;
            case "Decimal": JsonBodyReading.Decimal(ref reader); break;
            case "Guid": JsonBodyReading.Guid(ref reader); break;
            case "DateTime": JsonBodyReading.DateTime(ref reader); break;
            case "DateTimeOffset": JsonBodyReading.DateTimeOffset(ref reader); break;
            default: throw new ArgumentException(type);
        }
    }

    [Theory]
    [InlineData("String", "5", "a string")]
    [InlineData("String", "\"\\ud800\"", "a string of valid UTF-8")]
    [InlineData("Boolean", "1", "true or false")]
    [InlineData("SByte", "128", "an integer (SByte)")]
    [InlineData("Byte", "-1", "an integer (Byte)")]
    [InlineData("Int16", "32768", "an integer (Int16)")]
    [InlineData("UInt16", "65536", "an integer (UInt16)")]
    [InlineData("Int32", "1.5", "an integer (Int32)")]
    [InlineData("UInt32", "-1", "an integer (UInt32)")]
    [InlineData("Int64", "9223372036854775808", "an integer (Int64)")]
    [InlineData("UInt64", "-1", "an integer (UInt64)")]
    [InlineData("Double", "\"1\"", "a number")]
    [InlineData("Single", "true", "a number")]
    [InlineData("Decimal", "1e400", "a number")]
    [InlineData("Guid", "\"not-a-guid\"", "a GUID string")]
    [InlineData("DateTime", "\"yesterday\"", "a date and time string (ISO 8601)")]
    [InlineData("DateTimeOffset", "20240101", "a date and time string (ISO 8601)")]
    public void Each_reader_says_what_json_it_needs(string type, string json, string expected)
    {
        var reader = JsonBodyReading.Start(Encoding.UTF8.GetBytes(json));
        var e = Refused(ref reader, (ref Utf8JsonReader r) => ReadAs(type, ref r));
        Assert.Equal($"The JSON body is not valid: '$' must be {expected}.", JsonBodyReading.Reject(e).Message);
        Assert.Equal("The JSON value is not " + expected + ".", e.Message);
    }

    [Fact]
    public void An_invalid_value_exception_names_what_was_expected()
        => Assert.Equal("The JSON value is not an integer (Int32).", JsonBodyReading.Invalid("an integer (Int32)").Message);

    [Fact]
    public void Enter_records_the_path_innermost_first_and_never_catches()
    {
        var e = new JsonException("no position");
        Assert.False(JsonBodyReading.Enter(e, ".b"));
        Assert.False(JsonBodyReading.Enter(e, (string?)null)); // a value with no segment of its own
        Assert.False(JsonBodyReading.Enter(e, 2));
        Assert.False(JsonBodyReading.Enter(e, ".a"));
        var rejected = JsonBodyReading.Reject(e);
        Assert.Equal(400, rejected.StatusCode);
        Assert.Equal("The JSON body is not valid at '$.a[2].b'.", rejected.Message);
    }

    [Fact]
    public void Data_after_the_value_is_malformed()
    {
        var reader = new Utf8JsonReader("1 2"u8, new JsonReaderOptions { AllowMultipleValues = true });
        Assert.True(reader.Read());
        var e = Refused(ref reader, JsonBodyReading.End);
        Assert.Equal("Data follows the JSON value.", e.Message);
        Assert.Equal("The JSON body is malformed at line 1, byte 4 ('$').", JsonBodyReading.Reject(e).Message);
        var single = JsonBodyReading.Start("1 "u8);
        JsonBodyReading.End(ref single); // white space may follow
    }

    [Fact]
    public void A_body_that_ends_inside_a_value_is_malformed()
    {
        var reader = new Utf8JsonReader("[1"u8, isFinalBlock: false, state: default);
        Assert.True(reader.Read());
        var e = Refused(ref reader, JsonBodyReading.Next);
        Assert.Equal("The JSON body ends early.", e.Message);
        Assert.Equal("The JSON body is malformed at line 1, byte 2 ('$').", JsonBodyReading.Reject(e).Message);
    }

    [Fact]
    public void The_builder_writes_no_comma_before_the_first_item()
    {
        var json = new JsonUtf8Builder();
        json.Item();
        json.Number(1L);
        json.Item();
        json.Number(2L);
        Assert.Equal("1,2", Encoding.UTF8.GetString(json.WrittenSpan));
    }

    [Fact]
    public void The_builder_grows_for_a_value_larger_than_twice_its_buffer()
    {
        var json = new JsonUtf8Builder();
        string text = new('\u0001', 1000); // six bytes each when escaped
        json.Item();
        json.String(text);
        Assert.Equal(JsonSerializer.Serialize(text), Encoding.UTF8.GetString(json.WrittenSpan));
        json.Item();
        json.String(new string('a', 10_000));
        Assert.Equal(6000 + 2 + 1 + 10_000 + 2, json.WrittenSpan.Length);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Floats_that_are_not_json_are_refused(float value)
    {
        var e = Assert.Throws<ArgumentException>(() => new JsonUtf8Builder().Number(value));
        Assert.Equal("Floating-point values such as NaN and infinities are not valid JSON; System.Text.Json does not write them by default.", e.Message);
        Assert.Throws<ArgumentException>(() => new JsonUtf8Builder().Number((double)value));
    }

    [Theory]
    [InlineData("a/b", new[] { "a", "b" })]
    [InlineData("a", new[] { "a" })]
    [InlineData("/a", new[] { "a" })]
    public void A_path_without_a_leading_slash_splits_from_its_first_character(string path, string[] segments)
    {
        Span<Range> ranges = stackalloc Range[4];
        int n = PathSegments.Split(path, ranges);
        Assert.Equal(segments.Length, n);
        for (int i = 0; i < n; i++)
            Assert.Equal(segments[i], path[ranges[i]]);
    }

    [Fact]
    public void The_fallback_lists_options_once_and_says_method_not_allowed()
    {
        var response = RouteFallback.Respond("PUT", ["GET", "OPTIONS"]);
        Assert.Equal(405, response.StatusCode);
        Assert.Equal("Method Not Allowed", response.BodyText);
        Assert.Equal("GET, OPTIONS", response.GetHeader("Allow"));
        var options = RouteFallback.Respond("OPTIONS", ["GET", "POST"]);
        Assert.Equal(204, options.StatusCode);
        Assert.Equal("GET, POST, OPTIONS", options.GetHeader("Allow"));
        Assert.Equal(404, RouteFallback.Respond("GET", []).StatusCode);
    }

    [Theory]
    [InlineData("", 2166136261u)]             // the FNV-1a offset basis
    [InlineData("a", 0xE40C292Cu)]            // FNV-1a test vectors (32 bits)
    [InlineData("foobar", 0xBF9CF968u)]
    public void Buckets_are_the_FNV_1a_hash_modulo_the_count(string segment, uint hash)
    {
        foreach (int buckets in new[] { 1, 7, 64, 1000, int.MaxValue })
            Assert.Equal((int)(hash % (uint)buckets), SegmentHash.Bucket(segment, buckets));
    }

    [Theory]
    [InlineData("true", true, true)]
    [InlineData("TRUE", true, true)]
    [InlineData("false", true, false)]
    [InlineData("False", true, false)]
    [InlineData("", false, false)]
    [InlineData("no", false, false)]
    [InlineData("1", false, false)]
    public void Booleans_are_true_or_false_in_any_case(string text, bool ok, bool value)
    {
        Assert.Equal(ok, ValueParser.TryParse(text, out bool parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData("13:45:30", true)]
    [InlineData(" 13:45:30", false)]
    [InlineData("13:45:30 ", false)]
    [InlineData("\t13:45:30", false)]
    [InlineData("", false)]
    public void Dates_and_times_have_no_surrounding_white_space(string text, bool ok)
    {
        Assert.Equal(ok, ValueParser.TryParse(text, out TimeOnly _));
        Assert.Equal(ok, ValueParser.TryParse(text, out TimeSpan _));
        string date = text.Replace("13:45:30", "2024-02-29T13:45:30");
        Assert.Equal(ok, ValueParser.TryParse(date, out DateTime _));
        Assert.Equal(ok, ValueParser.TryParse(date, out DateTimeOffset _));
    }

    [Fact]
    public void A_failed_parse_leaves_the_default()
    {
        Assert.False(ValueParser.TryParse(" 1:00", out TimeSpan span));
        Assert.Equal(default, span);
        Assert.False(ValueParser.TryParse("nope", out DateTime at));
        Assert.Equal(default, at);
    }

    [Fact]
    public void Decoding_keeps_characters_that_are_not_escaped()
    {
        Assert.Equal("a \U0001F600", QueryCollection.Decode("a+\U0001F600")); // a surrogate pair is copied whole
        Assert.Equal("\U0001F600 ", QueryCollection.Decode("\U0001F600+"));
        Assert.Equal(" \uFFFD", QueryCollection.Decode("+\uD800"));             // a lone high surrogate at the end
        Assert.Equal(" \uFFFDx", QueryCollection.Decode("+\uD800x"));           // ... or before another character
        Assert.Equal(" \uFFFD", QueryCollection.Decode("+\uDC00"));             // a lone low surrogate
        Assert.Equal("A \u00E9", QueryCollection.Decode("%41+\u00E9"));
    }

    [Fact]
    public void Contains_key_is_whether_a_key_occurs()
    {
        var query = QueryCollection.Parse("a=1&b=&a=2");
        Assert.True(query.ContainsKey("a"));
        Assert.True(query.ContainsKey("b"));
        Assert.False(query.ContainsKey("c"));
        Assert.False(query.ContainsKey("A"));
    }

    [Fact]
    public void The_route_table_is_read_from_tab_separated_lines()
    {
        var routes = RouteInfo.ParseTable("GET\t/a\tT.A\n\nPOST\t/b\tT.B\tgenerated writer\n"u8);
        Assert.Equal([new RouteInfo("GET", "/a", "T.A"), new RouteInfo("POST", "/b", "T.B") { Json = "generated writer" }], routes);
        Assert.Empty(RouteInfo.ParseTable(""u8));
    }

    [Theory]
    [InlineData(@"/a\tb", "/a\tb")]
    [InlineData(@"\tb", "\tb")]            // an escape at the start
    [InlineData(@"a\nb\\c", "a\nb\\c")]
    [InlineData(@"a\qb", "aqb")]            // any other escaped character stands for itself
    [InlineData(@"a\", @"a\")]              // a backslash at the end is kept
    [InlineData(@"plain", "plain")]
    public void Route_table_fields_are_unescaped(string field, string value)
    {
        var route = Assert.Single(RouteInfo.ParseTable(Encoding.UTF8.GetBytes("GET\t" + field + "\tT.M")));
        Assert.Equal(value, route.Template);
    }

    [Theory]
    [InlineData("GET\t/a", 2)]
    [InlineData("GET\t/a\tT.M\tj\tauthorize\tF.M (before)\textra", 7)]
    public void A_route_table_line_of_another_shape_is_an_error(string line, int fields)
    {
        var e = Assert.Throws<FormatException>(() => RouteInfo.ParseTable(Encoding.UTF8.GetBytes(line)));
        Assert.Equal($"A route table line has {fields} fields, not 3 to 6: {line}", e.Message);
    }

    [Fact]
    public void A_route_table_line_may_give_authorization_after_an_empty_json_field()
    {
        var routes = RouteInfo.ParseTable("GET\t/a\tT.A\t\tauthorize\nGET\t/b\tT.B\tj\tanonymous\nGET\t/c\tT.C\tj"u8);
        Assert.Equal([new RouteInfo("GET", "/a", "T.A") { Authorization = "authorize" }, new RouteInfo("GET", "/b", "T.B") { Json = "j", Authorization = "anonymous" },
            new RouteInfo("GET", "/c", "T.C") { Json = "j" }], routes);
    }

    [Fact]
    public void Empty_fields_of_a_route_table_line_are_null()
    {
        var routes = RouteInfo.ParseTable("GET\t/a\tT.A\t\t\t\nGET\t/b\tT.B\t\t\tOnly\n"u8);
        Assert.Equal([new RouteInfo("GET", "/a", "T.A"), new RouteInfo("GET", "/b", "T.B") { Filters = "Only" }], routes);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_null_result_is_the_framework_404_with_Not_Found_as_its_message()
    {
        var request = new CgiRequest(new Dictionary<string, string> { ["REQUEST_METHOD"] = "GET" }, System.IO.Stream.Null);
        Response[] answers =
        [
            HandlerResults.Text(null),
            HandlerResults.Json<string>(null, System.Text.Json.Serialization.Metadata.JsonMetadataServices.CreateValueInfo<string>(
                JsonSerializerOptions.Default, System.Text.Json.Serialization.Metadata.JsonMetadataServices.StringConverter)),
            HandlerResults.JsonUtf8(null),
            HandlerResults.Bytes(null),
            await HandlerResults.Stream<int>(null, request, null),
        ];
        foreach (var answer in answers)
        {
            Assert.Equal(404, answer.StatusCode);
            Assert.Equal("Not Found", answer.ErrorMessage);
            Assert.Equal("Not Found", answer.BodyText);
        }
    }

    [Fact]
    public void Validation_errors_map_each_key_once_in_first_failure_order_to_all_its_messages()
    {
        var errors = ValidationErrors.Add(null, "Title", "The Title field is required.");
        Assert.Same(errors, ValidationErrors.Add(errors, "Age", "Age is out of range."));
        ValidationErrors.Add(errors, "Title", "The Title is too long.");
        ValidationErrors.Add(errors, "Age", "Age is odd.");
        ValidationErrors.Add(errors, "Name", "Name is taken.");
        var json = new JsonUtf8Builder();
        errors.WriteTo(json);
        Assert.Equal("""{"Title":["The Title field is required.","The Title is too long."],"Age":["Age is out of range.","Age is odd."],"Name":["Name is taken."]}""",
            Encoding.UTF8.GetString(json.WrittenSpan));
        var response = errors.ToResponse();
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("The Title field is required.\nAge is out of range.\nThe Title is too long.\nAge is odd.\nName is taken.", response.BodyText);
    }

    [Fact]
    public void Produces_keeps_the_status_and_the_type_it_is_given()
    {
        var produces = new ProducesAttribute(409, typeof(string));
        Assert.Equal(409, produces.Status);
        Assert.Equal(typeof(string), produces.Type);
        Assert.Null(new ProducesAttribute(204).Type);
    }
}
