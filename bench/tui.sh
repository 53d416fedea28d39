#!/bin/sh
# The TUI on the large demo district (100,000 stalls, 12 months:
# `stallcheck demo-data --stalls 100000 --months 12`), driven in tmux at a
# handheld's 40x15, timed by the app itself ($STALLCHECK_TRACE: the wall
# time of each screen's first draw, each effect's duration, the peak RSS):
#   bench: tui-first-screen-ms    exec to the sign-in screen drawn
#   bench: tui-pin-check-ms       Argon2id PIN check (db/officer.h; slow and
#                                 64 MiB on purpose: libsodium's interactive
#                                 limits)
#   bench: tui-first-list-ms      signed in: the market's stalls loaded
#                                 (today's draw or the registry)
#   bench: tui-open-stall-ms      a stall card: registry, instruments,
#                                 history, score
#   bench: tui-save-draft-ms      one answer saved as the draft (fsync'd)
#   bench: tui-rss-mb             resident memory on today's list (after the
#                                 PIN check has freed its memory)
#   bench: tui-peak-rss-mb        the peak, the PIN check's Argon2id included
#   bench: tui-rss ratio=R (ours/peer)   against the sqlite3 shell listing
#                                 the same market's stalls (its peak)
# BENCH_STALLS / BENCH_MONTHS make a smaller district; BENCH_DB reuses one;
# BENCH_TODAY is its last day (today: the TUI runs on the real clock, which
# its trace compares with the launch time).
set -u
SC=${STALLCHECK_BIN:?}
stalls=${BENCH_STALLS:-100000}
months=${BENCH_MONTHS:-12}
today=${BENCH_TODAY:-$(date -u +%Y-%m-%d)}
command -v tmux >/dev/null || { echo "bench: tui skipped: no tmux"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stallcheck-bench.XXXXXX")
sock=sc-bench-tui-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
db=${BENCH_DB:-$tmp/district.db}
if [ -z "${BENCH_DB:-}" ]; then
    "$SC" --db "$db" demo-data --stalls "$stalls" --months "$months" --today "$today" >/dev/null ||
        { echo "bench: tui: demo-data failed" >&2; exit 1; }
fi
echo "# $(sqlite3 "$db" 'SELECT count(*) FROM stalls') stalls, $(sqlite3 "$db" "SELECT count(*) FROM inspections") inspections"
trace=$tmp/trace
ms() { date +%s%3N; }
# wait_trace REGEX: until the trace has a matching line (10 s at most).
wait_trace() {
    i=0
    while ! grep -qE "$1" "$trace" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    grep -E "$1" "$trace" | tail -n 1
}
# Screen and effect numbers: enum tui_screen_id and enum tui_effect_kind.
SCR_SIGNIN=0 SCR_PICK=2 SCR_TEAM=20 EFF_SIGN_IN=1 EFF_LOAD_STALL=2 EFF_SAVE_DRAFT=4

# The launch time is taken in the pane, just before exec: tmux's own start
# is not the TUI's.
tmux -L "$sock" -f /dev/null new-session -d -x 40 -y 15 \
    "date +%s%3N >$tmp/t0; exec env LANG=C.UTF-8 STALLCHECK_TRACE=$trace $SC --db $db tui"
first=$(wait_trace "^drawn $SCR_SIGNIN ")
t0=$(cat "$tmp/t0")
# The day's team: enforcement needs two officers, both signed in.
tmux -L "$sock" send-keys 1001 Enter 1234 Enter
wait_trace "^drawn $SCR_TEAM " >/dev/null
tmux -L "$sock" send-keys 1002 Enter 1234 Enter
wait_trace "^drawn $SCR_PICK " >/dev/null
tmux -L "$sock" send-keys 1
wait_trace "^effect $EFF_LOAD_STALL " >/dev/null
sleep 0.2
tmux -L "$sock" send-keys 1 1
wait_trace "^effect $EFF_SAVE_DRAFT " >/dev/null
tmux -L "$sock" send-keys F10
wait_trace "^peak-rss-kb" >/dev/null

echo "$first" | awk -v t0="$t0" '{ printf "bench: tui-first-screen-ms %.0f ms\n", $3 - t0 }'
eff() { grep -E "^effect $1 " "$trace" | head -n 1 | awk '{ print $3 }'; }
line() { grep -E "^$1 " "$trace" | head -n 1 | awk '{ print $2 }'; }
echo "bench: tui-pin-check-ms $(line pin-check) ms"
echo "bench: tui-first-list-ms $(line load-today) ms"
echo "bench: tui-open-stall-ms $(eff $EFF_LOAD_STALL) ms"
echo "bench: tui-save-draft-ms $(eff $EFF_SAVE_DRAFT) ms"
# The resident memory when today's list was first drawn (screen 2).
rss_kb=$(awk -v s="$SCR_PICK" '$1 == "drawn" { d = $2 } $1 == "rss-kb" && d == s { print $3; exit }' "$trace")
peak_kb=$(grep '^peak-rss-kb' "$trace" | awk '{ print $2 }')
echo "bench: tui-rss-mb $(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }') MB"
echo "bench: tui-peak-rss-mb $(awk -v k="$peak_kb" 'BEGIN { printf "%.1f", k / 1024 }') MB"

# The peer: the sqlite3 shell opening the same file and listing what the
# TUI's first list shows (the first market's stalls).
market=$(sqlite3 "$db" 'SELECT code FROM markets ORDER BY code LIMIT 1')
/usr/bin/time -f '%M' -o "$tmp/peer.kb" sqlite3 "$db" \
    "SELECT code, name FROM stalls WHERE market = '$market' AND active = 1 ORDER BY code" >/dev/null
peer_kb=$(tail -n 1 "$tmp/peer.kb")
awk -v o="$rss_kb" -v p="$peer_kb" \
    'BEGIN { printf "bench: tui-rss ratio=%.2f (ours/peer: the sqlite3 shell, %.1f MB)\n", o / p, p / 1024 }'
