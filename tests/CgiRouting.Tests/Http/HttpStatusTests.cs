using Xunit;

namespace CgiRouting.Tests;

/// <summary>The reason phrase on the <c>Status</c> line: RFC 9110 §15's, or the class of an unlisted code.</summary>
public class HttpStatusTests
{
    [Theory]
    [InlineData(100, "Continue")]
    [InlineData(101, "Switching Protocols")]
    [InlineData(200, "OK")]
    [InlineData(201, "Created")]
    [InlineData(202, "Accepted")]
    [InlineData(203, "Non-Authoritative Information")]
    [InlineData(204, "No Content")]
    [InlineData(205, "Reset Content")]
    [InlineData(206, "Partial Content")]
    [InlineData(300, "Multiple Choices")]
    [InlineData(301, "Moved Permanently")]
    [InlineData(302, "Found")]
    [InlineData(303, "See Other")]
    [InlineData(304, "Not Modified")]
    [InlineData(307, "Temporary Redirect")]
    [InlineData(308, "Permanent Redirect")]
    [InlineData(400, "Bad Request")]
    [InlineData(401, "Unauthorized")]
    [InlineData(402, "Payment Required")]
    [InlineData(403, "Forbidden")]
    [InlineData(404, "Not Found")]
    [InlineData(405, "Method Not Allowed")]
    [InlineData(406, "Not Acceptable")]
    [InlineData(408, "Request Timeout")]
    [InlineData(409, "Conflict")]
    [InlineData(410, "Gone")]
    [InlineData(411, "Length Required")]
    [InlineData(412, "Precondition Failed")]
    [InlineData(413, "Content Too Large")]
    [InlineData(414, "URI Too Long")]
    [InlineData(415, "Unsupported Media Type")]
    [InlineData(416, "Range Not Satisfiable")]
    [InlineData(417, "Expectation Failed")]
    [InlineData(421, "Misdirected Request")]
    [InlineData(422, "Unprocessable Content")]
    [InlineData(425, "Too Early")]
    [InlineData(426, "Upgrade Required")]
    [InlineData(428, "Precondition Required")]
    [InlineData(429, "Too Many Requests")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(451, "Unavailable For Legal Reasons")]
    [InlineData(500, "Internal Server Error")]
    [InlineData(501, "Not Implemented")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(503, "Service Unavailable")]
    [InlineData(504, "Gateway Timeout")]
    [InlineData(505, "HTTP Version Not Supported")]
    public void Registered_codes_have_their_RFC_9110_phrase(int code, string phrase)
    {
        Assert.Equal(phrase, HttpStatus.ReasonPhrase(code));
        Assert.StartsWith($"Status: {code} {phrase}\r\n", System.Text.Encoding.UTF8.GetString(
            CgiResponseWriter.FormatHead(Response.Empty(code), https: false, out _)!));
    }

    [Theory]
    [InlineData(102, "Informational")]
    [InlineData(199, "Informational")]
    [InlineData(207, "Success")]
    [InlineData(299, "Success")]
    [InlineData(305, "Redirection")]
    [InlineData(399, "Redirection")]
    [InlineData(418, "Client Error")]
    [InlineData(499, "Client Error")]
    [InlineData(506, "Server Error")]
    [InlineData(599, "Server Error")]
    public void Other_codes_are_named_by_their_class(int code, string phrase)
        => Assert.Equal(phrase, HttpStatus.ReasonPhrase(code));
}
