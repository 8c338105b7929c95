using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>
/// The framework and runtime types the generator recognises, resolved by metadata name once per compilation and
/// compared by symbol (as System.Text.Json's <c>KnownTypeSymbols</c> and RDG's <c>WellKnownTypes</c> do), never
/// by display string. A type the compilation does not have is null.
/// </summary>
internal sealed class KnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, KnownTypes> Cache = new();

    private readonly Compilation _compilation;

    /// <summary>The types resolved by <see cref="Named"/>, by metadata name.</summary>
    private readonly ConcurrentDictionary<string, INamedTypeSymbol?> _named = new(StringComparer.Ordinal);

    private KnownTypes(Compilation compilation)
    {
        _compilation = compilation;
        CgiRequest = compilation.GetTypeByMetadataName("CgiRouting.CgiRequest");
        Response = compilation.GetTypeByMetadataName("CgiRouting.Response");
        FormFile = compilation.GetTypeByMetadataName("CgiRouting.FormFile");
        AuthorizeAttribute = compilation.GetTypeByMetadataName("CgiRouting.AuthorizeAttribute");
        AllowAnonymousAttribute = compilation.GetTypeByMetadataName("CgiRouting.AllowAnonymousAttribute");
        AllowCrossOriginAttribute = compilation.GetTypeByMetadataName("CgiRouting.AllowCrossOriginAttribute");
        ExcludeFromDescriptionAttribute = compilation.GetTypeByMetadataName("CgiRouting.ExcludeFromDescriptionAttribute");
        ProducesAttribute = compilation.GetTypeByMetadataName("CgiRouting.ProducesAttribute");
        RoutePrefixAttribute = compilation.GetTypeByMetadataName(RoutePrefixAttributeName);
        FilterAttribute = compilation.GetTypeByMetadataName(FilterAttributeName);
        Stream = compilation.GetTypeByMetadataName("System.IO.Stream");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        AsyncEnumerableOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        DateOnly = compilation.GetTypeByMetadataName("System.DateOnly");
        TimeOnly = compilation.GetTypeByMetadataName("System.TimeOnly");
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        JsonSerializerContext = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSerializerContext");
        ValidationAttribute = compilation.GetTypeByMetadataName(DataAnnotations + "ValidationAttribute");
        ValidatableObject = compilation.GetTypeByMetadataName(DataAnnotations + "IValidatableObject");
        RequiredAttribute = compilation.GetTypeByMetadataName(DataAnnotations + "RequiredAttribute");
        RangeAttribute = compilation.GetTypeByMetadataName(DataAnnotations + "RangeAttribute");
        StringLengthAttribute = compilation.GetTypeByMetadataName(DataAnnotations + "StringLengthAttribute");
        MinLengthAttribute = compilation.GetTypeByMetadataName(DataAnnotations + "MinLengthAttribute");
        MaxLengthAttribute = compilation.GetTypeByMetadataName(DataAnnotations + "MaxLengthAttribute");
        RegularExpressionAttribute = compilation.GetTypeByMetadataName(DataAnnotations + "RegularExpressionAttribute");
        EmailAddressAttribute = compilation.GetTypeByMetadataName(DataAnnotations + "EmailAddressAttribute");
        UrlAttribute = compilation.GetTypeByMetadataName(DataAnnotations + "UrlAttribute");
        JsonSourceGenerationOptionsAttribute = compilation.GetTypeByMetadataName(JsonSerialization + "JsonSourceGenerationOptionsAttribute");
        JsonPropertyNameAttribute = compilation.GetTypeByMetadataName(JsonSerialization + "JsonPropertyNameAttribute");
        JsonPropertyOrderAttribute = compilation.GetTypeByMetadataName(JsonSerialization + "JsonPropertyOrderAttribute");
        JsonIgnoreAttribute = compilation.GetTypeByMetadataName(JsonSerialization + "JsonIgnoreAttribute");
        JsonIncludeAttribute = compilation.GetTypeByMetadataName(JsonSerialization + "JsonIncludeAttribute");
        JsonConverterAttribute = compilation.GetTypeByMetadataName(JsonSerialization + "JsonConverterAttribute");
        JsonStringEnumConverterOfT = compilation.GetTypeByMetadataName(JsonSerialization + "JsonStringEnumConverter`1");
        JsonAttribute = compilation.GetTypeByMetadataName(JsonSerialization + "JsonAttribute");
        JsonConstructorAttribute = compilation.GetTypeByMetadataName(JsonSerialization + "JsonConstructorAttribute");
        JsonRequiredAttribute = compilation.GetTypeByMetadataName(JsonSerialization + "JsonRequiredAttribute");
        DictionaryOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
        FlagsAttribute = compilation.GetTypeByMetadataName("System.FlagsAttribute");
        JsonSequences =
        [
            compilation.GetTypeByMetadataName("System.Collections.Generic.List`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.IEnumerable`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyList`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyCollection`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.IList`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.ICollection`1"),
        ];
        JsonReadingAttributes =
        [
            JsonRequiredAttribute,
            JsonConstructorAttribute,
            compilation.GetTypeByMetadataName(JsonSerialization + "JsonObjectCreationHandlingAttribute"),
            compilation.GetTypeByMetadataName(JsonSerialization + "JsonUnmappedMemberHandlingAttribute"),
        ];
        _routeAttributes = new INamedTypeSymbol?[RouteAttributes.Length];
        for (int i = 0; i < _routeAttributes.Length; i++)
            _routeAttributes[i] = compilation.GetTypeByMetadataName(RouteAttributes[i].MetadataName);
    }

    /// <summary>The route attributes, by metadata name, and the HTTP method each stands for.</summary>
    public static readonly (string MetadataName, string? Method)[] RouteAttributes =
    [
        ("CgiRouting.GetAttribute", "GET"),
        ("CgiRouting.PostAttribute", "POST"),
        ("CgiRouting.PutAttribute", "PUT"),
        ("CgiRouting.PatchAttribute", "PATCH"),
        ("CgiRouting.DeleteAttribute", "DELETE"),
        ("CgiRouting.HeadAttribute", "HEAD"),
        ("CgiRouting.OptionsAttribute", "OPTIONS"),
        ("CgiRouting.RouteAttribute", null),
    ];

    public const string RoutePrefixAttributeName = "CgiRouting.RoutePrefixAttribute";
    public const string SandboxAttributeName = "CgiRouting.SandboxAttribute";

    public const string FilterAttributeName = "CgiRouting.FilterAttribute";

    /// <summary><c>Validated&lt;T&gt;</c>, the outcome of binding a form or JSON body that the handler answers itself.</summary>
    public const string ValidatedName = "CgiRouting.Validated`1";

    public const string JsonSerializableAttributeName = JsonSerialization + "JsonSerializableAttribute";

    private const string DataAnnotations = "System.ComponentModel.DataAnnotations.";

    private const string JsonSerialization = "System.Text.Json.Serialization.";

    private readonly INamedTypeSymbol?[] _routeAttributes;

    /// <summary>
    /// The HTTP method that the route attribute <paramref name="attributeClass"/> stands for, <c>""</c> for
    /// <c>[Route]</c> (whose first argument names it), or null when it is not a route attribute.
    /// </summary>
    public string? RouteMethod(INamedTypeSymbol? attributeClass)
    {
        for (int i = 0; i < _routeAttributes.Length; i++)
        {
            if (Is(attributeClass, _routeAttributes[i]))
                return RouteAttributes[i].Method ?? "";
        }
        return null;
    }

    /// <summary>The route attribute type of <paramref name="metadataName"/>.</summary>
    public INamedTypeSymbol? RouteAttribute(string metadataName) =>
        _routeAttributes[Array.FindIndex(RouteAttributes, r => r.MetadataName == metadataName)];

    /// <summary>
    /// The type of <paramref name="metadataName"/>, resolved on first use: the types a table names as data, such as
    /// the binding sources' attributes (Model/BindingSources.cs), so that a new entry needs no property here.
    /// </summary>
    public INamedTypeSymbol? Named(string metadataName) => _named.GetOrAdd(metadataName, _compilation.GetTypeByMetadataName);

    /// <summary>The known types of <paramref name="compilation"/>, resolved on its first use.</summary>
    public static KnownTypes For(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownTypes(c));

    public INamedTypeSymbol? CgiRequest { get; }
    public INamedTypeSymbol? Response { get; }
    public INamedTypeSymbol? FormFile { get; }
    public INamedTypeSymbol? AuthorizeAttribute { get; }
    public INamedTypeSymbol? AllowAnonymousAttribute { get; }
    public INamedTypeSymbol? AllowCrossOriginAttribute { get; }
    public INamedTypeSymbol? ExcludeFromDescriptionAttribute { get; }
    public INamedTypeSymbol? ProducesAttribute { get; }
    public INamedTypeSymbol? RoutePrefixAttribute { get; }
    public INamedTypeSymbol? FilterAttribute { get; }
    public INamedTypeSymbol? Stream { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? AsyncEnumerableOfT { get; }
    public INamedTypeSymbol? Guid { get; }
    public INamedTypeSymbol? DateOnly { get; }
    public INamedTypeSymbol? TimeOnly { get; }
    public INamedTypeSymbol? DateTimeOffset { get; }
    public INamedTypeSymbol? TimeSpan { get; }
    public INamedTypeSymbol? JsonSerializerContext { get; }
    public INamedTypeSymbol? ValidationAttribute { get; }
    public INamedTypeSymbol? ValidatableObject { get; }
    public INamedTypeSymbol? RequiredAttribute { get; }
    public INamedTypeSymbol? RangeAttribute { get; }
    public INamedTypeSymbol? StringLengthAttribute { get; }
    public INamedTypeSymbol? MinLengthAttribute { get; }
    public INamedTypeSymbol? MaxLengthAttribute { get; }
    public INamedTypeSymbol? RegularExpressionAttribute { get; }
    public INamedTypeSymbol? EmailAddressAttribute { get; }
    public INamedTypeSymbol? UrlAttribute { get; }

    // System.Text.Json's attributes and the collections its writers and readers are proven against (Parsing/JsonShapeParser.cs).
    public INamedTypeSymbol? JsonSourceGenerationOptionsAttribute { get; }
    public INamedTypeSymbol? JsonPropertyNameAttribute { get; }
    public INamedTypeSymbol? JsonPropertyOrderAttribute { get; }
    public INamedTypeSymbol? JsonIgnoreAttribute { get; }
    public INamedTypeSymbol? JsonIncludeAttribute { get; }
    public INamedTypeSymbol? JsonConverterAttribute { get; }
    public INamedTypeSymbol? JsonStringEnumConverterOfT { get; }

    /// <summary>The base of every System.Text.Json attribute, custom converters' included.</summary>
    public INamedTypeSymbol? JsonAttribute { get; }
    public INamedTypeSymbol? JsonConstructorAttribute { get; }
    public INamedTypeSymbol? JsonRequiredAttribute { get; }
    public INamedTypeSymbol? DictionaryOfT { get; }
    public INamedTypeSymbol? FlagsAttribute { get; }

    /// <summary>The generic collections written as JSON arrays: List&lt;T&gt; and the sequence interfaces.</summary>
    public INamedTypeSymbol?[] JsonSequences { get; }

    /// <summary>The System.Text.Json attributes that change only how JSON is read.</summary>
    public INamedTypeSymbol?[] JsonReadingAttributes { get; }

    /// <summary>
    /// Whether <paramref name="type"/> is <paramref name="known"/> (ignoring nullable annotations); a constructed generic
    /// type is its definition (<c>Task&lt;int&gt;</c> is <see cref="TaskOfT"/>).
    /// </summary>
    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);
}
