#!/usr/bin/env python3
"""What many would pick instead: a Python CGI script answering GET /greet/<count> with JSON."""
import json
import os
import sys

path = os.environ.get("PATH_INFO", "/")
parts = path.strip("/").split("/")
if os.environ.get("REQUEST_METHOD") == "GET" and len(parts) == 2 and parts[0] == "greet" and parts[1].lstrip("-").isdigit():
    body = json.dumps({"message": "Hello", "count": int(parts[1])}, separators=(",", ":")).encode()
    head = "Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body)
else:
    body = b"Not Found"
    head = "Status: 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 9\r\n\r\n"
sys.stdout.buffer.write(head.encode() + body)
