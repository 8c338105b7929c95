using System;
using System.Collections.Generic;

namespace CgiRouting.Generators;

/// <summary>
/// Makes the names of one scope of generated code (the members of a type) unique: every emitted name goes through
/// <see cref="Make"/>, which turns any text into an identifier (<see cref="CSharp.Identifier"/>) and, when that identifier is taken, appends the
/// first free <c>_2</c>, <c>_3</c>, .... Lossy replacement alone would let <c>A.B_C</c> and <c>A_B.C</c> collide.
/// </summary>
internal sealed class UniqueNames
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>A scope in which <paramref name="reserved"/> are already taken.</summary>
    public UniqueNames(params string[] reserved)
    {
        foreach (string name in reserved)
            _used.Add(name);
    }

    /// <summary>A new, unused identifier made from <paramref name="text"/>.</summary>
    public string Make(string text)
    {
        string name = CSharp.Identifier(text);
        if (_used.Add(name))
            return name;
        for (int i = 2; ; i++)
        {
            string candidate = name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_used.Add(candidate))
                return candidate;
        }
    }
}
