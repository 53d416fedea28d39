#!/bin/sh
# make bench: runs every bench/*.sh with the built binary.  Each prints
# "bench: NAME VALUE UNIT" figures and "bench: NAME ratio=R (ours/peer)"
# comparisons against a peer run side by side (sigrok-cli, the sqlite3 shell).
set -u
BUILD=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
export STALLCHECK_BIN="$top/$BUILD/stallcheck" STALLCHECK_TOP="$top" STALLCHECK_BUILD="$top/$BUILD"
# The benchmarks' databases sign with keys of their own, never the user's.
if [ -z "${STALLCHECK_KEYS:-}" ]; then
    STALLCHECK_KEYS=$(mktemp -d "${TMPDIR:-/tmp}/stallcheck-bench-keys.XXXXXX")
    export STALLCHECK_KEYS
    trap 'rm -rf "$STALLCHECK_KEYS"' EXIT
fi
status=0
for b in "$top"/bench/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    [ -f "$b" ] || continue
    echo "# $(basename "$b" .sh)"
    sh "$b" || { echo "bench: $(basename "$b" .sh) FAILED"; status=1; }
done
exit $status
