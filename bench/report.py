#!/usr/bin/env python3
"""Turns bench/run.sh's raw results into docs/benchmarks.md (tables) and docs/benchmarks.svg (a chart)."""
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from datetime import datetime, timezone

results, docs, quick = sys.argv[1], sys.argv[2], sys.argv[3] == "1"

LABELS = {
    "cgirouting-aot": "CgiRouting app (samples/Hello), Native AOT",
    "floor-aot": "Floor: the same bytes by hand, stock Native AOT C#",
    "c": "Physical floor: fixed response, C (gcc -O2)",
    "go": "Go net/http/cgi with a ServeMux",
    "python": "Python CGI script",
    "cgirouting-jit": "CgiRouting app on the JIT (dotnet hello.dll)",
    "cgirouting-aot-sdk-defaults": "CgiRouting app, Native AOT with the SDK's defaults (dehydrated, no DT_RELR, the runtime's gen0 budget)",
    "cgirouting-aot-no-relr": "CgiRouting app, CgiRouting's defaults without DT_RELR",
    "cgirouting-aot-no-pie": "CgiRouting app, CgiRouting's defaults + non-PIE",
    "cgirouting-aot-full": "CgiRouting app with every feature (bench/full), Native AOT",
}
VARIANTS = ["cgirouting-aot-sdk-defaults", "cgirouting-aot-no-relr", "cgirouting-aot", "cgirouting-aot-no-pie"]
NGINX_LABELS = {
    "fastcgi": "CgiRouting app (samples/Hello) as a FastCGI worker, `fastcgi_pass` with keepalive",
    "go-fcgi": "Go net/http/fcgi with a ServeMux, `fastcgi_pass` with keepalive",
    "kestrel": "ASP.NET Core minimal API, Native AOT, on Kestrel, `proxy_pass` with keepalive",
    "cgi": "CgiRouting app (samples/Hello) as CGI, through fcgiwrap",
    "fastcgi-runtime-gc": "The same FastCGI worker with the runtime's own gen0 budget (`DOTNET_GCgen0size=0`)",
    "libfcgi": "C worker on libfcgi, one thread, the floor's bytes replayed, `fastcgi_pass` with keepalive",
    "nginx-alone": "nginx alone, the same body by `return 200` (no upstream): the machine's ceiling",
}
SHAPES = {
    "literal-after-param": "`GET /r<i>/<id>/x<i>`",
    "shared-prefix": "`GET /api/v1/things/r<i>/<id>`",
    "typed": "`GET /r<i>/<id>`, `id` a long, a Guid or an enum in turn",
    "catch-all": "`GET /r<i>/<rest...>`",
    "methods": "`POST`, `GET`, `PUT`, `DELETE` on `/r<j>/<id>` (N / 4 paths)",
    "mix": "the shapes above and `/r<i>/<id>` in turn",
}
REQUESTS = {
    "greet": "`GET /greet/5`: a typed path parameter, two-field JSON `{\"message\":\"Hello\",\"count\":5}`",
    "item": "`GET /items/5`: JSON with a string, a number, an array and a nested record",
    "text": "`GET /hello/me`: a literal route, a string result",
    "post": "`POST /greet` with `{\"name\":\"Ann\",\"times\":2}` bound to a record, 201 with JSON and `Location`",
}


def medians(pattern):
    """Median of the per-round medians of each named command, in seconds, and all raw times."""
    per_round, raw = {}, {}
    for path in sorted(glob.glob(os.path.join(results, pattern))):
        for r in json.load(open(path))["results"]:
            per_round.setdefault(r["command"], []).append(statistics.median(r["times"]))
            raw.setdefault(r["command"], []).extend(r["times"])
    return {k: statistics.median(v) for k, v in per_round.items()}, raw


def lines(name):
    path = os.path.join(results, name)
    return [l.split() for l in open(path)] if os.path.exists(path) else []


def instructions_of(request, name):
    """callgrind's count for NAME answering REQUEST (instructions.txt), or None."""
    return next((int(n.replace(",", "")) for r, k, n in lines("instructions.txt") if r == request and k == name), None)


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def mib(size):
    return f"{int(size) / 1048576:.2f} MiB" if int(size) >= 1048576 else f"{int(size) / 1024:.1f} KiB"


def near(value, goal):
    """A ratio to two places, or three where two would hide which side of the goal it is on."""
    return f"{value:.3f}" if round(value, 2) == goal and value != goal else f"{value:.2f}"


def verdict(ok):
    return "met" if ok else "**not met**"


def rss_of(request):
    values = {}
    for name, kb in lines(f"rss-{request}.txt"):
        values.setdefault(name, []).append(int(kb))
    return {k: statistics.median(v) for k, v in values.items()}


def seconds(text):
    """A wrk duration ("412.00us", "1.23ms", "1.02s", "1.50m") in seconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}[unit]


def wrk_runs(name, prefix="nginx"):
    """Median over the rounds of requests per second, p50 and p99 latency (seconds) of one server through nginx."""
    runs = []
    # The round number only: "nginx-fastcgi-*" would also match another server's "nginx-fastcgi-runtime-gc-1.txt".
    for path in sorted(p for p in glob.glob(os.path.join(results, f"{prefix}-{name}-*.txt"))
                       if re.fullmatch(rf"{re.escape(prefix)}-{re.escape(name)}-\d+\.txt", os.path.basename(p))):
        text = open(path).read()
        latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", text, re.M))
        runs.append((float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), seconds(latency["50"]), seconds(latency["99"])))
    return tuple(statistics.median(r[i] for r in runs) for i in range(3)) + (len(runs),) if runs else None


times = {r: medians(f"startup-{r}-*.json")[0] for r in REQUESTS}
startup = times["greet"]
rss = rss_of("greet")
rss_item = rss_of("item")
size = {name: int(b) for name, b in lines("size.txt")}
relocations = {name: int(n) for name, n in lines("relocations.txt")}
routes = [(int(c), int(ms_), int(b)) for c, ms_, b in lines("routes.txt")]
routes_memory = {int(c): (int(kb), int(faults), int(relocs)) for c, kb, faults, relocs in lines("routes-memory.txt")}
route_times, _ = medians("routes-*.json")
sandbox_times, _ = medians("startup-sandbox-*.json")
# The other template shapes (bench/routes/generate.py --shape), the smallest and the largest table of each.
shape_builds = [(shape, int(c), int(ms_), int(b), path) for shape, c, ms_, b, path in lines("route-shapes.txt")]
shape_times, _ = medians("route-shapes-*.json")
generator = json.load(open(os.path.join(results, "generator.json")))
wrk = {name: float(rps) for name, rps in lines("wrk.txt")}
through_nginx = {name: wrk_runs(name) for name in NGINX_LABELS}
serial = {name: wrk_runs(name, "serial") for name in ("prefork", "cgi")}


def paced_runs(name):
    """Median over the rounds of requests per second, p50 and p99 latency (seconds) at 100 requests a second."""
    runs = [tuple(float(x) for x in open(p).read().split())
            for p in sorted(glob.glob(os.path.join(results, f"paced-{name}-*.txt")))]
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))


paced = {name: paced_runs(name) for name in ("prefork", "cgi")}
prefork_cgi = paced["prefork"][1] / paced["cgi"][1]
prefork_cgi_saturated = serial["prefork"][1] / serial["cgi"][1]
nginx_rss = {name: int(kb) for name, kb in lines("nginx-rss.txt")}
leak = [(int(count), int(served), int(hwm), int(rss_kb)) for count, served, hwm, rss_kb in lines("leak.txt")]
leak_runtime_gc = {int(count): int(hwm) for count, _, hwm, _ in lines("leak-runtime-gc.txt")}
leak_at = {count: hwm for count, _, hwm, _ in leak}

floor = startup["floor-aot"]
app = startup["cgirouting-aot"]
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
first_routes = routes[0][0]


def route_ratio(count):
    key, base = f"routes-{count}", f"routes-{first_routes}"
    return route_times[key] / route_times[base] if key in route_times and first_routes == 10 else None


build_10000 = next((ms_ for c, ms_, _ in routes if c == 10000), None)
text = times["text"]["cgirouting-aot"] / times["text"]["floor-aot"]
item = times["item"]["cgirouting-aot"] / times["item"]["floor-aot"]
item_go = times["item"]["cgirouting-aot"] / times["item"]["go"]
greet_go = app / startup["go"]
# Every POST command is started through bench/c/feed; its own cost (feed + C program, less the C program) is taken off.
post = times["post"]
feed_cost = post["feed-c"] - post["c"]
post_ratio = (post["cgirouting-aot"] - feed_cost) / (post["floor-aot"] - feed_cost)
rss_ratio = rss_item["cgirouting-aot"] / rss_item["floor-aot"]
hello_size = size["cgirouting-aot"]
r1000, r10000 = route_ratio(1000), route_ratio(10000)


def shape_ratios(shape):
    """The largest table of SHAPE / the smallest, by time and by instructions (None when not measured)."""
    counts = sorted(c for sh, c, _, _, _ in shape_builds if sh == shape)
    small, large = f"{shape}-{counts[0]}", f"{shape}-{counts[-1]}"
    n_small, n_large = instructions_of("route-shape", small), instructions_of("route-shape", large)
    return (counts[0], counts[-1], shape_times[large] / shape_times[small],
            n_large / n_small if n_small and n_large else None)


shapes = {shape: shape_ratios(shape) for shape in dict.fromkeys(sh for sh, _, _, _, _ in shape_builds)}
# The target is for 10,000 / 10 routes (a quick run's tables are smaller), by instructions as issue 23 sets it (exact,
# whatever else the machine is doing), time as a second view in the table below; the worst shape.
worst_shape = max(shapes, key=lambda sh: shapes[sh][3] or 0) if shapes else None
shapes_full = bool(shapes) and all(r[:2] == (10, 10000) for r in shapes.values())
moonshot = route_times[f"routes-{first_routes}"] / route_times["floor-aot"]
not_measured = "not measured (quick run)"
fastcgi_rps = {name: r[0] for name, r in through_nginx.items()}
fastcgi_cgi = fastcgi_rps["fastcgi"] / fastcgi_rps["cgi"]
fastcgi_go = fastcgi_rps["fastcgi"] / fastcgi_rps["go-fcgi"]
fastcgi_kestrel = fastcgi_rps["fastcgi"] / fastcgi_rps["kestrel"]
fastcgi_libfcgi = fastcgi_rps["fastcgi"] / fastcgi_rps["libfcgi"]
sandbox_on, sandbox_off = instructions_of("sandbox", "sandboxed"), instructions_of("sandbox", "sandboxed-off")
# Pay for play (issue 23): bench/full links every feature; its plain-text request must cost what the floor's does. By
# instructions (exact, whatever else the machine is doing), time as a second view in the tables below.
full_text, floor_text = instructions_of("text", "cgirouting-aot-full"), instructions_of("text", "floor-aot")
pay_for_play = full_text / floor_text if full_text and floor_text else None
sandbox_ratio = sandbox_on / sandbox_off if sandbox_on and sandbox_off else None
fastcgi_ceiling = fastcgi_rps["fastcgi"] / fastcgi_rps["nginx-alone"]
# The target compares 100,000 requests with 1,000 (a quick run: its last two counts); the last count then shows
# whether memory still grows once the heap has its working size.
leak_first, leak_second = (1000, 100000) if 100000 in leak_at and 1000 in leak_at else (leak[0][0], leak[-2][0])
leak_ratio = leak_at[leak_second] / leak_at[leak_first]
leak_levelled = leak[-1][2] / leak_at[leak_second]
runtime_gc_rps = fastcgi_rps["fastcgi-runtime-gc"]

targets = [
    ("Text request (`GET /hello/me`) / its floor", "≤ 1.05", near(text, 1.05), text <= 1.05),
    ("JSON request (`GET /items/5`) / its floor", "≤ 1.10", near(item, 1.10), item <= 1.10),
    ("JSON request (`GET /items/5`) / Go net/http/cgi", "≤ 0.90", near(item_go, 0.90), item_go <= 0.90),
    ("POST with a JSON body / a floor that reads the body and writes the same bytes", "≤ 1.15", near(post_ratio, 1.15), post_ratio <= 1.15),
    ("Time to answer: 1,000 routes / 10 routes (same path)", "≤ 1.05", near(r1000, 1.05) if r1000 else not_measured, r1000 is not None and r1000 <= 1.05),
    ("Time to answer: 10,000 routes / 10 routes (same path)", "≤ 1.15", near(r10000, 1.15) if r10000 else not_measured, r10000 is not None and r10000 <= 1.15),
    (f"Instructions: 10,000 routes / 10 routes for every template shape ({len(SHAPES)} besides `/r<i>/<id>`: the worst; time below)", "≤ 1.05",
     f"{near(shapes[worst_shape][3], 1.05)} ({worst_shape})" if shapes_full and shapes[worst_shape][3] else not_measured,
     shapes_full and shapes[worst_shape][3] is not None and shapes[worst_shape][3] <= 1.05),
    ("10,000 routes: Native AOT build time", "< 2 min",
     f"{build_10000 / 1000:.0f} s" if build_10000 else not_measured, build_10000 is not None and build_10000 < 120000),
    ("Peak RSS, JSON request (`GET /items/5`): app / floor", "≤ 1.3", near(rss_ratio, 1.30), rss_ratio <= 1.3),
    ("Size of samples/Hello", "≤ 3.20 MiB", mib(hello_size), hello_size <= 3.20 * 1048576),
    (f"Generator, full run on {generator['routes']} routes (median)", "< 300 ms", f"{generator['full_median_ms']:.0f} ms",
     generator["full_median_ms"] < 300 and generator["routes"] >= 1000),
    ("Generator: an edit to one handler's body regenerates nothing", "cached", "cached" if generator["edit_regenerates_nothing"] else "regenerated",
     generator["edit_regenerates_nothing"]),
    ("Through nginx, `GET /items/5`, requests/s: FastCGI worker / CGI mode (fcgiwrap)", "≥ 10", near(fastcgi_cgi, 10), fastcgi_cgi >= 10),
    ("Through nginx, `GET /items/5`, requests/s: FastCGI worker / Go net/http/fcgi", "≥ 1.00", near(fastcgi_go, 1.00), fastcgi_go >= 1.0),
    ("Through nginx, `GET /items/5`, requests/s: FastCGI worker / ASP.NET Core on Kestrel (Native AOT, `proxy_pass`)", "≥ 0.80",
     near(fastcgi_kestrel, 0.80), fastcgi_kestrel >= 0.8),
    ("Through nginx, `GET /items/5`, requests/s: FastCGI worker / a one-thread C worker on libfcgi", "≥ 2.5",
     near(fastcgi_libfcgi, 2.5), fastcgi_libfcgi >= 2.5),
    ("Through nginx, one request at a time at 100 requests/s, p50 latency: workers started ahead, one request each (`--prefork 4 --max-requests 1`) / CGI mode (fcgiwrap)",
     "≤ 0.50", near(prefork_cgi, 0.50), prefork_cgi <= 0.5),
    (f"FastCGI worker's peak RSS after {leak_second:,} requests / after {leak_first:,} (no leak"
     f"{'' if (leak_first, leak_second) == (1000, 100000) else '; the goal is for 100,000 / 1,000'})", "≤ 1.2",
     near(leak_ratio, 1.20), leak_ratio <= 1.2 and (leak_first, leak_second) == (1000, 100000)),
    (f"FastCGI worker's peak RSS after {leak[-1][0]:,} requests / after {leak_second:,} (memory levels off)", "≤ 1.05",
     near(leak_levelled, 1.05), leak_levelled <= 1.05 and leak[-1][0] >= 1000000),
    ("Pay for play: the text request (`GET /hello/me`) of an app that uses every feature (bench/full) / its floor (instructions, callgrind)",
     "≤ 1.05", near(pay_for_play, 1.05) if pay_for_play else not_measured, pay_for_play is not None and pay_for_play <= 1.05),
    ("A sandboxed CGI request / the same request without the sandbox (instructions, callgrind)", "≤ 1.02",
     near(sandbox_ratio, 1.02) if sandbox_ratio else not_measured, sandbox_ratio is not None and sandbox_ratio <= 1.02),
    ("Moonshot: a CgiRouting app (10 routes, text) faster than the stock SDK floor writing the same bytes (time)", "< 1.00",
     near(moonshot, 1.00), moonshot < 1.0),
]

order = sorted((k for k in startup if k not in VARIANTS or k == "cgirouting-aot"), key=lambda k: startup[k])
out = []
out.append("# Benchmarks\n")
if quick:
    out.append("> **Quick run** (`bench/run.sh --quick`): a smoke test of the harness with a handful of runs. The numbers mean nothing.\n")
out.append(f"Written by `bench/run.sh` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Machine: {os.cpu_count()} cores ({cpu}), "
           f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.system()} {platform.release()}. "
           "It is shared and noisy, so every figure is the median of per-round medians, the rounds interleaving all programs "
           "(hyperfine, no shell), and the conclusions are ratios within this one run.\n")
out.append("Four CGI requests, each answered by samples/Hello and by a floor: a stock Native AOT C# program (the SDK's "
           "defaults) that writes the same bytes by hand. Before it times anything the harness checks that the app and "
           "the floor write identical bytes, headers included, and that Go, Python and the other builds send the same body.\n")
for r, label in REQUESTS.items():
    out.append(f"- **{r}**: {label}")
out.append("")
out.append("![Start to response](benchmarks.svg)\n")
out.append("## Targets\n")
out.append("| Target | Goal | Measured | |\n|---|---|---|---|")
for name, goal, measured, ok in targets:
    out.append(f"| {name} | {goal} | {measured} | {verdict(ok)} |")
out.append("")
out.append(f"The POST figures are net of `bench/c/feed`, which gives every POST command its body on standard input "
           f"(hyperfine 1.15 has no `--input`): {ms(feed_cost)} measured in the same rounds and taken off both sides.\n")
out.append("## Start to response, per request\n")
out.append("One process per request: exec, start-up, read the environment, route, bind, serialize, write, exit.\n")
out.append("| Request | Program | Median | / its floor |\n|---|---|---|---|")
for r in REQUESTS:
    base = times[r]["floor-aot"]
    for k in sorted(times[r], key=lambda k: times[r][k]):
        if k in ("c", "feed-c") and r == "post":
            continue
        out.append(f"| {r} | {LABELS[k]} | {ms(times[r][k])} | {times[r][k] / base:.2f} |")
out.append("")
out.append("## The headline request (`GET /greet/5`) across languages\n")
out.append("| Program | Median | / floor (Native AOT C#) | / C | Peak RSS | / floor | Size |\n|---|---|---|---|---|---|---|")
for k in order:
    out.append(f"| {LABELS[k]} | {ms(startup[k])} | {startup[k] / floor:.2f} | {startup[k] / startup['c']:.2f} | "
               f"{rss[k] / 1024:.1f} MiB | {rss[k] / rss['floor-aot']:.2f} | {mib(size[k])} |")
out.append("")
instructions = {}
for request, name, n in lines("instructions.txt"):
    instructions[(request, name)] = int(n.replace(",", ""))
if instructions:
    out.append("## Instructions executed\n")
    out.append("Counted by valgrind's callgrind for the whole process, dynamic linker included: exact and repeatable, "
               "whatever else the machine is doing, though an instruction is not a fixed amount of time.\n")
    out.append("| Program | " + " | ".join(f"{r} | / floor" for r in REQUESTS) + " |\n|---|" + "---|---|" * len(REQUESTS))
    for k in ["floor-aot", "cgirouting-aot-sdk-defaults", "cgirouting-aot"]:
        cells = []
        for r in REQUESTS:
            n, base_i = instructions.get((r, k)), instructions.get((r, "floor-aot"))
            cells.append(f"{n:,} | {n / base_i:.2f}" if n and base_i else "– | –")
        out.append(f"| {LABELS[k]} | " + " | ".join(cells) + " |")
    if full_text:
        out.append(f"| {LABELS['cgirouting-aot-full']} | " + " | ".join(
            f"{full_text:,} | {pay_for_play:.2f}" if r == "text" else "– | –" for r in REQUESTS) + " |")
    for k in ["c", "cgirouting-aot-no-relr", "cgirouting-aot-no-pie"]:
        n = instructions.get(("greet", k))
        if n:
            out.append(f"| {LABELS[k]} | {n:,} | {n / instructions[('greet', 'floor-aot')]:.2f} | " + " | ".join(["–"] * (2 * len(REQUESTS) - 2)) + " |")
    out.append("")
if full_text and "cgirouting-aot-full" in times["text"]:
    hello_text, full_time = instructions.get(("text", "cgirouting-aot")), times["text"]["cgirouting-aot-full"]
    out.append("## Pay for play\n")
    out.append("bench/full uses every feature (a `JsonSerializerContext` and its `JsonTypeInfo` overloads, a type the generated "
               "JSON writers leave to System.Text.Json, a form, an upload, cookies, validation, filters, `[Authorize]`, "
               "streaming, the OpenAPI document) and has a plain-text route, `GET /hello/<name>`, whose answer to "
               "`/hello/me` is the floor's, byte for byte (checked). What the app links but this request does not run "
               "must not be paid for at start-up (issue 23).\n")
    out.append("| Program | Instructions | / floor | Median time | / floor | Size |\n|---|---|---|---|---|---|")
    for k, n in (("floor-aot", floor_text), ("cgirouting-aot", hello_text), ("cgirouting-aot-full", full_text)):
        t = times["text"][k]
        out.append(f"| {LABELS[k]} | {n:,} | {n / floor_text:.3f} | {ms(t)} | {t / times['text']['floor-aot']:.2f} | {mib(size[k])} |")
    out.append("")
    out.append(f"Goal ≤ 1.05 (instructions): {near(pay_for_play, 1.05)}, {verdict(pay_for_play <= 1.05)}.\n")
if ("sandbox", "sandboxed") in instructions and "sandboxed" in sandbox_times:
    on_i, off_i = instructions[("sandbox", "sandboxed")], instructions[("sandbox", "sandboxed-off")]
    on_t, off_t = sandbox_times["sandboxed"], sandbox_times["sandboxed-off"]
    out.append("## The kernel sandbox\n")
    out.append("`GET /hello` of tests/Apps/Sandboxed, built with its `[assembly: Sandbox]` (a folder to read, one to write, two TCP "
               "ports) and without it (`-p:CgiRoutingTestSandbox=off`). Instructions by callgrind, which does not know Landlock's "
               "and seccomp's system calls: both builds run with bench/c/sandbox-shim.c preloaded, which answers them as the kernel "
               "does, so that the count is the user-space path a sandboxed process runs; the kernel's own work shows in the time, "
               "timed in the same rounds.\n")
    out.append("| Build | Instructions | / without | Median time | / without |\n|---|---|---|---|---|")
    out.append(f"| With the sandbox | {on_i:,} | {on_i / off_i:.3f} | {ms(on_t)} | {on_t / off_t:.2f} |")
    out.append(f"| Without | {off_i:,} | 1.000 | {ms(off_t)} | 1.00 |")
    out.append("")
out.append("## What each setting buys\n")
out.append("samples/Hello built four ways, timed in the same rounds as above (`GET /greet/5`). CgiRouting's defaults are "
           "those its package gives apps (`src/Runtime/buildTransitive/CgiRouting.props`): Native AOT, invariant "
           "globalization, `IlcDehydrate=false` and packed relative relocations (`-z pack-relative-relocs`, DT_RELR).\n")
out.append("| Build | Median | / floor | Peak RSS | Size | Relocation tables (RELA + RELR) |\n|---|---|---|---|---|---|")
binary_of = {"cgirouting-aot": "hello", "cgirouting-aot-sdk-defaults": "hello-sdk-defaults",
             "cgirouting-aot-no-relr": "hello-no-relr", "cgirouting-aot-no-pie": "hello-no-pie"}
for k in VARIANTS:
    out.append(f"| {LABELS[k]} | {ms(startup[k])} | {startup[k] / floor:.2f} | {rss[k] / 1024:.1f} MiB | {mib(size[k])} | "
               f"{mib(relocations.get(binary_of[k], 0))} |")
out.append("")
out.append("## Route count\n")
out.append(f"Generated apps with N routes `GET /r<i>/<id>` (text results, no JSON), all answering `GET /r9/5`, timed in "
           "the same rounds as the floor writing the same bytes. Ratios are to the smallest app and to the floor.\n")
out.append("| Routes | Time to answer | / smallest | / floor | Instructions | / floor | Binary size | Peak RSS | Minor page faults | Native AOT build (publish) |\n|---|---|---|---|---|---|---|---|---|---|")
base = route_times[f"routes-{first_routes}"]
floor_i = instructions.get(("routes", "floor-aot"))
out.append(f"| floor | {ms(route_times['floor-aot'])} | – | 1.00 | {floor_i:,} | 1.00 | {mib(size['floor-aot'])} | – | – | – |" if floor_i else "")
for count, build_ms, b in routes:
    t = route_times[f"routes-{count}"]
    kb, faults, _ = routes_memory.get(count, (0, 0, 0))
    n = instructions.get(("routes", f"routes-{count}"))
    out.append(f"| {count:,} | {ms(t)} | {t / base:.2f} | {t / route_times['floor-aot']:.2f} | {f'{n:,}' if n else '–'} | "
               f"{f'{n / floor_i:.2f}' if n and floor_i else '–'} | {mib(b)} | {kb / 1024:.1f} MiB | {faults:,} | {build_ms / 1000:.0f} s |")
out.append("")
if shapes:
    out.append("The same for other template shapes (`bench/routes/generate.py --shape`), only the smallest and the largest "
               "table of each, timed in rounds of their own; each shape's apps answer the same path. The goal is by instructions "
               "(issue 23); time is the second view, and on this shared machine it moves by several percent between runs "
               "(the default shape's 1,000 routes answered faster than its 10 in this run).\n")
    out.append("| Shape | Template of route i | Path | Routes | Time: largest / smallest | Instructions: largest / smallest | "
               "Instructions (smallest, largest) | Binary size (largest) | Native AOT build (largest) | Goal ≤ 1.05 (instructions) |\n"
               "|---|---|---|---|---|---|---|---|---|---|")
    for shape, (small, large, t, n) in shapes.items():
        _, _, build_ms, b, path = next(r for r in shape_builds if r[0] == shape and r[1] == large)
        i_small, i_large = instructions_of("route-shape", f"{shape}-{small}"), instructions_of("route-shape", f"{shape}-{large}")
        out.append(f"| {shape} | {SHAPES.get(shape, '')} | `{path}` | {small:,} / {large:,} | {near(t, 1.05)} | "
                   f"{near(n, 1.05) if n else '–'} | {f'{i_small:,}, {i_large:,}' if n else '–'} | {mib(b)} | {build_ms / 1000:.0f} s | "
                   f"{verdict(n is not None and n <= 1.05)} |")
    out.append("")
out.append("## The generator\n")
out.append(f"In-process (`bench/GeneratorBench`), {generator['routes']:,} routes in {max(1, generator['routes'] // 100)} files, "
           f"{generator['runs']} runs after two warm-up runs: a full run (a new driver, as a command-line build) takes a median of "
           f"**{generator['full_median_ms']:.0f} ms** (fastest {generator['full_min_ms']:.0f} ms); after an edit to one handler's body "
           f"the route table step is {'cached: nothing is regenerated' if generator['edit_regenerates_nothing'] else 'NOT cached'}, "
           f"and the run takes a median of {generator['incremental_median_ms']:.0f} ms.\n")
out.append("## Throughput through lighttpd\n")
out.append(f"wrk -t1 -c4 -d{sys.argv[4] if len(sys.argv) > 4 else ''}, loopback, lighttpd 1.4 with mod_cgi forking one process per request, `GET /greet/5`. "
           "The server and the client share the two cores with the CGI processes.\n")
out.append("| Program | Requests/s | / floor |\n|---|---|---|")
for k, label in [("aot", "cgirouting-aot"), ("floor", "floor-aot"), ("c", "c"), ("go", "go")]:
    if k in wrk:
        out.append(f"| {LABELS[label]} | {wrk[k]:,.0f} | {wrk[k] / wrk['floor']:.2f} |")
out.append("")
out.append("## Throughput through nginx: FastCGI, CGI, Go and Kestrel\n")
rounds = through_nginx["fastcgi"][3]
out.append(f"`GET /items/5` (the JSON request of the targets), wrk -t1 -c4 -d{sys.argv[4] if len(sys.argv) > 4 else ''} --latency on loopback, "
           f"{rounds} round{'s' if rounds > 1 else ''} interleaving the servers after a one-second warm-up of each; "
           "the medians of the rounds. Every server sits behind nginx with the same settings (one worker process) and "
           "listens on a unix socket; nginx keeps its connections to the FastCGI workers (`keepalive 8`, `fastcgi_keep_conn on`) "
           "and to Kestrel (`keepalive 8`, HTTP/1.1) open. CgiRouting's worker runs with its defaults "
           "(`--max-concurrency`: two per core); fcgiwrap has four children, each starting one process per request. "
           "Before timing, the harness checks that they all send the body samples/Hello's floor writes. nginx, wrk "
           "and the server share the two cores.\n")
out.append("| Server | Requests/s | / CGI mode | / Kestrel | p50 latency | p99 latency | Peak RSS after the rounds |\n|---|---|---|---|---|---|---|")
for k in sorted(NGINX_LABELS, key=lambda k: -fastcgi_rps[k]):
    r, p50, p99, _ = through_nginx[k]
    peak = f"{nginx_rss[k] / 1024:.1f} MiB" if k in nginx_rss else ("–" if k in ("nginx-alone", "libfcgi") else "– (a process per request)")
    out.append(f"| {NGINX_LABELS[k]} | {r:,.0f} | {r / fastcgi_rps['cgi']:.2f} | {r / fastcgi_rps['kestrel']:.2f} | {ms(p50)} | {ms(p99)} | {peak} |")
out.append("")
out.append(f"CgiRouting's worker answers {fastcgi_libfcgi:.2f} times the requests of the one-thread C worker on libfcgi (which "
           "serves one connection at a time) and reaches {:.0%} of what nginx answers by itself on this machine, where nginx, "
           "wrk and the worker share the two cores.\n".format(fastcgi_ceiling))
out.append("One request at a time (wrk -t1 -c1, the same rounds): a process per request either way, started when the request "
           "arrives (CGI through fcgiwrap) or before it (`hello --fastcgi unix:... --prefork 4 --max-requests 1`: the binary's "
           "own manager keeps four workers waiting in `accept`, each serves one request and exits, and the next is started "
           "at once), so that the start-up is hidden from the client.\n")
out.append("| Server | As fast as answered (wrk -c1): requests/s | p50 | p99 | At 100 requests/s (bench/paced/paced.py): p50 | p99 |\n|---|---|---|---|---|---|")
for k, label in (("prefork", "CgiRouting app, workers started ahead, one request each"), ("cgi", NGINX_LABELS["cgi"])):
    r, p50, p99, _ = serial[k]
    _, paced50, paced99 = paced[k]
    out.append(f"| {label} | {r:,.0f} | {ms(p50)} | {ms(p99)} | {ms(paced50)} | {ms(paced99)} |")
out.append("")
out.append(f"As fast as they are answered, the next worker's start-up competes with the request being served on the two "
           f"cores (prefork / CGI p50: {prefork_cgi_saturated:.2f}); at a steady rate the manager has the time to start it "
           f"before the request arrives ({prefork_cgi:.2f}).")
out.append("")
out.append("A leak would show as memory that grows with the requests served: a CgiRouting worker of its own, behind the same "
           "nginx, its peak RSS (`VmHWM`) and RSS (`VmRSS`) read from `/proc/PID/status` after each count of requests. Memory "
           "that levels off between the later counts is the garbage-collected heap reaching its working size; a leak keeps "
           "growing with the count.\n")
out.append("| Requests served | Peak RSS | RSS | Peak / after the first count | Peak / after the count before | Peak RSS, the runtime's gen0 budget |\n|---|---|---|---|---|---|")
for i, (count, served, hwm, rss_kb) in enumerate(leak):
    out.append(f"| {served:,} | {hwm / 1024:.1f} MiB | {rss_kb / 1024:.1f} MiB | {hwm / leak[0][2]:.2f} | "
               f"{f'{hwm / leak[i - 1][2]:.2f}' if i else '–'} | {leak_runtime_gc[count] / 1024:.1f} MiB |")
out.append("")
out.append(f"The heap's working size is set by the garbage collector's gen0 budget: how much a worker allocates between two "
           f"collections. CgiRouting's package fixes it at 2 MiB (`CgiRoutingGCGen0Size`); the runtime's own budget, "
           f"worked out from the processor's caches, lets the same worker reach "
           f"{leak_runtime_gc[leak[-1][0]] / 1024:.1f} MiB after {leak[-1][0]:,} requests, against "
           f"{leak[-1][2] / 1024:.1f} MiB, for {runtime_gc_rps:,.0f} requests/s against {fastcgi_rps['fastcgi']:,.0f} "
           f"({fastcgi_rps['fastcgi'] / runtime_gc_rps:.2f}) in the throughput rounds above. With the runtime's budget the heap "
           f"reaches its working size only after some ten thousand requests. A connection's 131 KiB read buffer is left to "
           f"the next connection: a new one each, over the large-object threshold, piled up until a full collection (nginx "
           f"opens a new upstream connection after every 1,000 requests of one). The last count shows whether memory keeps "
           f"growing once the heap has its working size.")
out.append("")
notes_path = os.path.join(os.path.dirname(__file__), "notes.md")
if os.path.exists(notes_path):
    out.append(open(notes_path).read())
open(os.path.join(docs, "benchmarks.md"), "w").write("\n".join(out).replace("-d,", "-d5s,") + "\n")

# The chart: horizontal bars of the median start-to-response time on a logarithmic scale (the programs span more
# than two orders of magnitude), with the ratio to the floor.
import math
width, bar_h, gap, left, top, right = 880, 26, 10, 300, 60, 170
chart_bottom = top + len(order) * (bar_h + gap) + 50
target_line = 20
height = chart_bottom + 40 + len(targets) * target_line + 20
lo, hi = 0.2, 500.0  # milliseconds
plot = width - left - right


def x_of(milliseconds):
    return left + (math.log10(max(milliseconds, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * plot


svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
       f'<rect width="{width}" height="{height}" fill="white"/>',
       '<text x="16" y="28" font-size="16" font-weight="bold">Start to response for one CGI request (median, lower is better)</text>',
       '<text x="16" y="46" fill="#555">logarithmic scale; the label gives the time and the ratio to the Native AOT C# floor</text>']
for tick in [0.5, 1, 2, 5, 10, 50, 100, 500]:
    x = x_of(tick)
    svg.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{chart_bottom - 40}" stroke="#e3e3e3"/>')
    svg.append(f'<text x="{x:.1f}" y="{chart_bottom - 26}" text-anchor="middle" fill="#777" font-size="11">{tick:g} ms</text>')
colors = {"cgirouting-aot": "#2f6fd0", "cgirouting-jit": "#9bb7e6", "floor-aot": "#6a6a6a", "c": "#9a9a9a", "go": "#3aa394", "python": "#d08f2f"}
for i, k in enumerate(order):
    y = top + i * (bar_h + gap)
    end = x_of(startup[k] * 1000)
    svg.append(f'<text x="{left - 8}" y="{y + bar_h * 0.68}" text-anchor="end">{LABELS[k].split(",")[0].split(":")[0]}</text>')
    svg.append(f'<rect x="{left}" y="{y}" width="{max(2, end - left):.1f}" height="{bar_h}" fill="{colors.get(k, "#888")}"/>')
    svg.append(f'<text x="{end + 6:.1f}" y="{y + bar_h * 0.68}">{startup[k] * 1000:.2f} ms ({startup[k] / floor:.2f}× floor)</text>')
svg.append(f'<text x="16" y="{chart_bottom - 8}" fill="#555">{"QUICK RUN: not a measurement. " if quick else ""}'
           f'GET /greet/5, same environment, each program its own process. Written by bench/run.sh.</text>')
# The targets, each with its goal, the measured value and whether it is met.
svg.append(f'<text x="16" y="{chart_bottom + 24}" font-size="15" font-weight="bold">Targets (ratios within this run)</text>')
for i, (name, goal, measured, ok) in enumerate(targets):
    y = chart_bottom + 44 + i * target_line
    label = name.replace("`", "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg.append(f'<text x="16" y="{y}" fill="{"#1d7a35" if ok else "#b3261e"}" font-weight="bold">{"met" if ok else "not met"}</text>')
    svg.append(f'<text x="90" y="{y}">{label}: {measured.replace("<", "&lt;")} (goal {goal.replace("<", "&lt;")})</text>')
svg.append("</svg>")
open(os.path.join(docs, "benchmarks.svg"), "w").write("\n".join(svg) + "\n")
