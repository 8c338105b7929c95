using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace CgiRouting.FastCgi;

/// <summary>
/// <c>--access-log PATH</c> (or <c>-</c>, the worker's error log): a line per request, after its response, in the format
/// of <c>--access-format</c>: php-fpm's <c>access.format</c> letters where php-fpm has them (<see cref="Letters"/>), two of
/// its own (<c>%w</c> the route template, <c>%b</c> the response's bytes), or <c>json</c> for a JSON object a line. Text
/// that comes from the request is escaped (<see cref="PrintableText"/>, and <c>"</c> as <c>\x22</c>), so that no request
/// can end a line or forge a field. Lines are written whole with one write(2) on a file opened with O_APPEND, so that the
/// lines of a pool's workers never overwrite each other; under load several at a time (<see cref="Write"/>).
/// </summary>
internal sealed class AccessLog
{
    /// <summary>The format without <c>--access-format</c>: every field the issue asks for, php-fpm's letters first.</summary>
    public const string DefaultFormat = "%t %R \"%m %r%Q%q\" %w %s %b %{mili}d %p %{kilo}M";

    /// <summary>The letters <c>--access-format</c> knows, for its error message and <c>--help</c>.</summary>
    public const string Letters = "%t %T %R %m %r %q %Q %u %s %l %f %w %b %d %p %M %%";

    private readonly Item[]? _items; // null: JSON lines
    private readonly int _descriptor;
    private readonly TextWriter? _errorLog;
    private readonly object _writing = new();

    private AccessLog(Item[]? items, int descriptor, TextWriter? errorLog)
    {
        _items = items;
        _descriptor = descriptor;
        _errorLog = errorLog;
        // A loop, not Array.Exists with a lambda: Native AOT allocates a lambda class's statics at every start.
        UsesPeakMemory = items is null;
        foreach (var item in items ?? [])
            UsesPeakMemory |= item.Letter == 'M';
    }

    /// <summary>One piece of a format: text as it is, or a field's letter with its <c>{modifier}</c>.</summary>
    // Not a record struct: its equality members would have Native AOT allocate comparers' statics at every start. A struct,
    // not a class: measured, the class cost every CGI request 4,000 instructions more (bench/instructions.sh).
    private readonly struct Item(string? text, char letter, string? modifier)
    {
        public string? Text => text;

        public char Letter => letter;

        public string? Modifier => modifier;
    }

    /// <summary>What one line says of a request (the worker fills it in; the tests give their own).</summary>
    internal sealed class Entry
    {
        public DateTime Start { get; init; }
        public DateTime End { get; init; }
        public string RemoteAddress { get; init; } = "";
        public string Method { get; init; } = "";
        /// <summary>The request URI without its query.</summary>
        public string Path { get; init; } = "";
        public string Query { get; init; } = "";
        public string User { get; init; } = "";
        public string Script { get; init; } = "";
        public string ContentLength { get; init; } = "";
        /// <summary>The route template matched, null for none.</summary>
        public string? Route { get; init; }
        public int Status { get; init; }
        public long Bytes { get; init; }
        public long Microseconds { get; init; }
        public int Pid { get; init; }
        public long PeakResidentBytes { get; init; }
    }

    /// <summary>
    /// Checks <paramref name="format"/> (null for <see cref="DefaultFormat"/>, <c>json</c> for JSON lines); null and a
    /// line on <paramref name="error"/> when it has a letter that is no field.
    /// </summary>
    public static bool IsValidFormat(string? format, TextWriter error) => format == "json" || Parse(format ?? DefaultFormat, error) is not null;

    /// <summary>
    /// The access log at <paramref name="path"/> (<c>-</c>: <paramref name="errorLog"/>) in <paramref name="format"/>;
    /// throws <see cref="IOException"/> when the file cannot be opened, <see cref="FormatException"/> for a bad format.
    /// </summary>
    public static AccessLog Open(string path, string? format, TextWriter errorLog)
    {
        Item[]? items = null;
        if (format != "json")
            items = Parse(format ?? DefaultFormat, TextWriter.Null) ?? throw new FormatException($"--access-format '{format}' has a letter that is no field ({Letters}).");
        if (path == "-")
            return new AccessLog(items, -1, errorLog);
        int descriptor = ProcessUsage.OpenForAppend(path);
        if (descriptor < 0)
            throw new IOException($"--access-log {path} cannot be opened (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        return new AccessLog(items, descriptor, null);
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot be opened to append to (it is created if missing), or null when it can: said once
    /// by a manager or worker at start, rather than by every worker of a pool as it dies.
    /// </summary>
    public static string? CannotOpen(string path)
    {
        if (path == "-")
            return null;
        int descriptor = ProcessUsage.OpenForAppend(path);
        if (descriptor < 0)
            return $"--access-log {path} cannot be opened (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).";
        ProcessUsage.Close(descriptor);
        return null;
    }

    /// <summary>For tests: the lines of a format as <see cref="Line"/> writes them, without a file.</summary>
    internal static AccessLog ForFormat(string? format) =>
        new(format == "json" ? null : Parse(format ?? DefaultFormat, TextWriter.Null) ?? throw new FormatException(format), -1, TextWriter.Null);

    private static Item[]? Parse(string format, TextWriter error)
    {
        var items = new List<Item>();
        var text = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                text.Append(format[i]);
                continue;
            }
            string? modifier = null;
            if (i + 1 < format.Length && format[i + 1] == '{')
            {
                int close = format.IndexOf('}', i + 2);
                if (close < 0)
                {
                    error.WriteLine($"--access-format: '{format}' has a '%{{' without its '}}'.");
                    return null;
                }
                modifier = format[(i + 2)..close];
                i = close;
            }
            if (i + 1 >= format.Length)
            {
                error.WriteLine($"--access-format: '{format}' ends with '%'.");
                return null;
            }
            char letter = format[++i];
            if (letter == '%')
            {
                text.Append('%');
                continue;
            }
            if (letter == ' ' || Letters.IndexOf(letter) < 0 || !ModifierFits(letter, modifier))
            {
                error.WriteLine($"--access-format: %{(modifier is null ? "" : "{" + modifier + "}")}{letter} is not a field; the fields are {Letters} "
                    + "(%{seconds|mili|micro}d, %{bytes|kilo|mega}M), or the format 'json'.");
                return null;
            }
            if (text.Length > 0)
                items.Add(new Item(text.ToString(), '\0', null));
            text.Clear();
            items.Add(new Item(null, letter, modifier));
        }
        if (text.Length > 0)
            items.Add(new Item(text.ToString(), '\0', null));
        return items.ToArray();
    }

    private static bool ModifierFits(char letter, string? modifier) => modifier is null || letter switch
    {
        'd' => modifier is "seconds" or "mili" or "milli" or "miliseconds" or "milliseconds" or "micro" or "microseconds",
        'M' => modifier is "bytes" or "kilo" or "kilobytes" or "mega" or "megabytes",
        _ => false,
    };

    /// <summary>
    /// Writes <paramref name="entry"/>'s line; a failed write is said once on the error log, never thrown. The line goes to
    /// the file at once when <paramref name="idle"/> (no other request of the worker is in flight); under load, lines are
    /// gathered and written together once they fill <see cref="FlushSize"/>, a second has passed since the first of them,
    /// or the worker has nothing else in flight (a write(2) per line had cost a worker a tenth of its requests per second).
    /// </summary>
    public void Write(Entry entry, bool idle = true)
    {
        if (_descriptor < 0)
        {
            _errorLog!.Write(Line(entry));
            return;
        }
        byte[] bytes = _items is null ? Json(entry) : Encoding.UTF8.GetBytes(Formatted(entry, _items));
        lock (_writing)
        {
            if (_buffered == 0)
                _firstBuffered = Environment.TickCount64;
            if (_buffered + bytes.Length > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _buffered + bytes.Length));
            bytes.CopyTo(_buffer, _buffered);
            _buffered += bytes.Length;
            if (idle || _buffered >= FlushSize || Environment.TickCount64 - _firstBuffered >= 1000)
                FlushBuffered();
        }
    }

    /// <summary>How many bytes of lines are gathered under load before they are written.</summary>
    internal const int FlushSize = 8192;

    private byte[] _buffer = new byte[FlushSize + 1024];
    private int _buffered;
    private long _firstBuffered;

    /// <summary>Writes the lines gathered (when the worker stops, and after each request that leaves it idle).</summary>
    public void Flush()
    {
        lock (_writing)
            FlushBuffered();
    }

    private void FlushBuffered()
    {
        if (_buffered == 0)
            return;
        if (!ProcessUsage.Write(_descriptor, _buffer.AsSpan(0, _buffered)) && !_failed)
        {
            _failed = true;
            new StandardDescriptorWriter(2).WriteLine($"CgiRouting: the access log could not be written (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        }
        _buffered = 0;
    }

    private bool _failed;

    /// <summary><paramref name="entry"/> as a line of this log, with its line feed.</summary>
    internal string Line(Entry entry) => _items is null ? Encoding.UTF8.GetString(Json(entry)) : Formatted(entry, _items);

    private string Formatted(Entry entry, Item[] items)
    {
        var line = new StringBuilder();
        foreach (var item in items)
        {
            if (item.Text is not null)
                line.Append(item.Text);
            else
                line.Append(Field(entry, item.Letter, item.Modifier));
        }
        return line.Append('\n').ToString();
    }

    private string Field(Entry entry, char letter, string? modifier) => letter switch
    {
        't' => Time(entry.Start),
        'T' => Time(entry.End),
        'R' => Text(entry.RemoteAddress),
        'm' => Text(entry.Method),
        'r' => Text(entry.Path),
        'q' => entry.Query.Length == 0 ? "" : Text(entry.Query), // nothing when there is none, as %Q
        'Q' => entry.Query.Length > 0 ? "?" : "",
        'u' => Text(entry.User),
        'f' => Text(entry.Script),
        'l' => Text(entry.ContentLength),
        's' => entry.Status.ToString(CultureInfo.InvariantCulture),
        'w' => entry.Route is null ? "-" : Text(entry.Route),
        'b' => entry.Bytes.ToString(CultureInfo.InvariantCulture),
        'd' => modifier switch
        {
            "mili" or "milli" or "miliseconds" or "milliseconds" => Thousandths(entry.Microseconds),
            "micro" or "microseconds" => entry.Microseconds.ToString(CultureInfo.InvariantCulture),
            _ => Thousandths((entry.Microseconds + 500) / 1000),
        },
        'p' => entry.Pid.ToString(CultureInfo.InvariantCulture),
        'M' => modifier switch
        {
            "kilo" or "kilobytes" => (entry.PeakResidentBytes / 1024).ToString(CultureInfo.InvariantCulture),
            "mega" or "megabytes" => (entry.PeakResidentBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture),
            _ => entry.PeakResidentBytes.ToString(CultureInfo.InvariantCulture),
        },
        _ => "-",
    };

    /// <summary>php-fpm's time: <c>07/Dec/2026:15:04:05 +0000</c> (UTC).</summary>
    private string Time(DateTime time)
    {
        // Formatted once a second, as nginx caches its log time: a request's line then costs no date formatting.
        long second = time.Ticks / TimeSpan.TicksPerSecond;
        var cached = _time;
        if (cached is not null && cached.Second == second)
            return cached.Text;
        // By hand, as SetCookie's date: DateTime.ToString with a format brings the date formatting and time-zone code,
        // about 100 KB, into every app, and its relocations into every CGI request's start (measured: 2.6 % more instructions).
        var text = new StringBuilder(26);
        Digits(text, time.Day, 2).Append('/').Append("JanFebMarAprMayJunJulAugSepOctNovDec", (time.Month - 1) * 3, 3).Append('/');
        Digits(Digits(Digits(Digits(text, time.Year, 4).Append(':'), time.Hour, 2).Append(':'), time.Minute, 2).Append(':'), time.Second, 2).Append(" +0000");
        _time = new CachedTime(second, text.ToString());
        return _time.Text;
    }

    /// <summary>Appends <paramref name="value"/> with <paramref name="digits"/> digits, zeros in front.</summary>
    private static StringBuilder Digits(StringBuilder text, long value, int digits)
    {
        Span<char> buffer = stackalloc char[20];
        int start = buffer.Length;
        do
        {
            buffer[--start] = (char)('0' + value % 10);
            value /= 10;
        }
        while (value > 0 || buffer.Length - start < digits);
        return text.Append(buffer[start..]);
    }

    /// <summary><paramref name="value"/> thousandths as a decimal with three places: 2500 is <c>2.500</c>.</summary>
    private static string Thousandths(long value) => Digits(Digits(new StringBuilder(), value / 1000, 1).Append('.'), value % 1000, 3).ToString();

    private sealed class CachedTime(long second, string text)
    {
        public long Second => second;

        public string Text => text;
    }

    private volatile CachedTime? _time;

    /// <summary>Whether a line needs the peak RSS (<c>%M</c>, or JSON): a system call, made only then.</summary>
    public bool UsesPeakMemory { get; }

    /// <summary>Request text: "-" when empty (as php-fpm), control characters and <c>"</c> escaped.</summary>
    private static string Text(string value)
    {
        if (value.Length == 0)
            return "-";
        string escaped = PrintableText.Escape(value);
        if (escaped.IndexOf('"') < 0)
            return escaped;
        var text = new StringBuilder(escaped.Length + 8);
        foreach (char c in escaped)
        {
            if (c == '"')
                text.Append("\\x22");
            else
                text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>A JSON line, written as UTF-8 from u8 literals (no string objects for the loader to relocate at start).</summary>
    private static byte[] Json(Entry entry)
    {
        var json = new Dispatching.JsonUtf8Builder();
        var start = entry.Start;
        var time = new StringBuilder(24);
        Digits(Digits(Digits(time, start.Year, 4).Append('-'), start.Month, 2).Append('-'), start.Day, 2).Append('T');
        Digits(Digits(Digits(Digits(time, start.Hour, 2).Append(':'), start.Minute, 2).Append(':'), start.Second, 2).Append('.'), start.Millisecond, 3).Append('Z');
        json.StartObject();
        json.Property("\"time\":"u8);
        json.String(time.ToString());
        json.Property("\"remote_addr\":"u8);
        json.String(entry.RemoteAddress);
        json.Property("\"method\":"u8);
        json.String(entry.Method);
        json.Property("\"uri\":"u8);
        json.String(entry.Path);
        json.Property("\"query\":"u8);
        json.String(entry.Query);
        json.Property("\"route\":"u8);
        if (entry.Route is null)
            json.Null();
        else
            json.String(entry.Route);
        json.Property("\"status\":"u8);
        json.Number(entry.Status);
        json.Property("\"bytes\":"u8);
        json.Number(entry.Bytes);
        json.Property("\"duration_us\":"u8);
        json.Number(entry.Microseconds);
        json.Property("\"pid\":"u8);
        json.Number(entry.Pid);
        json.Property("\"peak_rss_bytes\":"u8);
        json.Number(entry.PeakResidentBytes);
        json.EndObject();
        json.Raw("\n"u8);
        return json.WrittenSpan.ToArray();
    }
}
