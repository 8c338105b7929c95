namespace CgiRouting;

/// <summary>
/// What tells, in one mode, that the web server has abandoned a request (<see cref="CgiRequest.RequestAborted"/>): a
/// CGI process watches its standard output (<see cref="StandardOutputWatch"/>), a FastCGI request its connection
/// (<see cref="FastCgi.ConnectionWatch"/>). It starts only when a handler first asks for the token.
/// </summary>
internal abstract class AbandonWatch
{
    /// <summary>Starts watching for <paramref name="request"/>, which it will <see cref="CgiRequest.Abort"/> when abandoned.</summary>
    public abstract void Watch(CgiRequest request);

    /// <summary>Stops watching: the request is over (called once its response is written, also when never watched).</summary>
    public abstract void Unwatch(CgiRequest request);
}
