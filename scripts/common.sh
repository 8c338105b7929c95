# Shared by serve.sh, test.sh and the tests: install what is missing, publish apps as Native AOT.
# Source it; it changes nothing until a function is called.

# ensure_packages CMD:PACKAGE ... installs PACKAGE with apt-get when CMD (a command, or a file path) is missing.
ensure_packages() {
    local missing=() pair cmd pkg
    for pair in "$@"; do
        cmd=${pair%%:*}; pkg=${pair#*:}
        if [[ $cmd == /* ]]; then [[ -e $cmd ]] && continue; else command -v "$cmd" >/dev/null 2>&1 && continue; fi
        missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    echo "Installing ${missing[*]} with apt-get..." >&2
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# The Native AOT toolchain: a C compiler and linker (clang), zlib, and SQLite's static library (libsqlite3.a, which
# samples/Todo links in: CgiRoutingLinkSqlite in src/Runtime/buildTransitive/CgiRouting.props).
ensure_aot_toolchain() {
    ensure_packages clang:clang /usr/include/zlib.h:zlib1g-dev /usr/include/sqlite3.h:libsqlite3-dev
}

# publish_aot PROJECT OUTDIR [MSBUILD-ARGS...]: publishes PROJECT as a Native AOT binary into OUTDIR and fails on
# any trimming or AOT warning (IL2xxx/IL3xxx), so that warnings cannot slip into a sample.
publish_aot() {
    local project=$1 out=$2 log
    shift 2
    log=$(mktemp)
    if ! dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -o "$out" -nologo "$@" >"$log" 2>&1; then
        cat "$log" >&2; rm -f "$log"; return 1
    fi
    if grep -E "warning (IL[23][0-9]{3}|CS[0-9]+|CGI[0-9]+)" "$log" >&2; then
        echo "Native AOT publish of $project has warnings (above)." >&2; rm -f "$log"; return 1
    fi
    rm -f "$log"
}

# mark_test_run: marks this shell's environment, which every process the tests start inherits (web servers, apps,
# FastCGI workers and their managers), so that leftover_processes can find what outlived the run.
mark_test_run() {
    export CGIROUTING_TEST_RUN="$$-$(date +%s%N)"
}

# leftover_processes: "PID COMMAND" of every process still alive that carries this run's mark, or whose program is a
# file below this repository, other than this shell. A check, not a cleanup: it stops nothing.
leftover_processes() {
    local dir pid exe top
    top=$(pwd -P)
    for dir in /proc/[0-9]*; do
        pid=${dir#/proc/}
        [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
        exe=$(readlink "$dir/exe" 2>/dev/null) || continue
        if [[ $exe == "$top"/* ]] || { [[ -n ${CGIROUTING_TEST_RUN:-} ]] && tr '\0' '\n' < "$dir/environ" 2>/dev/null | grep -qx "CGIROUTING_TEST_RUN=$CGIROUTING_TEST_RUN"; }; then
            [[ -d $dir ]] && echo "$pid $(tr '\0' ' ' < "$dir/cmdline" 2>/dev/null)"
        fi
    done
}
