#if TODO_POSTGRES
using System;
using System.Collections.Generic;
using System.Globalization;
using Npgsql;

namespace Todo;

/// <summary>
/// A <c>postgres://</c> (or <c>postgresql://</c>) URL, read the way libpq reads one
/// (<c>postgres://USER:PASSWORD@HOST:PORT/DATABASE?NAME=VALUE&amp;...</c>, every part percent-decoded), as Npgsql
/// settings. Each query parameter is mapped to the Npgsql setting that does what libpq's does, or the URL is refused
/// with a message that names it: a setting dropped in silence (<c>sslmode=require</c> ignored) is worse than none.
/// A refusal is a <see cref="FormatException"/> whose message is for the operator and never quotes the password.
/// </summary>
internal static class PostgresUrl
{
    /// <summary>The parameters that are mapped, as the refusal of any other lists them.</summary>
    public const string Parameters =
        "host, port, dbname, user, password, sslmode, sslrootcert, sslcert, sslkey, sslpassword, application_name, "
        + "connect_timeout, options, target_session_attrs, channel_binding, client_encoding";

    private const string Encode =
        "TODO_DB: a user name or password with '@', ':', '/', '?' or '#' in it must be percent-encoded in the URL "
        + "('@' as %40, ':' as %3A, '/' as %2F, '?' as %3F, '#' as %23, '%' as %25): postgres://USER:PASSWORD@HOST:PORT/DATABASE";

    public static NpgsqlConnectionStringBuilder Parse(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        string rest = url[(scheme + 3)..];
        if (rest.Contains('#'))
            throw new FormatException(Encode);
        int question = rest.IndexOf('?');
        string head = question < 0 ? rest : rest[..question];
        string query = question < 0 ? "" : rest[(question + 1)..];
        // libpq ends the user and password at the first '@' or '/'. Taking the last '@' instead, so that one written
        // unencoded is caught here, with the advice to encode it, rather than read as a host "ss" and a port "w".
        int at = head.LastIndexOf('@');
        if (at < 0 && query.Contains('@'))
            throw new FormatException(Encode); // a '?' in a password ended the URL's path there
        var builder = new NpgsqlConnectionStringBuilder { CommandTimeout = 30 };
        if (at >= 0)
        {
            string userInfo = head[..at];
            int colon = userInfo.IndexOf(':');
            if (userInfo.AsSpan().IndexOfAny('@', '/') >= 0 || (colon >= 0 && userInfo.IndexOf(':', colon + 1) >= 0))
                throw new FormatException(Encode);
            builder.Username = Decode(colon < 0 ? userInfo : userInfo[..colon], "the user name");
            if (colon >= 0)
                builder.Password = Decode(userInfo[(colon + 1)..], "the password");
        }
        string hostAndPath = head[(at + 1)..];
        int slash = hostAndPath.IndexOf('/');
        if (slash >= 0 && hostAndPath.Length > slash + 1)
            builder.Database = Decode(hostAndPath[(slash + 1)..], "the database name");
        SetHosts(builder, slash < 0 ? hostAndPath : hostAndPath[..slash]);

        foreach (string parameter in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = parameter.IndexOf('=');
            string name = Decode(equals < 0 ? parameter : parameter[..equals], "a parameter's name");
            if (equals < 0)
                throw new FormatException($"TODO_DB: the parameter '{name}' has no value (NAME=VALUE).");
            Set(builder, name, Decode(parameter[(equals + 1)..], $"the value of '{name}'"));
        }
        if (string.IsNullOrEmpty(builder.Host))
            throw new FormatException(
                "TODO_DB names no host: postgres://USER:PASSWORD@HOST:PORT/DATABASE (or ?host=/var/run/postgresql for the local socket).");
        return builder;
    }

    /// <summary><c>HOST</c>, <c>HOST:PORT</c>, <c>[IPv6]:PORT</c>, or several of them separated by commas.</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hosts)
    {
        if (hosts.Length == 0)
            return;
        var list = new List<(string Host, int? Port)>();
        foreach (string spec in hosts.Split(','))
        {
            int end = spec.StartsWith('[') ? spec.IndexOf(']') + 1 : 0;
            int colon = spec.IndexOf(':', end);
            string host = Decode(colon < 0 ? spec : spec[..colon], "the host").Trim('[', ']');
            if (host.Length == 0)
                throw new FormatException("TODO_DB: a host in the URL is empty.");
            int? port = null;
            if (colon >= 0)
            {
                if (!int.TryParse(spec.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
                    throw new FormatException("TODO_DB: the port after the host is not a number from 1 to 65535 (or " + Encode["TODO_DB: ".Length..] + ").");
                port = number;
            }
            list.Add((host, port));
        }
        if (list.Count == 1)
        {
            // One host: Host and Port apart, so that a socket directory (%2Fvar%2Frun%2Fpostgresql) or an IPv6 address
            // is taken as it is.
            builder.Host = list[0].Host;
            builder.Port = list[0].Port ?? 5432;
        }
        else // Npgsql's own form of several hosts: HOST:PORT,HOST:PORT
            builder.Host = string.Join(',', list.ConvertAll(h =>
                h.Port is null ? h.Host : h.Host.Contains(':') ? $"[{h.Host}]:{h.Port}" : $"{h.Host}:{h.Port}"));
    }

    /// <summary>One query parameter, by libpq's name (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-PARAMKEYWORDS).</summary>
    private static void Set(NpgsqlConnectionStringBuilder builder, string name, string value)
    {
        switch (name)
        {
            case "host": builder.Host = value; break;
            case "port":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                    throw new FormatException($"TODO_DB: port={value} is not a number from 1 to 65535.");
                builder.Port = port;
                break;
            case "dbname": builder.Database = value; break;
            case "user": builder.Username = value; break;
            case "password": builder.Password = value; break;
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new FormatException(
                        $"TODO_DB: sslmode={value} is not one of disable, allow, prefer, require, verify-ca, verify-full."),
                };
                break;
            case "sslrootcert": builder.RootCertificate = value; break;
            case "sslcert": builder.SslCertificate = value; break;
            case "sslkey": builder.SslKey = value; break;
            case "sslpassword": builder.SslPassword = value; break;
            case "application_name": builder.ApplicationName = value; break;
            case "connect_timeout":
                // libpq: seconds; zero or less waits for ever, and less than 2 is 2. Npgsql: 0 waits for ever, at most 1024.
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seconds) || seconds > 1024)
                    throw new FormatException($"TODO_DB: connect_timeout={value} is not a whole number of seconds up to 1024.");
                builder.Timeout = seconds <= 0 ? 0 : Math.Max(seconds, 2);
                break;
            case "options": builder.Options = value; break;
            case "target_session_attrs": builder.TargetSessionAttributes = value; break;
            case "channel_binding":
                builder.ChannelBinding = value switch
                {
                    "disable" => ChannelBinding.Disable,
                    "prefer" => ChannelBinding.Prefer,
                    "require" => ChannelBinding.Require,
                    _ => throw new FormatException($"TODO_DB: channel_binding={value} is not one of disable, prefer, require."),
                };
                break;
            case "client_encoding": builder.ClientEncoding = value; break;
            default:
                throw new FormatException($"TODO_DB: the parameter '{name}' is not one this app understands; it takes {Parameters}.");
        }
    }

    /// <summary>Percent-decoding (UTF-8), refusing a '%' that does not start two hexadecimal digits.</summary>
    private static string Decode(string text, string what)
    {
        for (int i = text.IndexOf('%'); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                throw new FormatException($"TODO_DB: in {what}, a '%' must start a percent-encoded byte such as %40; write '%' itself as %25.");
        }
        return Uri.UnescapeDataString(text);
    }
}
#endif
