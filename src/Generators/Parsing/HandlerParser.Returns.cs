using System.Collections.Generic;
using System.Linq;
using CgiRouting.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CgiRouting.Generators;

/// <summary>A handler's return type: how its result becomes a response (<see cref="ReturnKind"/>).</summary>
internal static partial class HandlerParser
{
    private sealed partial class Parser
    {
        private ReturnSpec? ParseReturn()
        {
            var location = syntax.ReturnType.GetLocation();
            if (LocationInfo.From(location) is { } site)
                _sites.Add(new Site(SiteKey.Return(_key), site));
            var type = method.ReturnType;
            if (type.TypeKind == TypeKind.Error || (type is INamedTypeSymbol { TypeArguments: var arguments } && arguments.Any(a => a.TypeKind == TypeKind.Error)))
            {
                _failed = true; // the compiler reports the unknown type
                return null;
            }
            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
                return Unsupported("ref returns cannot be sent");
            var async = AsyncKind.None;
            if (KnownTypes.Is(type, known.Task) || KnownTypes.Is(type, known.ValueTask))
                return Returns(ReturnKind.NoContent, KnownTypes.Is(type, known.Task) ? AsyncKind.Task : AsyncKind.ValueTask);
            if (type is INamedTypeSymbol { TypeArguments.Length: 1 } task && (KnownTypes.Is(type, known.TaskOfT) || KnownTypes.Is(type, known.ValueTaskOfT)))
            {
                async = KnownTypes.Is(type, known.TaskOfT) ? AsyncKind.Task : AsyncKind.ValueTask;
                type = task.TypeArguments[0];
            }
            if (type.SpecialType == SpecialType.System_Void)
                return Returns(ReturnKind.NoContent, async);
            bool nullable = type.NullableAnnotation == NullableAnnotation.Annotated || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
            if (type.SpecialType == SpecialType.System_String)
                return Returns(ReturnKind.Text, async) with { IsNullable = nullable };
            if (IsByteArray(type))
                return Returns(ReturnKind.Bytes, async) with { IsNullable = nullable };
            if (KnownTypes.Is(type, known.Response))
                return Returns(ReturnKind.Response, async);
            if (KnownTypes.Is(type, known.Task) || KnownTypes.Is(type, known.ValueTask) || KnownTypes.Is(type, known.TaskOfT) || KnownTypes.Is(type, known.ValueTaskOfT))
                return Unsupported("a task of a task cannot be sent; await the inner task");
            if (type is INamedTypeSymbol { TypeArguments.Length: 1 } sequence && KnownTypes.Is(type, known.AsyncEnumerableOfT))
            {
                if (async != AsyncKind.None)
                    return Unsupported("a task of a stream cannot be sent; return the IAsyncEnumerable<T> itself (an async iterator)");
                var item = sequence.TypeArguments[0];
                if (JsonTypeProblem(item) is { } itemProblem)
                    return Unsupported(itemProblem + "; a streamed item is written as JSON, so it must be a type of the app's JsonSerializerContext");
                var itemType = item.IsReferenceType ? item.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : item;
                return Returns(ReturnKind.JsonStream, async) with { JsonTypeName = itemType.ToDisplayString(TypeFormat) };
            }
            if (JsonTypeProblem(type) is { } problem)
                return Unsupported(problem + "; return string, byte[], Response, or a type of the app's JsonSerializerContext");
            var jsonType = type.IsReferenceType ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : type;
            return Returns(ReturnKind.Json, async) with { JsonTypeName = jsonType.ToDisplayString(TypeFormat), IsNullable = nullable };

            static ReturnSpec Returns(ReturnKind kind, AsyncKind async) => new() { Kind = kind, Async = async };

            ReturnSpec? Unsupported(string reason)
            {
                Report(DiagnosticDescriptors.UnsupportedReturnType, location, _display, method.ReturnType.ToDisplayString(), reason);
                return null;
            }
        }
    }
}
