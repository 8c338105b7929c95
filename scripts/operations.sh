#!/usr/bin/env bash
# Measures what docs/operations.md reports (issue 21, "operate it like php-fpm") and writes it; run separately from
# ./test.sh. About 2 minutes on a two-core machine:
#   scripts/operations.sh
# The figures are the lines PoolTests and PoolStatusTests report (tests/CgiRouting.EndToEnd.Tests/): an ondemand pool's
# growth and fall to 0, --max-rss replacement, the crash-loop back-off, five SIGHUP reloads with a new binary
# renamed in during 16-client POST load through nginx, and the status, OpenMetrics (checked by promtool), access and
# slow logs against the requests sent through nginx; then the requests per second of a worker with and without
# --status-path and --access-log, measured here with wrk. Each property is asserted by the test; a failure is written
# into the page and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ensure_packages nginx:nginx-light promtool:prometheus wrk:wrk
ensure_aot_toolchain
dotnet build CgiRouting.sln -nologo -v quiet
mkdir -p artifacts/operations
out=$PWD/artifacts/operations/figures.txt
log=$PWD/artifacts/operations/test.log
rm -f "$out"
status=0
CGIROUTING_RELIABILITY_OUT=$out dotnet test tests/CgiRouting.EndToEnd.Tests --no-build \
    --filter "FullyQualifiedName~PoolTests|FullyQualifiedName~PoolStatusTests" >"$log" 2>&1 || status=$?

# The cost of --status-path (per-route counters on the scoreboard) and --access-log (a line per request) on a FastCGI
# worker's requests per second: samples/Hello twice, as the tests published it, one worker each on a unix socket, without
# and with both, behind one nginx (hosting/nginx-fastcgi.sh: upstream connections kept); wrk -t1 -c4 on GET /items/5,
# 3 s rounds, six each, interleaved; the ratio of the sums.
hello=$PWD/artifacts/aot/Hello/hello
[[ -x $hello ]] || publish_aot samples/Hello/Hello.csproj "$PWD/artifacts/aot/Hello"
bench_root=$(mktemp -d /tmp/cgirouting-operations-XXXXXX)
chmod 755 "$bench_root"
pids=()
stop_started() { local pid; for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap stop_started EXIT
"$hello" --fastcgi "unix:$bench_root/plain.sock" 2>>"$bench_root/workers.log" & pids+=($!)
"$hello" --fastcgi "unix:$bench_root/observed.sock" --status-path /observed/status --access-log "$bench_root/access.log" 2>>"$bench_root/workers.log" & pids+=($!)
for socket in plain observed; do
    for _ in $(seq 100); do [[ -S $bench_root/$socket.sock ]] && break; sleep 0.1; done
    chmod 666 "$bench_root/$socket.sock" # nginx's workers run as nobody
done
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$bench_root/nginx"; chmod 777 "$bench_root/nginx"
hosting/nginx-fastcgi.sh "$port" "$bench_root/nginx" "/plain/=unix:$bench_root/plain.sock" "/observed/=unix:$bench_root/observed.sock" \
    > "$bench_root/nginx/nginx.conf"
nginx -p "$bench_root/nginx/" -e "$bench_root/nginx/error.log" -c "$bench_root/nginx/nginx.conf" & pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/plain/items/5" >/dev/null && break; sleep 0.1; done
# Requests per second depend on what else the machine runs; the CPU time each worker spent per request (utime + stime
# of /proc/PID/stat, over the same rounds) does much less, and is reported beside them.
rps() { wrk -t1 -c4 -d3s "http://127.0.0.1:$port/$1/items/5" | tee -a "$bench_root/wrk.log" | awk '/^Requests\/sec:/ {print $2}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
plain_rps=() observed_rps=()
plain_cpu=$(cpu_ticks "${pids[0]}") observed_cpu=$(cpu_ticks "${pids[1]}")
plain_requests=0 observed_requests=0
# In the order plain, observed, observed, plain, three times: whatever the machine's load does over the minute falls on both.
for worker in plain observed observed plain plain observed observed plain plain observed observed plain; do
    rate=$(rps $worker)
    sent=$(tail -n 20 "$bench_root/wrk.log" | awk '/requests in/ {print $1}' | tail -1)
    if [[ $worker == plain ]]; then plain_rps+=("$rate"); plain_requests=$((plain_requests + sent))
    else observed_rps+=("$rate"); observed_requests=$((observed_requests + sent)); fi
done
ticks=$(getconf CLK_TCK)
plain_us=$(awk -v t="$(( $(cpu_ticks "${pids[0]}") - plain_cpu ))" -v n="$plain_requests" -v hz="$ticks" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
observed_us=$(awk -v t="$(( $(cpu_ticks "${pids[1]}") - observed_cpu ))" -v n="$observed_requests" -v hz="$ticks" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
access_lines=$(wc -l < "$bench_root/access.log")
observed_status=$(curl -sf "http://127.0.0.1:$port/observed/status") # SCRIPT_NAME /observed, PATH_INFO /status
stop_started
trap - EXIT
rm -rf "$bench_root"
throughput=$(awk -v p="${plain_rps[*]}" -v o="${observed_rps[*]}" 'BEGIN {
    n = split(p, a, " "); split(o, b, " "); for (i = 1; i <= n; i++) { sp += a[i]; so += b[i] }
    printf "%.3f", so / sp }')
# The CGI path's cost: samples/Hello's instructions under callgrind (exact), beside those of 140aeab, before issue 21:
# as it was (measured by the same command into the same folder, bench/instructions.sh /tmp/instr-ops at 140aeab), and
# with the start-up levers that came later applied to it (scripts/baseline-140aeab.sh, measured here, into the same
# folder first): the counts depend on the binary's path, which is in the process's arguments and memory map.
rm -rf /tmp/instr-ops
baseline=$(scripts/baseline-140aeab.sh /tmp/instr-ops 2>/dev/null | grep -E '^(greet|item|text|post|size) ' || true)
rm -rf /tmp/instr-ops # a build of its own, not over the baseline's
instructions=$(bench/instructions.sh /tmp/instr-ops 2>/dev/null | grep -E '^(greet|item|text|post|size) ' || true)
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)"
{
    echo "# Operating a worker pool: measured"
    echo
    echo "Generated by \`scripts/operations.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $machine; do not edit by hand."
    echo "Each line is reported by a test of \`tests/CgiRouting.EndToEnd.Tests/PoolTests.cs\` or \`PoolStatusTests.cs\` that asserts it;"
    echo "reproduce one with \`dotnet test tests/CgiRouting.EndToEnd.Tests --filter FullyQualifiedName~PoolTests.NAME\` (or PoolStatusTests). The options are described in"
    echo "[the FastCGI guide](guide/fastcgi.md) ("Pools")."
    echo
    if [[ -s $out ]]; then sed 's/^/- /' "$out"; fi
    echo
    echo "The cost of \`--status-path\` and \`--access-log\` on a FastCGI worker (samples/Hello, one worker, GET /items/5 through nginx"
    echo "with upstream connections kept, \`wrk -t1 -c4 -d3s\`, six rounds each in the order ABBA ABBA ABBA, measured by this script): requests/s"
    echo "without ${plain_rps[*]}, with ${observed_rps[*]}: **$throughput** of the worker without them (target at least 0.9). The"
    echo "worker's CPU time per request: $plain_us µs without, $observed_us µs with. The access log had $access_lines lines, and the"
    echo "status then said \`$(tr -d '\n' <<<"$observed_status" | cut -c1-200)...\`."
    if awk -v r="$throughput" 'BEGIN { exit !(r < 0.9) }'; then echo; echo "**Below the 0.9 target.**"; status=1; fi
    if [[ $status -ne 0 ]]; then
        echo
        echo "**FAILED** (exit $status):"
        echo
        echo '```'
        grep -E "Failed |Error Message|Assert" "$log" | head -20
        echo '```'
    fi
    echo
    echo "A CGI request's instructions (samples/Hello under callgrind, \`bench/instructions.sh /tmp/instr-ops\`): before issue 21 (140aeab)"
    echo "as it was; 140aeab with the start-up levers that came after it (\`scripts/baseline-140aeab.sh\`: the initial thread's"
    echo "stack bounds, StandardDescriptorWriter instead of System.Console, libc bound at start only for what a CGI request"
    echo "calls); and now. The issue's target (the CGI path within 1 %) is the last column."
    echo
    echo "| request | 140aeab | 140aeab with the levers | now | now against 140aeab | now against 140aeab with the levers |"
    echo "|---|---:|---:|---:|---:|---:|"
    while read -r name before; do
        now=$(awk -v n="$name" '$1 == n {print $2}' <<<"$instructions")
        levers=$(awk -v n="$name" '$1 == n {print $2}' <<<"$baseline")
        [[ -n $now && -n $levers ]] && awk -v n="$name" -v b="$before" -v l="$levers" -v a="$now" \
            'BEGIN {printf "| %s | %d | %d | %d | %+.2f %% | %+.2f %% |\n", n, b, l, a, (a - b) * 100 / b, (a - l) * 100 / l}'
    done <<'BEFORE'
greet 1441956
item 1444799
text 1429642
post 1471675
BEFORE
    echo
    echo "The like-for-like column holds everything since 140aeab (issue 20's web features and issue 23's route shapes too),"
    echo "so issue 21's own share is below it; builds of different code also differ by up to about 5,000 instructions"
    echo "(0.4 %) from layout alone. None of the pool's code, status, metrics or logs runs in a CGI request but for the"
    echo "dispatcher's one store of the matched route's row. What it cost anyway was what a binary pays at every start for"
    echo "what it links (bench/notes.md): static bases of its \`List<T>\`s (now arrays) and the binding of libc functions"
    echo "only a worker calls (now bound at their first call); the binary is $(awk '$1 == "size" {print $2}' <<<"$instructions") bytes"
    echo "($(awk '$1 == "size" {print $2}' <<<"$baseline") for 140aeab with the levers). Measured while building it (samples/Hello's greet"
    echo "against 551fa22, the commit before): the first version of the metrics cost +2.6 %, the binary 216 KB larger;"
    echo "formatting the access log's dates by hand instead of with DateTime.ToString brought it to +1.3 % and 81 KB; writing"
    echo "the status's JSON and OpenMetrics from UTF-8 literals and parsing --slow-log by hand to +0.9 %."
    echo
    echo "Status, metrics and logs (\`--status-path\` with \`?openmetrics\`, \`--access-log\`, \`--access-format\`, \`--slow-log\`) are"
    echo "described in [the FastCGI guide](guide/fastcgi.md#status-metrics-and-logs); the line on the status through nginx above is"
    echo "\`PoolStatusTests\` (\`dotnet test tests/CgiRouting.EndToEnd.Tests --filter FullyQualifiedName~PoolStatusTests\`), and the ratio"
    echo "of requests per second is this script's own run (\`scripts/operations.sh\`)."
} > docs/operations.md
cat docs/operations.md
exit $status
