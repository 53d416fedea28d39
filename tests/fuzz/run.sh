#!/bin/sh
# Runs every libFuzzer target in BUILD/fuzz for SECONDS each, starting from
# its seed corpus tests/fuzz/corpus/NAME (the protocol vectors).  A crash,
# leak or sanitizer report fails the target; its input is kept in
# tests/out/fuzz/.  Ends with "N passed, N failed".
#   tests/fuzz/run.sh BUILD SECONDS
set -u
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-10}
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/tests/out/fuzz"
mkdir -p "$out"
# Targets run side by side, FUZZ_JOBS at a time (default: one per CPU); each
# still gets SECONDS of its own.
JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}

fuzz_one() { # bin: writes NAME.result (ok or failed) and one line
    bin=$1
    name=$(basename "$bin")
    work="$out/$name.corpus"
    rm -rf "$work"; mkdir -p "$work"
    seeds="$top/tests/fuzz/corpus/$name"
    [ -d "$seeds" ] || seeds=""
    if (cd "$out" && "$bin" -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=1024 \
            -artifact_prefix="$out/$name-" "$work" $seeds >"$out/$name.log" 2>&1 3>&-); then
        echo ok >"$out/$name.result"
        echo "fuzz: $name ok ($(grep -o 'Done [0-9]* runs' "$out/$name.log" | head -n 1))"
    else
        echo failed >"$out/$name.result"
        echo "fuzz: $name FAILED; log tests/out/fuzz/$name.log"
    fi
}

. "$top/tests/slots.sh"
slots_open "$JOBS"
for bin in "$top/$BUILD"/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    rm -f "$out/$(basename "$bin").result"
    slots_run fuzz_one "$bin"
done
slots_wait

passed=0 failed=0
for bin in "$top/$BUILD"/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    if [ "$(cat "$out/$name.result" 2>/dev/null)" = ok ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "== $name"
        grep -E 'ERROR|runtime error|SUMMARY' "$out/$name.log" | head -n 10 | sed 's/^/    /'
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
