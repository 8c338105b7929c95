using System.Collections.Generic;
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

    private readonly List<Entry> _entries = [];
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
        lock (_entries)
        {
            _entries.Add(entry);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "CgiRouting request watch" };
                _thread.Start();
            }
            Monitor.Pulse(_entries);
        }
    }

    public void Remove(Entry entry)
    {
        lock (_entries)
            _entries.Remove(entry);
    }

    private bool Contains(Entry entry)
    {
        lock (_entries)
            return _entries.Contains(entry);
    }

    private void Run()
    {
        var watched = new List<Entry>();
        var descriptors = new PollDescriptor[4];
        while (true)
        {
            watched.Clear();
            lock (_entries)
            {
                while (_entries.Count == 0)
                    Monitor.Wait(_entries);
                watched.AddRange(_entries);
            }
            if (descriptors.Length < watched.Count)
                descriptors = new PollDescriptor[watched.Count * 2];
            for (int i = 0; i < watched.Count; i++)
                descriptors[i] = new PollDescriptor { Descriptor = watched[i].Descriptor, Events = watched[i].Events };
            int ready;
            fixed (PollDescriptor* first = descriptors)
                ready = PollDescriptor.Poll(first, (nuint)watched.Count, Interval);
            if (ready <= 0)
                continue; // the interval passed (or EINTR): look at the entries again
            for (int i = 0; i < watched.Count; i++)
            {
                short returned = descriptors[i].ReturnedEvents;
                // An entry removed meanwhile belongs to a request that is over: its descriptor may be another's by now.
                if (returned != 0 && Contains(watched[i]) && watched[i].Ready(returned))
                    Remove(watched[i]);
            }
        }
    }
}
