namespace CgiRouting.FastCgi;

/// <summary>What a request held of the worker's <c>--max-concurrency</c> slots when it ended.</summary>
internal enum RequestSlot
{
    /// <summary>None: it ended before it waited for one, or none came free within its deadline (it was answered 503).</summary>
    None,

    /// <summary>One, which it gives back now.</summary>
    Held,

    /// <summary>
    /// One, given back already when its deadline answered 503 while the handler still ran: its thread was counted as
    /// stuck until now.
    /// </summary>
    ReleasedLate,
}
