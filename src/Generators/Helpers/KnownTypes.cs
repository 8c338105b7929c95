using System;
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

    private KnownTypes(Compilation compilation)
    {
        CgiRequest = compilation.GetTypeByMetadataName("CgiRouting.CgiRequest");
        Response = compilation.GetTypeByMetadataName("CgiRouting.Response");
        HeaderAttribute = compilation.GetTypeByMetadataName("CgiRouting.HeaderAttribute");
        QueryAttribute = compilation.GetTypeByMetadataName("CgiRouting.QueryAttribute");
        BodyAttribute = compilation.GetTypeByMetadataName("CgiRouting.BodyAttribute");
        CookieAttribute = compilation.GetTypeByMetadataName("CgiRouting.CookieAttribute");
        FormAttribute = compilation.GetTypeByMetadataName("CgiRouting.FormAttribute");
        FormFile = compilation.GetTypeByMetadataName("CgiRouting.FormFile");
        UserAttribute = compilation.GetTypeByMetadataName("CgiRouting.UserAttribute");
        AuthorizeAttribute = compilation.GetTypeByMetadataName("CgiRouting.AuthorizeAttribute");
        AllowAnonymousAttribute = compilation.GetTypeByMetadataName("CgiRouting.AllowAnonymousAttribute");
        AllowCrossOriginAttribute = compilation.GetTypeByMetadataName("CgiRouting.AllowCrossOriginAttribute");
        ProducesAttribute = compilation.GetTypeByMetadataName("CgiRouting.ProducesAttribute");
        RoutePrefixAttribute = compilation.GetTypeByMetadataName(RoutePrefixParser.MetadataName);
        FilterAttribute = compilation.GetTypeByMetadataName(FilterParser.MetadataName);
        Stream = compilation.GetTypeByMetadataName("System.IO.Stream");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
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
        _routeAttributes = new INamedTypeSymbol?[HandlerParser.RouteAttributes.Length];
        for (int i = 0; i < _routeAttributes.Length; i++)
            _routeAttributes[i] = compilation.GetTypeByMetadataName(HandlerParser.RouteAttributes[i].MetadataName);
    }

    private const string DataAnnotations = "System.ComponentModel.DataAnnotations.";

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
                return HandlerParser.RouteAttributes[i].Method ?? "";
        }
        return null;
    }

    /// <summary>The route attribute type of <paramref name="metadataName"/>.</summary>
    public INamedTypeSymbol? RouteAttribute(string metadataName) =>
        _routeAttributes[Array.FindIndex(HandlerParser.RouteAttributes, r => r.MetadataName == metadataName)];

    /// <summary>The known types of <paramref name="compilation"/>, resolved on its first use.</summary>
    public static KnownTypes For(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownTypes(c));

    public INamedTypeSymbol? CgiRequest { get; }
    public INamedTypeSymbol? Response { get; }
    public INamedTypeSymbol? HeaderAttribute { get; }
    public INamedTypeSymbol? QueryAttribute { get; }
    public INamedTypeSymbol? BodyAttribute { get; }
    public INamedTypeSymbol? CookieAttribute { get; }
    public INamedTypeSymbol? FormAttribute { get; }
    public INamedTypeSymbol? FormFile { get; }
    public INamedTypeSymbol? UserAttribute { get; }
    public INamedTypeSymbol? AuthorizeAttribute { get; }
    public INamedTypeSymbol? AllowAnonymousAttribute { get; }
    public INamedTypeSymbol? AllowCrossOriginAttribute { get; }
    public INamedTypeSymbol? ProducesAttribute { get; }
    public INamedTypeSymbol? RoutePrefixAttribute { get; }
    public INamedTypeSymbol? FilterAttribute { get; }
    public INamedTypeSymbol? Stream { get; }
    public INamedTypeSymbol? CancellationToken { get; }
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

    /// <summary>Whether <paramref name="type"/> is <paramref name="known"/> (ignoring nullable annotations).</summary>
    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);
}
