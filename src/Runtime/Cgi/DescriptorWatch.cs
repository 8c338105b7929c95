using System;
using System.Threading;

namespace CgiRouting;

/// <summary>
/// One thread that waits with poll(2) on the descriptors of requests whose handlers asked for
/// <see cref="CgiRequest.RequestAborted"/>, and tells each <see cref="Entry"/> what happened on its descriptor. It is
/// started with the first entry (a process whose handlers never ask starts no thread) and sleeps while it has none.
/// New entries are looked at within <see cref="Interval"/>.
/// </summary>
internal sealed unsafe class DescriptorWatch
{
    private const int Interval = 100; // milliseconds

    // An array and its count, not a List<Entry>: each List<T> of a type of its own is three static bases that every
    // process, CGI ones included, allocates at start (bench/notes.md).
    private readonly object _lock = new(); // Monitor.Wait and Pulse: an object, not a Lock
    private Entry[] _entries = new Entry[4];
    private int _count;
    private Thread? _thread;

    /// <summary>A watched descriptor and what to do when poll(2) reports on it.</summary>
    internal abstract class Entry
    {
        /// <summary>The descriptor.</summary>
        public abstract int Descriptor { get; }

        /// <summary>The events to wait for; POLLERR and POLLHUP are always reported.</summary>
        public abstract short Events { get; }

        /// <summary>Handles <paramref name="returned"/> events; <see langword="true"/> to stop watching.</summary>
        public abstract bool Ready(short returned);
    }

    public void Add(Entry entry)
    {
        lock (_lock)
        {
            if (_count == _entries.Length)
                Array.Resize(ref _entries, _count * 2);
            _entries[_count++] = entry;
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "CgiRouting request watch" };
                _thread.Start();
            }
            Monitor.Pulse(_lock);
        }
    }

    public void Remove(Entry entry)
    {
        lock (_lock)
        {
            int i = IndexOf(entry);
            if (i < 0)
                return;
            _entries[i] = _entries[--_count];
            _entries[_count] = null!;
        }
    }

    private bool Contains(Entry entry)
    {
        lock (_lock)
            return IndexOf(entry) >= 0;
    }

    private int IndexOf(Entry entry)
    {
        for (int i = 0; i < _count; i++)
        {
            if (ReferenceEquals(_entries[i], entry))
                return i;
        }
        return -1;
    }

    private void Run()
    {
        var watched = new Entry[4];
        var descriptors = new PollDescriptor[4];
        while (true)
        {
            int count;
            lock (_lock)
            {
                while (_count == 0)
                    Monitor.Wait(_lock);
                count = _count;
                if (watched.Length < count)
                {
                    watched = new Entry[_entries.Length];
                    descriptors = new PollDescriptor[_entries.Length];
                }
                Array.Copy(_entries, watched, count);
            }
            for (int i = 0; i < count; i++)
                descriptors[i] = new PollDescriptor { Descriptor = watched[i].Descriptor, Events = watched[i].Events };
            int ready;
            fixed (PollDescriptor* first = descriptors)
                ready = PollDescriptor.Poll(first, (nuint)count, Interval);
            // ready <= 0: the interval passed (or EINTR), and the entries are looked at again.
            for (int i = 0; i < count && ready > 0; i++)
            {
                short returned = descriptors[i].ReturnedEvents;
                // An entry removed meanwhile belongs to a request that is over: its descriptor may be another's by now.
                if (returned != 0 && Contains(watched[i]) && watched[i].Ready(returned))
                    Remove(watched[i]);
            }
            Array.Clear(watched, 0, count); // no request kept alive by this thread's copy
        }
    }
}
