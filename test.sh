#!/usr/bin/env bash
# Runs every test: the runtime and dispatcher tests, the generator tests, and the end-to-end tests that publish
# the samples as Native AOT (failing on any AOT warning) and drive them through real lighttpd, Apache httpd and
# nginx+fcgiwrap over HTTP; a bounded fuzzing run of each fuzz target. Installs the servers, afl++ and the Native AOT
# toolchain with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mark_test_run

ensure_packages lighttpd:lighttpd apache2:apache2-bin /etc/mime.types:media-types nginx:nginx-light \
    fcgiwrap:fcgiwrap spawn-fcgi:spawn-fcgi afl-fuzz:afl++ chromium:chromium node:nodejs npm:npm \
    pg_ctlcluster:postgresql psql:postgresql-client openssl:openssl promtool:prometheus strace:strace
ensure_aot_toolchain
# The browser test's one package (playwright-core, which drives Debian's Chromium; it downloads no browser).
[[ -d tests/browser/node_modules/playwright-core ]] || (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
# The OpenAPI linter (@redocly/cli) that tests/CgiRouting.EndToEnd.Tests/OpenApiTests.cs runs on the samples' documents.
[[ -d tests/openapi/node_modules/@redocly/cli ]] || (cd tests/openapi && npm ci --no-audit --no-fund --loglevel=error)

echo "== Build (warnings are errors)"
dotnet build CgiRouting.sln -nologo -v quiet

echo "== Native AOT publish of the samples (warnings are errors)"
export CGIROUTING_AOT_DIR=$PWD/artifacts/aot
for sample in Hello Todo Todo.Postgres; do
    publish_aot "samples/$sample/$sample.csproj" "$CGIROUTING_AOT_DIR/$sample"
done
ls -l "$CGIROUTING_AOT_DIR"/Hello/hello "$CGIROUTING_AOT_DIR"/Todo/todo

echo "== Tests"
log=$(mktemp)
status=0
dotnet test CgiRouting.sln --no-build -nologo 2>&1 | tee "$log" || status=$?
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
rm -f "$log"

echo "== Fuzzing (afl++ and SharpFuzz): seeds and crash regressions, then each target for a bounded time (fuzz/run.sh)"
# The whole step takes about two minutes: building both harnesses from cold and replaying the inputs took about 45 s
# of it on a loaded 2-core machine, and the targets fuzz for 90 s (fastcgi's 10 s added to the earlier 80).
if { fuzz/run.sh --regressions && fuzz/run.sh query 10 && fuzz/run.sh multipart 15 && fuzz/run.sh fastcgi 10 && fuzz/run.sh request 25 && fuzz/run.sh generator 30; } > artifacts/fuzz.log 2>&1; then
    grep -E "^(query|multipart|fastcgi|request|generator):" artifacts/fuzz.log
    echo "fuzz/run.sh: passed"
    passed=$((passed + 1))
else
    tail -30 artifacts/fuzz.log
    echo "fuzz/run.sh: FAILED"
    failed=$((failed + 1))
fi

echo "== Benchmark harness smoke run (bench/run.sh --quick: checks the harness, measures nothing)"
if bench/run.sh --quick > artifacts/bench-quick.log 2>&1; then
    echo "bench/run.sh --quick: passed"
    passed=$((passed + 1))
else
    tail -30 artifacts/bench-quick.log
    echo "bench/run.sh --quick: FAILED"
    failed=$((failed + 1))
fi

echo "== Processes left behind (a test that does not stop what it started, or workers that outlive their manager)"
# dotnet's build servers are the SDK's own, shared with later builds; anything else the run started must be gone.
dotnet build-server shutdown >/dev/null 2>&1 || true
left=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
    left=$(leftover_processes)
    [[ -z $left ]] && break
    sleep 1
done
if [[ -n $left ]]; then
    echo "$left"
    echo "processes left behind: FAILED"
    failed=$((failed + 1))
else
    echo "none: passed"
    passed=$((passed + 1))
fi

echo
echo "$passed passed, $failed failed"
if [[ $status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then
    exit 1
fi
