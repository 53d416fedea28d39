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
passed=0 failed=0
for bin in "$top/$BUILD"/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    work="$out/$name.corpus"
    rm -rf "$work"; mkdir -p "$work"
    seeds="$top/tests/fuzz/corpus/$name"
    [ -d "$seeds" ] || seeds=""
    if (cd "$out" && "$bin" -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=1024 \
            -artifact_prefix="$out/$name-" "$work" $seeds >"$out/$name.log" 2>&1); then
        passed=$((passed + 1))
        echo "fuzz: $name ok ($(grep -o 'Done [0-9]* runs' "$out/$name.log" | head -n 1))"
    else
        failed=$((failed + 1))
        echo "fuzz: $name FAILED; log tests/out/fuzz/$name.log"
        grep -E 'ERROR|runtime error|SUMMARY' "$out/$name.log" | head -n 10 | sed 's/^/    /'
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
