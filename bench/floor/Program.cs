// The floor: the same bytes samples/Hello sends for each benchmarked request, written by hand with no parsing,
// routing or serialization. The request is told by PATH_INFO alone; a POST reads its CONTENT_LENGTH bytes first.
using System;

var stdout = Console.OpenStandardOutput();
switch (Environment.GetEnvironmentVariable("PATH_INFO"))
{
    case "/hello/me":
        stdout.Write("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 10\r\n\r\nHello, me!"u8);
        break;
    case "/r9/5": // the route-count apps' answer
        stdout.Write("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 4\r\n\r\nr9 5"u8);
        break;
    case "/items/5":
        stdout.Write("Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 76\r\n\r\n{\"id\":5,\"name\":\"item5\",\"tags\":[\"a\",\"b\"],\"owner\":{\"name\":\"Ann\",\"since\":2019}}"u8);
        break;
    case "/greet":
        var stdin = Console.OpenStandardInput();
        var body = new byte[int.Parse(Environment.GetEnvironmentVariable("CONTENT_LENGTH") ?? "0")];
        for (int read = 0, n; read < body.Length; read += n)
            if ((n = stdin.Read(body, read, body.Length - read)) == 0) return 1;
        stdout.Write("Status: 201 Created\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 34\r\nLocation: /greet/2\r\n\r\n{\"message\":\"Hello, Ann\",\"count\":2}"u8);
        break;
    default:
        stdout.Write("Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 29\r\n\r\n{\"message\":\"Hello\",\"count\":5}"u8);
        break;
}
return 0;
