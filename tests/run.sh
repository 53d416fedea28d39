#!/bin/sh
# Runs every test suite and ends with one line: "N passed, N failed, N skipped".
#   tests/run.sh BUILD_DIR [PATTERN]
# Unit suites are the cmocka binaries BUILD_DIR/tests/test_*, run with TAP
# output; shell suites are tests/integration/*.sh and tests/e2e/*.sh, which
# print TAP through tests/lib.sh.  A suite that dies without reporting a
# failure (a crash, a sanitizer abort) counts as one failure.
set -u
BUILD=${1:-build}
PATTERN=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
export STALLCHECK_TOP="$top"
export STALLCHECK_BIN="$top/$BUILD/stallcheck"
export STALLCHECK_BUILD="$top/$BUILD"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Libraries' process-lifetime caches (fontconfig's) are not our leaks.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp}
# Tests never touch the user's own database, nor the user's signing keys:
# a key store of this run's own (each shell suite makes its own below it).
unset STALLCHECK_DB
keys_dir=$(mktemp -d "${TMPDIR:-/tmp}/stallcheck-keys.XXXXXX")
export STALLCHECK_KEYS="$keys_dir"
trap 'rm -rf "$keys_dir"' EXIT
out_dir="$top/tests/out/$BUILD"
rm -rf "$out_dir"
mkdir -p "$out_dir"

passed=0 failed=0 skipped=0 failures=""

run_suite() { # name command...
    name=$1; shift
    case "$name" in *"$PATTERN"*) ;; *) return ;; esac
    log="$out_dir/$(echo "$name" | tr / -).log"
    start=$(date +%s)
    "$@" >"$log" 2>&1 </dev/null
    rc=$?
    p=$(grep -cE '^ok [0-9]+' "$log" | tr -d ' ')
    s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$log" | tr -d ' ')
    f=$(grep -cE '^not ok [0-9]+' "$log" | tr -d ' ')
    p=$((p - s))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name exited $rc without reporting a failure" >>"$log"
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    secs=$(( $(date +%s) - start ))
    printf '%-28s %4d passed %3d failed %3d skipped  %3ds\n' "$name" "$p" "$f" "$s" "$secs"
    if [ "$f" -ne 0 ]; then
        failures="$failures $name"
        grep -E '^not ok|^# ' "$log" | grep -v '^# SKIP' | head -n 40 | sed 's/^/    /'
        tail -n 15 "$log" | sed 's/^/    | /'
    fi
}

for bin in "$top/$BUILD"/tests/test_*; do
    [ -x "$bin" ] || continue
    run_suite "$(basename "$bin")" "$bin"
done
for script in "$top"/tests/integration/*.sh "$top"/tests/e2e/*.sh; do
    [ -f "$script" ] || continue
    run_suite "$(basename "$(dirname "$script")")/$(basename "$script" .sh)" sh "$script"
done

[ -n "$failures" ] && echo "failed suites:$failures (logs in tests/out/$BUILD/)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
