using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CgiRouting.Generators.Model;
using CgiRouting.Generators.OpenApi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>
/// Finds the app's route handlers, checks the route table as a whole, and emits one dispatcher,
/// <c>CgiRouting.Generated.CgiDispatcher</c>, that <c>CgiApp.Run()</c> calls.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CgiRoutingGenerator : IIncrementalGenerator
{
    /// <summary>The name of the generated source file.</summary>
    public const string HintName = "CgiDispatcher.g.cs";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // One ForAttributeWithMetadataName per route attribute; a method is parsed by the first one it carries.
        var results = KnownTypes.RouteAttributes
            .Select(attribute => context.SyntaxProvider
                .ForAttributeWithMetadataName(attribute.MetadataName,
                    static (node, _) => node is MethodDeclarationSyntax,
                    (syntax, cancellationToken) => HandlerParser.Parse(syntax, attribute.MetadataName, cancellationToken))
                .Where(static result => result is not null)
                .Select(static (result, _) => result!)
                .WithTrackingName(TrackingNames.Handlers))
            .ToList();

        foreach (var result in results)
        {
            context.RegisterSourceOutput(result.Select(static (r, _) => r.Diagnostics.Where(d => !IsValidation(d)).ToEquatableArray()), static (output, diagnostics) =>
            {
                foreach (var diagnostic in diagnostics)
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
            });
        }
        // A validation attribute is often on a member of a body type that several handlers bind: reported once.
        var validation = Concat(results.Select(r => r.SelectMany(static (r, _) => r.Diagnostics.Where(IsValidation))));
        context.RegisterSourceOutput(validation, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics.Distinct())
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        // A malformed [RoutePrefix] is reported once per class, on its argument.
        var prefixes = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypes.RoutePrefixAttributeName,
                static (node, _) => node is TypeDeclarationSyntax, // classes and record classes
                static (syntax, cancellationToken) => RoutePrefixParser.Check(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.RoutePrefixes);
        context.RegisterSourceOutput(prefixes, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        // A class's [Filter] with a bad method is reported once per class, on the attribute.
        var classFilters = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypes.FilterAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (syntax, cancellationToken) => FilterParser.Check(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.ClassFilters);
        context.RegisterSourceOutput(classFilters, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        var specs = Concat(results.Select(r => r
            .Where(static r => r.Spec is not null)
            .Select(static (r, _) => r.Spec!)
            .WithTrackingName(TrackingNames.HandlerSpecs)));
        var sites = Concat(results.Select(r => r.SelectMany(static (r, _) => r.Sites)));
        var descriptions = Concat(results.Select(r => r
            .Where(static r => r.Description is not null)
            .Select(static (r, _) => r.Description!)
            .WithTrackingName(TrackingNames.HandlerDescriptions)));

        var contexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypes.JsonSerializableAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntax, _) => JsonContextParser.Parse(syntax))
            .Where(static c => c is not null)
            .Select(static (c, _) => c!)
            .WithTrackingName(TrackingNames.JsonContexts)
            .Collect()
            .Select(static (c, _) => JsonContextParser.Merge(c));

        var table = specs.Combine(contexts)
            .Select(static (pair, _) => BuildTable(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.RouteTable);

        context.RegisterSourceOutput(table, static (output, table) =>
        {
            string source;
            try
            {
                source = DispatcherEmitter.Emit(table);
            }
            catch (Exception e)
            {
                output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, null, "the dispatcher", e.GetType().Name + ": " + e.Message));
                return;
            }
            output.AddSource(HintName, source);
        });

        // The OpenAPI document, in a file of its own: the app's name and version, doc comments and [Produces] change it,
        // not the dispatcher.
        var app = context.CompilationProvider
            .Select(static (compilation, _) => AppOf(compilation))
            .WithTrackingName(TrackingNames.App);
        context.RegisterSourceOutput(table.Combine(descriptions).Combine(app), static (output, pair) =>
        {
            string document;
            try
            {
                document = OpenApiEmitter.Document(pair.Left.Left, pair.Left.Right, pair.Right);
            }
            catch (Exception e)
            {
                output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, null, "the OpenAPI document", e.GetType().Name + ": " + e.Message));
                document = "";
            }
            output.AddSource(OpenApiEmitter.HintName, OpenApiEmitter.Source(document));
        });

        context.RegisterSourceOutput(table.Select(static (t, _) => t.Problems).Combine(sites), static (output, pair) =>
        {
            var locations = new Dictionary<SiteKey, LocationInfo>();
            foreach (var site in pair.Right)
                locations[site.Key] = site.Location;
            foreach (var problem in pair.Left)
            {
                locations.TryGetValue(problem.SiteKey, out var primary);
                LocationInfo? additional = null;
                if (problem.AdditionalSiteKey is { } key)
                    locations.TryGetValue(key, out additional);
                output.ReportDiagnostic(new DiagnosticInfo(problem.Descriptor, primary, problem.Arguments, additional).ToDiagnostic());
            }
        });
    }

    /// <summary>
    /// The app's assembly name and version: the informational version (the project's <c>Version</c>) without its
    /// <c>+</c> build metadata, else the assembly version.
    /// </summary>
    private static AppSpec AppOf(Compilation compilation)
    {
        string? version = null;
        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == "System.Reflection.AssemblyInformationalVersionAttribute"
                && attribute.ConstructorArguments.FirstOrDefault().Value is string informational && informational.Length > 0)
                version = informational.Split('+')[0];
        }
        return new AppSpec(compilation.AssemblyName ?? "app", version ?? compilation.Assembly.Identity.Version.ToString());
    }

    private static bool IsValidation(DiagnosticInfo diagnostic) =>
        diagnostic.Descriptor == DiagnosticDescriptors.UnsupportedValidation || diagnostic.Descriptor == DiagnosticDescriptors.ValidationNotApplicable;

    private static RouteTableSpec BuildTable(EquatableArray<HandlerSpec> handlers, EquatableArray<JsonContextSpec> contexts)
    {
        try
        {
            return RouteTable.Build(handlers, contexts.ToList()) with { JsonContexts = contexts };
        }
        catch (Exception e)
        {
            var problem = new TableProblem(DiagnosticDescriptors.InternalError, default, null, new[] { "the route table", e.GetType().Name + ": " + e.Message }.ToEquatableArray());
            return new RouteTableSpec(default, default, new[] { problem }.ToEquatableArray());
        }
    }

    /// <summary>The values of all <paramref name="providers"/>, collected into one array that compares by value.</summary>
    private static IncrementalValueProvider<EquatableArray<T>> Concat<T>(IEnumerable<IncrementalValuesProvider<T>> providers)
        where T : IEquatable<T>
    {
        IncrementalValueProvider<EquatableArray<T>>? all = null;
        foreach (var provider in providers)
        {
            var collected = provider.Collect().Select(static (items, _) => items.ToEquatableArray());
            all = all is null ? collected
                : all.Value.Combine(collected).Select(static (pair, _) => pair.Left.Concat(pair.Right).ToEquatableArray());
        }
        return all!.Value;
    }
}
