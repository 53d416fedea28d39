# Shared helpers for the shell test suites: TAP output and scratch space.
# Source it; then call ok/fail/skip per check and done_testing at the end.
#   STALLCHECK_BIN  the binary under test (set by tests/run.sh)
set -u
: "${STALLCHECK_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${STALLCHECK_BIN:=$STALLCHECK_TOP/build/stallcheck}"
SC=$STALLCHECK_BIN
DATA=$STALLCHECK_TOP/tests/data
_tap_n=0
_tap_failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/stallcheck-test.XXXXXX")
# Signing keys of this suite's databases: its own key store (db/device.h).
export STALLCHECK_KEYS="$TMP/keys"
_cleanups=""
at_exit() { _cleanups="$1; $_cleanups"; }
_finish() { eval "$_cleanups" 2>/dev/null; rm -rf "$TMP"; }
trap _finish EXIT
trap 'exit 1' INT TERM

ok()   { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1"; }
fail() { _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1)); echo "not ok $_tap_n - $1"; [ $# -gt 1 ] && echo "# $2"; return 0; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP $2"; }
# check NAME COMMAND...: ok when the command succeeds.
check() { _name=$1; shift; if "$@" >"$TMP/check.out" 2>&1; then ok "$_name"; else fail "$_name" "$(tail -n 5 "$TMP/check.out" | tr '\n' ' ')"; fi; }
# expect_eq NAME GOT WANT
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', want '$3'"; fi; }
# expect_match NAME TEXT REGEX
expect_match() { if printf '%s' "$2" | grep -qE -- "$3"; then ok "$1"; else fail "$1" "'$(printf '%s' "$2" | head -c 300)' does not match /$3/"; fi; }
. "$STALLCHECK_TOP/tests/clock.sh"
done_testing() { echo "1..$_tap_n"; [ "$_tap_failed" -eq 0 ]; }
