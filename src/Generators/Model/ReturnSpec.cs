namespace CgiRouting.Generators.Model;

/// <summary>How a handler's result becomes a response.</summary>
internal enum ReturnKind
{
    NoContent,
    Text,
    Bytes,
    Response,
    Json,
}

/// <summary>How a handler returns: synchronously, or through Task or ValueTask.</summary>
internal enum AsyncKind
{
    None,
    Task,
    ValueTask,
}

/// <summary>A handler's return type. <paramref name="JsonTypeName"/> is T for JSON results.</summary>
internal sealed record ReturnSpec(ReturnKind Kind, AsyncKind Async, string? JsonTypeName);
