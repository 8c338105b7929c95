#!/usr/bin/env python3
"""Turns bench/run.sh's raw results into docs/benchmarks.md (tables) and docs/benchmarks.svg (a chart)."""
import glob
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime, timezone

results, docs, quick = sys.argv[1], sys.argv[2], sys.argv[3] == "1"

LABELS = {
    "cgirouting-aot": "CgiRouting app (samples/Hello), Native AOT",
    "floor-aot": "Floor: fixed response, Native AOT C#, no framework",
    "c": "Physical floor: fixed response, C (gcc -O2)",
    "go": "Go net/http/cgi with a ServeMux",
    "python": "Python CGI script",
    "cgirouting-jit": "CgiRouting app on the JIT (dotnet hello.dll)",
    "cgirouting-aot-sdk-defaults": "CgiRouting app, Native AOT with the SDK's defaults (dehydrated)",
    "cgirouting-aot-no-pie": "CgiRouting app, Native AOT, CgiRouting's defaults + non-PIE",
}
VARIANTS = ["cgirouting-aot-sdk-defaults", "cgirouting-aot", "cgirouting-aot-no-pie"]


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


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def mib(size):
    return f"{int(size) / 1048576:.2f} MiB" if int(size) >= 1048576 else f"{int(size) / 1024:.1f} KiB"


def verdict(ok):
    return "met" if ok else "**not met**"


startup, startup_raw = medians("startup-*.json")
rss = {}
for name, kb in lines("rss.txt"):
    rss.setdefault(name, []).append(int(kb))
rss = {k: statistics.median(v) for k, v in rss.items()}
size = {name: int(b) for name, b in lines("size.txt")}
routes = [(int(c), int(ms_), int(b)) for c, ms_, b in lines("routes.txt")]
route_times, _ = medians("routes-*.json")
generator = json.load(open(os.path.join(results, "generator.json")))
wrk = {name: float(rps) for name, rps in lines("wrk.txt")}

floor = startup["floor-aot"]
app = startup["cgirouting-aot"]
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
first_routes, last_routes = routes[0][0], routes[-1][0]
route_ratio = route_times[f"routes-{last_routes}"] / route_times[f"routes-{first_routes}"]
ratio_1000 = (route_times["routes-1000"] / route_times["routes-10"]) if "routes-1000" in route_times and "routes-10" in route_times else None
build_10000 = next((ms_ for c, ms_, _ in routes if c == 10000), None)

targets = [
    ("CgiRouting app / bare AOT floor (GET with a typed path parameter, JSON response)", "≤ 1.15",
     f"{app / floor:.2f}", app / floor <= 1.15),
    ("CgiRouting app / Go net/http/cgi", "≤ 1.0", f"{app / startup['go']:.2f}", app / startup["go"] <= 1.0),
    ("Time to answer: 1,000 routes / 10 routes", "≤ 1.10",
     f"{ratio_1000:.2f}" if ratio_1000 else "not measured (quick run)", ratio_1000 is not None and ratio_1000 <= 1.10),
    ("10,000 routes: Native AOT build time", "< 2 min",
     f"{build_10000 / 1000:.0f} s" if build_10000 else "not measured (quick run)", build_10000 is not None and build_10000 < 120000),
    ("Peak RSS: app / floor", "≤ 1.2", f"{rss['cgirouting-aot'] / rss['floor-aot']:.2f}",
     rss["cgirouting-aot"] / rss["floor-aot"] <= 1.2),
    (f"Generator, full run on {generator['routes']} routes (median)", "< 300 ms", f"{generator['full_median_ms']:.0f} ms",
     generator["full_median_ms"] < 300 and generator["routes"] >= 1000),
    ("Generator: an edit to one handler's body regenerates nothing", "cached", "cached" if generator["edit_regenerates_nothing"] else "regenerated",
     generator["edit_regenerates_nothing"]),
]

order = sorted((k for k in startup if k not in ("cgirouting-aot-sdk-defaults", "cgirouting-aot-no-pie")), key=lambda k: startup[k])
out = []
out.append("# Benchmarks\n")
if quick:
    out.append("> **Quick run** (`bench/run.sh --quick`): a smoke test of the harness with a handful of runs. The numbers mean nothing.\n")
out.append(f"Written by `bench/run.sh` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Machine: {os.cpu_count()} cores ({cpu}), "
           f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.system()} {platform.release()}. "
           "It is shared and noisy, so every figure is the median of per-round medians, the rounds interleaving all programs "
           "(hyperfine, no shell), and the conclusions are ratios within this one run.\n")
out.append("Every program answers the same CGI request, `GET /greet/5` with the same environment, with the same JSON "
           "`{\"message\":\"Hello\",\"count\":5}` (the harness checks the bytes before it times anything).\n")
out.append("![Start to response](benchmarks.svg)\n")
out.append("## Targets\n")
out.append("| Target | Goal | Measured | |\n|---|---|---|---|")
for name, goal, measured, ok in targets:
    out.append(f"| {name} | {goal} | {measured} | {verdict(ok)} |")
out.append("")
out.append("## Start to response, per request\n")
out.append("One process per request: exec, start-up, read the environment, route, bind, serialize, write, exit.\n")
out.append("| Program | Median | / floor (Native AOT C#) | / C | Peak RSS | / floor | Size |\n|---|---|---|---|---|---|---|")
for k in order:
    out.append(f"| {LABELS[k]} | {ms(startup[k])} | {startup[k] / floor:.2f} | {startup[k] / startup['c']:.2f} | "
               f"{rss[k] / 1024:.1f} MiB | {rss[k] / rss['floor-aot']:.2f} | {mib(size[k])} |")
out.append("")
instructions = {name: int(n.replace(",", "")) for name, n in lines("instructions.txt")}
if instructions:
    out.append("## Instructions executed\n")
    out.append("Counted by valgrind's callgrind for the whole process, dynamic linker included: exact and repeatable, "
               "whatever else the machine is doing, though an instruction is not a fixed amount of time. The text "
               "request is `GET /hello/me` (a literal route, a string result); the JSON one is `GET /greet/5`.\n")
    out.append("| Program | JSON request | / floor | Text request | / floor |\n|---|---|---|---|---|")
    base_i = instructions["floor-aot"]
    for k in ["c", "floor-aot", "cgirouting-aot-sdk-defaults", "cgirouting-aot", "cgirouting-aot-no-pie"]:
        text = instructions.get(k + "-text")
        out.append(f"| {LABELS[k]} | {instructions[k]:,} | {instructions[k] / base_i:.2f} | "
                   f"{f'{text:,}' if text else '–'} | {f'{text / base_i:.2f}' if text else '–'} |")
    out.append("")
out.append("## What each setting buys\n")
out.append("samples/Hello built three ways, timed in the same rounds as above. CgiRouting's defaults are those its "
           "package gives apps (`src/Runtime/buildTransitive/CgiRouting.props`): Native AOT, invariant globalization, "
           "and `IlcDehydrate=false`.\n")
out.append("| Build | Median | / floor | Peak RSS | Size |\n|---|---|---|---|---|")
for k in VARIANTS:
    out.append(f"| {LABELS[k]} | {ms(startup[k])} | {startup[k] / floor:.2f} | {rss[k] / 1024:.1f} MiB | {mib(size[k])} |")
out.append("")
out.append("## Route count\n")
out.append(f"Generated apps with N routes `GET /r<i>/<id>`; the time to answer is for the last route. Ratios are to {first_routes} routes.\n")
out.append("| Routes | Time to answer | / smallest | Binary size | Native AOT build (publish) |\n|---|---|---|---|---|")
base = route_times[f"routes-{first_routes}"]
for count, build_ms, b in routes:
    t = route_times[f"routes-{count}"]
    out.append(f"| {count:,} | {ms(t)} | {t / base:.2f} | {mib(b)} | {build_ms / 1000:.0f} s |")
out.append("")
out.append("## The generator\n")
out.append(f"In-process (`bench/GeneratorBench`), {generator['routes']:,} routes in {max(1, generator['routes'] // 100)} files, "
           f"{generator['runs']} runs after two warm-up runs: a full run (a new driver, as a command-line build) takes a median of "
           f"**{generator['full_median_ms']:.0f} ms** (fastest {generator['full_min_ms']:.0f} ms); after an edit to one handler's body "
           f"the route table step is {'cached: nothing is regenerated' if generator['edit_regenerates_nothing'] else 'NOT cached'}, "
           f"and the run takes a median of {generator['incremental_median_ms']:.0f} ms.\n")
out.append("## Throughput through lighttpd\n")
out.append(f"wrk -t1 -c4 -d{sys.argv[4] if len(sys.argv) > 4 else ''}, loopback, lighttpd 1.4 with mod_cgi forking one process per request. "
           "The server and the client share the two cores with the CGI processes.\n")
out.append("| Program | Requests/s | / floor |\n|---|---|---|")
for k, label in [("aot", "cgirouting-aot"), ("floor", "floor-aot"), ("c", "c"), ("go", "go")]:
    if k in wrk:
        out.append(f"| {LABELS[label]} | {wrk[k]:,.0f} | {wrk[k] / wrk['floor']:.2f} |")
out.append("")
notes_path = os.path.join(os.path.dirname(__file__), "notes.md")
if os.path.exists(notes_path):
    out.append(open(notes_path).read())
open(os.path.join(docs, "benchmarks.md"), "w").write("\n".join(out).replace("-d,", "-d5s,") + "\n")

# The chart: horizontal bars of the median start-to-response time on a logarithmic scale (the programs span more
# than two orders of magnitude), with the ratio to the floor.
import math
width, bar_h, gap, left, top, right = 880, 26, 10, 300, 60, 170
height = top + len(order) * (bar_h + gap) + 50
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
    svg.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 40}" stroke="#e3e3e3"/>')
    svg.append(f'<text x="{x:.1f}" y="{height - 26}" text-anchor="middle" fill="#777" font-size="11">{tick:g} ms</text>')
colors = {"cgirouting-aot": "#2f6fd0", "cgirouting-jit": "#9bb7e6", "floor-aot": "#6a6a6a", "c": "#9a9a9a", "go": "#3aa394", "python": "#d08f2f"}
for i, k in enumerate(order):
    y = top + i * (bar_h + gap)
    end = x_of(startup[k] * 1000)
    svg.append(f'<text x="{left - 8}" y="{y + bar_h * 0.68}" text-anchor="end">{LABELS[k].split(",")[0].split(":")[0]}</text>')
    svg.append(f'<rect x="{left}" y="{y}" width="{max(2, end - left):.1f}" height="{bar_h}" fill="{colors.get(k, "#888")}"/>')
    svg.append(f'<text x="{end + 6:.1f}" y="{y + bar_h * 0.68}">{startup[k] * 1000:.2f} ms ({startup[k] / floor:.2f}× floor)</text>')
svg.append(f'<text x="16" y="{height - 8}" fill="#555">{"QUICK RUN: not a measurement. " if quick else ""}'
           f'GET /greet/5, same environment, each program its own process. Written by bench/run.sh.</text>')
svg.append("</svg>")
open(os.path.join(docs, "benchmarks.svg"), "w").write("\n".join(svg) + "\n")
