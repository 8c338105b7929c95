using System;
using System.Collections.Generic;
using System.IO;

namespace CgiRouting.FastCgi;

/// <summary>
/// One connection from the web server, served on one thread, modelled on Go's <c>net/http/fcgi/child.go</c> without
/// multiplexing (FCGI_MPXS_CONNS is 0, as nginx, Apache and lighttpd expect): BEGIN_REQUEST, the PARAMS until an empty
/// one, then the request is served by <see cref="RequestPipeline"/> exactly as in CGI mode, with its body read from STDIN
/// records, the CGI response written as STDOUT records and the request's error log (unless the app set
/// <see cref="CgiOptions.ErrorLog"/>) sent as STDERR records (<see cref="FastCgiErrorLog"/>), and END_REQUEST. Without
/// FCGI_KEEP_CONN the connection is closed after the request. A malformed record closes the connection with one line
/// on the worker's log: there is no request to send it with.
/// </summary>
internal sealed class FastCgiConnection
{
    /// <summary>The most PARAMS bytes of one request: a request with more is answered 431.</summary>
    internal const int MaxParamsSize = 256 * 1024;

    private readonly FastCgiRecordReader _reader;
    private readonly FastCgiRecordWriter _writer;
    private readonly FastCgiServer _server;
    private readonly Action? _shutdown;
    private readonly int _descriptor;
    private readonly object _state = new();
    private bool _busy, _closing;
    private volatile RequestActivity? _current;
    // Kept from one request to the next on this connection (nginx keeps it open: FCGI_KEEP_CONN): the PARAMS as they
    // arrive, and the output buffer of the last response, while they are no larger than RetainedBufferSize. What a
    // worker allocates per request sets how often its garbage collector runs (FastCgiConnectionTests).
    private byte[]? _parameters, _outputBuffer;
    // The PARAMS names and values of the last request, whose strings the next request reuses where they are the same
    // (FastCgiNameValuePairs.TryParse).
    private string[]? _recentParameters;
    private const int RetainedBufferSize = 16 * 1024;

    /// <summary>The request being served, when the worker observes its requests (<see cref="FastCgiServer.ObservesRequests"/>): the slow log reads it.</summary>
    public RequestActivity? Current => _current;

    /// <param name="stream">The connection, read and written.</param>
    /// <param name="server">Settings, request accounting and the error log.</param>
    /// <param name="shutdown">Ends the connection from another thread (shutdown(2)), for <see cref="CloseIfIdle"/>.</param>
    /// <param name="descriptor">The connection's socket, watched while a handler that asked for
    /// <see cref="CgiRequest.RequestAborted"/> runs (<see cref="ConnectionWatch"/>); -1 for a stream that is not one.</param>
    public FastCgiConnection(Stream stream, FastCgiServer server, Action? shutdown, int descriptor = -1)
    {
        _descriptor = descriptor;
        _reader = new FastCgiRecordReader(stream, server.RentReadBuffer());
        _writer = new FastCgiRecordWriter(stream);
        _server = server;
        _shutdown = shutdown;
    }

    /// <summary>Serves requests until the web server closes the connection, or it must close; never throws.</summary>
    public void Serve()
    {
        try
        {
            while (ServeNext())
            {
            }
        }
        catch (FastCgiProtocolException e)
        {
            _server.Log.WriteLine("CgiRouting: FastCGI connection closed, " + e.Message);
        }
        catch (IOException)
        {
            // The web server closed or reset the connection.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _server.Log.WriteLine("CgiRouting: FastCGI connection closed after an internal error: " + e);
        }
        finally
        {
            lock (_state)
                _closing = true;
            // Nothing reads the connection after this: the request, if any, ended on this thread.
            _server.ReturnReadBuffer(_reader.Buffer);
        }
    }

    /// <summary>Closes the connection if it is waiting for a request (on SIGTERM); a request in flight finishes first.</summary>
    public void CloseIfIdle()
    {
        lock (_state)
        {
            if (_closing)
                return;
            _closing = true;
            if (!_busy)
                _shutdown?.Invoke();
        }
    }

    internal bool TryReadRecord(out FastCgiRecord record) => _reader.TryRead(out record);

    /// <summary>Whether an ABORT_REQUEST for <paramref name="requestId"/> was read ahead and waits in the buffer.</summary>
    internal bool HasBufferedAbort(ushort requestId) => _reader.HasBufferedAbort(requestId);

    /// <summary>How many requests began on this connection (their BEGIN_REQUEST arrived).</summary>
    public int RequestsBegun { get; private set; }

    /// <summary>Reads and handles one record between requests; <see langword="false"/> when the connection is to close.</summary>
    private bool ServeNext()
    {
        if (!_reader.TryRead(out var record))
            return false;
        if (record.Type != FastCgiRecordType.BeginRequest)
        {
            HandleOutsideRequest(record, activeRequestId: 0);
            return true;
        }
        var content = record.Content.Span;
        if (content.Length != 8)
            throw new FastCgiProtocolException($"BEGIN_REQUEST has {content.Length} bytes of content, not 8.");
        if (record.RequestId == 0)
            throw new FastCgiProtocolException("BEGIN_REQUEST has request id 0, which is for management records.");
        int role = content[0] << 8 | content[1];
        bool keepConnection = (content[2] & FastCgiRecord.KeepConnection) != 0;
        if (role != FastCgiRecord.ResponderRole)
        {
            _writer.SendEndRequest(record.RequestId, FastCgiRecord.UnknownRole);
            return keepConnection;
        }
        lock (_state)
        {
            if (_closing)
                return false; // shut down while idle (CloseIfIdle): no answer could be written any more
            _busy = true;
        }
        _server.BeginRequest(firstOnConnection: RequestsBegun == 0);
        RequestsBegun++;
        var slot = RequestSlot.None;
        try
        {
            bool usable = ServeRequest(record.RequestId, ref slot, out var input);
            // A connection the web server keeps (FCGI_KEEP_CONN) is its to close (FastCGI 1.0, §5.1): also when this
            // worker stops or has served its --max-requests. A worker that closed it could do so just as the web server
            // sends the next request on it, which would be lost (nginx never sends a POST again).
            if (usable && keepConnection)
            {
                if (_server.Stopping || !_server.HasRequestsLeft)
                    _server.NoteConnectionKeptPastQuota();
                return true; // what is left of STDIN is read and dropped as records of an ended request
            }
            // Closing: first read what is left of STDIN, so that the web server is not still writing when the connection
            // closes (that would reset it, and could lose the response), within the limit of CGI mode.
            if (usable)
                input?.DrainToEnd(Math.Max(_server.Options?.MaxRequestBodySize ?? CgiOptions.DefaultMaxRequestBodySize, RequestPipeline.MaxBodyDrainedAfterRefusal));
            return false;
        }
        finally
        {
            _server.RequestFinished(slot);
            lock (_state)
            {
                _busy = false;
                if (_closing)
                    _shutdown?.Invoke();
            }
        }
    }

    /// <summary>
    /// Serves the request begun with <paramref name="requestId"/>; <see langword="false"/> when the connection cannot
    /// be used further (it ended, or a late answer closed it). <paramref name="input"/> is the request's STDIN, once
    /// its PARAMS have arrived.
    /// </summary>
    private bool ServeRequest(ushort requestId, ref RequestSlot slot, out FastCgiInputStream? input)
    {
        input = null;
        byte[] parameters = _parameters ?? new byte[1024];
        int parametersLength = 0;
        bool tooLarge = false;
        while (true)
        {
            if (!_reader.TryRead(out var record))
                return false;
            if (record.RequestId != requestId)
            {
                HandleOutsideRequest(record, requestId);
                continue;
            }
            if (record.Type == FastCgiRecordType.Params)
            {
                if (record.Content.IsEmpty)
                    break;
                if (parametersLength + record.Content.Length > MaxParamsSize)
                    tooLarge = true;
                else
                {
                    if (parametersLength + record.Content.Length > parameters.Length)
                        Array.Resize(ref parameters, Math.Min(MaxParamsSize, Math.Max(parametersLength + record.Content.Length, parameters.Length * 2)));
                    record.Content.Span.CopyTo(parameters.AsSpan(parametersLength));
                    parametersLength += record.Content.Length;
                }
            }
            else if (record.Type == FastCgiRecordType.AbortRequest)
            {
                _writer.SendEndRequest(requestId, FastCgiRecord.RequestComplete);
                return true;
            }
            else if (record.Type == FastCgiRecordType.Stdin)
                throw new FastCgiProtocolException($"request {requestId} sent STDIN before the end of its PARAMS.");
            else
                HandleOutsideRequest(record, requestId);
        }
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!tooLarge && !FastCgiNameValuePairs.TryParse(parameters.AsSpan(0, parametersLength), environment, ref _recentParameters))
            throw new FastCgiProtocolException($"the PARAMS of request {requestId} have a name or value longer than the rest of them.");
        parameters.AsSpan(0, parametersLength).Clear(); // the request's PARAMS (its cookies, say) do not outlive it
        _parameters = parameters.Length <= RetainedBufferSize ? parameters : null;
        // The output buffer is lent to this request's response, and taken back once nothing can write to it any more
        // (ServeParsed completed it on this thread; a late answer or an ended connection ends the connection instead).
        var output = new FastCgiOutputStream(_writer, requestId, _outputBuffer);
        _outputBuffer = null;
        bool usable;
        if (!_server.ObservesRequests)
            usable = ServeParsed(requestId, environment, tooLarge, ref slot, output, out input, activity: null);
        else
        {
            var activity = _server.RequestParsed(environment);
            _current = activity;
            try
            {
                usable = ServeParsed(requestId, environment, tooLarge, ref slot, output, out input, activity);
            }
            finally
            {
                _current = null;
                _server.RequestAnswered(activity, output.BytesWritten);
            }
        }
        if (usable && output.Buffer.Length <= RetainedBufferSize)
            _outputBuffer = output.Buffer;
        return usable;
    }

    /// <summary>The rest of <see cref="ServeRequest"/>, once the PARAMS have arrived.</summary>
    private bool ServeParsed(ushort requestId, Dictionary<string, string> environment, bool tooLarge, ref RequestSlot slot,
        FastCgiOutputStream output, out FastCgiInputStream? input, RequestActivity? activity)
    {
        input = new FastCgiInputStream(this, requestId, output);
        // The app's own log, if it has one; else the web server's error log through STDERR, and the worker's log.
        var errorLog = _server.Options?.ErrorLog ?? new FastCgiErrorLog(output, _server.Log);
        // A request refused before any handler runs: one line on its log, the answer, and the connection stays usable
        // (the request's body, if any, is read and dropped as any unread body is).
        bool Refuse(string logLine, Response answer, bool head)
        {
            if (activity is not null)
                activity.Status = answer.StatusCode;
            errorLog.WriteLine($"CgiRouting: FastCGI request {requestId} {logLine}");
            CgiResponseWriter.Write(answer, omitBody: head, https: false, output, errorLog);
            output.Complete();
            return true;
        }
        if (tooLarge)
            return Refuse($"has more than {MaxParamsSize} bytes of PARAMS: answered 431.", Response.Text("The request's headers are too large.", 431), head: false);
        if (_server.SandboxRefuses)
            return Refuse("was refused: " + Sandbox.RefusalMessage, Response.Text(Sandbox.RefusalMessage, 503),
                head: environment.GetValueOrDefault("REQUEST_METHOD") == "HEAD");
        if (_server.PoolAnswer(environment) is { } poolAnswer)
        {
            if (activity is not null)
                (activity.Status, activity.PoolAnswer) = (poolAnswer.StatusCode, true);
            CgiResponseWriter.Write(poolAnswer, omitBody: environment.GetValueOrDefault("REQUEST_METHOD") == "HEAD", https: false, output, errorLog);
            output.Complete();
            return true;
        }
        // The wait for a --max-concurrency slot is bounded by the request's deadline: a handler that hangs gives its slot
        // back when its own deadline answers (below), so a request never waits for ever behind it.
        TimeSpan timeout = RequestDeadline.RequestTimeout(environment, _server.Options, errorLog: null);
        if (!_server.TryTakeSlot(timeout))
            return Refuse($"found none of the {_server.MaxConcurrency} request slots (--max-concurrency) free within its timeout of "
                + $"{RequestDeadline.Seconds(timeout)} s: answered 503.", RequestDeadline.Answer(), head: environment.GetValueOrDefault("REQUEST_METHOD") == "HEAD");
        slot = RequestSlot.Held;
        // A late answer comes from the deadline's thread; the handler still holds this connection's thread, but no
        // longer its request slot.
        var late = new FastCgiLateAnswer(output, _shutdown, _server);
        RequestPipeline.Serve(environment, input, output, _server.Options, errorLog, late,
            new ConnectionWatch(_server, this, _descriptor, requestId, input), activity);
        if (late.Answered)
            slot = RequestSlot.ReleasedLate;
        if (input.Broken is { } broken)
            throw broken; // closes the connection, with its one line on the log
        if (late.Answered || input.ConnectionEnded)
        {
            // What the handler wrote still goes out (nothing after a late answer, which completed the request), but no
            // END_REQUEST: the web server stopped sending, and the connection closes.
            output.Flush();
            return false;
        }
        if (input.Aborted)
        {
            output.CompleteAborted();
            return true;
        }
        output.Complete();
        return true;
    }

    /// <summary>
    /// A record that is not part of the request being served (<paramref name="activeRequestId"/>, 0 for none):
    /// GET_VALUES is answered, a BEGIN_REQUEST during a request is refused (no multiplexing), records of other
    /// requests are dropped (Go's child does the same), and any other type is answered with UNKNOWN_TYPE.
    /// </summary>
    internal void HandleOutsideRequest(in FastCgiRecord record, ushort activeRequestId)
    {
        switch (record.Type)
        {
            case FastCgiRecordType.GetValues:
                var names = new Dictionary<string, string>(StringComparer.Ordinal);
                if (!FastCgiNameValuePairs.TryParse(record.Content.Span, names))
                    throw new FastCgiProtocolException("GET_VALUES has a name longer than the record.");
                var result = new MemoryStream();
                // The answer fits one record: at most the three variables _server.Value knows, each once (the names
                // are the dictionary's keys), about 60 bytes.
                foreach (string name in names.Keys)
                {
                    if (_server.Value(name) is { } value)
                        FastCgiNameValuePairs.Write(result, name, value);
                }
                _writer.Send(FastCgiRecordType.GetValuesResult, 0, result.GetBuffer().AsSpan(0, (int)result.Length));
                break;
            case FastCgiRecordType.BeginRequest when record.RequestId == activeRequestId:
                throw new FastCgiProtocolException($"BEGIN_REQUEST for request {activeRequestId}, which is in progress.");
            case FastCgiRecordType.BeginRequest when activeRequestId != 0:
                _writer.SendEndRequest(record.RequestId, FastCgiRecord.CantMultiplexConnection);
                break;
            case FastCgiRecordType.BeginRequest or FastCgiRecordType.AbortRequest or FastCgiRecordType.Params
                or FastCgiRecordType.Stdin or FastCgiRecordType.Data:
                break; // a request that has ended (its STDIN left unread after the response, say) or never began
            default:
                Span<byte> body = stackalloc byte[8];
                body.Clear();
                body[0] = (byte)record.Type;
                _writer.Send(FastCgiRecordType.UnknownType, 0, body);
                break;
        }
    }
}
