# The terminal goes away under the TUI (a cable pulled, an ssh session cut,
# the terminal emulator closed) while the process that owned the terminal
# lives on, so no SIGHUP reaches the TUI: it must end, not spin on a dead
# terminal for ever (a handheld's battery).  Drafts are saved on every
# answer, so ending loses nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

command -v tmux >/dev/null || { skip "the TUI on a terminal that goes away" "tmux not installed"; done_testing; exit 0; }

DB=$TMP/h.db
"$SC" --db "$DB" demo-data --stalls 20 --months 1 --seed 1 >/dev/null 2>&1 || fail "demo-data"
# The pane's shell owns the terminal and ignores SIGHUP; the TUI is its child.
tmx new-session -d -x 40 -y 15 "sh -c 'trap \"\" HUP; echo \$\$ >$TMP/sh.pid; \"$SC\" --db \"$DB\" tui; sleep 60'"
wait_for 'Badge|证号' 10 || fail "the sign-in screen" "$(screen | tr '\n' '|')"
TUI=$(pgrep -P "$(cat "$TMP/sh.pid")" | head -n 1)
expect_match "the TUI runs under the pane's shell" "$TUI" '^[0-9]+$'
tmx kill-server
gone=""
for _i in $(seq 1 100); do
    kill -0 "$TUI" 2>/dev/null || { gone=1; break; }
    sleep 0.05
done
expect_eq "the TUI ends within 5 s once its terminal is gone" "$gone" 1
[ -n "$gone" ] || kill "$TUI" 2>/dev/null
pkill -P "$(cat "$TMP/sh.pid")" 2>/dev/null
kill "$(cat "$TMP/sh.pid")" 2>/dev/null
done_testing
