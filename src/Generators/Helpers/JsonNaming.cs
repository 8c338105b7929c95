using System.Globalization;
using System.Text;
using CgiRouting.Dispatching;

namespace CgiRouting.Generators.Json;

/// <summary>
/// The JSON names System.Text.Json gives properties: its known naming policies, applied at build time as its own
/// source generator applies them, and its escaping of the result.
/// </summary>
internal static class JsonNaming
{
    /// <summary>The name under <paramref name="policy"/> (a JsonKnownNamingPolicy value).</summary>
    public static string Apply(int policy, string name) => policy switch
    {
        1 => CamelCase(name),
        2 => Separated(name, '_', lower: true),
        3 => Separated(name, '_', lower: false),
        4 => Separated(name, '-', lower: true),
        5 => Separated(name, '-', lower: false),
        _ => name,
    };

    /// <summary><paramref name="text"/> escaped as in a JSON string, without quotes.</summary>
    public static string Escape(string text)
    {
        var bytes = new byte[text.Length * 6];
        int length = JsonEscaping.Escape(text, bytes);
        return Encoding.ASCII.GetString(bytes, 0, length);
    }

    /// <summary>
    /// camelCase: a leading run of upper-case letters is lowered, except the last of a run that a lower-case letter
    /// follows (<c>URLValue</c> is <c>urlValue</c>, <c>ID</c> is <c>id</c>); a name not starting upper-case is kept.
    /// </summary>
    private static string CamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
            return name;
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
                break;
            if (i > 0 && i + 1 < chars.Length && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                    chars[i] = char.ToLowerInvariant(chars[i]);
                break;
            }
            chars[i] = char.ToLowerInvariant(chars[i]);
        }
        return new string(chars);
    }

    private enum State
    {
        Start,
        Upper,
        Space,
        Other,
    }

    /// <summary>
    /// snake_case and kebab-case (System.Text.Json 8 and later): a separator goes before an upper-case letter that
    /// follows other characters, before the last capital of a run that more characters follow (<c>XMLReader</c> is
    /// <c>xml_reader</c>), and for a run of spaces between words; leading and trailing spaces go; the separator itself
    /// in the name is kept and starts afresh. Letters are all lowered (or raised); other characters are kept.
    /// </summary>
    private static string Separated(string name, char separator, bool lower)
    {
        var result = new StringBuilder(name.Length + 8);
        var state = State.Start;
        int i = 0;
        while (i < name.Length)
        {
            var category = CategoryAt(name, i, out int length);
            string current = name.Substring(i, length);
            if (category == UnicodeCategory.UppercaseLetter)
            {
                if (state is State.Other or State.Space)
                {
                    result.Append(separator);
                }
                else if (state == State.Upper && i + length + 1 < name.Length)
                {
                    // The character after the next one is looked at, as System.Text.Json does.
                    if (CategoryAt(name, i + length, out _) != UnicodeCategory.UppercaseLetter && name[i + length + 1] != separator)
                        result.Append(separator);
                }
                result.Append(lower ? current.ToLowerInvariant() : current);
                state = State.Upper;
            }
            else if (category == UnicodeCategory.SpaceSeparator)
            {
                if (state != State.Start)
                    state = State.Space;
            }
            else if (name[i] == separator)
            {
                result.Append(separator);
                state = State.Start;
            }
            else
            {
                if (state == State.Space)
                    result.Append(separator);
                result.Append(lower ? current : current.ToUpperInvariant());
                state = State.Other;
            }
            i += length;
        }
        return result.ToString();
    }

    private static UnicodeCategory CategoryAt(string text, int index, out int length)
    {
        length = index + 1 < text.Length && char.IsSurrogatePair(text[index], text[index + 1]) ? 2 : 1;
        return CharUnicodeInfo.GetUnicodeCategory(text, index);
    }
}
