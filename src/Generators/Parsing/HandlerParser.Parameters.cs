using System;
using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>
/// A handler's parameters: where each one's value comes from, by its binding attribute (<see cref="BindingSources"/>)
/// or its type, and why it cannot be bound.
/// </summary>
internal static partial class HandlerParser
{
    private sealed partial class Parser
    {
        /// <summary>
        /// One parameter: its binding attributes (<see cref="BindingSources"/>) are collected, more than one is CGI015,
        /// and the one it has, or else its type, says where its value comes from.
        /// </summary>
        private ParameterSpec ParseParameter(IParameterSymbol parameter)
        {
            var location = parameter.Locations.FirstOrDefault();
            if (LocationInfo.From(location) is { } site)
                _sites.Add(new Site(SiteKey.Parameter(_key, parameter.Name), site));
            var attributes = BindingAttributes(parameter);
            if (attributes.Count > 0)
                _bindingAttributes[parameter.Name] = attributes[0].Source.Label;

            var spec = Unbound(parameter);
            if (parameter.Type.TypeKind == TypeKind.Error)
            {
                _failed = true; // the compiler reports the unknown type; saying more would be noise
                return spec;
            }
            if (parameter.RefKind != RefKind.None)
                return spec with { Source = Unbindable(parameter, "ref, out and in parameters cannot be bound") };
            if (attributes.Count > 1)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display, Exclusive(attributes));
                return spec;
            }
            if (ValidatedValue(parameter.Type) is { } validated)
                return BindValidated(parameter, spec, validated, attributes.Count == 0 ? null : attributes[0].Source);
            spec = attributes.Count == 0 ? BindByType(parameter, spec, spec.Key, attribute: null)
                : Bind(parameter, spec, attributes[0].Source, attributes[0].Attribute);
            return spec.Source == BindingSource.Unbindable ? spec : spec with
            {
                Validation = new ValidationParser(known, Report, cancellationToken)
                    .ForParameter(parameter, isBody: spec.Source is BindingSource.Json or BindingSource.FormObject),
            };
        }

        /// <summary>The binding attributes of <paramref name="parameter"/>, each once, in the order of <see cref="BindingSources.All"/>.</summary>
        private List<(BindingSourceEntry Source, AttributeData Attribute)> BindingAttributes(IParameterSymbol parameter)
        {
            var found = new Dictionary<BindingSourceEntry, AttributeData>();
            foreach (var attribute in parameter.GetAttributes())
            {
                if (BindingSources.All.FirstOrDefault(s => s.AttributeName is { } name && KnownTypes.Is(attribute.AttributeClass, known.Named(name))) is { } source)
                    found[source] = attribute;
            }
            return BindingSources.All.Where(found.ContainsKey).Select(s => (s, found[s])).ToList();
        }

        /// <summary>
        /// Why these binding attributes cannot go together (CGI015): the one that takes no other says so; the others
        /// are exclusive, as their labels list them.
        /// </summary>
        private static string Exclusive(List<(BindingSourceEntry Source, AttributeData Attribute)> attributes)
        {
            var alone = attributes.Where(a => a.Source.TakesNoOther is not null).ToList();
            if (attributes.Count - alone.Count <= 1)
                return alone[0].Source.TakesNoOther!;
            var labels = BindingSources.All.Where(s => s.AttributeName is not null && s.TakesNoOther is null).Select(s => s.Label).ToList();
            return string.Join(", ", labels.Take(labels.Count - 1)) + " and " + labels[labels.Count - 1] + " are exclusive; use one";
        }

        /// <summary>The parameter as it is before its source is known: unbound, its key its name.</summary>
        private ParameterSpec Unbound(IParameterSymbol parameter)
        {
            var type = parameter.Type;
            var value = SimpleType.Classify(type, known);
            bool annotated = type.IsReferenceType && parameter.NullableAnnotation == NullableAnnotation.Annotated;
            string typeName = type.ToDisplayString(LocalTypeFormat);
            if (annotated && !typeName.EndsWith("?", StringComparison.Ordinal))
                typeName += "?";
            return new ParameterSpec
            {
                Name = parameter.Name,
                Source = BindingSource.Unbindable,
                Key = parameter.Name,
                TypeName = typeName,
                Value = value,
                IsValueType = type.IsValueType,
                IsOptional = parameter.HasExplicitDefaultValue || value.IsArray || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T || annotated,
                DefaultValue = parameter.HasExplicitDefaultValue ? DefaultValue.CSharpLiteral(parameter) : null,
                DefaultJson = parameter.HasExplicitDefaultValue ? DefaultValue.JsonLiteral(parameter.ExplicitDefaultValue, parameter.Type) : null,
            };
        }

        /// <summary>A parameter with the binding attribute <paramref name="attribute"/> of <paramref name="source"/>.</summary>
        private ParameterSpec Bind(IParameterSymbol parameter, ParameterSpec spec, BindingSourceEntry source, AttributeData attribute)
        {
            string key = source.FixedKey ?? attribute.ConstructorArguments.FirstOrDefault().Value as string ?? (source.KeyDefaultsToName ? parameter.Name : "");
            return source.Takes switch
            {
                BindingTypes.Body => BindBody(parameter, spec),
                BindingTypes.Form => BindForm(parameter, spec, key),
                BindingTypes.SimpleValueOrArray => BindByType(parameter, spec, key, source),
                _ => BindValue(parameter, spec with { Key = key }, source),
            };
        }

        /// <summary>One value of <paramref name="source"/> (<c>[Header]</c>, <c>[Cookie]</c>, <c>[User]</c>): its key and its type checked.</summary>
        private ParameterSpec BindValue(IParameterSymbol parameter, ParameterSpec spec, BindingSourceEntry source)
        {
            var location = parameter.Locations.FirstOrDefault();
            spec = spec with { Source = source.Sources[0] };
            bool taken = source.Takes == BindingTypes.String ? spec.Kind == ValueKind.String && !spec.Value.IsArray
                : spec.Kind != ValueKind.None && !spec.Value.IsArray;
            if (source.KeyName is { } keyName && !HttpToken.IsToken(spec.Key))
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display, $"'{spec.Key}' is not a valid {keyName}");
            }
            else if (!taken)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display,
                    $"{source.Label} binds {source.AcceptedTypes}, not '{parameter.Type.ToDisplayString()}'");
                if (source.UnboundWhenRejected)
                    spec = spec with { Source = BindingSource.Unbindable };
            }
            return spec;
        }

        /// <summary><c>[Body]</c>: the raw body as <c>string</c>, <c>byte[]</c> or <c>Stream</c>.</summary>
        private ParameterSpec BindBody(IParameterSymbol parameter, ParameterSpec spec)
        {
            var type = parameter.Type;
            var source = type.SpecialType == SpecialType.System_String ? BindingSource.BodyText
                : IsByteArray(type) ? BindingSource.BodyBytes
                : KnownTypes.Is(type, known.Stream) ? BindingSource.BodyStream
                : BindingSource.Unbindable;
            if (source == BindingSource.Unbindable)
                Report(DiagnosticDescriptors.UnsupportedBodyType, parameter.Locations.FirstOrDefault(), parameter.Name, _display, type.ToDisplayString());
            return spec with { Source = source };
        }

        /// <summary><c>[Form]</c>: a file, a field, or an object whose members are fields and files.</summary>
        private ParameterSpec BindForm(IParameterSymbol parameter, ParameterSpec spec, string key)
        {
            var type = parameter.Type;
            if (FormFileSource(type) is { } file)
                return spec with { Source = file, Key = key };
            if (spec.Kind != ValueKind.None)
                return spec with { Source = BindingSource.Form, Key = key };
            spec = spec with
            {
                Source = BindingSource.FormObject,
                FormMembers = FormMembers(type, parameter.Name, out string? problem),
                TypeName = type.ToDisplayString(TypeFormat),
            };
            if (problem is null)
                return spec;
            Report(DiagnosticDescriptors.InvalidBindingAttribute, parameter.Locations.FirstOrDefault(), parameter.Name, _display, problem);
            return spec with { Source = BindingSource.Unbindable };
        }

        /// <summary>
        /// A parameter without a binding attribute, or with <c>[Query]</c> (<paramref name="attribute"/>, whose key is
        /// <paramref name="queryKey"/>): a file of the form, a source its type names, the query string for a simple
        /// value, else a JSON body (or, with <c>[Query]</c>, CGI015).
        /// </summary>
        private ParameterSpec BindByType(IParameterSymbol parameter, ParameterSpec spec, string queryKey, BindingSourceEntry? attribute)
        {
            var type = parameter.Type;
            if (FormFileSource(type) is { } file)
                return spec with { Source = file };
            if (BindingSources.All.FirstOrDefault(s => s.TypeName is { } name && KnownTypes.Is(type, known.Named(name))) is { } byType)
                return spec with { Source = byType.Sources[0] };
            if (spec.Kind != ValueKind.None)
                return spec with { Source = BindingSource.Query, Key = queryKey };
            if (attribute is not null)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, parameter.Locations.FirstOrDefault(), parameter.Name, _display,
                    $"{attribute.Label} binds {attribute.AcceptedTypes}, not '{type.ToDisplayString()}'");
                return spec;
            }
            spec = spec with { TypeName = type.ToDisplayString(TypeFormat) };
            if (JsonTypeProblem(type) is { } problem)
                return spec with { Source = Unbindable(parameter, problem) };
            return spec with
            {
                Source = BindingSource.Json,
                JsonTypeName = spec.TypeName,
                // The binder [Form] would use decides, so that the hint is never one that [Form] then rejects.
                BindableAsForm = type.TypeKind == TypeKind.Class
                    && FormMembers(type, parameter.Name, out string? formProblem) is { Count: > 0 } && formProblem is null,
            };
        }

        /// <summary>The T of <c>Validated&lt;T&gt;</c>, or null for another type.</summary>
        private ITypeSymbol? ValidatedValue(ITypeSymbol type) =>
            type is INamedTypeSymbol { TypeArguments.Length: 1 } named && KnownTypes.Is(named, known.Named(KnownTypes.ValidatedName)) ? named.TypeArguments[0] : null;

        /// <summary>
        /// <c>[Form] Validated&lt;T&gt;</c> (the form's fields) or <c>Validated&lt;T&gt;</c> without an attribute (a JSON
        /// body): T bound as it is without <c>Validated</c>, its members' rules checked, and the outcome handed to the
        /// handler. Another binding attribute, or a T that is not a class or record, is CGI015 with an attribute and
        /// CGI004 without.
        /// </summary>
        private ParameterSpec BindValidated(IParameterSymbol parameter, ParameterSpec spec, ITypeSymbol value, BindingSourceEntry? attribute)
        {
            var location = parameter.Locations.FirstOrDefault();
            if (attribute is not null && attribute != BindingSources.Form)
            {
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display,
                    $"{attribute.Label} does not bind Validated<T>: it holds a [Form] object or, without an attribute, a JSON body");
                return spec;
            }
            if (value.TypeKind == TypeKind.Error)
            {
                _failed = true; // the compiler reports the unknown type
                return spec;
            }
            string? problem = ValidatedValue(value) is not null ? "a Validated<T> cannot hold another Validated<T>"
                : value is not INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } || FormFileSource(value) is not null
                    || KnownTypes.Is(value, known.CgiRequest)
                    ? $"Validated<T> holds a class or record bound from {(attribute is null ? "a JSON body" : "the form's fields")}, not '{value.ToDisplayString()}'"
                : attribute is null ? JsonTypeProblem(value) : null;
            if (problem is not null)
            {
                if (attribute is null)
                    return spec with { Source = Unbindable(parameter, problem) };
                Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display, problem);
                return spec;
            }
            string typeName = value.ToDisplayString(TypeFormat);
            if (attribute is not null)
            {
                spec = spec with
                {
                    Source = BindingSource.FormObject,
                    FormMembers = FormMembers(value, parameter.Name, out string? formProblem),
                    TypeName = typeName,
                };
                if (formProblem is not null)
                {
                    Report(DiagnosticDescriptors.InvalidBindingAttribute, location, parameter.Name, _display, formProblem);
                    return spec with { Source = BindingSource.Unbindable };
                }
            }
            else
            {
                spec = spec with
                {
                    Source = BindingSource.Json,
                    TypeName = typeName,
                    JsonTypeName = typeName,
                    BindableAsForm = FormMembers(value, parameter.Name, out string? formProblem) is { Count: > 0 } && formProblem is null,
                };
            }
            return spec with
            {
                IsValidated = true,
                IsOptional = false,
                Validation = new ValidationParser(known, Report, cancellationToken).ForValidated(value, parameter),
            };
        }

        /// <summary><see cref="BindingSource.FormFile"/> for <c>FormFile</c>, <see cref="BindingSource.FormFiles"/> for <c>FormFile[]</c>, else null.</summary>
        private BindingSource? FormFileSource(ITypeSymbol type)
            => KnownTypes.Is(type, known.FormFile) ? BindingSource.FormFile
                : type is IArrayTypeSymbol { Rank: 1 } array && KnownTypes.Is(array.ElementType, known.FormFile) ? BindingSource.FormFiles
                : null;

        private BindingSource Unbindable(IParameterSymbol parameter, string reason)
        {
            _unbindableReasons[parameter.Name] = reason;
            return BindingSource.Unbindable;
        }

        /// <summary>Why a parameter cannot be bound, until the first route that needs it reports it.</summary>
        private readonly Dictionary<string, string> _unbindableReasons = [];

        /// <summary>The label of the binding attribute a parameter carries (the first, if it has several), by parameter name.</summary>
        private readonly Dictionary<string, string> _bindingAttributes = [];

        /// <summary>Reports once that <paramref name="name"/> cannot be bound, if it cannot.</summary>
        private void ReportUnbindable(string name, Location? location, string context)
        {
            if (_unbindableReasons.TryGetValue(name, out string? reason))
            {
                Report(DiagnosticDescriptors.UnbindableParameter, location, name, _display, reason + context);
                _unbindableReasons.Remove(name);
            }
        }
    }
}
