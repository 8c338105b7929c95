namespace CgiRouting.Generators.Model;

/// <summary>The app's sandbox policy: its directives, one per line (see SandboxParser).</summary>
internal sealed record SandboxSpec(string Policy);

/// <summary>What <c>SandboxParser</c> made of an <c>[assembly: Sandbox]</c>: its policy when well formed, and its diagnostics.</summary>
internal sealed record SandboxResult(SandboxSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
