using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>Whether generated code can spell the name of an app's symbol.</summary>
internal static class Naming
{
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
