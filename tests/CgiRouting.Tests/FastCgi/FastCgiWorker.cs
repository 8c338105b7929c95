using System;
using System.IO;
using System.Text;
using CgiRouting.FastCgi;

namespace CgiRouting.Tests;

/// <summary>
/// A FastCGI worker in the test process, serving this project's routes on a unix socket in a temporary directory
/// (or on a loopback TCP port), with its error log kept for the test to read: the app's <see cref="CgiOptions.ErrorLog"/>
/// and the worker's own log, or with <c>appErrorLog: false</c> only the worker's (requests send their errors as STDERR).
/// </summary>
internal sealed class FastCgiWorker : IDisposable
{
    private readonly int _listener;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    public FastCgiWorker(int maxConcurrency = 4, long maxRequests = 0, CgiOptions? options = null, bool tcp = false, bool start = true,
        bool appErrorLog = true)
    {
        _directory = Directory.CreateTempSubdirectory("cgirouting-fcgi-").FullName;
        Log = TextWriter.Synchronized(new StringWriter(_log));
        options ??= new CgiOptions();
        if (appErrorLog)
            options.ErrorLog = Log;
        _listener = SocketDescriptor.Listen(tcp ? "127.0.0.1:0" : "unix:" + Path.Combine(_directory, "worker.sock"), 64);
        Address = SocketDescriptor.Describe(_listener);
        Server = new FastCgiServer(_listener, ownsListener: true, maxConcurrency, maxRequests, options, Log);
        if (start)
            Server.Start();
    }

    public string Address { get; }
    public FastCgiServer Server { get; }
    public TextWriter Log { get; }

    public string LogText
    {
        get
        {
            lock (Log)
                return _log.ToString();
        }
    }

    public FastCgiClient Connect() => FastCgiClient.Connect(Address);

    public void Dispose()
    {
        Server.Stop(TimeSpan.FromSeconds(5));
        // Closed only once no thread can call accept on it: the number would go to the next test's socket.
        if (Server.WaitForThreads(TimeSpan.FromSeconds(5)))
            SocketDescriptor.Close(_listener);
        Directory.Delete(_directory, recursive: true);
    }
}
