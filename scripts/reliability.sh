#!/usr/bin/env bash
# Measures what docs/reliability.md reports and writes it, as bench/run.sh writes docs/benchmarks.md.
#   scripts/reliability.sh [PART...]   PART: fuzz model mutation soak stopping (all five when none is named)
# Each part rewrites its own section, docs/reliability/PART.md, with the command that reproduces it; then
# docs/reliability.md is put together from the sections, so one part can be measured again alone.
#   fuzz      every fuzz target (or those in RELIABILITY_FUZZ_TARGETS) for RELIABILITY_FUZZ_SECONDS (600) under afl++
#             (fuzz/run.sh), a target per core at a time, and fuzz/findings.md
#   model     the reference-model checks at RELIABILITY_MODEL_SCALE (10) times their usual number of random cases
#   mutation  Stryker.NET over src/Runtime (scripts/mutation.sh writes its own section)
#   soak      RELIABILITY_SOAK_REQUESTS (100,000) mixed requests through lighttpd, the load tests through the three
#             servers, and the fault tests
#   stopping  RELIABILITY_STOPPING_POSTS (10,000) POSTs from 16 clients through the printed nginx and Apache FastCGI
#             configurations to --prefork workers with --max-requests 1 and 100, and to two managers in one upstream
#             with one stopped by SIGTERM mid-load (StoppingWorkersTests); about 2 minutes
# Takes about two hours for all four on a two-core machine (the mutation part alone about 75 minutes). A part whose property fails still writes its section,
# with the failure, and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(fuzz model mutation soak stopping)
mkdir -p docs/reliability artifacts/reliability
machine="$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo | awk '{print $1, $2}')), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)"
stamp() { date -u '+%Y-%m-%d %H:%M UTC'; }
status=0

built=""
build() { # the solution, and samples/Todo as Native AOT for the end-to-end tests
    [[ -n $built ]] && return 0
    ensure_packages lighttpd:lighttpd apache2:apache2-bin /etc/mime.types:media-types nginx:nginx-light \
        fcgiwrap:fcgiwrap spawn-fcgi:spawn-fcgi
    ensure_aot_toolchain
    dotnet build CgiRouting.sln -nologo -v quiet
    export CGIROUTING_AOT_DIR=$PWD/artifacts/aot
    publish_aot samples/Todo/Todo.csproj "$CGIROUTING_AOT_DIR/Todo"
    built=1
}

# figures PROJECT FILTER: runs the tests that report figures and prints their lines, or FAILED with the log's tail.
figures() {
    local out=$PWD/artifacts/reliability/$2.txt log=$PWD/artifacts/reliability/$2.log
    rm -f "$out"
    if CGIROUTING_RELIABILITY_OUT=$out dotnet test "$1" --no-build -nologo --filter "$3" > "$log" 2>&1; then
        sed 's/^/- /' "$out"
    else
        echo "- **FAILED**: \`dotnet test $1 --filter \"$3\"\` (log: $log)"; [[ -f $out ]] && sed 's/^/- /' "$out"
        grep -E "^\s+(Failed|Error Message)" -A2 "$log" | head -20 | sed 's/^/    /'
        return 1
    fi
}

for part in "${parts[@]}"; do
    echo "== $part"
    case $part in
    fuzz)
        seconds=${RELIABILITY_FUZZ_SECONDS:-600}
        jobs=${RELIABILITY_FUZZ_JOBS:-$(nproc)}
        fuzz/run.sh --regressions > artifacts/reliability/fuzz-regressions.log 2>&1 || status=1 # builds the harnesses once
        targets=()
        for dir in fuzz/seeds/*/; do targets+=("$(basename "$dir")"); done
        # RELIABILITY_FUZZ_TARGETS="a b" measures those again ("none": none); the others keep the figures of their last
        # run here (artifacts/reliability/fuzz-TARGET.log).
        read -r -a run <<< "${RELIABILITY_FUZZ_TARGETS:-${targets[*]}}"
        [[ ${run[*]} == none ]] && run=()
        # afl++ runs one process per target: up to one target per core at a time.
        for ((i = 0; i < ${#run[@]}; i += jobs)); do
            for target in "${run[@]:i:jobs}"; do
                FUZZ_OUT=$PWD/artifacts/reliability/fuzz fuzz/run.sh "$target" "$seconds" > "artifacts/reliability/fuzz-$target.log" 2>&1 &
            done
            wait || true
        done
        rows=""
        for target in "${targets[@]}"; do
            log=artifacts/reliability/fuzz-$target.log
            line=$(grep -E "^$target: [0-9]+ executions" "$log" 2>/dev/null | tail -1 || true)
            echo "${line:-$target: no result ($log)}"
            # "TARGET: N executions in S s, E edges (P of the map), C inputs in the corpus, F findings"
            row=$(echo "$line" | sed -nE 's/^([a-z]+): ([0-9]+) executions in ([0-9]+) s, ([0-9]+) edges \(([^)]*) of the map\), ([0-9]+) inputs in the corpus, ([0-9]+) findings$/| \1 | \2 | \3 s | \4 | \5 | \6 | \7 |/p')
            [[ -n $row ]] || row="| $target | no result | | | | | |"
            rows+="$row $(date -u -r "$log" '+%Y-%m-%d %H:%M UTC' 2>/dev/null) |"$'\n'
            [[ $line == *" 0 findings" ]] || status=1
        done
        {
            echo "## Coverage-guided fuzzing"
            echo
            echo "Measured on $machine with \`fuzz/run.sh TARGET $seconds\` for each target (afl++ with SharpFuzz;"
            echo "\`scripts/reliability.sh fuzz\` runs them all, a target per core at a time, and keeps each target's last run)."
            echo "Edges are afl++'s count of distinct branch transitions seen in the instrumented assemblies (the runtime with"
            echo "ASP.NET Core's multipart reader, or the generator); the corpus is what afl++ kept as reaching new edges. The"
            echo "targets are described in fuzz/CgiRouting.Fuzz/Program.cs and fuzz/CgiRouting.GeneratorFuzz/Program.cs."
            echo
            echo "| Target | Executions | Time | Edges | Map coverage | Corpus | Findings | Run at |"
            echo "|---|---|---|---|---|---|---|---|"
            printf '%s' "$rows"
            echo
            cat fuzz/findings.md
        } > docs/reliability/fuzz.md
        ;;
    model)
        build
        scale=${RELIABILITY_MODEL_SCALE:-10}
        lines=$(CGIROUTING_MODEL_SCALE=$scale figures tests/CgiRouting.Generators.Tests model DispatcherModelTests) || status=1
        echo "$lines"
        {
            echo "## Reference models"
            echo
            echo "Measured on $(stamp) with \`CGIROUTING_MODEL_SCALE=$scale dotnet test tests/CgiRouting.Generators.Tests --filter DispatcherModelTests\`"
            echo "(CsCheck; \`./test.sh\` runs the same properties at scale 1 on every run). The reference model is a plain matcher"
            echo "of the documented precedence, written from the README (tests/CgiRouting.Generators.Tests/Emitting/DispatcherModelTests.cs)."
            echo
            echo "$lines"
        } > docs/reliability/model.md
        ;;
    mutation)
        build
        scripts/mutation.sh || status=1
        ;;
    soak)
        build
        requests=${RELIABILITY_SOAK_REQUESTS:-100000}
        lines=$(CGIROUTING_SOAK_REQUESTS=$requests figures tests/CgiRouting.EndToEnd.Tests soak \
            "FullyQualifiedName~SoakTests|FullyQualifiedName~FaultTests|FullyQualifiedName~LoadTests") || status=1
        echo "$lines"
        {
            echo "## Soak, load and faults through real servers"
            echo
            echo "Measured on $(stamp) ($machine) with \`CGIROUTING_SOAK_REQUESTS=$requests dotnet test tests/CgiRouting.EndToEnd.Tests"
            echo "--filter \"FullyQualifiedName~SoakTests|FullyQualifiedName~FaultTests|FullyQualifiedName~LoadTests\"\` against"
            echo "samples/Todo published as Native AOT (\`./test.sh\` runs the same tests with a 3,000-request soak)."
            echo
            echo "$lines"
        } > docs/reliability/soak.md
        ;;
    stopping)
        build
        posts=${RELIABILITY_STOPPING_POSTS:-10000}
        lines=$(CGIROUTING_LOAD_POSTS=$posts figures tests/CgiRouting.EndToEnd.Tests stopping "FullyQualifiedName~StoppingWorkersTests") || status=1
        echo "$lines"
        {
            echo "## Workers that stop, under load"
            echo
            echo "Measured on $(stamp) ($machine) with \`CGIROUTING_LOAD_POSTS=$posts dotnet test tests/CgiRouting.EndToEnd.Tests"
            echo "--filter FullyQualifiedName~StoppingWorkersTests\` against samples/Todo published as Native AOT (\`./test.sh\` runs"
            echo "the same tests with 2,000 POSTs each): every POST must be answered 2xx and stored once."
            echo
            echo "$lines"
        } > docs/reliability/stopping.md
        ;;
    *) echo "unknown part '$part' (fuzz, model, mutation, soak, stopping)" >&2; exit 2 ;;
    esac
done

{
    echo "# Reliability"
    echo
    echo "Written by \`scripts/reliability.sh\` from its sections in docs/reliability/ (each with the date it was measured"
    echo "and the command that measures it again). What \`./test.sh\` checks on every run is a shorter version of each:"
    echo "every committed seed and crash input and each fuzz target for 10 to 30 seconds, the model checks at scale 1, a"
    echo "3,000-request soak, the load and the fault tests."
    for section in fuzz model mutation soak stopping; do
        [[ -f docs/reliability/$section.md ]] || continue
        echo
        cat "docs/reliability/$section.md"
    done
} > docs/reliability.md
echo "docs/reliability.md written"
exit $status
