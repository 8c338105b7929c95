#!/usr/bin/env python3
# A FastCGI responder that answers every request with its PARAMS, one NAME=VALUE a line: what a web server passes to a
# worker, whatever an app does with it. Listens on --fastcgi HOST:PORT, or on the socket that is its standard input.
import socket, struct, sys, threading

if len(sys.argv) > 2 and sys.argv[1] == "--fastcgi":
    host, port = sys.argv[2].rsplit(":", 1)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, int(port)))
    listener.listen()
else:
    listener = socket.socket(fileno=0)


def read(connection, n):
    data = b""
    while len(data) < n:
        more = connection.recv(n - len(data))
        if not more:
            raise EOFError
        data += more
    return data


def pairs(data):
    i, found = 0, {}
    while i < len(data):
        lengths = []
        for _ in range(2):
            if data[i] & 0x80:
                lengths.append(struct.unpack(">I", data[i:i + 4])[0] & 0x7FFFFFFF)
                i += 4
            else:
                lengths.append(data[i])
                i += 1
        name = data[i:i + lengths[0]]
        i += lengths[0]
        found[name] = data[i:i + lengths[1]]
        i += lengths[1]
    return found


def record(kind, request, content=b""):
    return struct.pack(">BBHHBB", 1, kind, request, len(content), 0, 0) + content


def serve(connection):
    try:
        while True:
            params = b""
            while True:
                _, kind, request, length, padding, _ = struct.unpack(">BBHHBB", read(connection, 8))
                content = read(connection, length)
                read(connection, padding)
                if kind == 4:
                    params += content
                elif kind == 5 and length == 0:
                    break
            text = b"".join(k + b"=" + v + b"\n" for k, v in sorted(pairs(params).items()))
            response = b"Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n" + text
            for start in range(0, len(response), 60000):
                connection.sendall(record(6, request, response[start:start + 60000]))
            connection.sendall(record(6, request) + record(3, request, b"\0" * 8))
    except (EOFError, OSError):
        pass
    finally:
        connection.close()


while True:
    connection, _ = listener.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
