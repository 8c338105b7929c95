using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CgiRouting.Generators;

/// <summary>
/// How generated code spells things in C#: identifiers (escaped where they are keywords, or made from any text),
/// literals, and the names of the app's types. Every emitter and parser that writes C# text goes through here.
/// </summary>
internal static class CSharp
{
    /// <summary>A C# identifier as it must be written where it could be a keyword (<c>@class</c>).</summary>
    public static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

    /// <summary><paramref name="text"/> with every character that cannot be in an identifier replaced by <c>_</c>.</summary>
    public static string Identifier(string text)
    {
        var b = new StringBuilder(text.Length + 1);
        foreach (char c in text)
            b.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        if (b.Length == 0 || char.IsDigit(b[0]))
            b.Insert(0, '_');
        string name = b.ToString();
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "_" + name : name;
    }

    /// <summary>A string literal of <paramref name="text"/>.</summary>
    public static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    /// <summary>A character literal of <paramref name="c"/>.</summary>
    public static string Literal(char c) => SymbolDisplay.FormatLiteral(c, quote: true);

    /// <summary>A UTF-8 string literal (<c>"..."u8</c>) of <paramref name="text"/>.</summary>
    public static string Utf8Literal(string text) => Literal(text) + "u8";

    /// <summary>A constant (a number, a string, a bool) as a C# literal, in decimal.</summary>
    public static string Primitive(object value) =>
        SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);

    /// <summary><paramref name="text"/> as it is written in an XML documentation comment: <c>&amp; &lt; &gt;</c> escaped.</summary>
    public static string XmlText(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary><c>global::App.Models.User</c> as <c>App.Models.User</c>, for messages and names.</summary>
    public static string Shorten(string typeName) => typeName.Replace("global::", "");

    /// <summary>
    /// Whether <paramref name="type"/> and every type and namespace containing it have a name: a syntax error can
    /// leave a declaration without one, and a method outside any type lands in a type that has none (CS0116).
    /// </summary>
    public static bool HasName(INamedTypeSymbol type)
    {
        for (ISymbol? s = type; s is not null and not INamespaceSymbol { IsGlobalNamespace: true }; s = s.ContainingSymbol)
        {
            if (!s.CanBeReferencedByName)
                return false;
        }
        return true;
    }
}
