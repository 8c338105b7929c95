using System.Text;

namespace CgiRouting.Generators;

/// <summary>A small indenting writer for emitted C# (after System.Text.Json's gen/Helpers/SourceWriter.cs).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0)
            _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
    }

    public void Open(string? line = null)
    {
        if (line is not null)
            Line(line);
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
