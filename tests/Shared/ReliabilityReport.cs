using System;
using System.IO;

namespace CgiRouting.Testing;

/// <summary>
/// Figures a test measured (soak, model checks), for docs/reliability.md: appended to the file that
/// scripts/reliability.sh names in <c>CGIROUTING_RELIABILITY_OUT</c>, and printed.
/// </summary>
internal static class ReliabilityReport
{
    public static void Write(string line)
    {
        Console.WriteLine(line);
        if (Environment.GetEnvironmentVariable("CGIROUTING_RELIABILITY_OUT") is { Length: > 0 } file)
            File.AppendAllText(file, line + "\n");
    }

    /// <summary>How many times the usual number of random cases a property test runs: <c>CGIROUTING_MODEL_SCALE</c>, 1 by default.</summary>
    public static int Scale => int.TryParse(Environment.GetEnvironmentVariable("CGIROUTING_MODEL_SCALE"), out int scale) && scale > 0 ? scale : 1;
}
