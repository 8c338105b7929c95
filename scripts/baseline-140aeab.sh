#!/usr/bin/env bash
# samples/Hello's CGI instructions at 140aeab, the commit before issue 21, with the start-up levers that came after it
# applied (scripts/baseline-140aeab.patch: the initial thread's stack bounds, StandardDescriptorWriter instead of
# System.Console, libc bound at start only for what a CGI request calls), so that the code added since can be compared
# like with like (scripts/operations.sh). Prints bench/instructions.sh's lines for that build.
#   scripts/baseline-140aeab.sh [OUTDIR]   OUTDIR as bench/instructions.sh's (counts depend on the binary's path)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tree=$(mktemp -d /tmp/cgirouting-140aeab-XXXXXX)
trap 'git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"' EXIT
git worktree add -q --detach "$tree" 140aeab
git -C "$tree" apply "$root/scripts/baseline-140aeab.patch"
"$tree/bench/instructions.sh" "${1:-$root/artifacts/bench/baseline-140aeab}"
