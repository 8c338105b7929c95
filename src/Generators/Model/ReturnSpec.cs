namespace CgiRouting.Generators.Model;

/// <summary>How a handler's result becomes a response.</summary>
internal enum ReturnKind
{
    NoContent,
    Text,
    Bytes,
    Response,
    Json,
    /// <summary>An <c>IAsyncEnumerable&lt;T&gt;</c> of a JSON type, streamed as it is produced.</summary>
    JsonStream,
}

/// <summary>How a handler returns: synchronously, or through Task or ValueTask.</summary>
internal enum AsyncKind
{
    None,
    Task,
    ValueTask,
}

/// <summary>A handler's return type.</summary>
internal sealed record ReturnSpec
{
    public required ReturnKind Kind { get; init; }

    public required AsyncKind Async { get; init; }

    /// <summary>T, fully qualified, for JSON results.</summary>
    public string? JsonTypeName { get; init; }

    /// <summary>The result is declared nullable (<c>T?</c>): null answers 404.</summary>
    public bool IsNullable { get; init; }
}
