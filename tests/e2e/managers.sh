# The managers' screen in the real TUI, driven in tmux: today's stalls ->
# 5 (red/black list) -> 1 (filter: red, then black), in Chinese.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { skip "managers' screen" "tmux not installed"; done_testing; exit 0; }
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
    { skip "managers' screen" "no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"; done_testing; exit 0; }
clock_at 2026-03-01T09:00:00Z
DB=$TMP/m.db
"$SC" --db "$DB" lists >/dev/null 2>&1
sqlite3 "$DB" <"$DATA/scores.sql" || fail "load tests/data/scores.sql"


SOCK=stallcheck-managers-$$
at_exit "tmux -L $SOCK kill-server"
tmux -L "$SOCK" new-session -d -x 60 -y 20 \
    "LANG=zh_CN.UTF-8 '$SC' --db '$DB' tui --lang zh_CN"
screen() { tmux -L "$SOCK" capture-pane -p; }
# wait_for TEXT: up to 5 s for the screen to show it.
wait_for() {
    for i in $(seq 1 50); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
    return 1
}
wait_for "Enter" || true   # the sign-in screen is up
tmux -L "$SOCK" send-keys 1001 Enter 1234 Enter
wait_for "今日执法组" || true   # an officer's partner would sign in next:
tmux -L "$SOCK" send-keys F5   # alone
check "signed in: today's stalls with key 5" wait_for "5 红黑榜"
tmux -L "$SOCK" send-keys 5
check "the managers' screen opens" wait_for "红黑榜 M01"
out=$(screen)
expect_match "counts" "$out" '全部摊位;共 3 个:红 1,黑 1'
expect_match "the red stall" "$out" '红 100 M01-001 +张记蔬菜'
expect_match "the black stall" "$out" '黑  20 M01-002 +李记鲜肉'
# Marked and unmarked rows line up: the codes in one column.
expect_eq "codes in one column, marked or not" \
    "$(printf '%s\n' "$out" | grep -E ' M01-00[0-9] ' | while IFS= read -r l; do
        p=${l%%M01-*}; printf '%s\n' "$(printf '%s' "$p" | wc -L)"; done | sort -u | wc -l | tr -d ' ')" 1
expect_match "the help line from the key table" "$out" '1 筛选 2 重算 0 返回'
tmux -L "$SOCK" send-keys 1
check "filter: red list" wait_for "红榜;共"
tmux -L "$SOCK" send-keys 1
check "filter: black list" wait_for "黑榜;共"
out=$(screen)
expect_match "only the black stall" "$out" '黑  20 M01-002'
expect_eq "and not the others" "$(printf '%s\n' "$out" | grep -c 'M01-00[13] ')" 0
expect_match "the reason below" "$out" 'M01-002 列入黑榜 2026-02-01 严重违法'
tmux -L "$SOCK" send-keys 2
check "recompute stores every status" wait_for "红黑榜已重算"
expect_eq "stall_status written for the market's 3 stalls" "$(sqlite3 "$DB" 'SELECT count(*) FROM stall_status')" 3
tmux -L "$SOCK" send-keys F10

# A manager is held to their market: 3001 manages M01 (PIN 1234), and the
# TUI is started on M02 (once the first has quit and let go of the file).
for i in $(seq 1 300); do tmux -L "$SOCK" has-session 2>/dev/null || break; sleep 0.1; done
sqlite3 -cmd ".timeout 10000" "$DB" "INSERT INTO officers (badge, name, role, pin_hash, market, updated_at)
  SELECT '3001', '周经理', 'manager', pin_hash, 'M01', updated_at FROM officers WHERE badge = '1001'"
tmux -L "$SOCK" new-session -d -x 60 -y 20 \
    "LANG=zh_CN.UTF-8 '$SC' --db '$DB' tui --lang zh_CN --market M02"
wait_for "Enter" || true
tmux -L "$SOCK" send-keys 3001 Enter
wait_for ">密码" || true
tmux -L "$SOCK" send-keys 1234 Enter
# The PIN's Argon2id takes seconds under the sanitizers: wait for the screen.
signed_in() { for i in $(seq 1 300); do screen | grep -qF -- "5 红黑榜" && return 0; sleep 0.1; done; return 1; }
check "a manager signs in" signed_in
out=$(screen)
expect_match "on their own market (城东, M01), not --market M02 (城西)" "$out" '今日: 城东农贸市场'
expect_match "their market's stalls listed, none of M02" \
    "$(printf '%s\n' "$out" | grep -c 'M01-'):$(printf '%s\n' "$out" | grep -c 'M02-')" '^[1-9][0-9]*:0$'
# A manager may not inspect or draw: no key offers it, no line says
# "press 3 to draw".  The market's fair scale (公平秤) is the manager's desk.
expect_eq "no draw, no inspection offered to a manager" \
    "$(printf '%s\n' "$out" | grep -cE '按3抽取|3 抽取|1 检查')" 0
expect_match "a manager opens cards, history, lists and the fair scale" "$out" \
    '1 摊位信息 2 输入代码 4 历史 5 红黑榜 6 公平秤'
tmux -L "$SOCK" send-keys 6
check "the fair-scale station opens for the manager" wait_for "公平秤"
tmux -L "$SOCK" send-keys M02-001 Enter
# (in the screen's language; it wraps over two rows at 60 columns)
check "a stall of another market is refused at the desk" \
    wait_for "市场 M01 的市场管理方不得在市场 M02"
expect_eq "nothing recorded against M02-001" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM inspections WHERE stall = 'M02-001' AND officer1 = '3001'")" 0
tmux -L "$SOCK" send-keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace M01-001 Enter
check "their own market's stall is taken" wait_for "张记蔬菜"
tmux -L "$SOCK" send-keys Escape 0
wait_for "5 红黑榜" || true
tmux -L "$SOCK" send-keys 2
sleep 0.3
tmux -L "$SOCK" send-keys M02-001 Enter
sleep 1
out=$(screen)
expect_eq "M02's stall card does not open (no operator, no licence)" \
    "$(printf '%s\n' "$out" | grep -c '赵记水果')" 0
expect_match "the manager is told why, in the screen's language" "$out" '无权操作: 市场 M01 的市场管理方不得查看市场 M02'
tmux -L "$SOCK" send-keys Escape
sleep 0.3
tmux -L "$SOCK" send-keys 2
sleep 0.3
tmux -L "$SOCK" send-keys M01-001 Enter
check "but their own market's stall card opens" wait_for "张记蔬菜"
tmux -L "$SOCK" send-keys 0
sleep 0.3
tmux -L "$SOCK" send-keys 5
check "the managers' screen opens on M01" wait_for "红黑榜 M01"
expect_eq "and shows no stall of M02" "$(screen | grep -c 'M02-')" 0
tmux -L "$SOCK" send-keys F10
done_testing
