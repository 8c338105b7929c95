#!/usr/bin/env bash
# Measures CgiRouting's start-up cost side by side with the floor and with what users would pick instead, and
# writes docs/benchmarks.md and docs/benchmarks.svg. Every figure is a median from runs interleaved in one session,
# read as a ratio to a baseline of the same session: the machine is shared and noisy.
#   bench/run.sh           the full run (about 30 minutes on 2 cores: 10 of them build the route-shape apps)
#   bench/run.sh --quick   a smoke run that checks the harness end to end (few runs, small apps); it writes its
#                          report to artifacts/bench/quick/, never to docs/
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

QUICK=0
[[ ${1:-} == --quick ]] && QUICK=1
OUT=$PWD/artifacts/bench
RESULTS=$OUT/results
if [[ $QUICK == 1 ]]; then
    # Its own results folder, so that a smoke run never overwrites the raw results of a full run.
    RESULTS=$OUT/quick/results; DOCS=$OUT/quick; PACED_REQUESTS=20; ROUNDS=1; RUNS=5; RSS_RUNS=2; ROUTE_COUNTS="10 100"; SHAPE_COUNTS="10 100"; GEN_ROUTES=100; GEN_RUNS=2; WRK_SECONDS=1
    NGINX_ROUNDS=1; LEAK_COUNTS="100 1000 2000"
else
    DOCS=$PWD/docs; PACED_REQUESTS=300; ROUNDS=5; RUNS=60; RSS_RUNS=15; ROUTE_COUNTS="10 100 1000 10000"; SHAPE_COUNTS="10 10000"; GEN_ROUTES=1000; GEN_RUNS=15; WRK_SECONDS=5
    # The worker's peak RSS is read after each count of requests: 1,000 and 100,000 are the leak target's; the last
    # shows whether memory still grows once the heap has reached its working size.
    NGINX_ROUNDS=3; LEAK_COUNTS="1000 10000 100000 1000000"
fi
# The template shapes of bench/routes/generate.py measured besides the default one, at SHAPE_COUNTS routes each.
ROUTE_SHAPES="literal-after-param shared-prefix typed catch-all methods mix"
rm -rf "$RESULTS"; mkdir -p "$RESULTS" "$DOCS"

ensure_packages hyperfine:hyperfine wrk:wrk go:golang-go gcc:gcc python3:python3 lighttpd:lighttpd /usr/bin/time:time \
    nginx:nginx-light /usr/sbin/fcgiwrap:fcgiwrap spawn-fcgi:spawn-fcgi /usr/include/fcgiapp.h:libfcgi-dev
ensure_aot_toolchain

echo "== Building what is compared"
publish_aot samples/Hello/Hello.csproj "$OUT/hello"
# The same app with the SDK's defaults instead of CgiRouting's, and with one setting changed, to show what each buys.
publish_aot samples/Hello/Hello.csproj "$OUT/hello-sdk-defaults" -p:IlcDehydrate=true -p:CgiRoutingPackRelocations=false -p:CgiRoutingGCGen0Size=0 \
    -p:IntermediateOutputPath="$OUT/obj-sdk-defaults/"
publish_aot samples/Hello/Hello.csproj "$OUT/hello-no-relr" -p:CgiRoutingPackRelocations=false -p:IntermediateOutputPath="$OUT/obj-no-relr/"
publish_aot samples/Hello/Hello.csproj "$OUT/hello-no-pie" -p:PositionIndependentExecutable=false -p:IntermediateOutputPath="$OUT/obj-no-pie/"
# Pay for play (issue 23): an app that uses every feature, whose plain-text route must cost what the floor's does.
publish_aot bench/full/Full.csproj "$OUT/full"
# The floor is a stock Native AOT program: the SDK's defaults, none of CgiRouting's.
publish_aot bench/floor/Floor.csproj "$OUT/floor"
gcc -O2 -o "$OUT/c-floor" bench/c/floor.c
gcc -O2 -o "$OUT/feed" bench/c/feed.c
gcc -O2 -o "$OUT/libfcgi-worker" bench/c/libfcgi-worker.c -lfcgi
# The same Go handlers twice: a CGI program, and a FastCGI worker (net/http/fcgi) for the throughput through nginx.
(cd bench/go && GOCACHE=$OUT/go-cache GOPATH=$OUT/go-path GO111MODULE=off go build -o "$OUT/go-app" . \
    && GOCACHE=$OUT/go-cache GOPATH=$OUT/go-path GO111MODULE=off go build -tags fcgi -o "$OUT/go-fcgi" .)
# What users would pick instead of a FastCGI worker: ASP.NET Core on Kestrel, Native AOT. It restores nothing beyond
# the packages of samples/Hello's Native AOT build and ASP.NET Core's runtime pack.
publish_aot bench/kestrel/Kestrel.csproj "$OUT/kestrel"
dotnet build samples/Hello/Hello.csproj -c Release -nologo -v quiet -p:PublishAot=false -o "$OUT/hello-jit" >/dev/null
# The kernel sandbox's cost: the same test app with [assembly: Sandbox] and without (tests/Apps/Sandboxed).
publish_aot tests/Apps/Sandboxed/Sandboxed.csproj "$OUT/sandboxed" -p:IntermediateOutputPath="$OUT/obj-sandboxed/" -p:OutputPath="$OUT/bin-sandboxed/"
publish_aot tests/Apps/Sandboxed/Sandboxed.csproj "$OUT/sandboxed-off" -p:CgiRoutingTestSandbox=off -p:IntermediateOutputPath="$OUT/obj-sandboxed-off/" -p:OutputPath="$OUT/bin-sandboxed-off/"
gcc -O2 -shared -fPIC -o "$OUT/sandbox-shim.so" bench/c/sandbox-shim.c -ldl
cp bench/python/app.py "$OUT/python-app.py"
printf '{"name":"Ann","times":2}' > "$OUT/post-body.json"

# The CGI environment a server would set; each request below adds its method and path.
export GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_SOFTWARE=bench SERVER_NAME=127.0.0.1 SERVER_PORT=80
export QUERY_STRING= SCRIPT_NAME= REMOTE_ADDR=127.0.0.1

# use_request NAME: sets the request's meta-variables and the programs that answer it (names, commands).
use_request() {
    unset CONTENT_LENGTH CONTENT_TYPE
    export REQUEST_METHOD=GET
    case $1 in
    greet) # the headline request since the first benchmark: a typed path parameter, a two-field JSON response
        export PATH_INFO=/greet/5
        names=(cgirouting-aot floor-aot c go python cgirouting-jit cgirouting-aot-sdk-defaults cgirouting-aot-no-relr cgirouting-aot-no-pie)
        commands=("$OUT/hello/hello" "$OUT/floor/floor" "$OUT/c-floor" "$OUT/go-app" "python3 $OUT/python-app.py"
            "dotnet $OUT/hello-jit/hello.dll" "$OUT/hello-sdk-defaults/hello" "$OUT/hello-no-relr/hello" "$OUT/hello-no-pie/hello") ;;
    item) # a string, a number, an array and a nested record
        export PATH_INFO=/items/5
        names=(cgirouting-aot floor-aot go cgirouting-aot-sdk-defaults)
        commands=("$OUT/hello/hello" "$OUT/floor/floor" "$OUT/go-app" "$OUT/hello-sdk-defaults/hello") ;;
    text) # a literal route, a string result; also from bench/full, which links every feature (pay for play)
        export PATH_INFO=/hello/me
        names=(cgirouting-aot floor-aot cgirouting-aot-sdk-defaults cgirouting-aot-full)
        commands=("$OUT/hello/hello" "$OUT/floor/floor" "$OUT/hello-sdk-defaults/hello" "$OUT/full/full") ;;
    post) # a JSON body bound to a record; every command is started through feed, which the c rows measure
        export PATH_INFO=/greet REQUEST_METHOD=POST CONTENT_TYPE=application/json CONTENT_LENGTH=$(stat -c %s "$OUT/post-body.json")
        names=(cgirouting-aot floor-aot feed-c c)
        commands=("$OUT/feed $OUT/post-body.json $OUT/hello/hello" "$OUT/feed $OUT/post-body.json $OUT/floor/floor"
            "$OUT/feed $OUT/post-body.json $OUT/c-floor" "$OUT/c-floor") ;;
    esac
}
REQUESTS="greet item text post"

if [[ $QUICK == 0 ]]; then
    # The generated JSON code must write (and read) what System.Text.Json does before its speed means anything;
    # ./test.sh runs the same properties, so the smoke run skips them.
    echo "== Checking the generated JSON code against System.Text.Json (differential property tests)"
    dotnet test tests/CgiRouting.Tests -nologo -v quiet --filter "FullyQualifiedName~CgiRouting.Tests.Json" > "$RESULTS/json-properties.log" 2>&1 \
        || { tail -30 "$RESULTS/json-properties.log" >&2; echo "the generated JSON code differs from System.Text.Json" >&2; exit 1; }
    grep -E "Passed!|Failed!" "$RESULTS/json-properties.log" | tail -1
fi

echo "== Checking that the app and its floor write the same bytes, and the others the same body"
for request in $REQUESTS; do
    use_request "$request"
    expected=$(${commands[1]} | od -An -c)
    [[ $(${commands[0]} | od -An -c) == "$expected" ]] || { echo "$request: the app's bytes differ from the floor's" >&2; ${commands[0]} >&2; exit 1; }
    expected_body=$(${commands[1]} | tr -d '\r' | sed '1,/^$/d')
    for i in "${!names[@]}"; do
        [[ ${names[$i]} == c || ${names[$i]} == feed-c ]] && continue
        body=$(${commands[$i]} | tr -d '\r' | sed '1,/^$/d')
        [[ $body == "$expected_body" ]] || { echo "$request: ${names[$i]} answered '$body', not '$expected_body'" >&2; exit 1; }
    done
done
# The full app's text answer is compared with the same floor, so it must be the floor's bytes, headers included.
use_request text
cmp -s <("$OUT/floor/floor") <("$OUT/full/full") || { echo "bench/full and the floor differ on /hello/me" >&2; exit 1; }

echo "== Start to response, $ROUNDS interleaved rounds of $RUNS runs for each request"
for round in $(seq "$ROUNDS"); do
    for request in $REQUESTS; do
        use_request "$request"
        args=()
        for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${commands[$i]}"); done
        hyperfine -N --style none --warmup 3 --runs "$RUNS" --export-json "$RESULTS/startup-$request-$round.json" "${args[@]}" >/dev/null
    done
done

echo "== Peak RSS and size"
for request in greet item; do
    use_request "$request"
    for i in "${!names[@]}"; do
        for run in $(seq "$RSS_RUNS"); do
            /usr/bin/time -f "%M" -o "$RESULTS/rss.tmp" ${commands[$i]} >/dev/null
            echo "${names[$i]} $(cat "$RESULTS/rss.tmp")" >> "$RESULTS/rss-$request.txt"
        done
    done
done
rm -f "$RESULTS/rss.tmp"
{
    echo "cgirouting-aot $(stat -c %s "$OUT/hello/hello")"
    echo "floor-aot $(stat -c %s "$OUT/floor/floor")"
    echo "c $(stat -c %s "$OUT/c-floor")"
    echo "go $(stat -c %s "$OUT/go-app")"
    echo "python $(stat -c %s "$OUT/python-app.py")"
    echo "cgirouting-jit $(du -sb "$OUT/hello-jit" | cut -f1)"
    echo "cgirouting-aot-sdk-defaults $(stat -c %s "$OUT/hello-sdk-defaults/hello")"
    echo "cgirouting-aot-no-relr $(stat -c %s "$OUT/hello-no-relr/hello")"
    echo "cgirouting-aot-no-pie $(stat -c %s "$OUT/hello-no-pie/hello")"
    echo "cgirouting-aot-full $(stat -c %s "$OUT/full/full")"
} > "$RESULTS/size.txt"
# The dynamic relocation tables' size in bytes (RELA + RELR): readelf -r decodes RELR, so counting its lines would
# not show the packing.
relocation_bytes() { readelf -dW "$1" | awk '/\((RELASZ|RELRSZ)\)/ {n += $3} END {print n + 0}'; }
for binary in hello hello-sdk-defaults hello-no-relr hello-no-pie; do
    echo "$binary $(relocation_bytes "$OUT/$binary/hello")" >> "$RESULTS/relocations.txt"
done

echo "== Instructions executed (callgrind: exact, whatever else the machine is doing)"
ensure_packages valgrind:valgrind strip:binutils
count_instructions() { # NAME BINARY [STDIN]
    local dir=$OUT/callgrind/$1-$request
    rm -rf "$dir"; mkdir -p "$dir"
    # valgrind cannot read the DWARF that Native AOT writes: keep the symbols, drop the debug information.
    cp "$2" "$dir/app"; strip --strip-debug "$dir/app"; objcopy --remove-section=.gnu_debuglink "$dir/app"
    echo "$request $1 $(valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" "$dir/app" 2>&1 >/dev/null <"${3:-/dev/null}" \
        | awk '/Collected/ {print $4}')" >> "$RESULTS/instructions.txt"
}
for request in $REQUESTS; do
    use_request "$request"
    input=/dev/null; [[ $request == post ]] && input=$OUT/post-body.json
    count_instructions floor-aot "$OUT/floor/floor" "$input"
    count_instructions cgirouting-aot "$OUT/hello/hello" "$input"
    count_instructions cgirouting-aot-sdk-defaults "$OUT/hello-sdk-defaults/hello" "$input"
    if [[ $request == text ]]; then count_instructions cgirouting-aot-full "$OUT/full/full"; fi
done
request=greet; use_request greet
count_instructions c "$OUT/c-floor"
count_instructions cgirouting-aot-no-relr "$OUT/hello-no-relr/hello"
count_instructions cgirouting-aot-no-pie "$OUT/hello-no-pie/hello"
unset CONTENT_LENGTH CONTENT_TYPE
export REQUEST_METHOD=GET

echo "== The kernel sandbox: GET /hello of tests/Apps/Sandboxed with its sandbox and without"
mkdir -p "$OUT/sandbox-data/out"
export SANDBOX_DATA=$OUT/sandbox-data SANDBOX_PORT=5433 PATH_INFO=/hello
request=sandbox
# valgrind fails Landlock's and seccomp's calls (ENOSYS): the shim answers them as the kernel does, so that callgrind
# counts the user-space path a sandboxed process runs (bench/c/sandbox-shim.c); the unsandboxed build gets it too.
LD_PRELOAD=$OUT/sandbox-shim.so count_instructions sandboxed "$OUT/sandboxed/sandboxed"
LD_PRELOAD=$OUT/sandbox-shim.so count_instructions sandboxed-off "$OUT/sandboxed-off/sandboxed"
for round in $(seq "$ROUNDS"); do
    hyperfine -N --style none --warmup 3 --runs "$RUNS" --export-json "$RESULTS/startup-sandbox-$round.json" \
        -n sandboxed "$OUT/sandboxed/sandboxed" -n sandboxed-off "$OUT/sandboxed-off/sandboxed" >/dev/null
done
unset SANDBOX_DATA SANDBOX_PORT

echo "== Route count: $ROUTE_COUNTS routes"
for count in $ROUTE_COUNTS; do
    dir=$OUT/routes-$count
    rm -rf "$dir"
    python3 bench/routes/generate.py "$count" "$dir/src" .
    start=$(date +%s%N)
    publish_aot "$dir/src/Routes.csproj" "$dir/bin"
    end=$(date +%s%N)
    last=$((count - 1))
    body=$(PATH_INFO=/r$last/5 "$dir/bin/routes" | tr -d '\r' | sed '1,/^$/d')
    [[ $body == "r$last 5" ]] || { echo "the $count-route app answered '$body'" >&2; exit 1; }
    echo "$count $(( (end - start) / 1000000 )) $(stat -c %s "$dir/bin/routes")" >> "$RESULTS/routes.txt"
done
# Every app answers the same path, /r9/5, so that only the size of the table differs; no wrapper (env) is timed.
# The floor writes the same bytes: a route-count app with no JSON is a CgiRouting app against the stock floor.
export PATH_INFO=/r9/5
cmp -s <("$OUT/floor/floor") <("$OUT/routes-10/bin/routes") || { echo "routes-10 and the floor differ" >&2; exit 1; }
args=(-n floor-aot "$OUT/floor/floor")
for count in $ROUTE_COUNTS; do args+=(-n "routes-$count" "$OUT/routes-$count/bin/routes"); done
for round in $(seq "$ROUNDS"); do
    hyperfine -N --style none --warmup 3 --runs "$RUNS" --export-json "$RESULTS/routes-$round.json" "${args[@]}" >/dev/null
done
for count in $ROUTE_COUNTS; do
    /usr/bin/time -f "%M %R" -o "$RESULTS/faults.tmp" "$OUT/routes-$count/bin/routes" >/dev/null
    echo "$count $(cat "$RESULTS/faults.tmp") $(relocation_bytes "$OUT/routes-$count/bin/routes")" >> "$RESULTS/routes-memory.txt"
done
rm -f "$RESULTS/faults.tmp"
request=routes
count_instructions floor-aot "$OUT/floor/floor"
for count in $ROUTE_COUNTS; do count_instructions "routes-$count" "$OUT/routes-$count/bin/routes"; done

echo "== Route count by template shape: $SHAPE_COUNTS routes of each of $ROUTE_SHAPES"
# The cost of a large table must be flat whatever its templates (issue 23): the smallest and the largest app of each
# shape only, to bound the run's time (a 10,000-route publish takes minutes). Each shape's apps answer the path that
# generate.py --path prints, the same for both sizes.
for shape in $ROUTE_SHAPES; do
    path=$(python3 bench/routes/generate.py --path "$shape")
    for count in $SHAPE_COUNTS; do
        dir=$OUT/routes-$shape-$count
        rm -rf "$dir"
        python3 bench/routes/generate.py "$count" "$dir/src" . --shape "$shape"
        start=$(date +%s%N)
        publish_aot "$dir/src/Routes.csproj" "$dir/bin"
        end=$(date +%s%N)
        body=$(PATH_INFO=$path "$dir/bin/routes" | tr -d '\r' | sed '1,/^$/d')
        [[ $body == "r9 5" ]] || { echo "the $count-route $shape app answered '$body'" >&2; exit 1; }
        echo "$shape $count $(( (end - start) / 1000000 )) $(stat -c %s "$dir/bin/routes") $path" >> "$RESULTS/route-shapes.txt"
    done
    export PATH_INFO=$path
    args=()
    for count in $SHAPE_COUNTS; do args+=(-n "$shape-$count" "$OUT/routes-$shape-$count/bin/routes"); done
    for round in $(seq "$ROUNDS"); do
        hyperfine -N --style none --warmup 3 --runs "$RUNS" --export-json "$RESULTS/route-shapes-$shape-$round.json" "${args[@]}" >/dev/null
    done
    request=route-shape
    for count in $SHAPE_COUNTS; do count_instructions "$shape-$count" "$OUT/routes-$shape-$count/bin/routes"; done
done

echo "== The generator on $GEN_ROUTES routes"
dotnet run --project bench/GeneratorBench -c Release -- "$GEN_ROUTES" "$GEN_RUNS" "$RESULTS/generator.json" >/dev/null

echo "== Requests per second through lighttpd (wrk, ${WRK_SECONDS}s each, loopback)"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
root=$OUT/lighttpd
rm -rf "$root"; mkdir -p "$root"
# Started as root, lighttpd runs as nobody and writes its logs as nobody (hosting/lighttpd.sh's server.username).
[[ $(id -u) -eq 0 ]] && chown nobody:nogroup "$root"
# Go's net/http/cgi builds the URL from SCRIPT_NAME + PATH_INFO, so it gets the root prefix.
hosting/lighttpd.sh "$port" "$root" "/aot/=$OUT/hello/hello" "/floor/=$OUT/floor/floor" "/c/=$OUT/c-floor" "/=$OUT/go-app" > "$root/lighttpd.conf"
lighttpd -D -f "$root/lighttpd.conf" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for attempt in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
for target in aot:/aot/greet/5 floor:/floor/greet/5 c:/c/greet/5 go:/greet/5; do
    name=${target%%:*} path=${target#*:}
    curl -sf "http://127.0.0.1:$port$path" >/dev/null || { echo "lighttpd: $path failed" >&2; exit 1; }
    rps=$(wrk -t1 -c4 -d"${WRK_SECONDS}s" "http://127.0.0.1:$port$path" | awk '/Requests\/sec/ {print $2}')
    echo "$name $rps" >> "$RESULTS/wrk.txt"
done
kill $server; wait $server 2>/dev/null || true; trap - EXIT

echo "== Requests per second through nginx ($NGINX_ROUNDS interleaved rounds of wrk --latency, ${WRK_SECONDS}s each, loopback)"
# GET /items/5, the JSON request of the targets, four ways behind the same nginx settings (one worker process, upstream
# connections kept open where the protocol allows): samples/Hello as a FastCGI worker (hosting/nginx-fastcgi.sh) and
# as CGI through fcgiwrap (hosting/nginx.sh), Go's net/http/fcgi, and ASP.NET Core on Kestrel behind proxy_pass
# (bench/kestrel/nginx.sh). Every server listens on a unix socket in $root.
# The servers must not see the CGI meta-variables of the requests above: with REQUEST_METHOD set, samples/Hello
# answers one CGI request instead of becoming a worker.
unset GATEWAY_INTERFACE SERVER_PROTOCOL SERVER_SOFTWARE SERVER_NAME SERVER_PORT QUERY_STRING SCRIPT_NAME REMOTE_ADDR \
    REQUEST_METHOD PATH_INFO CONTENT_LENGTH CONTENT_TYPE
root=$OUT/nginx
rm -rf "$root"; mkdir -p "$root"; chmod 777 "$root"
started=()
# fcgiwrap's children outlive it: they are listed before it is stopped, and stopped after it.
stop_started() {
    local pid children
    for pid in "${started[@]}"; do
        children=$(pgrep -P "$pid" -x fcgiwrap || true)
        kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
        [[ -z $children ]] || kill $children 2>/dev/null || true
    done
}
trap stop_started EXIT
# start_listening SOCKET|PORT COMMAND...: starts COMMAND in the background and waits until it listens; a socket is
# then opened to nginx's workers, which run as "nobody". Sets pid.
start_listening() {
    local at=$1 attempt; shift
    "$@" >>"$root/servers.log" 2>&1 &
    pid=$!; started+=("$pid")
    for attempt in $(seq 100); do
        if [[ $at == /* ]]; then [[ -S $at ]] && chmod 666 "$at" && return; else (exec 3<>"/dev/tcp/127.0.0.1/$at") 2>/dev/null && return; fi
        sleep 0.1
    done
    echo "$1 did not listen on $at" >&2; cat "$root/servers.log" >&2; exit 1
}
# start_nginx NAME CONFIG-SCRIPT ARGUMENTS...: nginx in $root/NAME on a free port, configured by the script. Sets port.
start_nginx() {
    local name=$1 script=$2; shift 2
    port=$(free_port)
    mkdir -p "$root/$name"; chmod 777 "$root/$name"
    "$script" "$port" "$root/$name" "$@" > "$root/$name/nginx.conf"
    start_listening "$port" nginx -p "$root/$name/" -e "$root/$name/error.log" -c "$root/$name/nginx.conf"
}
start_listening "$root/fastcgi.sock" "$OUT/hello/hello" --fastcgi "unix:$root/fastcgi.sock"; fastcgi_pid=$pid
start_listening "$root/leak.sock" "$OUT/hello/hello" --fastcgi "unix:$root/leak.sock"; leak_pid=$pid
# The same worker with the runtime's own gen0 budget (DOTNET_GCgen0size=0 undoes CgiRoutingGCGen0Size): what the
# setting saves in memory and costs in requests per second.
start_listening "$root/runtime-gc.sock" env DOTNET_GCgen0size=0 "$OUT/hello/hello" --fastcgi "unix:$root/runtime-gc.sock"; runtime_gc_pid=$pid
start_listening "$root/leak-runtime-gc.sock" env DOTNET_GCgen0size=0 "$OUT/hello/hello" --fastcgi "unix:$root/leak-runtime-gc.sock"
leak_runtime_gc_pid=$pid
start_listening "$root/go.sock" "$OUT/go-fcgi" "unix:$root/go.sock"; go_pid=$pid
# The model CgiRouting started from: a process per request, started ahead by the binary's own manager.
start_listening "$root/prefork.sock" "$OUT/hello/hello" --fastcgi "unix:$root/prefork.sock" --prefork 4 --max-requests 1
start_listening "$root/kestrel.sock" "$OUT/kestrel/kestrel-app" --urls "http://unix:$root/kestrel.sock"; kestrel_pid=$pid
# The FastCGI floor: a one-thread C worker on libfcgi replaying the floor's bytes for GET /items/5.
PATH_INFO=/items/5 REQUEST_METHOD=GET GATEWAY_INTERFACE=CGI/1.1 "$OUT/floor/floor" > "$root/items-5.response"
start_listening "$root/libfcgi.sock" "$OUT/libfcgi-worker" "$root/libfcgi.sock" "$root/items-5.response"; libfcgi_pid=$pid
# spawn-fcgi -n becomes fcgiwrap in the foreground, so that its process id is fcgiwrap's; fcgiwrap runs the app as "nobody".
start_listening "$root/fcgiwrap.sock" spawn-fcgi -n -s "$root/fcgiwrap.sock" -u nobody -g nogroup -- /usr/sbin/fcgiwrap -c 4
# Go's net/http/fcgi routes on REQUEST_URI, which keeps nginx's prefix: it gets "/", the other worker a prefix of its own.
start_nginx fastcgi hosting/nginx-fastcgi.sh "/fastcgi/=unix:$root/fastcgi.sock" "/leak/=unix:$root/leak.sock" \
    "/runtime-gc/=unix:$root/runtime-gc.sock" "/leak-runtime-gc/=unix:$root/leak-runtime-gc.sock" \
    "/prefork/=unix:$root/prefork.sock" "/libfcgi/=unix:$root/libfcgi.sock" "/=unix:$root/go.sock"
fastcgi_port=$port
start_nginx cgi hosting/nginx.sh "$root/fcgiwrap.sock" "/=$OUT/hello/hello"
cgi_port=$port
start_nginx kestrel bench/kestrel/nginx.sh "$root/kestrel.sock"
kestrel_port=$port
# The ceiling of the machine: nginx answering the same body by itself (return 200), no upstream.
start_nginx nginx-alone bench/nginx-alone.sh "$root/items-5.response"
alone_port=$port
targets=("fastcgi http://127.0.0.1:$fastcgi_port/fastcgi/items/5" "cgi http://127.0.0.1:$cgi_port/items/5"
    "fastcgi-runtime-gc http://127.0.0.1:$fastcgi_port/runtime-gc/items/5"
    "go-fcgi http://127.0.0.1:$fastcgi_port/items/5" "kestrel http://127.0.0.1:$kestrel_port/items/5"
    "libfcgi http://127.0.0.1:$fastcgi_port/libfcgi/items/5" "nginx-alone http://127.0.0.1:$alone_port/items/5")
expected_body=$(PATH_INFO=/items/5 "$OUT/floor/floor" | tr -d '\r' | sed '1,/^$/d')
for target in "${targets[@]}"; do
    body=$(curl -sf "${target#* }") || { echo "nginx: ${target#* } failed" >&2; cat "$root"/*/error.log "$root/servers.log" >&2; exit 1; }
    [[ $body == "$expected_body" ]] || { echo "nginx: ${target%% *} answered '$body', not '$expected_body'" >&2; exit 1; }
    wrk -t1 -c4 -d1s "${target#* }" >/dev/null # warm-up: connections, caches, fcgiwrap's children
done
# Each round starts with the next server, so that none is always timed first.
for round in $(seq "$NGINX_ROUNDS"); do
    for i in "${!targets[@]}"; do
        target=${targets[$(( (i + round - 1) % ${#targets[@]} ))]}
        wrk -t1 -c4 -d"${WRK_SECONDS}s" --latency "${target#* }" > "$RESULTS/nginx-${target%% *}-$round.txt"
        ! grep -q "Non-2xx" "$RESULTS/nginx-${target%% *}-$round.txt" || { cat "$RESULTS/nginx-${target%% *}-$round.txt" >&2; exit 1; }
    done
done
# Latency one request at a time: workers started ahead that each serve one request and exit, against CGI mode, where
# fcgiwrap starts the process when the request arrives. Twice: as fast as they answer (wrk -c1), and at a steady
# 100 requests a second (bench/paced/paced.py), which leaves the manager time to start the next worker.
prefork_target="http://127.0.0.1:$fastcgi_port/prefork/items/5"
body=$(curl -sf "$prefork_target") && [[ $body == "$expected_body" ]] || { echo "nginx: the prefork workers answered '$body'" >&2; exit 1; }
for round in $(seq "$NGINX_ROUNDS"); do
    for target in "prefork $prefork_target" "cgi http://127.0.0.1:$cgi_port/items/5"; do
        wrk -t1 -c1 -d"${WRK_SECONDS}s" --latency "${target#* }" > "$RESULTS/serial-${target%% *}-$round.txt"
        ! grep -q "Non-2xx" "$RESULTS/serial-${target%% *}-$round.txt" || { cat "$RESULTS/serial-${target%% *}-$round.txt" >&2; exit 1; }
        python3 bench/paced/paced.py "${target#* }" "$PACED_REQUESTS" 0.01 > "$RESULTS/paced-${target%% *}-$round.txt"
    done
done
# The long-lived servers' peak RSS after the rounds (kB).
for server in "fastcgi $fastcgi_pid" "fastcgi-runtime-gc $runtime_gc_pid" "go-fcgi $go_pid" "kestrel $kestrel_pid"; do
    echo "${server% *} $(awk '/^VmHWM/ {print $2}' "/proc/${server#* }/status")" >> "$RESULTS/nginx-rss.txt"
done
# A leak: a worker of its own, its peak and current RSS read after each count of requests; the same for the worker
# with the runtime's gen0 budget. wrk runs for its whole duration even when the script has stopped its thread: one
# second at a time, then.
for leak in "leak $leak_pid" "leak-runtime-gc $leak_runtime_gc_pid"; do
    served=0
    for count in $LEAK_COUNTS; do
        while (( served < count )); do
            wrk -t1 -c4 -d1s -s bench/wrk/stop-after.lua "http://127.0.0.1:$fastcgi_port/${leak% *}/items/5" -- $((count - served)) > "$RESULTS/leak.tmp"
            ! grep -q "Non-2xx" "$RESULTS/leak.tmp" || { cat "$RESULTS/leak.tmp" >&2; exit 1; }
            served=$((served + $(awk '/requests in/ {print $1}' "$RESULTS/leak.tmp")))
        done
        echo "$count $served $(awk '/^VmHWM/ {print $2}' "/proc/${leak#* }/status") $(awk '/^VmRSS/ {print $2}' "/proc/${leak#* }/status")" >> "$RESULTS/${leak% *}.txt"
    done
done
rm -f "$RESULTS/leak.tmp"
stop_started; trap - EXIT

echo "== Report"
python3 bench/report.py "$RESULTS" "$DOCS" "$QUICK" "${WRK_SECONDS}s"
echo "Wrote $DOCS/benchmarks.md and $DOCS/benchmarks.svg"
