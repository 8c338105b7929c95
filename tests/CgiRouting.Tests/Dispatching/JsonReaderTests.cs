using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsCheck;
using Xunit;
using static CgiRouting.Tests.Http;
using static CgiRouting.Tests.JsonWriterTests;

namespace CgiRouting.Tests;

/// <summary>
/// The generated JSON body readers against System.Text.Json: for any body, the route accepts it exactly when
/// <c>JsonSerializer.Deserialize(body, context.Default.T)</c> does, and then the handler receives an equal object
/// (compared by the canonical text System.Text.Json writes of each); otherwise it answers 400, never 500.
/// </summary>
public class JsonReaderTests
{
    private const int Iterations = 3000;

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char.AlphaNumeric, 0, 8],
        Gen.String[Gen.Char['\0', '\u07FF'], 0, 6],
        Consts("", "é", "\"\\/", "\u2028", "😀", "Name"));

    private static readonly Gen<double> Double = Gen.OneOf(Gen.Double, Gen.Long.Select(BitConverter.Int64BitsToDouble), Consts(0.0, -0.0, 1e300, 5e-324))
        .Where(double.IsFinite);

    private static readonly Gen<BodyPet> Pet =
        Gen.Select(OrNull(Text), Gen.Int, Double, OrNullValue(Gen.Bool), (n, a, w, v) => new BodyPet(n, a, w, v));

    private static readonly Gen<BodyParcel> Parcel =
        from id in OrNull(Text)
        from numbers in Gen.Select(Gen.Int, Gen.Long, Double, Gen.Float.Where(float.IsFinite), Gen.Decimal, Gen.Bool)
        from small in Gen.Select(OrNullValue(Gen.Int), Gen.Short, Gen.Byte, Gen.SByte, Gen.UShort, Gen.UInt, Gen.ULong)
        from maybeDouble in OrNullValue(Double)
        from renamed in OrNull(Text)
        from pet in OrNull(Pet)
        from pets in OrNull(Pet.Array[0, 3])
        from maybePets in OrNull(OrNull(Pet).List[0, 3])
        from tags in OrNull(OrNull(Text).List[0, 3])
        from ints in OrNull(Gen.Int.Array[0, 4])
        from dates in Gen.Select(JsonWriterTests.Guid, Date, OrNullValue(Offset))
        from tail in Gen.Select(OrNull(Text), Gen.Int)
        select new BodyParcel(id, numbers.Item1, numbers.Item2, numbers.Item3, numbers.Item4, numbers.Item5, numbers.Item6,
            small.Item1, small.Item2, small.Item3, small.Item4, small.Item5, small.Item6, small.Item7, maybeDouble, renamed,
            pet, pets, maybePets, tags, ints, dates.Item1, dates.Item2, dates.Item3, tail.Item1, tail.Item2);

    private static readonly Gen<BodySettings> Settings =
        Gen.Select(OrNull(Text), Gen.Int, OrNull(Gen.Int.List[0, 4]), OrNull(Pet), OrNullValue(Gen.Decimal), OrNullValue(Date), OrNull(JsonWriterTests.Guid.List[0, 3]),
            (t, l, v, o, m, d, k) => new BodySettings { Title = t, Level = l, Values = v, Owner = o, Limit = m, Since = d, Keys = k });

    private static readonly Gen<BodyMixed> Mixed =
        Gen.Select(OrNull(Text), Gen.Long, Double, OrNull(Pet.List[0, 3]), (n, c, e, f) => new BodyMixed(n, c) { Extra = e, Friends = f });

    /// <summary>Values that replace a value anywhere: each JSON type, numbers at every edge of the integer types, nesting.</summary>
    private static readonly string[] Replacements =
    [
        "null", "true", "false", "\"\"", "\"str\"", "\"12\"", "\"\\u0041\"", "0", "-0", "1", "-1", "1.0", "1.5", "1e2", "1E+2",
        "-0.0", "01", "-01", "00", "+1", ".5", "1.", "255", "256", "-129", "32768", "65536", "2147483647", "2147483648",
        "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551615",
        "18446744073709551616", "1e400", "-1e400", "1e-400", "79228162514264337593543950335", "79228162514264337593543950336",
        "0.0000000000000000000000000001", "1e-30", "NaN", "Infinity", "{}", "[]", "[1,\"a\",null]", "[null]", "[{}]",
        "\"2024-01-02\"", "\"2024-01-02T03:04:05\"", "\"2024-01-02T03:04:05Z\"", "\"2024-01-02T03:04:05.1234567+01:00\"",
        "\"2024-01-02T03:04:05.12345678Z\"", "\"2024-02-30T00:00:00\"", "\"2024-01-02 03:04:05\"", "\"2024-01-02T24:00:00\"",
        "\"0001-01-01T00:00:00+01:00\"", "\"9999-12-31T23:59:59.9999999-01:00\"", "\"2024-01-02T03:04:05+14:01\"",
        "\"00000000-0000-0000-0000-000000000000\"", "\"{00000000-0000-0000-0000-000000000001}\"",
        "\"(00000000-0000-0000-0000-000000000001)\"", "\"00000000000000000000000000000001\"", "\"0000000-0000-0000-0000-0000000000001\"",
        "\"\\u0032024-01-02\"", "{\"a\":{\"b\":[1,{\"c\":null}]}}", "{\"Name\":\"x\",\"Age\":1}", "\"\\ud800\"", "tru", "nul", "\"unterminated",
    ];

    private static readonly string[] Names = ["Name", "name", "NAME", "Age", "age", "Id", "id", "Count", "title", "Title",
        "Values", "$id", "$type", "$ref", "", "unknown", "\\u004eame", "N\\u0061me", "Extra", "extra", "friends", "Pets", "pets",
        "renamed é \\\"x\\\"", "renamed \\u00e9 \\\"x\\\"", "Priority", "Note", "Computed", "Owner", "Limit", "Level", "Key", "When", "Stamp", "Since", "Keys"];

    /// <summary>A JSON value as a tree of raw texts, so that a mutation can write what no serializer would (duplicates, 1.0).</summary>
    private abstract record J;

    private sealed record JRaw(string Text) : J;

    private sealed record JArray(List<J> Items) : J;

    private sealed record JObject(List<(string Name, J Value)> Members) : J;

    private static J Tree(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new JObject(e.EnumerateObject().Select(p => (JsonSerializer.Serialize(p.Name)[1..^1], Tree(p.Value))).ToList()),
        JsonValueKind.Array => new JArray(e.EnumerateArray().Select(Tree).ToList()),
        _ => new JRaw(e.GetRawText()),
    };

    private static void Write(StringBuilder b, J value, Random random, bool spaces)
    {
        string space = spaces ? Pick(" ", "\n", "\t", "\r\n ", "") [random.Next(5)] : "";
        switch (value)
        {
            case JRaw raw:
                b.Append(raw.Text);
                break;
            case JArray array:
                b.Append('[').Append(space);
                for (int i = 0; i < array.Items.Count; i++)
                {
                    if (i > 0)
                        b.Append(',').Append(space);
                    Write(b, array.Items[i], random, spaces);
                }
                b.Append(space).Append(']');
                break;
            case JObject o:
                b.Append('{').Append(space);
                for (int i = 0; i < o.Members.Count; i++)
                {
                    if (i > 0)
                        b.Append(',').Append(space);
                    b.Append('"').Append(o.Members[i].Name).Append('"').Append(space).Append(':').Append(space);
                    Write(b, o.Members[i].Value, random, spaces);
                }
                b.Append(space).Append('}');
                break;
        }
    }

    private static string[] Pick(params string[] values) => values;

    /// <summary>Every container of <paramref name="value"/>, to pick one to mutate.</summary>
    private static void Containers(J value, List<J> found)
    {
        if (value is JRaw)
            return;
        found.Add(value);
        foreach (var child in value is JArray a ? a.Items : ((JObject)value).Members.Select(m => m.Value))
            Containers(child, found);
    }

    private static J RandomValue(Random random) => random.Next(8) switch
    {
        0 => new JArray([new JRaw("1"), RandomValue(random)]),
        1 => new JObject([(Names[random.Next(Names.Length)], RandomValue(random))]),
        _ => new JRaw(Replacements[random.Next(Replacements.Length)]),
    };

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary>Applies <paramref name="count"/> random edits to the JSON of a valid value.</summary>
    private static string Mutate(string json, int seed, int count)
    {
        var random = new Random(seed);
        var root = Tree(JsonDocument.Parse(json).RootElement);
        for (int n = 0; n < count; n++)
        {
            var containers = new List<J>();
            Containers(root, containers);
            if (containers.Count == 0)
                break;
            var target = containers[random.Next(containers.Count)];
            if (target is JArray array)
            {
                int i = random.Next(array.Items.Count + 1);
                switch (random.Next(3))
                {
                    case 0 when i < array.Items.Count: array.Items[i] = RandomValue(random); break;
                    case 1 when i < array.Items.Count: array.Items.RemoveAt(i); break;
                    default: array.Items.Insert(i, RandomValue(random)); break;
                }
                continue;
            }
            var members = ((JObject)target).Members;
            int k = random.Next(Math.Max(1, members.Count));
            bool has = k < members.Count;
            switch (random.Next(9))
            {
                case 0 when has: members[k] = (members[k].Name, RandomValue(random)); break; // another value or type
                case 1 when has: members.RemoveAt(k); break;
                case 2 when has: members.Insert(random.Next(members.Count + 1), (members[k].Name, random.Next(2) == 0 ? members[k].Value : RandomValue(random))); break;
                case 3 when has: members[k] = (ChangeCase(members[k].Name, random), members[k].Value); break;
                case 4 when has: members[k] = (Escape(members[k].Name), members[k].Value); break;
                case 5 when has: members[k] = (members[k].Name, new JRaw("null")); break;
                case 6: members.Insert(random.Next(members.Count + 1), (Names[random.Next(Names.Length)], RandomValue(random))); break;
                case 7: members.Insert(random.Next(members.Count + 1), ("deep", new JRaw(Deep(random.Next(60, 70))))); break;
                default: members.Insert(random.Next(members.Count + 1), ("x" + random.Next(100), RandomValue(random))); break;
            }
        }
        var b = new StringBuilder();
        Write(b, root, random, random.Next(3) == 0);
        string text = b.ToString();
        // Edits of the text itself: what a tree cannot hold.
        switch (random.Next(12))
        {
            case 0: return text[..random.Next(text.Length + 1)];
            case 1: return text + Pick(" ", "\n", "x", "/*c*/", "//c", ",", "{}", "null", "\u00a0")[random.Next(9)];
            case 2: return Pick(" ", "\t\n", "/*c*/", "\uFEFF", "")[random.Next(5)] + text;
            case 3: return InsertAt(text, random, "}", ",");
            case 4: return InsertAt(text, random, "]", ",");
            case 5: return InsertAt(text, random, "{", "/*comment*/");
            case 6: return InsertAt(text, random, ",", "//comment\n");
            case 7: return random.Next(2) == 0 ? "null" : Replacements[random.Next(Replacements.Length)];
            case 8: return text.Length == 0 ? text : text.Remove(random.Next(text.Length), 1);
            default: return text;
        }
    }

    private static string InsertAt(string text, Random random, string before, string insert)
    {
        var places = Enumerable.Range(0, text.Length).Where(i => text.AsSpan(i).StartsWith(before)).ToList();
        return places.Count == 0 ? text : text.Insert(places[random.Next(places.Count)], insert);
    }

    private static string ChangeCase(string name, Random random)
    {
        if (name.Length == 0)
            return name;
        int i = random.Next(name.Length);
        char c = name[i];
        return name[..i] + (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) + name[(i + 1)..];
    }

    /// <summary>The first letter of a name as a \u escape: the same name to any reader that unescapes.</summary>
    private static string Escape(string name)
    {
        int i = name.IndexOfAny("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".ToCharArray());
        return i < 0 ? name : name[..i] + "\\u" + ((int)name[i]).ToString("x4") + name[(i + 1)..];
    }

    /// <summary>Sends <paramref name="body"/> to the route and compares what it does with what System.Text.Json does.</summary>
    private static bool AssertAsSystemTextJson<T>(string path, string body, JsonTypeInfo<T> typeInfo) =>
        AssertAsSystemTextJson(path, Encoding.UTF8.GetBytes(body), typeInfo);

    /// <summary>As above, for any bytes (UTF-8 or not).</summary>
    private static bool AssertAsSystemTextJson<T>(string path, byte[] body, JsonTypeInfo<T> typeInfo)
    {
        string? expected;
        try
        {
            // CGI: an empty body is no body; the handler's parameter is then null.
            expected = body.Length == 0 ? "null" : JsonReaderRoutes.Canonical(JsonSerializer.Deserialize(body, typeInfo)!, typeInfo);
        }
        catch (JsonException)
        {
            expected = null;
        }
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY_INTERFACE"] = "CGI/1.1",
            ["REQUEST_METHOD"] = "POST",
            ["PATH_INFO"] = path,
            ["CONTENT_TYPE"] = "application/json",
            ["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var response = CgiApp.DispatchAsync(new CgiRequest(environment, new System.IO.MemoryStream(body))).AsTask().GetAwaiter().GetResult();
        string shown = Encoding.UTF8.GetString(body) + " (" + Convert.ToHexString(body) + ")";
        if (expected is not null)
        {
            Assert.True(response.StatusCode == 200, $"System.Text.Json reads {shown}\nbut the route answers {response.StatusCode}: {response.BodyText}");
            Assert.Equal(expected, response.BodyText);
        }
        else
        {
            Assert.True(response.StatusCode == 400, $"System.Text.Json refuses {shown}\nbut the route answers {response.StatusCode}: {response.BodyText}");
            Assert.StartsWith("The JSON body is ", response.BodyText);
            Assert.Contains("'$", response.BodyText);
        }
        return expected is not null;
    }

    private static void Valid<T>(Gen<T> gen, string path, JsonTypeInfo<T> typeInfo) =>
        gen.Sample(v => Assert.True(AssertAsSystemTextJson(path, JsonSerializer.Serialize(v, typeInfo), typeInfo)), iter: Iterations / 3, threads: 1);

    /// <summary>Mutated bodies; both outcomes must be common, or the comparison says little.</summary>
    private static void Mutated<T>(Gen<T> gen, string path, JsonTypeInfo<T> typeInfo)
    {
        int accepted = 0, total = 0;
        Gen.Select(gen, Gen.Int, Gen.Int[1, 4])
            .Select(t => Mutate(JsonSerializer.Serialize(t.Item1, typeInfo), t.Item2, t.Item3))
            .Sample(body =>
            {
                total++;
                if (AssertAsSystemTextJson(path, body, typeInfo))
                    accepted++;
            }, iter: Iterations, threads: 1);
        Assert.InRange(accepted, total / 10, total - total / 10);
    }

    /// <summary>Bytes that are not always UTF-8: a few bytes of a valid body replaced, inserted or removed.</summary>
    private static void Bytes<T>(Gen<T> gen, string path, JsonTypeInfo<T> typeInfo)
    {
        byte[] odd = [0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF8, 0xFF, 0x00, 0x1F, 0x7F, (byte)'"', (byte)'\\', (byte)'u', (byte)'{', (byte)'1'];
        Gen.Select(gen, Gen.Int, Gen.Int[1, 3]).Sample(t =>
        {
            var random = new Random(t.Item2);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(t.Item1, typeInfo).ToList();
            for (int n = 0; n < t.Item3 && bytes.Count > 0; n++)
            {
                int i = random.Next(bytes.Count);
                byte b = random.Next(3) == 0 ? (byte)random.Next(256) : odd[random.Next(odd.Length)];
                switch (random.Next(3))
                {
                    case 0: bytes[i] = b; break;
                    case 1: bytes.Insert(i, b); break;
                    default: bytes.RemoveAt(i); break;
                }
            }
            _ = AssertAsSystemTextJson(path, bytes.ToArray(), typeInfo);
        }, iter: Iterations, threads: 1);
    }

    [Theory]
    [InlineData("CgiRouting_Tests_BodyParcel")]
    [InlineData("CgiRouting_Tests_BodySettings")]
    [InlineData("CgiRouting_Tests_BodyMixed")]
    [InlineData("System_Collections_Generic_List_CgiRouting_Tests_BodyPet_")]
    public void The_test_types_take_the_generated_reader(string type)
    {
        var readers = typeof(JsonReaderRoutes).Assembly.GetTypes().Single(t => t.Name.EndsWith("JsonReaders", StringComparison.Ordinal));
        Assert.NotNull(readers.GetMethod("Read_" + type));
    }

    [Fact]
    public void A_record_through_its_constructor() => Valid(Parcel, "/read/parcel", ReaderJson.Default.BodyParcel);

    [Fact]
    public void A_record_through_its_constructor_mutated() => Mutated(Parcel, "/read/parcel", ReaderJson.Default.BodyParcel);

    [Fact]
    public void A_class_through_its_setters() => Valid(Settings, "/read/settings", ReaderJson.Default.BodySettings);

    [Fact]
    public void A_class_through_its_setters_mutated() => Mutated(Settings, "/read/settings", ReaderJson.Default.BodySettings);

    [Fact]
    public void A_primary_constructor_and_setters_in_camel_case() => Valid(Mixed, "/read/mixed", ReaderCamelJson.Default.BodyMixed);

    [Fact]
    public void A_primary_constructor_and_setters_in_camel_case_mutated() => Mutated(Mixed, "/read/mixed", ReaderCamelJson.Default.BodyMixed);

    [Fact]
    public void A_list_at_the_top_mutated() => Mutated(Pet.List[0, 4], "/read/pets", ReaderJson.Default.ListBodyPet);

    [Fact]
    public void A_record_from_any_bytes() => Bytes(Parcel, "/read/parcel", ReaderJson.Default.BodyParcel);

    [Fact]
    public void A_class_from_any_bytes() => Bytes(Settings, "/read/settings", ReaderJson.Default.BodySettings);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"Title\":\"a\",\"Title\":\"b\"}")]
    [InlineData("{\"Title\":\"a\"} x")]
    [InlineData("{\"Values\":[1,2,\"3\"]}")]
    public void Edge_bodies(string body) => _ = AssertAsSystemTextJson("/read/settings", body, ReaderJson.Default.BodySettings);

    [Theory]
    [InlineData("{\"Id\":\"a\",\"Id\":\"b\"}")]
    [InlineData("{\"Pet\":{\"Name\":\"x\",\"Age\":1,\"Name\":\"y\"},\"Pet\":null}")]
    [InlineData("{\"id\":\"a\",\"ID\":\"b\",\"$id\":\"1\",\"$type\":\"x\",\"$ref\":\"2\"}")]
    [InlineData("{\"Note\":null,\"Priority\":null}")]
    [InlineData("{\"Note\":null}")]
    [InlineData("{\"Count\":1.0}")]
    [InlineData("{\"Count\":1e2}")]
    [InlineData("{\"Count\":\"1\"}")]
    [InlineData("{\"Count\":-0}")]
    [InlineData("{\"Ratio\":-0}")]
    [InlineData("{\"Ratio\":1e400}")]
    [InlineData("{\"Scale\":1e39}")]
    [InlineData("{\"Price\":1e400}")]
    [InlineData("{\"Tiny\":256}")]
    [InlineData("{\"Big\":-1}")]
    [InlineData("{\"\\u0049d\":\"escaped\"}")]
    [InlineData("{\"renamed \\u00e9 \\\"x\\\"\":\"escaped\"}")]
    [InlineData("{\"Pets\":[null,{}]}")]
    [InlineData("{\"Paid\":1}")]
    [InlineData("{\"Id\":1}")]
    public void Parcel_edges(string body) => _ = AssertAsSystemTextJson("/read/parcel", body, ReaderJson.Default.BodyParcel);

    [Theory]
    [InlineData("{\"Values\":[1,\"x\"]}", "The JSON body is not valid: '$.Values[1]' must be an integer (Int32).")]
    [InlineData("{\"Owner\":{\"Name\":5}}", "The JSON body is not valid: '$.Owner.Name' must be a string.")]
    [InlineData("{\"Owner\":{\"Name\":\"a\" \"Age\":1}}", "The JSON body is malformed at line 1, byte 22 ('$.Owner.Name').")]
    public void Errors_name_the_path(string body, string message)
    {
        var response = Send("POST", "/read/settings", body, ("Content-Type", "application/json"));
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(message, response.BodyText);
    }

    [Fact]
    public void Missing_and_null_bodies_and_media_types_are_as_before()
    {
        Assert.StartsWith("No request body was sent", Send("POST", "/read/required").BodyText);
        Assert.Equal("The JSON body for parameter 'settings' must not be null.", Send("POST", "/read/required", "null", ("Content-Type", "application/json")).BodyText);
        Assert.Equal(415, Send("POST", "/read/required", "{}", ("Content-Type", "text/plain")).StatusCode);
        Assert.Equal("untitled", Send("POST", "/read/required", "{}", ("Content-Type", "application/problem+json")).BodyText);
    }
}
