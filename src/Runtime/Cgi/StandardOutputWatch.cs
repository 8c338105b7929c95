namespace CgiRouting;

/// <summary>
/// A CGI process's request is abandoned when the web server closes the reading end of its standard output (the
/// client went away and the server gave up on the response): poll(2) then reports POLLERR on a pipe, POLLHUP on a
/// socket. The process has one request, and its own watch thread once the handler asks for the token.
/// </summary>
internal sealed class StandardOutputWatch : AbandonWatch
{
    private DescriptorWatch? _watch;
    private Entry? _entry;

    public override void Watch(CgiRequest request)
    {
        _entry = new Entry(request);
        (_watch = new DescriptorWatch()).Add(_entry);
    }

    public override void Unwatch(CgiRequest request)
    {
        if (_entry is not null)
            _watch?.Remove(_entry);
    }

    private sealed class Entry(CgiRequest request) : DescriptorWatch.Entry
    {
        public override int Descriptor => 1;

        public override short Events => 0; // only POLLERR and POLLHUP, which poll(2) always reports

        public override bool Ready(short returned)
        {
            request.Abort();
            return true;
        }
    }
}
