# Helpers for the end-to-end suites: the real binary in tmux on its own
# socket (tests run concurrently), keys sent, screens captured (tig's
# libtest.sh).  Source after tests/lib.sh.
SOCK="sc-e2e-$$-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
tmx() { tmux -L "$SOCK" -f /dev/null "$@"; }
at_exit 'tmux -L "$SOCK" kill-server 2>/dev/null'

# tui_start COLS ROWS COMMAND...: a session running COMMAND (exec'd, so the
# pane's pid is the program's).
tui_start() {
    _c=$1 _r=$2
    shift 2
    tmx new-session -d -x "$_c" -y "$_r" "exec $*"
    tmx set-option -g remain-on-exit on >/dev/null
}

tui_pid() { tmx display-message -p '#{pane_pid}'; }
tui_dead() { [ "$(tmx display-message -p '#{pane_dead}')" = 1 ]; }
screen() { tmx capture-pane -p; }

# keys K...: tmux send-keys, then a short pause for the redraw.
keys() { tmx send-keys "$@"; sleep 0.15; }
# type TEXT: literal text (-l), e.g. a scanned code or a PIN.
typetext() { tmx send-keys -l "$1"; sleep 0.15; }

# wait_for REGEX [SECONDS]: until the screen matches; 1 on timeout.
wait_for() {
    _n=$(( ${2:-5} * 20 ))
    while [ "$_n" -gt 0 ]; do
        screen | grep -qE -- "$1" && return 0
        sleep 0.05
        _n=$((_n - 1))
    done
    return 1
}

# expect_screen NAME REGEX [SECONDS]: a test that the screen shows REGEX.
expect_screen() {
    if wait_for "$2" "${3:-5}"; then ok "$1"; else fail "$1" "screen: $(screen | tr '\n' '|' | head -c 600)"; fi
}

# expect_golden NAME FILE: the screen equals the golden text, trailing
# blanks aside (Chinese included: wide characters must line up).
expect_golden() {
    screen | sed 's/[[:space:]]*$//' >"$TMP/got.txt"
    sed 's/[[:space:]]*$//' "$2" >"$TMP/want.txt"
    if diff -u "$TMP/want.txt" "$TMP/got.txt" >"$TMP/golden.diff"; then ok "$1"; else
        fail "$1" "$(head -c 1200 "$TMP/golden.diff" | tr '\n' '|')"
    fi
}
