#!/bin/sh
# lists-recompute: a full recompute of the large demo district (100,000
# stalls, 12 months: `stallcheck demo-data --stalls 100000 --months 12`),
# ours (`lists --recompute`: every stall's score and list computed and
# stored in stall_status) against the same aggregation by the sqlite3 shell
# on the same file (bench/lists.sql: a simplified rule set, so a lower bound
# on ours).  BENCH_STALLS / BENCH_MONTHS make a smaller district; BENCH_DB
# reuses a database already made; BENCH_TODAY its last day (2026-11-25).
set -u
SC=${STALLCHECK_BIN:?}
here=$(cd "$(dirname "$0")" && pwd)
stalls=${BENCH_STALLS:-100000}
months=${BENCH_MONTHS:-12}
today=${BENCH_TODAY:-2026-11-25}
unset STALLCHECK_RULES
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stallcheck-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Our side runs on that day (libfaketime: the binary has no clock setting).
TMP=$tmp
. "$STALLCHECK_TOP/tests/clock.sh"
clock_at "${today}T08:00:00Z"
db=${BENCH_DB:-$tmp/district.db}
now() { date +%s.%N; }
if [ -z "${BENCH_DB:-}" ]; then
    t0=$(now)
    "$SC" --db "$db" demo-data --stalls "$stalls" --months "$months" --today "$today" >/dev/null ||
        { echo "bench: lists-recompute: demo-data failed" >&2; exit 1; }
    t1=$(now)
    echo "bench: demo-data-$stalls $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
fi
echo "# $(sqlite3 "$db" 'SELECT count(*) FROM stalls') stalls, $(sqlite3 "$db" "SELECT count(*) FROM inspections WHERE status = 'committed'") inspections"

from12=$(date -u -d "$today -12 months" +%Y-%m-%d)
from3=$(date -u -d "$today -3 months" +%Y-%m-%d)

# The machine may be shared (other builds, tests): the ratio is of CPU
# time (user + sys), which load does not inflate; wall time is printed too.
# Each side runs three times and the best run counts; before each of ours the
# stored statuses are cleared, so every run writes every stall.
clock() { # clock OUT CMD...: "wall cpu" seconds into OUT
    out=$1; shift
    /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$@" || return 1
    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$tmp/time" >>"$out"
}
sqlite3 "$db" 'SELECT count(*) FROM findings' >/dev/null   # warm the page cache
: >"$tmp/ours.t"; : >"$tmp/peer.t"
for i in 1 2 3; do
    sqlite3 "$db" 'DELETE FROM list_entries; DELETE FROM stall_status'
    # Signed in as the demo's admin (9000, PIN 1234 on stdin), as a user runs it.
    printf '1234\n' | clock "$tmp/ours.t" "$SC" --db "$db" lists --recompute --as 9000 \
        >"$tmp/ours.txt" || exit 1
    clock "$tmp/peer.t" sqlite3 -cmd ".parameter set @from12 \"'$from12'\"" \
        -cmd ".parameter set @from3 \"'$from3'\"" -cmd ".parameter set @to \"'$today'\"" \
        "$db" ".read $here/lists.sql" || exit 1
done
best() { sort -n -k2 "$1" | head -n 1; }
read -r ours_wall ours_cpu <<EOT
$(best "$tmp/ours.t")
EOT
read -r peer_wall peer_cpu <<EOT
$(best "$tmp/peer.t")
EOT
echo "bench: lists-recompute-ours $ours_cpu s cpu ($ours_wall s wall)"
echo "bench: lists-recompute-sqlite3 $peer_cpu s cpu ($peer_wall s wall)"
echo "bench: lists-recompute ratio=$(awk "BEGIN { o = $ours_cpu; p = $peer_cpu; if (o < 0.01) o = 0.01; if (p < 0.01) p = 0.01; printf \"%.2f\", o / p }") (ours/sqlite3)"
echo "# ours:    $(tail -n 1 "$tmp/ours.txt")"
echo "# sqlite3: $(sqlite3 "$db" "SELECT group_concat(list || ' ' || n, ', ') FROM (SELECT list, count(*) AS n FROM bench_status GROUP BY list ORDER BY list)")"
sqlite3 "$db" 'DROP TABLE IF EXISTS bench_status'
