namespace CgiRouting.Generators;

/// <summary>
/// What the generated files share: the <c>[GeneratedCode]</c> attribute on every generated type, with the generator's
/// version, and the name by which one generated file refers to a class of another.
/// </summary>
internal static class GeneratedCode
{
    /// <summary>The generator's version (major.minor.patch), as <c>[GeneratedCode]</c> gives it.</summary>
    public static readonly string Version = typeof(GeneratedCode).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The attribute line above each generated type.</summary>
    public static readonly string Attribute = $"[global::System.CodeDom.Compiler.GeneratedCode(\"CgiRouting.Generators\", \"{Version}\")]";

    /// <summary>The class of the OpenAPI document (<c>CgiOpenApi.g.cs</c>), whose <c>Document</c> the dispatcher's route table carries.</summary>
    public const string OpenApiClass = "global::CgiRouting.Generated.CgiOpenApi";
}
