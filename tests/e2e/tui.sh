# The officer's TUI end to end: `stallcheck demo` (the real binary, two
# simulated scales on pseudo-terminals) driven in tmux, in Chinese.  The
# team signs in, picks a stall, answers the checklist, a failing re-weigh
# from its item, confirms; then the database (sqlite3) and the screens
# (golden text).
# Resize to 40x15 mid-inspection; kill the reference scale's simulator
# mid-reading; kill -9 the app mid-inspection and resume.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

GOLDEN=$STALLCHECK_TOP/tests/e2e/golden
command -v tmux >/dev/null || { skip "the TUI in tmux" "tmux not installed"; done_testing; exit 0; }
command -v sqlite3 >/dev/null || { skip "the TUI in tmux" "sqlite3 not installed"; done_testing; exit 0; }
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
    { skip "the TUI in tmux" "no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"; done_testing; exit 0; }

clock_at 2026-03-02T09:00:00Z
DB=$TMP/demo.db
if ! "$SC" --db "$DB" demo-data --stalls 60 --months 2 --seed 7 >"$TMP/demo-data.out" 2>&1; then
    skip "the TUI in tmux" "demo-data: $(head -c 200 "$TMP/demo-data.out")"
    done_testing
    exit 0
fi
mkdir -p "$TMP/run"
q() { sqlite3 "$DB" "$1"; }
# The generated history's inspections, to tell ours apart.
q "SELECT id FROM inspections" | sort >"$TMP/before.ids"
new_ids() { q "SELECT id FROM inspections WHERE status = 'committed'" | sort | comm -13 "$TMP/before.ids" -; }
DEMO="env TMPDIR=$TMP/run LANG=zh_CN.UTF-8 STALLCHECK_LOG=$TMP/tui.log $SC --db $DB demo"
# The day's team: 1001, then 1002.
sign_in() {
    wait_for '证号 1001' 10 || { screen; return 1; }
    typetext 1001; keys Enter; typetext 1234; keys Enter
    wait_for '今日执法组' 5 || { screen; return 1; }
    typetext 1002; keys Enter; typetext 1234; keys Enter
    wait_for '今日:|未完成的检查' 5 || { screen; return 1; }
}
# Answers with 1 (pass / seal intact) until only the re-weigh item is left.
answer_seven() {
    for _i in 1 2 3 4 5 6 7 8 9 10; do
        screen | head -1 | grep -q '7/8' && return 0
        keys 1
    done
    screen | head -1 | grep -q '7/8'
}
# ... and the re-weigh item n/a, with the note that says why.
answer_all() {
    answer_seven || return 1
    keys 3; typetext '只卖活禽'; keys Enter
    wait_for '检查项 8/8' 3
}

# ---- one whole inspection ----
tui_start 60 20 "$DEMO"
expect_screen "the sign-in shows the demo officer's badge and PIN" '演示:证号 1001,密码 1234' 10
expect_golden "sign-in screen (Chinese, 60x20)" "$GOLDEN/signin-60x20.txt"
check "signed in: today's stalls" sign_in
keys F1
expect_screen "F1: the help screen generated from the key table" '帮助:按键'
expect_screen "opened at the keys of the screen it was pressed on" '今日摊位'
keys PPage PPage PPage PPage PPage PPage
expect_screen "PgUp turns back to the keys of every screen" '所有界面'
keys 0
expect_screen "0 goes back" '今日:'
STALL=$(q "SELECT code FROM stalls WHERE active = 1 ORDER BY market, code LIMIT 1")
expect_screen "the market's stalls listed" "$STALL"
keys 1
expect_screen "the stall card" "$STALL .*1001"
keys 1
expect_screen "the checklist" '检查项 [0-9]/8'
check "seven items answered with one key each" answer_seven
keys 1
expect_screen "the re-weigh item opens the re-weigh, the reference scale live" '470\.0 g \[稳定\]' 5
typetext 500; keys Enter; typetext 12; keys Enter 1
expect_screen "a failing re-weigh: verdict and shortfall at once, back on the checklist" '短斤缺两'
expect_screen "shortfall in grams and money" '短缺 30 g'
expect_screen "the item answered by it" '检查项 8/8'
keys 9
expect_screen "the summary lists the failed re-weigh" '✗ 复秤合格'
expect_screen "the summary shows the new score" '诚信分 [0-9]+ -> [0-9]+'
expect_screen "and both officers of the team" '第二人 1002'
keys 1
expect_screen "confirmed: saved, with the new score" '检查已保存'
ID=$(new_ids)
expect_match "the inspection is committed" "$ID" '^[0-9a-f-]{36}$'
expect_eq "with the second officer" "$(q "SELECT officer2 FROM inspections WHERE id = '$ID'")" 1002
expect_eq "all 8 findings" "$(q "SELECT count(*) FROM findings WHERE inspection = '$ID'")" 8
expect_eq "the re-weigh finding failed" "$(q "SELECT answer FROM findings WHERE inspection = '$ID' AND item = 'reweigh'")" fail
expect_eq "the re-weigh: 500 g declared, 470 g measured, 30 g and 36 fen short" \
    "$(q "SELECT category, declared_ug, measured_ug, shortfall_ug, money_short_fen, verdict FROM reweighs WHERE inspection = '$ID'")" \
    "grain-veg-fruit|500000000|470000000|30000000|36|fail"
expect_match "the reference scale's frame kept as evidence" \
    "$(q "SELECT driver || ' ' || length(raw) FROM measurements WHERE inspection = '$ID'")" '^mt-sics [1-9][0-9]*$'
expect_eq "in the audit chain" "$(q "SELECT count(*) FROM audit_log WHERE kind = 'inspection' AND record = '$ID'")" 1
expect_eq "no draft left" "$(q "SELECT count(*) FROM drafts")" 0

# ---- resize to 40x15 mid-inspection ----
STALL2=$(q "SELECT code FROM stalls WHERE active = 1 ORDER BY market, code LIMIT 1 OFFSET 1")
# A barcode scanner types the stall code and Enter: that stall opens.
keys 0
typetext "$STALL2"; keys Enter
expect_screen "a scanned stall code opens its card" "$STALL2 .*1001"
keys 1 3 3
expect_screen "two answers given" '检查项 [23]/8'
# (3/8 when the stall's scale is overdue: that finding is pre-answered)
N=$(screen | head -1 | grep -o '[0-9]/8')
tmx resize-window -x 40 -y 15
expect_screen "at 40x15 the checklist still shows its answers" "检查项 $N"
expect_golden "the checklist at 40x15 (wide characters line up)" "$GOLDEN/checklist-40x15.txt" 
expect_screen "and the help line fits, keys set apart from their labels" '^1 合格 2 不合格 3 不适用'
tmx resize-window -x 30 -y 10
expect_screen "below 40x15: terminal too small" '终端太小'
tmx resize-window -x 40 -y 15
expect_screen "back at 40x15, nothing lost" "检查项 $N" 
keys 5; typetext '无价签'; tmx resize-window -x 44 -y 16; sleep 0.2; tmx resize-window -x 40 -y 15
expect_screen "typing survives a resize" '备注: 无价签'
keys F2

# ---- the reference scale's simulator dies mid-reading ----
keys 0 3 3
expect_screen "the reference scale live" '470\.0 g'
# An overloaded scale says so, not "    g [moving]": the demo's 15 kg stall
# scale (KERN, whose o-Err comes as a data error) past Max + 9 e.
STALL_CTL=$(ls "$TMP"/run/stallcheck-demo.*/stall.ctl 2>/dev/null | head -n 1)
keys 3
expect_screen "the stall's scale live" '500 g'
echo "load 16kg" >"$STALL_CTL"
expect_screen "the stall's scale past Max shows no weight, and why" '无重量:秤报告错误' 6
echo "load 500g" >"$STALL_CTL"
expect_screen "and a weight again once the goods come off" '500 g' 6
keys 3
expect_screen "the reference scale again" '470\.0 g'
PID=$(tui_pid)
REF=""
for p in $(pgrep -P "$PID"); do
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q 'reference.ctl' && REF=$p
done
expect_match "the demo started the reference simulator" "$REF" '^[0-9]+$'
# The demo's simulated scales are its instruments: a 15 kg / 5 g stall
# scale (demo-data's ACS-15, SM-100), a 6 kg / 0.1 g reference (NV6101).
SIMS_CMD=$(for p in $(pgrep -P "$PID"); do tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null; echo; done)
expect_match "the demo's stall scale is a 15 kg, 5 g instrument" "$SIMS_CMD" 'sim kern .*--d 5g --max 15kg .*stall\.ctl'
expect_match "the demo's reference is a 6 kg, 0.1 g instrument" "$SIMS_CMD" 'sim mt-sics .*--d 0\.1g --max 6kg .*reference\.ctl'
[ -n "$REF" ] && kill "$REF"
expect_screen "a clear message: offline and why" '离线: 秤的连接断开' 6
expect_screen "with a retry key" '4 重试'
keys 4
expect_screen "retry says it is still offline" '仍然离线'
check "the app is still running" kill -0 "$PID"

# ---- kill -9 mid-inspection, then resume ----
kill -9 "$PID"
sleep 0.3
expect_eq "a draft survived kill -9" "$(q "SELECT stall FROM drafts")" "$STALL2"
tui_restart "$DEMO"
check "signed in again" sign_in
expect_screen "the unfinished inspection is offered" '未完成的检查'
expect_screen "with its stall and answers" "检查项 $N"
keys 1
expect_screen "resumed on the stall card" "$STALL2 .*1001"
keys 1
expect_screen "the answers are back" "检查项 $N" 
check "finish the checklist" answer_all
keys 9 1
expect_screen "confirmed after the resume" '检查已保存'
expect_eq "two inspections committed" "$(new_ids | wc -l | tr -d ' ')" 2
expect_eq "the note typed before the kill is kept" \
    "$(q "SELECT count(*) FROM findings f JOIN inspections i ON i.id = f.inspection WHERE i.stall = '$STALL2' AND f.note = '无价签'")" 1
expect_eq "no draft left after the commit" "$(q "SELECT count(*) FROM drafts")" 0
keys F10
sleep 0.3
check "F10 quits" tui_dead
expect_eq "nothing on stderr while the screen was in use" "$(cat "$TMP/tui.log" 2>/dev/null)" ""

# ---- NO_COLOR: no colour escapes at all, the roles fall back to attributes ----
tui_restart "env NO_COLOR=1 LANG=zh_CN.UTF-8 $SC --db $DB tui"
wait_for '执法证号' 5
if tmx capture-pane -p -e | grep -qE "$(printf '\033')\[[0-9;]*(3[0-7]|4[0-7])[;m]"; then
    fail "NO_COLOR: no colours" "colour escapes on screen"
else ok "NO_COLOR: no colours"; fi
tui_restart "env LANG=zh_CN.UTF-8 TERM=xterm-256color $SC --db $DB tui"
wait_for '执法证号' 5
if tmx capture-pane -p -e | grep -qE "$(printf '\033')\[[0-9;]*(3[0-7]|4[0-7])[;m]"; then
    ok "without NO_COLOR the roles have colours"
else fail "without NO_COLOR the roles have colours" "no colour escapes"; fi
keys F10
done_testing
