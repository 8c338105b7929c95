public partial class H { private sealed record R(int X); [JsonSerializable(typeof(R))] internal partial class C : JsonSerializerContext { } }
