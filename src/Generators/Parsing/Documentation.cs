using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CgiRouting.Generators;

/// <summary>
/// Reads a handler's XML documentation comment into plain strings: <c>&lt;summary&gt;</c>, <c>&lt;remarks&gt;</c>,
/// <c>&lt;returns&gt;</c>, <c>&lt;param&gt;</c> and <c>&lt;response code="..."&gt;</c>.
/// </summary>
internal static class Documentation
{
    public static DocumentationSpec Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        string? xml = method.GetDocumentationCommentXml(cancellationToken: cancellationToken);
        // A project that writes no documentation file may compile without parsing doc comments
        // (DocumentationMode.None): the comment is then plain /// trivia, read here instead.
        if (string.IsNullOrWhiteSpace(xml))
            xml = FromTrivia(syntax);
        if (string.IsNullOrWhiteSpace(xml))
            return DocumentationSpec.None;
        XElement root;
        try
        {
            root = XElement.Parse(xml, LoadOptions.None);
        }
        catch (XmlException)
        {
            return DocumentationSpec.None; // the compiler warns about malformed XML (CS1570) where it parses it
        }
        return new DocumentationSpec
        {
            Summary = Text(root.Element("summary")),
            Remarks = Text(root.Element("remarks")),
            Returns = Text(root.Element("returns")),
            Parameters = Named(root, "param", "name"),
            Responses = Named(root, "response", "code"),
        };
    }

    private static EquatableArray<NamedText> Named(XElement root, string element, string attribute) =>
        root.Elements(element)
            .Select(e => (Name: (string?)e.Attribute(attribute), Text: Text(e)))
            .Where(p => p.Name is { Length: > 0 } && p.Text is not null)
            .Select(p => new NamedText(p.Name!, p.Text!))
            .ToEquatableArray();

    /// <summary>The <c>///</c> lines before the method, without their slashes, in one element.</summary>
    private static string? FromTrivia(MethodDeclarationSyntax syntax)
    {
        var text = new StringBuilder();
        foreach (var trivia in syntax.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
            {
                foreach (string line in trivia.ToFullString().Split('\n'))
                {
                    string trimmed = line.Trim();
                    if (trimmed.StartsWith("///", StringComparison.Ordinal))
                        text.Append(trimmed.Substring(3)).Append('\n');
                }
            }
        }
        return text.Length == 0 ? null : "<member>" + text + "</member>";
    }

    /// <summary>
    /// An element's text with white space collapsed; <c>&lt;see cref="T:A.B"/&gt;</c> is <c>B</c>,
    /// <c>&lt;paramref name="x"/&gt;</c> is <c>x</c>, <c>&lt;c&gt;x&lt;/c&gt;</c> is <c>`x`</c> (Markdown, as OpenAPI descriptions are).
    /// </summary>
    private static string? Text(XElement? element)
    {
        if (element is null)
            return null;
        var text = new StringBuilder();
        Append(element, text);
        string collapsed = string.Join(" ", text.ToString().Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 ? null : collapsed;
    }

    private static void Append(XElement element, StringBuilder text)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    string? target = (string?)see.Attribute("cref") ?? (string?)see.Attribute("href") ?? (string?)see.Attribute("langword");
                    if (see.Nodes().Any())
                        Append(see, text);
                    else if (target is not null)
                        text.Append('`').Append(ShortName(target)).Append('`');
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                    text.Append('`').Append((string?)reference.Attribute("name")).Append('`');
                    break;
                case XElement { Name.LocalName: "c" } code:
                    text.Append('`').Append(code.Value).Append('`');
                    break;
                case XElement { Name.LocalName: "para" or "br" } paragraph:
                    text.Append(' ');
                    Append(paragraph, text);
                    text.Append(' ');
                    break;
                case XElement other:
                    Append(other, text);
                    break;
            }
        }
    }

    /// <summary><c>T:App.Models.User</c> as <c>User</c>; <c>M:App.Users.ById(System.Int32)</c> as <c>Users.ById</c>.</summary>
    private static string ShortName(string cref)
    {
        string name = cref.Length > 2 && cref[1] == ':' ? cref.Substring(2) : cref;
        int parenthesis = name.IndexOf('(');
        if (parenthesis >= 0)
            name = name.Substring(0, parenthesis);
        var parts = name.Split('.');
        return cref.StartsWith("T:", StringComparison.Ordinal) || parts.Length < 2 ? parts[parts.Length - 1]
            : parts[parts.Length - 2] + "." + parts[parts.Length - 1];
    }
}
