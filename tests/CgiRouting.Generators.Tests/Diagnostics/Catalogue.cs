using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators.Tests;

internal static class Catalogue
{
    /// <summary>Every descriptor the generator declares.</summary>
    public static List<DiagnosticDescriptor> All() =>
        typeof(DiagnosticDescriptors).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id)
            .ToList();
}
