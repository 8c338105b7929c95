using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CgiRouting.Generators.Model;

namespace CgiRouting.Generators;

internal sealed partial class DispatcherEmitter
{
    /// <summary>The matcher method of each <c>[RegularExpression]</c> pattern (with its timeout), one per distinct pattern.</summary>
    private readonly Dictionary<(string Pattern, int Timeout), string> _patterns = [];

    /// <summary>
    /// The DataAnnotations checks of a handler's parameters and body members, after binding and before the call: one
    /// <c>if</c> a rule, each failure added to <c>invalid</c>, so that the 400 lists every invalid member.
    /// </summary>
    private void EmitValidation(HandlerSpec handler)
    {
        // A Validated<T> parameter's checks were emitted with its binding, into its own errors.
        var targets = handler.Parameters.Where(p => p.Validation is not null && !p.IsValidated).ToList();
        if (targets.Count == 0)
            return;
        _w.Line($"{Dispatching}.ValidationErrors? invalid = null;");
        foreach (var parameter in targets)
            EmitChecks(parameter.Validation!, Local(parameter), ref _checks);
        _w.Line("if (invalid is not null) return new(invalid.ToResponse());");
    }

    /// <summary>How many checks of the current invoker have named a local (<c>c_1</c>, <c>o_2</c>), so that each name is new.</summary>
    private int _checks;

    /// <summary>The checks of <paramref name="target"/>, whose value is <paramref name="value"/>; each failure is added to the local <paramref name="errors"/>.</summary>
    private void EmitChecks(ValidationTargetSpec target, string value, ref int counter, string errors = "invalid")
    {
        var w = _w;
        foreach (var rule in target.Rules)
        {
            string fail = $"{errors} = {Dispatching}.ValidationErrors.Add({errors}, {CSharp.Literal(target.Key)}, {CSharp.Literal(rule.Message)});";
            if (rule.Kind == ValidationRuleKind.Required)
            {
                // As DataAnnotations: a value type that cannot be null is always present.
                string? missing = target.Shape == ValidationShape.String && !rule.AllowEmptyStrings ? $"string.IsNullOrWhiteSpace({value})"
                    : target.CanBeNull ? $"{value} is null" : null;
                if (missing is not null)
                    w.Line($"if ({missing}) {fail}");
                continue;
            }
            // Every other rule passes on null.
            string operand = value, guard = "";
            if (target.CanBeNull)
            {
                operand = "c_" + (++counter).ToString(CultureInfo.InvariantCulture);
                guard = $"{value} is {{ }} {operand} && ";
            }
            string failure = Failure(rule, target, operand);
            if (guard.Length > 0 && failure.Contains(" || "))
                failure = "(" + failure + ")";
            w.Line($"if ({guard}{failure}) {fail}");
        }
        if (target.Members.Count == 0)
            return;
        string container = value;
        if (target.CanBeNull)
        {
            // The members of a null object are not checked ([Required] on it says whether it may be null).
            container = "o_" + (++counter).ToString(CultureInfo.InvariantCulture);
            w.Open($"if ({value} is {{ }} {container})");
        }
        foreach (var member in target.Members)
            EmitChecks(member, container + "." + CSharp.Escape(member.MemberName), ref counter, errors);
        if (target.CanBeNull)
            w.Close();
    }

    /// <summary>
    /// The checks of a <c>Validated&lt;T&gt;</c> keyed by each member's name on the wire, as its binding errors are: the
    /// form field's name, or the JSON property's (after <c>[JsonPropertyName]</c> and the context's naming policy,
    /// <c>address.city</c> inside an object).
    /// </summary>
    private ValidationTargetSpec WireKeys(ParameterSpec parameter, ValidationTargetSpec target)
    {
        if (parameter.Source == BindingSource.FormObject)
        {
            return target with
            {
                Members = target.Members.Select(m => m with { Key = parameter.FormMembers.FirstOrDefault(f => f.MemberName == m.MemberName)?.Binding.Key ?? m.MemberName })
                    .ToEquatableArray(),
            };
        }
        var shapes = _jsonContexts.TryGetValue(parameter.JsonTypeName!, out var context) && _contextSpecs.TryGetValue(context, out var spec)
            ? spec.Shapes.ToDictionary(s => s.TypeName, StringComparer.Ordinal) : [];
        return JsonKeys(target, parameter.JsonTypeName!, "");

        ValidationTargetSpec JsonKeys(ValidationTargetSpec target, string? type, string prefix)
        {
            var shape = type is not null && shapes.TryGetValue(type, out var found) ? found : null;
            if (shape is { Kind: Json.JsonShapeKind.Nullable, ElementTypeName: { } element })
                shape = shapes.TryGetValue(element, out var inner) ? inner : null;
            return target with
            {
                Members = target.Members.Select(m =>
                {
                    var property = shape?.Properties.FirstOrDefault(p => p.MemberName == m.MemberName);
                    string key = prefix + (property?.JsonName ?? m.MemberName);
                    return JsonKeys(m, property?.TypeName, key + ".") with { Key = key };
                }).ToEquatableArray(),
            };
        }
    }

    /// <summary>The condition under which <paramref name="value"/>, not null, breaks <paramref name="rule"/>.</summary>
    private string Failure(ValidationRuleSpec rule, ValidationTargetSpec target, string value)
    {
        switch (rule.Kind)
        {
            case ValidationRuleKind.Range:
                string number = rule.BoundsAreDouble ? $"(double){value}" : value;
                string below = rule.MinimumIsExclusive ? "<=" : "<", above = rule.MaximumIsExclusive ? ">=" : ">";
                return $"{number} {below} {Bound(rule.Minimum!, rule.BoundsAreDouble)} || {number} {above} {Bound(rule.Maximum!, rule.BoundsAreDouble)}";
            case ValidationRuleKind.StringLength:
                string longer = $"{value}.Length > {rule.MaximumLength.ToString(CultureInfo.InvariantCulture)}";
                return rule.MinimumLength > 0 ? $"{longer} || {value}.Length < {rule.MinimumLength.ToString(CultureInfo.InvariantCulture)}" : longer;
            case ValidationRuleKind.MinLength:
                return $"{value}.{target.LengthMember} < {rule.MinimumLength.ToString(CultureInfo.InvariantCulture)}";
            case ValidationRuleKind.MaxLength:
                return $"{value}.{target.LengthMember} > {rule.MaximumLength.ToString(CultureInfo.InvariantCulture)}";
            case ValidationRuleKind.RegularExpression:
                return $"{value}.Length > 0 && !{Pattern(rule.Pattern!, rule.MatchTimeoutMilliseconds)}({value})";
            case ValidationRuleKind.EmailAddress:
                return $"!{Dispatching}.ValidationChecks.IsEmailAddress({value})";
            case ValidationRuleKind.Url:
                return $"!{Dispatching}.ValidationChecks.IsUrl({value})";
            default:
                throw new InvalidOperationException("Unknown validation rule " + rule.Kind);
        }
    }

    /// <summary>A bound of <c>[Range]</c> as a C# literal: an int, or a double.</summary>
    private static string Bound(string number, bool isDouble) => !isDouble ? number : number switch
    {
        "NaN" => "double.NaN",
        "Infinity" => "double.PositiveInfinity",
        "-Infinity" => "double.NegativeInfinity",
        _ => number + "D",
    };

    /// <summary>The method that tells whether a whole string matches <paramref name="pattern"/>, named on first use.</summary>
    private string Pattern(string pattern, int timeout)
    {
        if (!_patterns.TryGetValue((pattern, timeout), out string? name))
            _patterns[(pattern, timeout)] = name = _names.Make("Matches_Pattern" + (_patterns.Count + 1).ToString(CultureInfo.InvariantCulture));
        return name;
    }

    /// <summary>
    /// The <c>[RegularExpression]</c> matchers: each builds its Regex on its first call (nothing at start-up, and only
    /// when a value is checked) and, as DataAnnotations, accepts a match only when it covers the whole string. They
    /// are not [GeneratedRegex]: a source generator does not see another generator's output, so a [GeneratedRegex]
    /// partial method emitted here would never be implemented.
    /// </summary>
    private void EmitPatterns()
    {
        foreach (var pair in _patterns.OrderBy(p => p.Value, StringComparer.Ordinal))
        {
            const string Regex = "global::System.Text.RegularExpressions.Regex";
            string field = _names.Make(pair.Value + "_Regex");
            _w.Line();
            _w.Line($"private static {Regex}? {field};");
            _w.Line();
            _w.Line($"/// <summary>Whether the whole of <paramref name=\"value\"/> matches <c>{Xml(pair.Key.Pattern)}</c>.</summary>");
            _w.Open($"private static bool {pair.Value}(string value)");
            _w.Line($"var match = ({field} ??= new {Regex}({CSharp.Literal(pair.Key.Pattern)}, global::System.Text.RegularExpressions.RegexOptions.None, "
                + $"global::System.TimeSpan.FromMilliseconds({pair.Key.Timeout.ToString(CultureInfo.InvariantCulture)}))).Match(value);");
            _w.Line("return match.Success && match.Index == 0 && match.Length == value.Length;");
            _w.Close();
        }
    }
}
