#!/usr/bin/env python3
"""Latency at a moderate, steady rate: COUNT requests to URL, one every GAP seconds (not as fast as the server can
answer, as wrk does), each on a fresh connection; prints the requests per second achieved and the p50 and p99
latency in seconds. A process manager that starts workers ahead needs the time between requests to start the next
one; under wrk's closed loop on two cores, the next worker's start-up competes with the request being served.
  paced.py URL COUNT GAP"""
import http.client
import statistics
import sys
import time
import urllib.parse

url, count, gap = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
parts = urllib.parse.urlsplit(url)
times = []
start = time.perf_counter()
for _ in range(count):
    t = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", parts.path)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        sys.exit(f"{url}: {response.status}")
    times.append(time.perf_counter() - t)
    time.sleep(gap)
elapsed = time.perf_counter() - start
times.sort()
print(f"{count / elapsed:.1f} {statistics.median(times):.6f} {times[int(len(times) * 0.99)]:.6f}")
