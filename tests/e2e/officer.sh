# An officer's day at 40x15, as a newcomer meets it, driven in tmux on
# `stallcheck demo`: the team signs in, then a clean stall (every item
# passes, one re-weigh on the reference scale, the declared weight and the
# unit price typed) from today's list to the saved record, the keys COUNTED,
# in English and in Chinese: at most 20.  Then what a newcomer ran into:
# a code scanned on a stall card, the cursor where the typing goes, a long
# Chinese note, English left in Chinese, times in UTC, keys acting behind
# the "too small" screen.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

command -v tmux >/dev/null || { skip "an officer's day" "tmux not installed"; done_testing; exit 0; }
command -v sqlite3 >/dev/null || { skip "an officer's day" "sqlite3 not installed"; done_testing; exit 0; }
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
    { skip "an officer's day" "no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"; done_testing; exit 0; }

clock_at 2026-03-02T01:00:00Z
# A demo district of its own for each language (a copied file is not the
# one its device key was made for: it would refuse to sign).
for L in en zh_CN; do
    "$SC" --db "$TMP/day.$L.db" demo-data --stalls 60 --months 2 --seed 7 >"$TMP/demo-data.out" 2>&1 ||
        { skip "an officer's day" "demo-data: $(head -c 200 "$TMP/demo-data.out")"; done_testing; exit 0; }
done
mkdir -p "$TMP/run"
t() { if [ "$L" = en ]; then printf '%s' "$1"; else printf '%s' "$2"; fi; }
q() { sqlite3 "$DB" "$1"; }

# The keys the officer presses, counted: press KEY... (one each), typed
# TEXT (one per character).
KEYS_PRESSED=0
press() { KEYS_PRESSED=$((KEYS_PRESSED + $#)); tmx send-keys "$@"; }
typed() {
    KEYS_PRESSED=$((KEYS_PRESSED + $(printf '%s' "$1" | wc -m)))
    tmx send-keys -l "$1"
}

UPS=0
BASE_SOCK=$SOCK
demo_up() {
    tmx kill-server 2>/dev/null
    UPS=$((UPS + 1))
    SOCK=$BASE_SOCK-$UPS
    at_exit "tmux -L '$SOCK' kill-server 2>/dev/null"
    tui_start 40 15 "env TZ=Asia/Shanghai TMPDIR=$TMP/run LANG=$LOCALE $SC --db $DB demo --lang $L"
    wait_for 'Enter' 10
}
ctl() {
    _f=$(ls -td "$TMP"/run/stallcheck-demo.* | head -n 1)/$1.ctl
    timeout 5 sh -c 'printf "%s\n" "$1" >"$2"' sh "$2" "$_f"
}
team_in() {
    typetext 1001; keys Enter; typetext 1234; keys Enter
    wait_for "$(t "day's team" '今日执法组')" 5
    typetext 1002; keys Enter; typetext 1234; keys Enter
    wait_for "$(t 'Today:' '今日:')" 5
}

# ---- the clean stall, keys counted ----
clean_stall() {
    L=$1 LOCALE=$2
    DB=$TMP/day.$L.db
    q "SELECT id FROM inspections" | sort >"$TMP/before.ids"
    demo_up
    ctl reference 'load 500g'
    team_in
    STALL=$(screen | sed -n 's/^[ ✓] *\(M[0-9]*-[0-9]*\) .*/\1/p' | head -n 1)
    KEYS_PRESSED=0
    press 1                                     # the first stall of today's list
    wait_for "^ $STALL" 5
    press 1                                     # its checklist
    wait_for "$(t 'Checklist 0/8' '检查项 0/8')" 3
    for _i in 1 2 3 4 5 6 7; do press 1; done   # seven items pass
    wait_for '7/8' 3
    press 1                                     # the re-weigh item opens the re-weigh
    wait_for '500\.0 g' 6
    typed 500; press Enter; typed 12; press Enter
    wait_for "$(t '1 Capture' '1 读取')" 3
    press 1                                     # captured: back on the checklist
    wait_for '8/8' 5
    press 9                                     # the summary
    wait_for "$(t 'Summary' '汇总')" 3
    press 1                                     # confirmed
    wait_for "$(t 'Inspection saved' '检查已保存')" 5
    expect_screen "clean stall ($L): saved, back on today's list" "$(t 'Inspection saved' '检查已保存')"
    echo "# clean stall ($L): $KEYS_PRESSED keys from today's list to the saved record"
    if [ "$KEYS_PRESSED" -le 20 ]; then ok "clean stall ($L): $KEYS_PRESSED keys, at most 20"
    else fail "clean stall ($L): at most 20 keys" "$KEYS_PRESSED keys"; fi
    ID=$(q "SELECT id FROM inspections WHERE status = 'committed'" | sort | comm -13 "$TMP/before.ids" -)
    expect_match "clean stall ($L): one inspection committed" "$ID" '^[0-9a-f-]{36}$'
    expect_eq "clean stall ($L): both officers on the record" \
        "$(q "SELECT officer1 || ' ' || officer2 FROM inspections WHERE id = '$ID'")" "1001 1002"
    expect_eq "clean stall ($L): eight findings, none failed" \
        "$(q "SELECT count(*) || ' ' || sum(answer IN ('pass', 'intact')) FROM findings WHERE inspection = '$ID'")" "8 8"
    expect_eq "clean stall ($L): the re-weigh, 500 g on 500 g, passed on the stall's row" \
        "$(q "SELECT declared_ug || ' ' || measured_ug || ' ' || verdict || ' ' || category FROM reweighs WHERE inspection = '$ID'")" \
        "500000000 500000000 pass grain-veg-fruit"
    [ "$L" = en ] && whole "the saved line whole, with the new score and list" \
        "Inspection saved $STALL: Score 100 -> 100 red list"
    if [ "$L" = en ]; then
        keys Down 1 1 2
        whole "a failed answer's hint whole" "Failed: 5 adds a note, 6 a correction deadline"
    fi
    keys F10
}

clean_stall en C.UTF-8
clean_stall zh_CN zh_CN.UTF-8

# ---- what a newcomer ran into (Chinese) ----
L=zh_CN LOCALE=zh_CN.UTF-8
DB=$TMP/day.zh_CN.db
demo_up
team_in

# The footer sets each key apart from its label, and names Enter.
expect_screen "the footer: keys apart from their labels" '^1 检查 2 输入代码 3 抽取'
# The cursor goes where the typing goes: after "Stall code:".
keys 2
wait_for '摊位代码:' 3
cur=$(tmx display -p '#{cursor_x},#{cursor_y},#{cursor_flag}')
line=$(screen | grep -n '摊位代码:' | head -n 1 | cut -d: -f1)
expect_eq "typing a code: the cursor after 'Stall code:', on its row" \
    "$cur" "$(( $(printf '%s' '>摊位代码: ' | wc -L) )),$((line - 1)),1"
keys Escape

# A code scanned on a stall card opens that stall with its own inspection.
typetext M001-009; keys Enter
wait_for '^ M001-009' 5
typetext M001-004; keys Enter
expect_screen "a scanned code on a card opens that stall" '^ M001-004'
keys 1 1 1 1
# The draft is written as the answers come: waited for, not assumed at once.
for _i in $(seq 1 50); do [ "$(q "SELECT stall FROM drafts")" = M001-004 ] && break; sleep 0.1; done
expect_eq "and its inspection is drafted, in the team's names" \
    "$(q "SELECT stall FROM drafts")" "M001-004"
# A long Chinese note scrolls by whole characters: no U+FFFD.
keys 5
typetext '秤盘下有磁铁吸附物价签缺失两处经营者称已订购新秤待复查'
# The cursor is shown once the frame is drawn: waited for (a loaded
# machine may read it mid-redraw), not assumed at once.
for _i in $(seq 1 50); do
    line=$(screen | grep -n '^>备注:' | head -n 1 | cut -d: -f1)
    cur=$(tmx display -p '#{cursor_y},#{cursor_flag}')
    [ "$cur" = "$((line - 1)),1" ] && break
    sleep 0.1
done
expect_eq "the note's cursor on the note's row" "$cur" "$((line - 1)),1"
if screen | grep -q "$(printf '\357\277\275')"; then fail "no half character drawn" "$(screen | grep '备注')"
else ok "no half character drawn"; fi
expect_screen "the end of the note in view, the scrolled part marked" '^>备注: ~.*待复查'
keys Enter

# Below 40x15 nothing acts on the hidden screen: a 9 (summary) is ignored.
tmx resize-window -x 30 -y 10
wait_for '终端太小' 3
keys 9
tmx resize-window -x 40 -y 15
expect_screen "after a key below 40x15, still on the checklist" '检查项 [0-9]/8'

# Unfinished, then resumed after a restart: its time is local (UTC+8).
kill -9 "$(tui_pid)"
sleep 0.3
tui_restart "env TZ=Asia/Shanghai TMPDIR=$TMP/run LANG=$LOCALE $SC --db $DB demo --lang $L"
wait_for 'Enter' 10
team_in
wait_for '未完成的检查' 5
started=$(q "SELECT started_at FROM inspections WHERE stall = 'M001-004' AND status = 'draft'")
[ -n "$started" ] || started=$(sqlite3 "$DB" "SELECT body FROM drafts" | sed -n 's/^started //p')
local_hm=$(TZ=Asia/Shanghai date -d "$started" '+%Y-%m-%d %H:%M')
expect_screen "the unfinished inspection's start in local time ($local_hm)" "开始: $local_hm"
if screen | grep -q 'T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'; then fail "no UTC timestamp on screen" "$(screen | grep Z)"
else ok "no UTC timestamp on screen"; fi
keys 1
wait_for '^ M001-004' 5
keys 1
answer() {
    for _i in 1 2 3 4 5 6 7 8 9 10; do
        screen | head -1 | grep -q '7/8' && break
        keys 1
    done
    keys 3; typetext '只卖活禽'; keys Enter
    wait_for '8/8' 3
}
check "the checklist finished, the re-weigh item n/a with its reason" answer
keys 9
wait_for '汇总' 3
if screen | grep -qiE 'black|red( |$)'; then fail "no English left on the summary" "$(screen | grep -iE 'black|red')"
else ok "no English left on the summary"; fi
keys 1
wait_for '检查已保存' 5
if screen | grep -qiE '(^| )(black|red)( |$)'; then fail "no English in the saved line" "$(screen | tail -4)"
else ok "no English in the saved line"; fi
keys F10
done_testing
