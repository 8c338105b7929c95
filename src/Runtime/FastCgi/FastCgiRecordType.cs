namespace CgiRouting.FastCgi;

/// <summary>The record types of FastCGI 1.0 (§8): those a web server sends and those a worker answers with.</summary>
internal enum FastCgiRecordType : byte
{
    BeginRequest = 1,
    AbortRequest = 2,
    EndRequest = 3,
    Params = 4,
    Stdin = 5,
    Stdout = 6,
    Stderr = 7,
    Data = 8,
    GetValues = 9,
    GetValuesResult = 10,
    UnknownType = 11,
}
