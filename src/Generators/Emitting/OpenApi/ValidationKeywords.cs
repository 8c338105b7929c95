using System.Globalization;
using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators.OpenApi;

/// <summary>
/// The JSON Schema keywords of a value's DataAnnotations rules, as ASP.NET Core's OpenAPI generator writes them for the
/// same attributes: <c>[Range]</c> as <c>minimum</c>/<c>maximum</c> (<c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>,
/// numbers in 3.1, when exclusive), <c>[StringLength]</c>, <c>[MinLength]</c> and <c>[MaxLength]</c> as
/// <c>minLength</c>/<c>maxLength</c> on a string and <c>minItems</c>/<c>maxItems</c> on an array,
/// <c>[RegularExpression]</c> as <c>pattern</c>, <c>[EmailAddress]</c> as <c>format: email</c> and <c>[Url]</c> as
/// <c>format: uri</c>. <c>[Required]</c> is no keyword of the value's schema: it makes a parameter or body
/// <c>required</c>, and a member one of its object's <c>required</c> (<see cref="IsRequired"/>).
/// </summary>
internal static class ValidationKeywords
{
    /// <summary>Whether <paramref name="target"/> has <c>[Required]</c>.</summary>
    public static bool IsRequired(ValidationTargetSpec? target) =>
        target is not null && target.Rules.Any(r => r.Kind == ValidationRuleKind.Required);

    /// <summary>Adds the keywords of <paramref name="target"/>'s rules (none when it is null) to <paramref name="schema"/>.</summary>
    public static JsonObject Apply(JsonObject schema, ValidationTargetSpec? target)
    {
        if (target is null)
            return schema;
        bool items = target.Shape == ValidationShape.Collection;
        foreach (var rule in target.Rules)
        {
            switch (rule.Kind)
            {
                case ValidationRuleKind.Range:
                    Bound(schema, "minimum", "exclusiveMinimum", rule.Minimum, rule.MinimumIsExclusive, lower: true);
                    Bound(schema, "maximum", "exclusiveMaximum", rule.Maximum, rule.MaximumIsExclusive, lower: false);
                    break;
                case ValidationRuleKind.StringLength or ValidationRuleKind.MinLength or ValidationRuleKind.MaxLength:
                    if (rule.Kind != ValidationRuleKind.MaxLength && rule.MinimumLength > 0)
                        schema.Add(items ? "minItems" : "minLength", rule.MinimumLength);
                    if (rule.Kind != ValidationRuleKind.MinLength && rule.MaximumLength >= 0)
                        schema.Add(items ? "maxItems" : "maxLength", rule.MaximumLength);
                    break;
                case ValidationRuleKind.RegularExpression when rule.Pattern is { Length: > 0 } pattern:
                    schema.Add("pattern", pattern);
                    break;
                case ValidationRuleKind.EmailAddress:
                    schema.Add("format", "email");
                    break;
                case ValidationRuleKind.Url:
                    schema.Add("format", "uri");
                    break;
            }
        }
        return schema;
    }

    /// <summary>
    /// One bound of a <c>[Range]</c>, as the JSON number it was parsed as. An infinite bound (<c>double.NegativeInfinity</c>)
    /// bounds nothing and has no JSON number: it is left out. An inclusive bound looser than the type's own (a <c>byte</c>'s
    /// <c>minimum: 0</c>) does not replace it.
    /// </summary>
    private static void Bound(JsonObject schema, string inclusiveKey, string exclusiveKey, string? value, bool exclusive, bool lower)
    {
        if (value is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double bound)
            || double.IsNaN(bound) || double.IsInfinity(bound))
            return;
        if (exclusive)
            schema.Add(exclusiveKey, new RawJson(value));
        else if (!(schema[inclusiveKey] is int own && (lower ? own >= bound : own <= bound)))
            schema.Add(inclusiveKey, new RawJson(value));
    }
}
