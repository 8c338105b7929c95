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
        var targets = handler.Parameters.Where(p => p.Validation is not null).ToList();
        if (targets.Count == 0)
            return;
        _w.Line($"{Dispatching}.ValidationErrors? invalid = null;");
        int counter = 0;
        foreach (var parameter in targets)
            EmitChecks(parameter.Validation!, Local(parameter), ref counter);
        _w.Line("if (invalid is not null) return new(invalid.ToResponse());");
    }

    private void EmitChecks(ValidationTargetSpec target, string value, ref int counter)
    {
        var w = _w;
        foreach (var rule in target.Rules)
        {
            string fail = $"invalid = {Dispatching}.ValidationErrors.Add(invalid, {CSharp.Literal(target.Key)}, {CSharp.Literal(rule.Message)});";
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
            EmitChecks(member, container + "." + CSharp.Escape(member.MemberName), ref counter);
        if (target.CanBeNull)
            w.Close();
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
