#!/usr/bin/env bash
# Counts the instructions samples/Hello executes for bench/run.sh's four requests, and bench/full (every feature) its
# plain-text one (callgrind: exact, whatever else the machine is doing), for a quick before/after check of a change that must not move start-up (a refactoring is held
# within 1 % of before). bench/run.sh measures the same counts, with the floor beside them, in its full report.
#   bench/instructions.sh [OUTDIR]   publishes samples/Hello and bench/full into OUTDIR (artifacts/bench/instructions by default)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
OUT=${1:-$PWD/artifacts/bench/instructions}
ensure_aot_toolchain
ensure_packages valgrind:valgrind strip:binutils
publish_aot samples/Hello/Hello.csproj "$OUT/hello" -p:IntermediateOutputPath="$OUT/obj/"
publish_aot bench/full/Full.csproj "$OUT/full" -p:IntermediateOutputPath="$OUT/obj-full/"
# valgrind cannot read the DWARF that Native AOT writes: keep the symbols, drop the debug information (as bench/run.sh).
for app in hello/hello:app full/full:full-app; do
    cp "$OUT/${app%%:*}" "$OUT/${app#*:}"; strip --strip-debug "$OUT/${app#*:}"; objcopy --remove-section=.gnu_debuglink "$OUT/${app#*:}"
done
printf '{"name":"Ann","times":2}' > "$OUT/post-body.json"
export GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_SOFTWARE=bench SERVER_NAME=127.0.0.1 SERVER_PORT=80
export QUERY_STRING= SCRIPT_NAME= REMOTE_ADDR=127.0.0.1
count() { # NAME METHOD PATH [STDIN [APP]]
    local input=${4:-/dev/null} app=${5:-$OUT/app}
    if [[ $2 == POST ]]; then export CONTENT_TYPE=application/json CONTENT_LENGTH=$(stat -c %s "$input"); else unset CONTENT_TYPE CONTENT_LENGTH; fi
    echo "$1 $(REQUEST_METHOD=$2 PATH_INFO=$3 valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind-$1.out" "$app" 2>&1 >/dev/null <"$input" \
        | awk '/Collected/ {print $4}')"
}
count greet GET /greet/5
count item GET /items/5
count text GET /hello/me
count post POST /greet "$OUT/post-body.json"
# The pay-for-play request (issue 23): bench/full links every feature, and GET /hello/me must cost what Hello's does.
count full-text GET /hello/me /dev/null "$OUT/full-app"
echo "size $(stat -c %s "$OUT/hello/hello")"
