#!/usr/bin/env bash
# Coverage-guided fuzzing with afl++ and SharpFuzz.
#   fuzz/run.sh TARGET SECONDS   fuzzes TARGET (request, query, multipart, fastcgi, generator) for SECONDS; prints executions, edges and
#                                findings
#   fuzz/run.sh --regressions    replays the seeds and every committed crash input (fuzz/crashes/TARGET/*) through
#                                its target, without the fuzzer
# A finding (a crash or hang afl++ saved) is copied to artifacts/fuzz/findings/TARGET/ and fails the run.
# FUZZ_OUT (default artifacts/fuzz) is where afl++'s state and the findings go, so that two runs of one target can
# proceed side by side (scripts/reliability.sh beside ./test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The harness of each target: CgiRouting.Fuzz (an app with a generated dispatcher; the runtime is instrumented) for
# request, query, multipart and fastcgi, CgiRouting.GeneratorFuzz (runs the generator over the input; the generator is instrumented).
harness_of() {
    case $1 in
        request|query|multipart|fastcgi) echo CgiRouting.Fuzz ;;
        generator) echo CgiRouting.GeneratorFuzz ;;
        *) echo "unknown target: $1 (request, query, multipart, fastcgi, generator)" >&2; return 1 ;;
    esac
}

# Two builds of each harness: one instrumented for afl++, one plain to replay inputs without the fuzzer (instrumented
# code needs afl++'s shared memory, which only a fuzzing run sets up).
build_harness() {
    local harness=$1
    local build=$PWD/artifacts/fuzz/build/$harness plain=$PWD/artifacts/fuzz/plain/$harness
    local stamp=$build/.instrumented
    # Rebuilt when a source or project file it is built from changed (the generator harness links AppBuild.cs).
    if [[ -f $stamp && -z $(find src "fuzz/$harness" tests/CgiRouting.Generators.Tests/Harness/AppBuild.cs \( -name '*.cs' -o -name '*.csproj' \) \
            -newer "$stamp" 2>/dev/null | head -1) ]]; then
        return 0
    fi
    rm -rf "$build" "$plain"
    local log
    log=$(mktemp)
    dotnet build "fuzz/$harness" -c Release -o "$plain" -nologo -v quiet >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; return 1; }
    rm -f "$log"
    mkdir -p "$(dirname "$build")" && cp -r "$plain" "$build"
    dotnet tool restore >/dev/null
    case $harness in
        CgiRouting.Fuzz)
            # The runtime, for afl++'s coverage map: every type a request goes through. Not CgiApp, nor the app's
            # assembly: the generated dispatcher registers itself through CgiApp from a module initializer, which runs
            # before SharpFuzz has set up the map and would crash (sharpfuzz issue 34); the dispatch still runs on
            # every input.
            dotnet sharpfuzz "$build/CgiRouting.dll" CgiRouting.Dispatching CgiRouting.CgiRequest CgiRouting.QueryCollection \
                CgiRouting.CgiResponseWriter CgiRouting.RequestBodyStream CgiRouting.JsonBodyError CgiRouting.HttpToken CgiRouting.Response \
                CgiRouting.FormData CgiRouting.FormFile CgiRouting.MultipartBodyReader CgiRouting.HeaderParameters \
                CgiRouting.SetCookie CgiRouting.FastCgi >/dev/null ;;
        CgiRouting.GeneratorFuzz)
            # The whole generator, and not Roslyn: the coverage that counts is the generator's.
            dotnet sharpfuzz "$build/CgiRouting.Generators.dll" >/dev/null ;;
    esac
    touch "$stamp"
}

if [[ ${1:-} == --regressions ]]; then
    # The seeds and every committed crash input, through the plain build: each must satisfy its target's property.
    for seeds in fuzz/seeds/*/; do
        name=$(basename "$seeds")
        harness=$(harness_of "$name")
        build_harness "$harness"
        files=("$seeds"*)
        [[ -d fuzz/crashes/$name ]] && files+=(fuzz/crashes/"$name"/*)
        dotnet "artifacts/fuzz/plain/$harness/$harness.dll" "$name" "${files[@]}"
        echo "$name: ${#files[@]} seed and crash-regression inputs hold"
    done
    exit 0
fi

target=${1:?usage: fuzz/run.sh TARGET SECONDS | --regressions}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS}
harness=$(harness_of "$target")
build_harness "$harness"
ensure_packages afl-fuzz:afl++
base=${FUZZ_OUT:-$PWD/artifacts/fuzz}
out=$base/$target
rm -rf "$out" "$base/findings/$target"
mkdir -p "$base"
# A dictionary of the target's tokens, where it has one (the generator's: attributes, template syntax, C# keywords).
dictionary=()
[[ -f fuzz/dictionaries/$target.dict ]] && dictionary=(-x "fuzz/dictionaries/$target.dict")
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
# -V: stop after SECONDS; -t: a .NET process per input may take a while to start; -m none: the runtime maps a lot.
afl-fuzz -i "fuzz/seeds/$target" -o "$out" "${dictionary[@]}" -V "$seconds" -t 10000 -m none \
    -- dotnet "artifacts/fuzz/build/$harness/$harness.dll" "$target" > "$out.log" 2>&1 || {
    tail -20 "$out.log" >&2; echo "afl-fuzz failed on $target" >&2; exit 1; }
stats=$out/default/fuzzer_stats
value() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
findings=0
for kind in crashes hangs; do
    for file in "$out/default/$kind"/id:*; do
        [[ -e $file ]] || continue
        mkdir -p "$base/findings/$target"; cp "$file" "$base/findings/$target/"; findings=$((findings + 1))
    done
done
echo "$target: $(value execs_done) executions in $(value run_time) s, $(value edges_found) edges ($(value bitmap_cvg) of the map), $(value corpus_count) inputs in the corpus, $findings findings"
[[ $findings -eq 0 ]] || { echo "$target: findings in $base/findings/$target/ (replay one with: dotnet artifacts/fuzz/plain/$harness/$harness.dll $target FILE)" >&2; exit 1; }
