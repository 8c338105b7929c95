using System.IO;

namespace CgiRouting.FastCgi;

/// <summary>
/// The web server broke the FastCGI protocol on a connection (a malformed record or name-value pair, a record cut
/// short): that connection is closed, with one line on stderr, and the worker goes on serving the others. An
/// <see cref="IOException"/>, so that a handler reading the body sees what it would see if the client went away.
/// </summary>
internal sealed class FastCgiProtocolException(string message) : IOException(message);
