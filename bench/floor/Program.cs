// The same bytes samples/Hello sends for GET /greet/5, written with no parsing, routing or serialization.
using var stdout = System.Console.OpenStandardOutput();
stdout.Write("Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 29\r\n\r\n{\"message\":\"Hello\",\"count\":5}"u8);
return 0;
