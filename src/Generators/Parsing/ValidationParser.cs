using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>
/// Reads the System.ComponentModel.DataAnnotations attributes of a handler parameter, and of the members of a bound
/// body at any depth, into a <see cref="ValidationTargetSpec"/>. The attributes the generator checks are
/// <c>[Required]</c>, <c>[Range]</c>, <c>[StringLength]</c>, <c>[MinLength]</c>, <c>[MaxLength]</c>,
/// <c>[RegularExpression]</c>, <c>[EmailAddress]</c> and <c>[Url]</c>; any other <c>ValidationAttribute</c>, and a
/// type that implements <c>IValidatableObject</c>, is CGI025 (it would need reflection or a call the generator cannot
/// see through), and an attribute on a type it cannot apply to is CGI026.
/// </summary>
internal sealed class ValidationParser(KnownTypes known, Action<DiagnosticDescriptor, Location?, string[]> report, CancellationToken cancellationToken)
{
    /// <summary>DataAnnotations' default <c>RegularExpressionAttribute.MatchTimeoutInMilliseconds</c>.</summary>
    private const int DefaultMatchTimeout = 2000;

    private const string Supported = "[Required], [Range], [StringLength], [MinLength], [MaxLength], [RegularExpression], [EmailAddress] and [Url]";

    /// <summary>The validation of <paramref name="parameter"/>; its members' too when it is a body (<paramref name="isBody"/>). Null when nothing is checked.</summary>
    /// <remarks>
    /// A parameter declared non-nullable is never null once bound (binding answers 400 first, or takes its default), so
    /// its checks test no null: a null test would make the compiler see the argument as maybe null.
    /// </remarks>
    public ValidationTargetSpec? ForParameter(IParameterSymbol parameter, bool isBody) =>
        Target(parameter.Type, parameter.GetAttributes(), memberName: "", key: parameter.Name, parameter.Locations.FirstOrDefault(),
            withMembers: isBody, keyPrefix: "", new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default),
            canBeNull: parameter.Type.IsReferenceType ? parameter.NullableAnnotation == NullableAnnotation.Annotated
                : parameter.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T);

    /// <summary>
    /// The validation of the value of a <c>Validated&lt;T&gt;</c> <paramref name="parameter"/>: the rules of T's members
    /// at any depth (the parameter's own attributes do not apply to it), checked only once T is bound, so never null.
    /// </summary>
    /// <remarks>A rule on the parameter itself is CGI026: it would check nothing, and a rule is never skipped silently.</remarks>
    public ValidationTargetSpec? ForValidated(ITypeSymbol value, IParameterSymbol parameter)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && DerivesFrom(attributeClass, known.ValidationAttribute))
            {
                report(DiagnosticDescriptors.ValidationNotApplicable, attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation(),
                    new[] { "[" + ShortName(attributeClass) + "]", parameter.Name, parameter.Type.ToDisplayString(),
                        "a Validated<T> is always passed, and its rules are those of T's members; put the attribute on them" });
            }
        }
        return Target(value, [], memberName: "", key: parameter.Name, parameter.Locations.FirstOrDefault(), withMembers: true, keyPrefix: "",
            new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default), canBeNull: false);
    }

    /// <summary>
    /// The rules of <paramref name="property"/> of <paramref name="type"/> alone (not its members'), without reporting
    /// anything: for the OpenAPI schema of a JSON type, which shows its members' rules wherever the type is used, bound
    /// or only answered. What is not checked is reported where the type is bound (<see cref="ForParameter"/>).
    /// </summary>
    public static ValidationTargetSpec? ForSchemaProperty(IPropertySymbol property, INamedTypeSymbol type, KnownTypes known) =>
        new ValidationParser(known, static (_, _, _) => { }, CancellationToken.None).Target(property.Type, AttributesOf(property, type), property.Name,
            property.Name, location: null, withMembers: false, keyPrefix: "", new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

    /// <summary>A property's attributes, with those of a positional record's constructor parameter of its name.</summary>
    private static List<AttributeData> AttributesOf(IPropertySymbol property, INamedTypeSymbol type)
    {
        // In a positional record, [Required] string Title is on the constructor's parameter, not the property.
        var attributes = property.GetAttributes().AsEnumerable();
        if (type.IsRecord && type.InstanceConstructors.SelectMany(c => c.Parameters).FirstOrDefault(p => p.Name == property.Name) is { } parameter)
            attributes = attributes.Concat(parameter.GetAttributes());
        return attributes.ToList();
    }

    private ValidationTargetSpec? Target(ITypeSymbol type, IEnumerable<AttributeData> attributes, string memberName, string key, Location? location,
        bool withMembers, string keyPrefix, HashSet<ITypeSymbol> enclosing, bool? canBeNull = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var valueType = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        var (shape, lengthMember) = ShapeOf(valueType);
        string name = memberName.Length > 0 ? memberName : key;
        var rules = new List<ValidationRuleSpec>();
        foreach (var attribute in attributes)
        {
            if (Rule(attribute, shape, type, valueType, name) is { } rule)
                rules.Add(rule);
        }
        var members = default(EquatableArray<ValidationTargetSpec>);
        if (withMembers && shape == ValidationShape.Other && valueType is INamedTypeSymbol named && IsAppType(named) && enclosing.Add(named))
        {
            if (known.ValidatableObject is { } validatable && named.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, validatable)))
            {
                report(DiagnosticDescriptors.UnsupportedValidation, location, new[] { "'" + named.Name + "'",
                    "it implements IValidatableObject, whose Validate method the generated checks do not call (it takes a ValidationContext built by reflection); check it in the handler, or express it with " + Supported });
            }
            members = Members(named, keyPrefix, enclosing);
            enclosing.Remove(named);
        }
        return rules.Count == 0 && members.Count == 0 ? null : new ValidationTargetSpec
        {
            MemberName = memberName,
            Key = key,
            Shape = shape,
            LengthMember = lengthMember,
            // A member of a body may be null whatever its annotation: JSON can leave it out.
            CanBeNull = canBeNull ?? (type.IsReferenceType || !ReferenceEquals(type, valueType)),
            Rules = rules.ToEquatableArray(),
            Members = members,
        };
    }

    /// <summary>The validated members of an app's class, record or struct: its public readable properties, with a record's primary constructor parameters' attributes.</summary>
    private EquatableArray<ValidationTargetSpec> Members(INamedTypeSymbol type, string keyPrefix, HashSet<ITypeSymbol> enclosing)
    {
        var targets = new List<ValidationTargetSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object && t.SpecialType != SpecialType.System_ValueType; t = t.BaseType)
        {
            foreach (var property in t.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public
                    || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public } || !property.CanBeReferencedByName || !seen.Add(property.Name))
                    continue;
                var location = property.Locations.FirstOrDefault();
                if (Target(property.Type, AttributesOf(property, t), property.Name, keyPrefix + property.Name, location,
                        withMembers: true, keyPrefix + property.Name + ".", enclosing) is { } target)
                    targets.Add(target);
            }
        }
        return targets.ToEquatableArray();
    }

    /// <summary>A class or struct of the app (not of the framework), whose members may carry rules.</summary>
    private static bool IsAppType(INamedTypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.SpecialType != SpecialType.None)
            return false;
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (ns.ContainingNamespace is { IsGlobalNamespace: true } && ns.Name is "System" or "Microsoft")
                return false;
        }
        return true;
    }

    private static (ValidationShape Shape, string? LengthMember) ShapeOf(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                return (ValidationShape.String, "Length");
            case SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
                or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
                or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal:
                return (ValidationShape.Number, null);
        }
        if (type is IArrayTypeSymbol)
            return (ValidationShape.Collection, "Length");
        bool HasCount(ITypeSymbol t) => t.GetMembers("Count").OfType<IPropertySymbol>()
            .Any(p => !p.IsStatic && p.Type.SpecialType == SpecialType.System_Int32 && p.GetMethod is not null && p.Parameters.Length == 0);
        bool enumerable = type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);
        if (enumerable && (HasCount(type) || type.AllInterfaces.Any(HasCount)))
            return (ValidationShape.Collection, "Count");
        return (ValidationShape.Other, null);
    }

    /// <summary>The rule of one attribute, or null when it is no validation attribute, or one reported as unsupported or misplaced.</summary>
    private ValidationRuleSpec? Rule(AttributeData attribute, ValidationShape shape, ITypeSymbol type, ITypeSymbol valueType, string name)
    {
        var attributeClass = attribute.AttributeClass;
        if (attributeClass is null || !DerivesFrom(attributeClass, known.ValidationAttribute))
            return null;
        var location = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();
        string display = "[" + ShortName(attributeClass) + "]";
        var named = attribute.NamedArguments.ToDictionary(a => a.Key, a => a.Value.Value);
        if (named.ContainsKey("ErrorMessageResourceType") || named.ContainsKey("ErrorMessageResourceName"))
        {
            report(DiagnosticDescriptors.UnsupportedValidation, location, new[] { display,
                "ErrorMessageResourceType and ErrorMessageResourceName are read by reflection at run time; give the message as ErrorMessage" });
            return null;
        }
        string? errorMessage = named.TryGetValue("ErrorMessage", out var m) ? m as string : null;
        var arguments = attribute.ConstructorArguments;

        ValidationRuleSpec? Misplaced(string appliesTo)
        {
            report(DiagnosticDescriptors.ValidationNotApplicable, location, new[] { display, name, type.ToDisplayString(), appliesTo });
            return null;
        }

        string Message(string fallback, params object[] values)
        {
            string format = errorMessage ?? fallback;
            try
            {
                return string.Format(CultureInfo.InvariantCulture, format, new object[] { name }.Concat(values).ToArray());
            }
            catch (FormatException)
            {
                return format;
            }
        }

        if (KnownTypes.Is(attributeClass, known.RequiredAttribute))
        {
            bool allowEmpty = named.TryGetValue("AllowEmptyStrings", out var a) && a is true;
            return new ValidationRuleSpec { Kind = ValidationRuleKind.Required, AllowEmptyStrings = allowEmpty, Message = Message("The {0} field is required.") };
        }
        if (KnownTypes.Is(attributeClass, known.RangeAttribute))
        {
            if (arguments.Length != 2 || arguments[0].Value is not (int or double) || arguments[1].Value is not (int or double))
            {
                report(DiagnosticDescriptors.UnsupportedValidation, location, new[] { display,
                    "[Range(Type, string, string)] converts its bounds with a TypeConverter at run time; use [Range(int, int)] or [Range(double, double)]" });
                return null;
            }
            if (shape != ValidationShape.Number)
                return Misplaced("[Range] applies to numbers");
            bool minExclusive = named.TryGetValue("MinimumIsExclusive", out var minX) && minX is true;
            bool maxExclusive = named.TryGetValue("MaximumIsExclusive", out var maxX) && maxX is true;
            string min = Number(arguments[0].Value!), max = Number(arguments[1].Value!);
            string fallback = (minExclusive, maxExclusive) switch
            {
                (false, false) => "The field {0} must be between {1} and {2}.",
                (true, false) => "The field {0} must be between {1} (exclusive) and {2}.",
                (false, true) => "The field {0} must be between {1} and {2} (exclusive).",
                _ => "The field {0} must be between {1} (exclusive) and {2} (exclusive).",
            };
            return new ValidationRuleSpec
            {
                // A ulong does not compare with a negative int constant: it is compared as a double (exactly, for these bounds).
                Kind = ValidationRuleKind.Range, Minimum = min, Maximum = max,
                BoundsAreDouble = arguments[0].Value is double || valueType.SpecialType == SpecialType.System_UInt64,
                MinimumIsExclusive = minExclusive, MaximumIsExclusive = maxExclusive, Message = Message(fallback, min, max),
            };
        }
        if (KnownTypes.Is(attributeClass, known.StringLengthAttribute))
        {
            if (shape != ValidationShape.String)
                return Misplaced("[StringLength] applies to strings; use [MinLength] or [MaxLength] for arrays and collections, [Range] for numbers");
            int max = arguments.Length > 0 && arguments[0].Value is int x ? x : 0;
            int min = named.TryGetValue("MinimumLength", out var n) && n is int y ? y : 0;
            string fallback = min == 0 ? "The field {0} must be a string with a maximum length of {1}."
                : "The field {0} must be a string with a minimum length of {2} and a maximum length of {1}.";
            return new ValidationRuleSpec { Kind = ValidationRuleKind.StringLength, MinimumLength = min, MaximumLength = max, Message = Message(fallback, max, min) };
        }
        if (KnownTypes.Is(attributeClass, known.MinLengthAttribute) || KnownTypes.Is(attributeClass, known.MaxLengthAttribute))
        {
            bool isMin = KnownTypes.Is(attributeClass, known.MinLengthAttribute);
            if (shape is not (ValidationShape.String or ValidationShape.Collection))
                return Misplaced(display + " applies to strings, arrays and collections");
            int length = arguments.Length > 0 && arguments[0].Value is int l ? l : -1;
            if (!isMin && length == -1)
                return null; // [MaxLength] without a length allows any
            return isMin
                ? new ValidationRuleSpec { Kind = ValidationRuleKind.MinLength, MinimumLength = length, Message = Message("The field {0} must be a string or array type with a minimum length of '{1}'.", length) }
                : new ValidationRuleSpec { Kind = ValidationRuleKind.MaxLength, MaximumLength = length, Message = Message("The field {0} must be a string or array type with a maximum length of '{1}'.", length) };
        }
        if (KnownTypes.Is(attributeClass, known.RegularExpressionAttribute))
        {
            if (shape != ValidationShape.String)
                return Misplaced("[RegularExpression] applies to strings");
            string pattern = arguments.Length > 0 ? arguments[0].Value as string ?? "" : "";
            int timeout = named.TryGetValue("MatchTimeoutInMilliseconds", out var t) && t is int ms ? ms : DefaultMatchTimeout;
            return new ValidationRuleSpec
            {
                Kind = ValidationRuleKind.RegularExpression, Pattern = pattern, MatchTimeoutMilliseconds = timeout,
                Message = Message("The field {0} must match the regular expression '{1}'.", pattern),
            };
        }
        if (KnownTypes.Is(attributeClass, known.EmailAddressAttribute) || KnownTypes.Is(attributeClass, known.UrlAttribute))
        {
            bool email = KnownTypes.Is(attributeClass, known.EmailAddressAttribute);
            if (shape != ValidationShape.String)
                return Misplaced(display + " applies to strings");
            return email
                ? new ValidationRuleSpec { Kind = ValidationRuleKind.EmailAddress, Message = Message("The {0} field is not a valid e-mail address.") }
                : new ValidationRuleSpec { Kind = ValidationRuleKind.Url, Message = Message("The {0} field is not a valid fully-qualified http, https, or ftp URL.") };
        }
        report(DiagnosticDescriptors.UnsupportedValidation, location, new[] { display,
            "the generated checks cover " + Supported + "; another ValidationAttribute's IsValid would be called through reflection at run time. Check it in the handler" });
        return null;
    }

    private static string Number(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, baseType))
                return true;
        }
        return false;
    }

    private static string ShortName(INamedTypeSymbol attribute) =>
        attribute.Name.EndsWith("Attribute", StringComparison.Ordinal) ? attribute.Name.Substring(0, attribute.Name.Length - "Attribute".Length) : attribute.Name;
}
