# Every screen of the TUI at 40x15, the handheld's size, in English and in
# Chinese: `stallcheck demo` driven in tmux from the sign-in to the
# verification verdict, each screen compared with its golden text
# (tests/e2e/golden/screens/NAME.LANG.txt; STALLCHECK_UPDATE_GOLDEN=1
# rewrites them, review the diff).  On each, no drawn line may be cut
# unseen: the TUI logs every text it had to cut ($STALLCHECK_TRACE, "cut ROW
# COL TEXT", TEXT ending in the mark '~'), and each cut of the frame shown
# must be on the screen with its mark.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

G=$STALLCHECK_TOP/tests/e2e/golden/screens
command -v tmux >/dev/null || { skip "screens at 40x15" "tmux not installed"; done_testing; exit 0; }
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
    { skip "screens at 40x15" "no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"; done_testing; exit 0; }
# Under SAN=1: fontconfig (the notice's PDF) keeps its caches to the end.
printf 'leak:libfontconfig\n' >"$TMP/lsan.supp"
export LSAN_OPTIONS="suppressions=$TMP/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

clock_at 2026-03-02T01:00:00Z
DB=$TMP/demo.db
"$SC" --db "$DB" demo-data --stalls 60 --months 2 --seed 7 >"$TMP/demo-data.out" 2>&1 ||
    { skip "screens at 40x15" "demo-data: $(head -c 200 "$TMP/demo-data.out")"; done_testing; exit 0; }
mkdir -p "$TMP/run" "$TMP/certs"

# The language of the walk: t EN ZH picks the pattern to wait for.
t() { if [ "$L" = en ]; then printf '%s' "$1"; else printf '%s' "$2"; fi; }

# cuts_shown NAME: every text the last frame had to cut is on the screen,
# ending in its mark.
cuts_shown() {
    _trace=$TMP/trace.$L
    _frame=$(grep -n '^frame ' "$_trace" | tail -n 1 | cut -d: -f1)
    tail -n "+${_frame:-1}" "$_trace" | grep '^cut ' | sort -u >"$TMP/cuts.txt"
    screen >"$TMP/shown.txt"
    : >"$TMP/cut-bad.txt"
    while IFS= read -r _c; do
        _row=$(printf '%s' "$_c" | cut -d' ' -f2)
        _text=$(printf '%s' "$_c" | cut -d' ' -f4-)
        _on=$(sed -n "$((_row + 1))p" "$TMP/shown.txt")
        case "$_text" in *'~') ;; *) echo "row $_row cut without the mark: $_text" ;; esac
        case "$_on" in *"$_text"*) ;; *) echo "row $_row: '$_text' not on screen ('$_on')" ;; esac
    done <"$TMP/cuts.txt" >"$TMP/cut-bad.txt"
    _n=$(wc -l <"$TMP/cuts.txt" | tr -d ' ')
    if [ -s "$TMP/cut-bad.txt" ]; then
        fail "$1: no line cut unseen" "$(head -c 600 "$TMP/cut-bad.txt" | tr '\n' '|')"
    else
        ok "$1: no line cut unseen ($_n cut, each marked)"
        sed 's/^cut [0-9]* [0-9]* /# cut: /' "$TMP/cuts.txt"
    fi
    return 0
}

# golden NAME [SED]: the screen's golden text, then its cuts; on a Chinese
# screen, no English word left.
golden() {
    expect_golden "$1 ($L)" "$G/$1.$L.txt" "${2:-}"
    cuts_shown "$1 ($L)"
    if [ "$L" = zh_CN ]; then
        _en=$(english_left | sort -u | tr '\n' ' ')
        if [ -n "$_en" ]; then fail "$1 ($L): no English left" "$_en"
        else ok "$1 ($L): no English left"; fi
    fi
}

# demo_up: the demo at 40x15 on a fresh socket, tracing.
UPS=0
BASE_SOCK=$SOCK
demo_up() {
    tmx kill-server 2>/dev/null
    UPS=$((UPS + 1))
    SOCK=$BASE_SOCK-$UPS
    at_exit "tmux -L '$SOCK' kill-server 2>/dev/null"
    tui_start 40 15 "env TZ=Asia/Shanghai TMPDIR=$TMP/run STALLCHECK_CERT_DIR=$TMP/certs" \
        "STALLCHECK_TRACE=$TMP/trace.$L LANG=$LOCALE $SC --db $DB demo --lang $L"
    wait_for 'Enter' 10
}
team_in() {
    typetext 1001; keys Enter; typetext 1234; keys Enter
    wait_for "$(t "day's team" '今日执法组')" 5
    typetext 1002; keys Enter; typetext 1234; keys Enter
}
# ctl SCALE COMMAND: to the running demo's simulated scale (the newest demo
# directory: one killed leaves its own behind), never waiting on a stale one.
ctl() {
    _f=$(ls -td "$TMP"/run/stallcheck-demo.* | head -n 1)/$1.ctl
    timeout 5 sh -c 'printf "%s\n" "$1" >"$2"' sh "$2" "$_f"
}

walk() {
    L=$1 LOCALE=$2
    : >"$TMP/trace.$L"
    demo_up
    golden signin
    typetext 1001; keys Enter; typetext 1234; keys Enter
    wait_for "$(t "day's team" '今日执法组')" 5
    golden team
    typetext 1002; keys Enter; typetext 1234; keys Enter
    wait_for "$(t 'Today:' '今日:')" 5
    golden pick
    keys F1
    wait_for "$(t 'Help: keys' '帮助:按键')" 3
    golden help
    keys 0
    keys F9
    wait_for "$(t 'Locked' '已锁定')" 3
    golden lock
    typetext 1234; keys Enter
    wait_for "$(t 'Today:' '今日:')" 5
    keys 5
    wait_for "$(t 'Red/black list' '红黑榜')" 5
    golden managers
    keys 0 1
    wait_for 'M001-001' 5
    golden stall
    keys 6
    wait_for "$(t 'History' '历史')" 3
    golden history
    keys 0 3
    wait_for '500 g' 5
    golden scale
    ctl stall 'load 16kg'
    wait_for "$(t 'NO WEIGHT' '无重量')" 6
    golden scale-overload
    ctl stall 'load 500g'
    wait_for '500 g' 6
    keys 0 4
    wait_for "$(t 'Round' '第')" 5
    golden ghost
    keys 0 1
    wait_for "$(t 'Checklist 0/8' '检查项 0/8')" 3
    golden checklist
    keys 1 1 1 1 1 1 1
    wait_for '7/8' 3
    keys 1
    wait_for '470\.0 g' 5
    golden reweigh
    typetext 500; keys Enter; typetext 12; keys Enter
    golden reweigh-typed
    # The arrow keys named in the screen's language, as every label is.
    if [ "$L" = zh_CN ] && screen | grep -qE 'Left|Right'; then
        fail "no English key names ($L)" "$(screen | grep -E 'Left|Right')"
    else ok "no English key names ($L)"; fi
    keys 1
    wait_for '8/8' 5
    golden checklist-reweighed
    keys 9
    wait_for "$(t 'Summary' '汇总')" 3
    golden summary
    keys 6
    wait_for "$(t 'Swap the 1st' '更换第一名')" 3
    golden officer1
    keys Escape
    keys 5
    wait_for "$(t 'Swap the 2nd' '更换第二名')" 3
    golden officer2
    keys Escape
    tmx resize-window -x 30 -y 10
    wait_for "$(t 'Terminal too small' '终端太小')" 3
    golden too-small
    tmx resize-window -x 40 -y 15
    wait_for "$(t 'Summary' '汇总')" 3
    # The fair-scale station: 6 on today's stalls (a stall off the list
    # screen above and on no list, so the walks leave each other's goldens alone)
    keys 0 0
    wait_for "$(t 'Today:' '今日:')" 5
    keys 6
    wait_for "$(t 'Fair scale' '公平秤')" 5
    wait_for '480 g' 5
    golden fairscale
    typetext M001-044; keys Enter; typetext '鸡蛋'; keys Enter
    typetext 500; keys Enter; typetext 12; keys Enter
    wait_for "$(t '1 Capture' '1 读取')" 3
    golden fairscale-typed
    keys 1
    wait_for 'printer\.pty' 8
    golden fairscale-recorded
    keys 0
    wait_for "$(t 'Today:' '今日:')" 5
    # kill -9 mid-inspection: the next sign-in offers what was left
    kill -9 "$(tui_pid)"
    sleep 0.3
    tui_restart "env TZ=Asia/Shanghai TMPDIR=$TMP/run STALLCHECK_TRACE=$TMP/trace.$L" \
        "LANG=$LOCALE $SC --db $DB demo --lang $L"
    wait_for 'Enter' 10
    team_in
    wait_for "$(t 'Unfinished inspection' '未完成的检查')" 5
    golden resume 's/[0-9][0-9]:[0-9][0-9]/HH:MM/'
    keys 2
    golden resume-discard 's/[0-9][0-9]:[0-9][0-9]/HH:MM/'
    keys 2
    wait_for "$(t 'Today:' '今日:')" 5
    keys F10
    # Metrology: the instruments, the set-up, a step, the verdict
    tui_restart "env TZ=Asia/Shanghai TMPDIR=$TMP/run STALLCHECK_CERT_DIR=$TMP/certs" \
        "STALLCHECK_TRACE=$TMP/trace.$L LANG=$LOCALE $SC --db $DB demo --lang $L"
    wait_for 'Enter' 10
    typetext 2001; keys Enter; typetext 1234; keys Enter
    wait_for "$(t 'Verification' '检定')" 5
    golden verify-pick
    keys 1
    wait_for "$(t 'Weight set' '砝码')" 5
    golden verify-setup
    typetext 20; keys F3; typetext 55; keys Enter
    wait_for "$(t 'Step 1/' '步骤 1/')" 5
    golden verify-step
    # The first general check fails: 9 ends it with a notice of failure.
    keys 2
    wait_for "$(t 'A step failed' '有项目不合格')" 5
    golden verify-failed
    # The step's result in the screen's words, not the engine's English.
    if [ "$L" = zh_CN ] && screen | grep -qE 'general check|fails'; then
        fail "the result in Chinese ($L)" "$(screen | grep -E 'general check|fails')"
    else ok "the result in the screen's language ($L)"; fi
    keys 9
    wait_for "$(t 'Verdict' '判定')" 5
    golden verify-done
    keys 1
    wait_for "$(t 'Saved' '已保存')" 8
    golden verify-saved 's/stallcheck-test\.[A-Za-z0-9]\{6\}/stallcheck-test.XXXXXX/; s/[0-9A-F]\{6\}\.pdf/HEX.pdf/; s/TZ[0-9]\{8\}-[0-9A-F]\{6\}/TZ-NO/g'
    # Calibration (校准): 3 on the list calibrates the instrument picked
    keys 0
    wait_for "$(t 'Instruments to verify' '待检定的计量器具')" 5
    keys 3
    wait_for 'cg-18' 5
    golden cal-setup
    typetext 20; keys F3; typetext 55; keys Enter
    wait_for "$(t 'Reading 1/' '读数 1/')" 5
    golden cal-step
    # 2 finishes before every reading is taken: the results screen says
    # what is missing and offers to end it without results.
    keys 2
    wait_for "$(t 'Calibration results' '校准结果')" 5
    golden cal-done
    keys F10
    # The market's manager (3001, M001): cards, history, lists and the
    # fair scale on today's stalls; a card offers its history only.
    tui_restart "env TZ=Asia/Shanghai TMPDIR=$TMP/run STALLCHECK_CERT_DIR=$TMP/certs" \
        "STALLCHECK_TRACE=$TMP/trace.$L LANG=$LOCALE $SC --db $DB demo --lang $L"
    wait_for 'Enter' 10
    typetext 3001; keys Enter; typetext 1234; keys Enter
    wait_for "$(t 'Today:' '今日:')" 5
    golden pick-manager
    keys 1
    wait_for 'M001-001' 5
    golden stall-manager
    # The list reads; recomputing stores statuses, not the manager's: 2 is
    # not offered and, pressed, says why.
    keys 0 5
    wait_for "$(t 'Red/black list' '红黑榜')" 5
    if screen | grep -qE "$(t '2 Recompute' '2 重算')"; then
        fail "the manager is not offered 2 Recompute ($L)" "$(screen | tail -n 3)"
    else ok "the manager is not offered 2 Recompute ($L)"; fi
    keys 2
    expect_screen "the manager's 2 says why not ($L)" \
        "$(t 'manager may not' '市场管理方不得重算')" 3
    keys F10
}

walk en C.UTF-8
[ -n "${SCREENS_EN_ONLY:-}" ] || walk zh_CN zh_CN.UTF-8
done_testing
