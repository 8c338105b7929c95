using System;
using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>The members of a <c>[Form]</c> class or record, each bound as a field or a file of the form.</summary>
internal static partial class HandlerParser
{
    private sealed partial class Parser
    {
        /// <summary>
        /// The members of a <c>[Form]</c> type: the parameters of the constructor it is built with (its one public
        /// constructor with parameters, or else its public parameterless one), then its other public settable
        /// properties; or a problem when the type or a member cannot be bound from a form.
        /// </summary>
        private EquatableArray<FormMemberSpec> FormMembers(ITypeSymbol type, string parameterName, out string? problem)
        {
            problem = null;
            var members = new List<FormMemberSpec>();
            if (type is not INamedTypeSymbol named || named.IsAbstract || named.TypeKind is not (TypeKind.Class or TypeKind.Struct)
                || named.IsGenericType || named.SpecialType != SpecialType.None)
            {
                problem = $"[Form] binds a class or record with public properties, or a simple type, not '{type.ToDisplayString()}'";
                return default;
            }
            var constructors = named.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
            var withParameters = constructors.Where(c => c.Parameters.Length > 0).ToList();
            var constructor = withParameters.Count == 1 ? withParameters[0] : constructors.FirstOrDefault(c => c.Parameters.Length == 0);
            if (constructor is null)
            {
                problem = $"[Form] needs '{type.ToDisplayString()}' to have one public constructor with parameters, or a public parameterless one";
                return default;
            }
            var properties = named.GetMembers().OfType<IPropertySymbol>()
                .Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public).ToList();
            foreach (var ctorParameter in constructor.Parameters)
            {
                var property = properties.FirstOrDefault(p => p.Name.Equals(ctorParameter.Name, StringComparison.OrdinalIgnoreCase));
                string field = FormFieldName(ctorParameter) ?? (property is null ? null : FormFieldName(property)) ?? ctorParameter.Name;
                bool optional = ctorParameter.HasExplicitDefaultValue || ctorParameter.NullableAnnotation == NullableAnnotation.Annotated;
                if (FormMember(ctorParameter.Type, parameterName, property?.Name ?? ctorParameter.Name, field, optional,
                        ctorParameter.HasExplicitDefaultValue ? DefaultValue.CSharpLiteral(ctorParameter) : null, viaConstructor: true, initOnly: false,
                        ctorParameter.HasExplicitDefaultValue ? DefaultValue.JsonLiteral(ctorParameter.ExplicitDefaultValue, ctorParameter.Type) : null) is not { } member)
                {
                    problem = FormMemberProblem(type, ctorParameter.Name, ctorParameter.Type);
                    return default;
                }
                members.Add(member);
            }
            foreach (var property in properties)
            {
                if (property.SetMethod is not { DeclaredAccessibility: Accessibility.Public } setter
                    || constructor.Parameters.Any(p => p.Name.Equals(property.Name, StringComparison.OrdinalIgnoreCase)))
                    continue;
                bool optional = !property.IsRequired && !(property.Type.IsReferenceType && property.NullableAnnotation == NullableAnnotation.NotAnnotated);
                if (FormMember(property.Type, parameterName, property.Name, FormFieldName(property) ?? property.Name, optional, null,
                        viaConstructor: false, initOnly: setter.IsInitOnly) is not { } member)
                {
                    problem = FormMemberProblem(type, property.Name, property.Type);
                    return default;
                }
                members.Add(member);
            }
            return members.ToEquatableArray();
        }

        private static string FormMemberProblem(ITypeSymbol type, string member, ITypeSymbol memberType)
            => $"[Form] binds properties of strings, simple types such as int, arrays of them, FormFile and FormFile[]; '{type.Name}.{member}' is '{memberType.ToDisplayString()}'";

        private string? FormFieldName(ISymbol symbol)
            => symbol.GetAttributes().FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, known.Named(BindingSources.Form.AttributeName!)))?.ConstructorArguments.FirstOrDefault().Value as string;

        /// <summary>One member's binding, or null when its type cannot come from a form.</summary>
        private FormMemberSpec? FormMember(ITypeSymbol type, string parameterName, string memberName, string field, bool optional,
            string? defaultValue, bool viaConstructor, bool initOnly, string? defaultJson = null)
        {
            var value = SimpleType.Classify(type, known);
            var source = FormFileSource(type) ?? (value.Kind != ValueKind.None ? BindingSource.Form : (BindingSource?)null);
            if (source is null)
                return null;
            string typeName = type.ToDisplayString(LocalTypeFormat);
            bool nullableReference = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated;
            if (nullableReference && !typeName.EndsWith("?", StringComparison.Ordinal))
                typeName += "?";
            return new FormMemberSpec
            {
                Binding = new ParameterSpec
                {
                    Name = parameterName + "_" + memberName,
                    Source = source.Value,
                    Key = field,
                    TypeName = typeName,
                    Value = value,
                    IsValueType = type.IsValueType,
                    // A checkbox that is not ticked sends nothing: an absent bool is false.
                    IsOptional = optional || nullableReference || value.IsArray || value.IsNullableValue || value.Kind == ValueKind.Boolean
                        || source == BindingSource.FormFiles,
                    DefaultValue = defaultValue,
                    DefaultJson = defaultJson,
                },
                MemberName = memberName,
                ViaConstructor = viaConstructor,
                InitOnly = initOnly,
            };
        }
    }
}
