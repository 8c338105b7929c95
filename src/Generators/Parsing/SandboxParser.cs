using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using System.Threading;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>
/// Reads the app's <c>[assembly: Sandbox(...)]</c> into its policy: the directives, one per line, that
/// <c>cgirouting_sandbox.c</c> applies before the runtime starts (<c>read PATH</c>, <c>write PATH</c>, <c>connect PORT</c>,
/// <c>connect-from VARIABLE</c>, <c>exec</c>, <c>required</c>). A malformed value is CGI028 on that value, and leaves
/// the app without a policy.
/// </summary>
internal static class SandboxParser
{
    /// <summary>The policy of the attribute on the compilation unit of <paramref name="context"/>, and its diagnostics.</summary>
    public static SandboxResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return ParseAttribute(context, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new SandboxResult(null, new[]
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(context.TargetNode.GetLocation()),
                    "[assembly: Sandbox]", e.GetType().Name + ": " + e.Message),
            }.ToEquatableArray());
        }
    }

    private static SandboxResult ParseAttribute(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var policy = new StringBuilder("sandbox\n"); // declared, also with nothing allowed: an empty policy is no sandbox
        foreach (var attribute in context.Attributes)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax
                || !context.TargetNode.SyntaxTree.Equals(syntax.SyntaxTree))
                continue;
            foreach (var argument in attribute.NamedArguments)
            {
                var site = Argument(syntax, argument.Key);
                switch (argument.Key)
                {
                    case "Read" or "Write":
                        foreach (var (value, location) in Values(argument.Value, site))
                        {
                            if (PathProblem(value as string) is { } problem)
                                diagnostics.Add(Malformed(location, argument.Key, value as string, problem));
                            else
                                policy.Append(argument.Key == "Read" ? "read " : "write ").Append((string)value!).Append('\n');
                        }
                        break;
                    case "ConnectPorts":
                        foreach (var (value, location) in Values(argument.Value, site))
                        {
                            if (value is not int port || port < 1 || port > 65535)
                                diagnostics.Add(Malformed(location, argument.Key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), "a TCP port is a number from 1 to 65535"));
                            else
                                policy.Append("connect ").Append(port.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                        }
                        break;
                    case "ConnectPortsFrom":
                        foreach (var (value, location) in Values(argument.Value, site))
                        {
                            if (value is not string name || !IsVariableName(name))
                                diagnostics.Add(Malformed(location, argument.Key, value as string, "it names an environment variable: letters, digits and '_', not starting with a digit"));
                            else
                                policy.Append("connect-from ").Append(name).Append('\n');
                        }
                        break;
                    case "Exec" when argument.Value.Value is true:
                        policy.Append("exec\n");
                        break;
                    case "Required" when argument.Value.Value is true:
                        policy.Append("required\n");
                        break;
                }
            }
        }
        var result = diagnostics.Count > 0 ? null : new SandboxSpec(policy.ToString());
        return new SandboxResult(result, diagnostics.ToEquatableArray());
    }

    /// <summary>Why <paramref name="path"/> cannot be a path of the policy, or <see langword="null"/> when it can.</summary>
    internal static string? PathProblem(string? path)
    {
        if (path is null || path.Length == 0)
            return "a path is not empty";
        if (path.IndexOf('\n') >= 0 || path.IndexOf('\r') >= 0 || path.IndexOf('\0') >= 0)
            return "a path has no line break or NUL in it";
        if (VariablesProblem(path, 0, path.Length) is { } problem)
            return problem;
        if (path[0] != '/' && !path.StartsWith("${", StringComparison.Ordinal))
            return "a path is absolute (it starts with '/'), or starts with ${NAME}, an environment variable that holds one";
        return null;
    }

    /// <summary>What is wrong with the <c>${NAME}</c> and <c>${NAME:-DEFAULT}</c> of <paramref name="text"/> between two indexes.</summary>
    private static string? VariablesProblem(string text, int start, int end)
    {
        const string problem = "'$' starts ${NAME} or ${NAME:-DEFAULT}, NAME an environment variable of letters, digits and '_'";
        for (int i = start; i < end; i++)
        {
            if (text[i] != '$')
                continue;
            if (i + 1 >= end || text[i + 1] != '{')
                return problem;
            int close = -1, depth = 0;
            for (int j = i + 1; j < end && close < 0; j++)
            {
                if (text[j] == '{')
                    depth++;
                else if (text[j] == '}' && --depth == 0)
                    close = j;
            }
            if (close < 0)
                return problem;
            int fallback = text.IndexOf(":-", i + 2, close - i - 2, StringComparison.Ordinal);
            string name = text.Substring(i + 2, (fallback < 0 ? close : fallback) - i - 2);
            if (!IsVariableName(name))
                return problem;
            if (fallback >= 0 && VariablesProblem(text, fallback + 2, close) is { } inner)
                return inner;
            i = close;
        }
        return null;
    }

    private static bool IsVariableName(string name)
    {
        if (name.Length == 0 || char.IsDigit(name[0]))
            return false;
        foreach (char c in name)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '_'))
                return false;
        }
        return true;
    }

    private static DiagnosticInfo Malformed(LocationInfo? location, string property, string? value, string problem) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSandbox, location, property, value is null ? "null" : "'" + value + "'", problem);

    /// <summary>The syntax of the named argument <paramref name="name"/> of <paramref name="attribute"/>.</summary>
    private static AttributeArgumentSyntax? Argument(AttributeSyntax attribute, string name)
    {
        foreach (var argument in attribute.ArgumentList?.Arguments ?? default)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
                return argument;
        }
        return null;
    }

    /// <summary>The elements of an array argument, each with the location of its own expression where it has one.</summary>
    private static IEnumerable<(object? Value, LocationInfo? Location)> Values(TypedConstant array, AttributeArgumentSyntax? site)
    {
        if (array.Kind != TypedConstantKind.Array || array.IsNull)
            yield break;
        var elements = Elements(site?.Expression);
        for (int i = 0; i < array.Values.Length; i++)
        {
            var syntax = elements is not null && i < elements.Count ? elements[i] : site?.Expression;
            yield return (array.Values[i].Value, syntax is null ? null : LocationInfo.From(syntax.GetLocation()));
        }
    }

    private static IReadOnlyList<ExpressionSyntax>? Elements(ExpressionSyntax? expression) => expression switch
    {
        ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
        ImplicitArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
        InitializerExpressionSyntax initializer => initializer.Expressions,
        _ => null, // a collection expression ([...]): the generator builds against a Roslyn without its syntax, so the whole argument
    };
}
