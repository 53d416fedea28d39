#!/bin/sh
# Soak test of "nothing lost" (run on demand, not in make check):
#   scripts/soak.sh [TRIALS] [BUILD]
# Runs the TUI in tmux on a private demo district with a simulated reference
# scale, and in each trial signs in, resumes or starts an inspection, answers
# the checklist, makes a failing re-weigh, adds the second officer and
# confirms, while the app is killed with SIGKILL at a random moment.  At the
# end it checks that every inspection the screen reported saved is in the
# database, that every committed inspection is whole (8 findings, its
# re-weighs with their measurement, one audit entry, the second officer), that
# no half-written record exists (no orphan finding, re-weigh or measurement;
# no draft left for a committed inspection; every draft readable), and that
# the audit chain verifies.  Prints "soak: N trials, K killed, C committed,
# S seen saved: PASS" or the failures.
set -u
TRIALS=${1:-200}
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${2:-build}
SC=$top/$BUILD/stallcheck
[ -x "$SC" ] || { echo "soak: build first (make)" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/stallcheck-soak.XXXXXX")
SOCK=sc-soak-$$
simpid=""
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    [ -n "$simpid" ] && kill "$simpid" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
DB=$TMP/soak.db
"$SC" --db "$DB" demo-data --stalls 40 --months 1 --seed 3 >/dev/null || exit 1
q() { sqlite3 "$DB" "$1"; }
q "SELECT id FROM inspections" | sort >"$TMP/before.ids"
"$SC" sim mt-sics --weight 470g --d 0.1g --link "$TMP/ref.pty" >/dev/null 2>&1 &
simpid=$!
i=0; while [ ! -e "$TMP/ref.pty" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done

tmx() { tmux -L "$SOCK" -f /dev/null "$@"; }
TUI="exec env LANG=C.UTF-8 STALLCHECK_LOG=$TMP/tui.log $SC --db $DB tui --reference mt-sics:conn=$TMP/ref.pty"
tmx new-session -d -x 60 -y 20 "$TUI"
tmx set-option -g remain-on-exit on >/dev/null
k() { tmx send-keys "$@" 2>/dev/null; sleep 0.05; }
rand() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }
wait_screen() { # REGEX TENTHS
    n=$2
    while [ "$n" -gt 0 ]; do
        tmx capture-pane -p 2>/dev/null | grep -qE "$1" && return 0
        sleep 0.1; n=$((n - 1))
    done
    return 1
}

# One inspection as an officer types it, from the sign-in screen on.
inspect() {
    wait_screen 'Badge' 50 || return
    k 1001 Enter 1234 Enter
    wait_screen 'Today:|Unfinished' 50 || return
    if tmx capture-pane -p | grep -q 'Unfinished'; then
        if [ $(( $(rand) % 4 )) -eq 0 ]; then k 2; wait_screen 'Today:' 20; else k 1; fi
    fi
    if tmx capture-pane -p | grep -q 'Today:'; then
        down=$(( $(rand) % 5 ))
        while [ "$down" -gt 0 ]; do k j; down=$((down - 1)); done
        k 1
    fi
    k 1
    for _ in 1 2 3 4 5 6 7 8 9 10; do k 1; done
    k 0 2 2 500 Enter 12 Enter
    sleep 0.2
    k 1 0 9 5 1002 Enter 1234 Enter
    sleep 0.6
    k 1
    sleep 0.5
}

killed=0 seen=0
t=0
while [ "$t" -lt "$TRIALS" ]; do
    t=$((t + 1))
    inspect >/dev/null 2>&1 &
    driver=$!
    # A random moment across the whole inspection (about 6 s of typing).
    sleep "$(awk -v r="$(rand)" 'BEGIN { printf "%.3f", (r % 7000) / 1000 }')"
    tmx capture-pane -p >"$TMP/screen" 2>/dev/null
    pid=$(tmx display-message -p '#{pane_pid}')
    if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
    grep -q 'Inspection saved' "$TMP/screen" && seen=$((seen + 1))
    kill "$driver" 2>/dev/null; wait "$driver" 2>/dev/null
    tmx respawn-pane -k "$TUI"
done

fail=0
bad() { echo "soak: FAIL: $*"; fail=1; }
new=$(q "SELECT id FROM inspections WHERE status = 'committed'" | sort | comm -13 "$TMP/before.ids" - | wc -l | tr -d ' ')
ids="SELECT id FROM inspections WHERE id NOT IN ($(sed "s/.*/'&'/" "$TMP/before.ids" | paste -sd, -))"
[ "$new" -ge "$seen" ] || bad "$seen inspections reported saved, $new in the database"
n=$(q "SELECT count(*) FROM ($ids) x JOIN inspections i USING (id) WHERE i.status <> 'committed'")
[ "$n" -eq 0 ] || bad "$n inspections not committed"
n=$(q "SELECT count(*) FROM ($ids) x WHERE (SELECT count(*) FROM findings f WHERE f.inspection = x.id) <> 8")
[ "$n" -eq 0 ] || bad "$n inspections without their 8 findings"
n=$(q "SELECT count(*) FROM ($ids) x WHERE (SELECT count(*) FROM audit_log a WHERE a.kind = 'inspection' AND a.record = x.id) <> 1")
[ "$n" -eq 0 ] || bad "$n inspections without exactly one audit entry"
n=$(q "SELECT count(*) FROM ($ids) x JOIN inspections i USING (id) WHERE i.officer2 IS NULL OR i.officer2 = ''")
[ "$n" -eq 0 ] || bad "$n inspections without the second officer they were confirmed with"
n=$(q "SELECT count(*) FROM reweighs r WHERE r.inspection IN ($ids) AND (r.measurement IS NULL OR NOT EXISTS (SELECT 1 FROM measurements m WHERE m.id = r.measurement AND length(m.raw) > 0))")
[ "$n" -eq 0 ] || bad "$n re-weighs without their measurement and raw frame"
n=$(q "SELECT (SELECT count(*) FROM findings WHERE inspection NOT IN (SELECT id FROM inspections)) + (SELECT count(*) FROM reweighs WHERE inspection NOT IN (SELECT id FROM inspections)) + (SELECT count(*) FROM measurements WHERE inspection IS NOT NULL AND inspection NOT IN (SELECT id FROM inspections))")
[ "$n" -eq 0 ] || bad "$n orphan rows"
n=$(q "SELECT count(*) FROM drafts WHERE id IN (SELECT id FROM inspections)")
[ "$n" -eq 0 ] || bad "$n drafts of committed inspections"
n=$(q "SELECT count(*) FROM drafts WHERE body NOT LIKE 'visit 1%' OR body NOT LIKE '%end 1' || char(10)")
[ "$n" -eq 0 ] || bad "$n drafts not whole"
if "$SC" --db "$DB" verify >"$TMP/verify.out" 2>&1; then :; else
    grep -q "not available" "$TMP/verify.out" || bad "stallcheck verify: $(head -c 300 "$TMP/verify.out")"
fi
[ -s "$TMP/tui.log" ] && bad "stderr while the screen was in use: $(head -c 300 "$TMP/tui.log")"
result=PASS
[ "$fail" -eq 0 ] || result=FAIL
echo "soak: $TRIALS trials, $killed killed, $new committed, $seen seen saved, $(q 'SELECT count(*) FROM drafts') drafts left: $result"
[ "$fail" -eq 0 ]
