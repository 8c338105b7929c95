using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsCheck;
using Xunit;
using static CgiRouting.Tests.Http;

namespace CgiRouting.Tests;

/// <summary>
/// The generated JSON writers against System.Text.Json: for generated values, the body the route returns is
/// byte for byte what <c>JsonSerializer.SerializeToUtf8Bytes(value, context.Default.T)</c> writes.
/// </summary>
public class JsonWriterTests
{
    private const int Iterations = 1500;

    // Characters System.Text.Json treats specially, control characters, non-ASCII, and any UTF-16 code unit
    // (so lone surrogates), plus well-formed surrogate pairs.
    private static readonly Gen<string> Piece = Gen.OneOf(
        Gen.Char["<>&'+\\`\"/\n\r\t\b\f\u007F\u0085\u2028\u2029\uFEFF\uFFFD ~aZ09é中"].Select(c => c.ToString()),
        Gen.Char['\0', '\u001F'].Select(c => c.ToString()),
        Gen.Char[' ', '\u007E'].Select(c => c.ToString()),
        Gen.Char[char.MinValue, char.MaxValue].Select(c => c.ToString()),
        Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32));

    private static readonly Gen<string> Text = Piece.Array[0, 12].Select(string.Concat);

    private static readonly Gen<string?> MaybeText = OrNull(Text);

    private static readonly Gen<double> Double = Gen.OneOf(
        Gen.Double,
        Gen.Long.Select(BitConverter.Int64BitsToDouble),
        Gen.Long[-1_000_000, 1_000_000].Select(l => l / 1000.0),
        Gen.Double[0.0, 1.0],
        Consts(0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 1e-320, 0.1, 1e21, 1e-7, 123456789012345680000.0))
        .Where(double.IsFinite);

    private static readonly Gen<float> Float = Gen.OneOf(
        Gen.Float,
        Gen.Int.Select(BitConverter.Int32BitsToSingle),
        Consts(0f, -0f, float.Epsilon, float.MaxValue, float.MinValue, 0.1f, 1e-40f, 16777217f))
        .Where(float.IsFinite);

    private static readonly Gen<decimal> Decimal = Gen.OneOf(
        Gen.Decimal,
        Gen.Select(Gen.Int, Gen.Int, Gen.Int, Gen.Int[0, 1], Gen.Byte[0, 28], (lo, mid, hi, negative, scale) => new decimal(lo, mid, hi, negative == 1, scale)),
        Consts(0m, -0m, 0.00m, 1.50m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m));

    private static readonly Gen<long> Ticks = Gen.OneOf(
        Gen.Long[DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks],
        Gen.Long[0, DateTime.MaxValue.Ticks / TimeSpan.TicksPerSecond].Select(s => s * TimeSpan.TicksPerSecond),
        Gen.Long[0, DateTime.MaxValue.Ticks / TimeSpan.TicksPerMillisecond].Select(s => s * TimeSpan.TicksPerMillisecond),
        Gen.Long[0, DateTime.MaxValue.Ticks / 100].Select(s => s * 100));

    internal static readonly Gen<DateTime> Date = Gen.Select(Ticks, Gen.Int[0, 2], (t, kind) => new DateTime(t, (DateTimeKind)kind));

    internal static readonly Gen<DateTimeOffset> Offset = Gen.Select(Ticks, Gen.Int[-14 * 60, 14 * 60], (t, minutes) =>
    {
        long utc = t - minutes * TimeSpan.TicksPerMinute;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
            minutes = 0;
        return new DateTimeOffset(t, TimeSpan.FromMinutes(minutes));
    });

    internal static readonly Gen<Guid> Guid = Gen.Select(Gen.Long, Gen.Long, (a, b) =>
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), a);
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 8), b);
        return new Guid(bytes);
    });

    private static readonly Gen<bool> Bool = Gen.Int[0, 1].Select(i => i == 1);

    private static readonly Gen<Inner> InnerGen = Gen.Select(MaybeText, Gen.Int, Double, (n, c, r) => new Inner(n, c, r));

    private static readonly Gen<Inner?> MaybeInner = OrNull(InnerGen);

    private static readonly Gen<Everything> EverythingGen =
        from text in MaybeText
        from i in Gen.Int
        from l in Gen.Long
        from d in Double
        from f in Float
        from m in Decimal
        from b in Bool
        from ni in OrNullValue(Gen.Int[-2, 2])
        from nd in OrNullValue(Double)
        from small in Gen.Select(Gen.Byte, Gen.Short, Gen.UInt, Gen.Long, Gen.SByte, Gen.UShort)
        from date in Date
        from offset in Offset
        from guid in Guid
        from nDate in OrNullValue(Date)
        from nOffset in OrNullValue(Offset)
        from enums in Gen.Select(Gen.Int[-4, 6], Gen.Int[-1, 4], Gen.Byte, Gen.OneOf(Gen.Long, Consts(-1L, 0L)))
        from nLevel in OrNullValue(Gen.Int[-4, 6].Select(v => (Level)v))
        from nTone in OrNullValue(Gen.Int[0, 3].Select(v => (Tone)v))
        from inner in MaybeInner
        from array in OrNull(MaybeInner.Array[0, 3].Select(a => a.Select(x => x ?? new Inner(null, 0, 0)).ToArray()))
        from list in OrNull(MaybeInner.List[0, 3])
        from strings in OrNull(MaybeText.List[0, 4])
        from map in OrNull(Gen.Select(Text, MaybeInner).Array[0, 3].Select(Distinct))
        from counts in OrNull(Gen.Select(Text, Gen.Int).Array[0, 3].Select(Distinct))
        from readOnly in OrNull(Gen.Int.Array[0, 4].Select(a => (IReadOnlyList<int>)a))
        from enumerable in OrNull(Decimal.List[0, 3].Select(a => (IEnumerable<decimal>)a))
        from names in Gen.Select(MaybeText, MaybeText, MaybeText, MaybeText)
        from skip in Gen.Select(Gen.Int[-1, 1], OrNullValue(Consts(0.0, -0.0, 1.5)), Gen.Int[-1, 1])
        from tail in Gen.Select(MaybeText, MaybeText, MaybeText, MaybeText, MaybeText, MaybeText)
        from body in Gen.OneOf(Consts(System.Guid.Empty), Guid)
        select new Everything(text, i, l, d, f, m, b, ni, nd, small.Item1, small.Item2, small.Item3, unchecked((ulong)small.Item4),
            small.Item5, small.Item6, date, offset, guid, nDate, nOffset, (Level)enums.Item1, (Tone)enums.Item2, (Shade)enums.Item3,
            unchecked((Huge)(ulong)enums.Item4), nLevel, nTone, inner, array, list, strings, map, counts, readOnly, enumerable,
            names.Item1, names.Item2, names.Item3, skip.Item1, skip.Item2, names.Item4, skip.Item3, tail.Item1, tail.Item2,
            tail.Item3, tail.Item4, tail.Item5, tail.Item6)
        { BodyProperty = body };

    private static readonly Gen<Bag> BagGen = Gen.Select(Gen.Int, MaybeText, (a, b) => new Bag { A = a, B = b, Hidden = "secret" });

    internal static Gen<T> Consts<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    internal static Gen<T?> OrNull<T>(Gen<T> gen) where T : class =>
        Gen.Int[0, 4].SelectMany(i => i == 0 ? Gen.Const((T?)null) : gen.Select(v => (T?)v));

    internal static Gen<T?> OrNullValue<T>(Gen<T> gen) where T : struct =>
        Gen.Int[0, 4].SelectMany(i => i == 0 ? Gen.Const((T?)null) : gen.Select(v => (T?)v));

    private static Dictionary<string, T> Distinct<T>((string Key, T Value)[] pairs) =>
        pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);

    /// <summary>Puts <paramref name="value"/> where the route's handler returns it from, and compares the bodies.</summary>
    private static void AssertSameBytes<T>(string path, T value, Action<T> store, JsonTypeInfo<T> typeInfo)
    {
        store(value);
        var response = Get(path);
        byte[] expected = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        Assert.Equal(200, response.StatusCode);
        if (!response.Body.Span.SequenceEqual(expected))
            Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), response.BodyText); // shows where they differ
        Assert.True(response.Body.Span.SequenceEqual(expected));
    }

    [Theory]
    [InlineData("/json/everything")]
    [InlineData("/json/inners")]
    [InlineData("/json/bag")]
    [InlineData("/json/camel")]
    [InlineData("/json/snake")]
    [InlineData("/json/kebab")]
    [InlineData("/json/enums")]
    [InlineData("/users/<id>")]
    public void The_test_types_take_the_generated_writer(string template)
    {
        var route = CgiApp.Routes.Single(r => r.Method == "GET" && r.Template == template);
        Assert.Equal("generated writer", route.Json);
    }

    [Fact]
    public void A_type_outside_the_subset_takes_System_Text_Json_and_says_why()
    {
        var route = CgiApp.Routes.Single(r => r.Template == "/json/loose");
        Assert.StartsWith("System.Text.Json: Loose.Anything: object", route.Json);
        var value = new Loose(new[] { 1, 2 });
        JsonWriterRoutes.Loose = value;
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(value, DefaultJson.Default.Loose), Get("/json/loose").Body.ToArray());
    }

    [Fact]
    public void Response_Json_with_a_status_writes_what_System_Text_Json_writes() =>
        EverythingGen.Sample(v =>
        {
            var response = Response.Json(v, 201);
            Assert.Equal(201, response.StatusCode);
            Assert.Equal(Response.JsonContentType, response.ContentType);
            Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(v, DefaultJson.Default.Everything), response.Body.ToArray());
        }, iter: Iterations / 3, threads: 1);

    [Fact]
    public void Response_Json_with_a_status_takes_every_declared_type_the_writers_cover()
    {
        // List<Inner> is declared by DefaultJson and returned by no route: registered all the same.
        var list = new List<Inner> { new("a<b", 1, 0.5), new(null, -2, 1e300) };
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(list, DefaultJson.Default.ListInner), Response.Json(list, 202).Body.ToArray());
        Assert.Equal("null", Response.Json((Bag?)null).BodyText);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(new Bag { A = 1, B = "x", Hidden = "s" }, DefaultJson.Default.Bag),
            Response.Json(new Bag { A = 1, B = "x", Hidden = "s" }).Body.ToArray());
    }

    [Fact]
    public void Response_Json_with_a_status_says_what_to_do_for_a_type_no_writer_covers()
    {
        // Loose is outside the subset (see A_type_outside_the_subset...); object is declared by no context.
        var error = Assert.Throws<InvalidOperationException>(() => Response.Json(new object(), 200));
        Assert.StartsWith("No generated JSON writer covers Object: declare it with [JsonSerializable] in a JsonSerializerContext of the app, or, ", error.Message);
        Assert.Contains("Response.Json(value, AppJson.Default.Type, status)", error.Message);
        Assert.Throws<InvalidOperationException>(() => Response.Json(new Loose(1), 200));
    }

    [Fact]
    public void Default_options() =>
        EverythingGen.Sample(v => AssertSameBytes("/json/everything", v, x => JsonWriterRoutes.Everything = x, DefaultJson.Default.Everything),
            iter: Iterations, threads: 1);

    [Fact]
    public void Camel_case_and_when_writing_null() =>
        Gen.Select(OrNull(EverythingGen), OrNull(BagGen), (e, b) => new CamelCase(e, b))
            .Sample(v => AssertSameBytes("/json/camel", v, x => JsonWriterRoutes.Camel = x, CamelJson.Default.CamelCase), iter: Iterations, threads: 1);

    [Fact]
    public void Snake_case_and_when_writing_default() =>
        OrNull(EverythingGen).Select(e => new SnakeCase(e))
            .Sample(v => AssertSameBytes("/json/snake", v, x => JsonWriterRoutes.Snake = x, SnakeJson.Default.SnakeCase), iter: Iterations, threads: 1);

    [Fact]
    public void Kebab_case_upper() =>
        OrNull(EverythingGen).Select(e => new KebabUpper(e))
            .Sample(v => AssertSameBytes("/json/kebab", v, x => JsonWriterRoutes.Kebab = x, KebabJson.Default.KebabUpper), iter: Iterations / 3, threads: 1);

    [Fact]
    public void String_enums_for_the_whole_context() =>
        OrNull(EverythingGen).Select(e => new StringEnums(e))
            .Sample(v => AssertSameBytes("/json/enums", v, x => JsonWriterRoutes.Enums = x, EnumJson.Default.StringEnums), iter: Iterations / 3, threads: 1);

    [Fact]
    public void Strings_over_all_of_UTF16() =>
        Gen.Select(Text, Text, (a, b) => new Inner(a, 0, 0) with { Name = a + b })
            .List[1, 3]
            .Sample(v => AssertSameBytes("/json/inners", v, x => JsonWriterRoutes.Inners = x, DefaultJson.Default.ListInner), iter: 3000, threads: 1);

    [Fact]
    public void A_class_with_setters_through_an_async_handler() =>
        BagGen.Sample(v => AssertSameBytes("/json/bag", v, x => JsonWriterRoutes.Bag = x, DefaultJson.Default.Bag), iter: 300, threads: 1);

    [Fact]
    public void Status_and_headers_are_those_of_System_Text_Json()
    {
        var value = new Inner("x", 1, 2.5);
        JsonWriterRoutes.Inners = [value];
        var generated = Get("/json/inners");
        var expected = Response.Json(JsonWriterRoutes.Inners, DefaultJson.Default.ListInner);
        Assert.Equal(expected.StatusCode, generated.StatusCode);
        Assert.Equal(expected.ContentType, generated.ContentType);
        Assert.Equal(expected.Headers, generated.Headers);
        Assert.Equal(expected.Body.ToArray(), generated.Body.ToArray());

        JsonWriterRoutes.Inners = null;
        var missing = Get("/json/inners");
        Assert.Equal(404, missing.StatusCode);
        Assert.Equal(Response.NotFound().BodyText, missing.BodyText);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async System.Threading.Tasks.Task Numbers_that_are_not_JSON_fail_as_in_System_Text_Json(double number)
    {
        var value = new Inner("x", 1, number);
        Assert.Throws<ArgumentException>(() => JsonSerializer.SerializeToUtf8Bytes(new List<Inner> { value }, DefaultJson.Default.ListInner));
        JsonWriterRoutes.Inners = [value];
        var log = new StringWriter();
        var response = await CgiApp.DispatchAsync(CgiRequest.Create("GET", "/json/inners", null, []), new CgiOptions { ErrorLog = log });
        Assert.Equal(500, response.StatusCode);
        Assert.Contains("System.ArgumentException", log.ToString());
    }
}
