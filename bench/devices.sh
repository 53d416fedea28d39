#!/bin/sh
# Devices: stallcheck read vs sigrok-cli on the same simulated KERN stream
# (stallcheck sim kern at full speed on a pty; sigrok-cli's libserialport
# opens the pty through the test shim), then every parser's throughput.
#   bench: kern-read-ours N readings/s      bench: kern-read-sigrok N readings/s
#   bench: kern-read ratio=R (ours/peer)    readings per second
#   bench: kern-cpu-per-1000-ours S s       bench: kern-cpu-per-1000-sigrok S s
#   bench: kern-cpu ratio=R (ours/peer)     CPU seconds per 1,000 readings
#   bench: parse-DRIVER N MB/s
set -u
SC=${STALLCHECK_BIN:?}
BUILD=${STALLCHECK_BUILD:?}
SHIM=$BUILD/shim/sp_pty_shim.so
N=${BENCH_READINGS:-40000}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/stallcheck-bench.XXXXXX")
simpid=""
trap 'kill $simpid 2>/dev/null; rm -rf "$TMP"' EXIT

# run NAME CMD...: wall, user and system seconds of CMD into $TMP/NAME.time
run() {
    name=$1; shift
    /usr/bin/time -f '%e %U %S' -o "$TMP/$name.time" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
}

"$SC" sim kern --weight 123.45g --interval 0 >"$TMP/pty" 2>/dev/null &
simpid=$!
i=0; while [ ! -s "$TMP/pty" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pty=$(head -n 1 "$TMP/pty")

run ours "$SC" read "kern:conn=$pty" --samples "$N"
got_ours=$(grep -c 'g stable' "$TMP/ours.out")
if command -v sigrok-cli >/dev/null 2>&1 && [ -f "$SHIM" ]; then
    run sigrok env LD_PRELOAD="$SHIM" sigrok-cli -d "kern-ew-6200-2nm:conn=$pty" --samples "$N"
    got_sigrok=$(grep -c '^Mass:' "$TMP/sigrok.out")
else
    got_sigrok=0
fi
kill $simpid; wait $simpid 2>/dev/null; simpid=""

awk -v n1="$got_ours" -v n2="$got_sigrok" -v t1="$(cat "$TMP/ours.time")" \
    -v t2="$( [ -f "$TMP/sigrok.time" ] && cat "$TMP/sigrok.time" || echo '0 0 0')" '
BEGIN {
    split(t1, a, " "); split(t2, b, " ")
    if (n1 == 0 || a[1] == 0) { print "bench: kern-read FAILED (no readings)"; exit 1 }
    r1 = n1 / a[1]; c1 = (a[2] + a[3]) / n1 * 1000
    printf "bench: kern-read-ours %.0f readings/s\n", r1
    printf "bench: kern-cpu-per-1000-ours %.4f s\n", c1
    if (n2 == 0 || b[1] == 0) { print "bench: kern-read-sigrok skipped (no sigrok-cli or shim)"; exit 0 }
    r2 = n2 / b[1]; c2 = (b[2] + b[3]) / n2 * 1000
    printf "bench: kern-read-sigrok %.0f readings/s\n", r2
    printf "bench: kern-cpu-per-1000-sigrok %.4f s\n", c2
    printf "bench: kern-read ratio=%.2f (ours/peer)\n", r1 / r2
    printf "bench: kern-cpu ratio=%.2f (ours/peer)\n", (c2 > 0 ? c1 / c2 : 0)
}'

"$BUILD/bench/parse_bench"
