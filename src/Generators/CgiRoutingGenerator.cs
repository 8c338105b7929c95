using System;
using System.Collections.Generic;
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
        var handlers = FindHandlers(context);
        ReportHandlerDiagnostics(context, handlers);
        ReportClassAttributes(context);
        var table = CheckRouteTable(context, handlers);
        EmitDispatcher(context, table);
        EmitLinks(context, table);
        EmitOpenApiDocument(context, table, handlers);
        ReportTableProblems(context, table, handlers);
        EmitSandbox(context);
    }

    /// <summary>
    /// Each route handler, parsed: one <c>ForAttributeWithMetadataName</c> per route attribute; a method is parsed by
    /// the first one it carries.
    /// </summary>
    private static List<IncrementalValuesProvider<HandlerResult>> FindHandlers(IncrementalGeneratorInitializationContext context) =>
        KnownTypes.RouteAttributes
            .Select(attribute => context.SyntaxProvider
                .ForAttributeWithMetadataName(attribute.MetadataName,
                    static (node, _) => node is MethodDeclarationSyntax,
                    (syntax, cancellationToken) => HandlerParser.Parse(syntax, attribute.MetadataName, cancellationToken))
                .Where(static result => result is not null)
                .Select(static (result, _) => result!)
                .WithTrackingName(TrackingNames.Handlers))
            .ToList();

    /// <summary>
    /// What each handler alone shows, reported per handler; except a validation attribute's, which is often on a member
    /// of a body type that several handlers bind: reported once.
    /// </summary>
    private static void ReportHandlerDiagnostics(IncrementalGeneratorInitializationContext context, List<IncrementalValuesProvider<HandlerResult>> handlers)
    {
        foreach (var handler in handlers)
        {
            context.RegisterSourceOutput(handler.Select(static (r, _) => r.Diagnostics.Where(d => !IsValidation(d)).ToEquatableArray()),
                static (output, diagnostics) => Report(output, diagnostics));
        }
        var validation = Concat(handlers.Select(r => r.SelectMany(static (r, _) => r.Diagnostics.Where(IsValidation))));
        context.RegisterSourceOutput(validation, static (output, diagnostics) => Report(output, diagnostics.Distinct()));
    }

    /// <summary>
    /// A malformed <c>[RoutePrefix]</c> (on its argument) and a class's <c>[Filter]</c> with a bad method (on the
    /// attribute): reported once per class, through providers of their own, not once per handler.
    /// </summary>
    private static void ReportClassAttributes(IncrementalGeneratorInitializationContext context)
    {
        var prefixes = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypes.RoutePrefixAttributeName,
                static (node, _) => node is TypeDeclarationSyntax, // classes and record classes
                static (syntax, cancellationToken) => RoutePrefixParser.Check(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.RoutePrefixes);
        context.RegisterSourceOutput(prefixes, static (output, diagnostics) => Report(output, diagnostics));

        var classFilters = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypes.FilterAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (syntax, cancellationToken) => FilterParser.Check(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.ClassFilters);
        context.RegisterSourceOutput(classFilters, static (output, diagnostics) => Report(output, diagnostics));
    }

    /// <summary>
    /// <c>[assembly: Sandbox]</c>: its diagnostics, and its policy emitted as data that CgiRouting.props compiles into the
    /// binary's C constructor.
    /// </summary>
    private static void EmitSandbox(IncrementalGeneratorInitializationContext context)
    {
        var sandbox = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypes.SandboxAttributeName,
                static (node, _) => node is CompilationUnitSyntax,
                static (syntax, cancellationToken) => SandboxParser.Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.Sandbox);
        context.RegisterSourceOutput(sandbox, static (output, result) =>
        {
            Report(output, result.Diagnostics);
            if (result.Spec is { } spec)
                output.AddSource(SandboxEmitter.HintName, SandboxEmitter.Source(spec));
        });
    }

    /// <summary>The route table: every handler's model at once, with the app's JSON contexts, ordered and checked.</summary>
    private static IncrementalValueProvider<RouteTableSpec> CheckRouteTable(IncrementalGeneratorInitializationContext context,
        List<IncrementalValuesProvider<HandlerResult>> handlers)
    {
        var specs = Concat(handlers.Select(r => r
            .Where(static r => r.Spec is not null)
            .Select(static (r, _) => r.Spec!)
            .WithTrackingName(TrackingNames.HandlerSpecs)));
        return specs.Combine(JsonContexts(context))
            .Select(static (pair, _) => BuildTable(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.RouteTable);
    }

    /// <summary>The app's <c>JsonSerializerContext</c>s, one spec each however many declarations they have.</summary>
    private static IncrementalValueProvider<EquatableArray<JsonContextSpec>> JsonContexts(IncrementalGeneratorInitializationContext context) =>
        context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypes.JsonSerializableAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntax, _) => JsonContextParser.Parse(syntax))
            .Where(static c => c is not null)
            .Select(static (c, _) => c!)
            .WithTrackingName(TrackingNames.JsonContexts)
            .Collect()
            .Select(static (c, _) => JsonContextParser.Merge(c));

    /// <summary>The dispatcher, <c>CgiDispatcher.g.cs</c>, from the route table alone.</summary>
    private static void EmitDispatcher(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<RouteTableSpec> table) =>
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

    /// <summary>
    /// The typed links, <c>CgiLinks.g.cs</c>, in a file of their own, from the links of the route table: an edit that
    /// changes the table but no link (a return type, a filter, a validation rule) leaves the file cached.
    /// </summary>
    private static void EmitLinks(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<RouteTableSpec> table)
    {
        var links = table
            .Select(static (table, _) => BuildLinks(table))
            .WithTrackingName(TrackingNames.Links);
        context.RegisterSourceOutput(links, static (output, links) =>
        {
            string? source = null;
            string? failure = links.Failure;
            try
            {
                if (failure is null)
                    source = LinksEmitter.Emit(links.Links);
            }
            catch (Exception e)
            {
                failure = e.GetType().Name + ": " + e.Message;
            }
            if (failure is not null)
                output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, null, "the typed links", failure));
            else
                output.AddSource(LinksEmitter.HintName, source!);
        });
    }

    /// <summary>
    /// The OpenAPI document, in a file of its own: the app's name and version, doc comments and <c>[Produces]</c>
    /// change it, not the dispatcher.
    /// </summary>
    private static void EmitOpenApiDocument(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<RouteTableSpec> table,
        List<IncrementalValuesProvider<HandlerResult>> handlers)
    {
        var descriptions = Concat(handlers.Select(r => r
            .Where(static r => r.Description is not null)
            .Select(static (r, _) => r.Description!)
            .WithTrackingName(TrackingNames.HandlerDescriptions)));
        var app = context.CompilationProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, _) => AppOf(pair.Left, pair.Right.GlobalOptions))
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
    }

    /// <summary>
    /// The table's problems (conflicts, missing JSON contexts), at the sites of the handlers they name: the locations
    /// join the table only here, at output, so that moving a handler leaves the table cached.
    /// </summary>
    private static void ReportTableProblems(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<RouteTableSpec> table,
        List<IncrementalValuesProvider<HandlerResult>> handlers)
    {
        var sites = Concat(handlers.Select(r => r.SelectMany(static (r, _) => r.Sites)));
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

    private static void Report(SourceProductionContext output, IEnumerable<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
    }

    /// <summary>
    /// The app's assembly name and version: the informational version (the project's <c>Version</c>) without its
    /// <c>+</c> build metadata, else the assembly version.
    /// </summary>
    private static AppSpec AppOf(Compilation compilation, Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions options)
    {
        // MSBuild properties that CgiRouting.props makes visible (CompilerVisibleProperty); the SDK's placeholders are none.
        string? Property(string name, string? placeholder = null) =>
            options.TryGetValue("build_property." + name, out var value) && value.Trim() is { Length: > 0 } text && text != placeholder ? text : null;
        string? version = null;
        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == "System.Reflection.AssemblyInformationalVersionAttribute"
                && attribute.ConstructorArguments.FirstOrDefault().Value is string informational && informational.Length > 0)
                version = informational.Split('+')[0];
        }
        string name = compilation.AssemblyName ?? "app";
        return new AppSpec(name, version ?? compilation.Assembly.Identity.Version.ToString())
        {
            Description = Property("Description", "Package Description"),
            Authors = Property("Authors", name),
            License = Property("PackageLicenseExpression"),
            ProjectUrl = Property("PackageProjectUrl"),
        };
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

    private static (EquatableArray<LinkSpec> Links, string? Failure) BuildLinks(RouteTableSpec table)
    {
        try
        {
            return (LinkTable.Build(table), null);
        }
        catch (Exception e)
        {
            return (default, e.GetType().Name + ": " + e.Message);
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
