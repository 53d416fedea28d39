# The stall card, where an officer starts a stall's inspection, at 40x15 in
# English and Chinese, as a newcomer meets it on `stallcheck demo`:
# - a stall drawn as a follow-up (复查 fucha: re-inspection under a
#   correction deadline, 限期整改) says which correction it follows up: the
#   failed item, the note written when it was found, the deadline;
# - when the officers the draw (双随机) named are not the team signed in,
#   the card says so, and the inspection saved names the team that
#   inspected (and the draw it came from), not the officers drawn.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

command -v tmux >/dev/null || { skip "the stall card" "tmux not installed"; done_testing; exit 0; }
command -v sqlite3 >/dev/null || { skip "the stall card" "sqlite3 not installed"; done_testing; exit 0; }
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
    { skip "the stall card" "no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"; done_testing; exit 0; }

clock_at 2026-03-02T01:00:00Z
mkdir -p "$TMP/run"
SC0=$SC
t() { if [ "$L" = en ]; then printf '%s' "$1"; else printf '%s' "$2"; fi; }
q() { sqlite3 "$DB" "$1"; }
ctl() {
    _f=$(ls -td "$TMP"/run/stallcheck-demo.* | head -n 1)/$1.ctl
    timeout 5 sh -c 'printf "%s\n" "$1" >"$2"' sh "$2" "$_f"
}

BASE_SOCK=$SOCK
card() {
    L=$1 LOCALE=$2
    DB=$TMP/card.$L.db
    "$SC0" --db "$DB" demo-data --stalls 60 --months 2 --seed 7 >"$TMP/demo-data.out" 2>&1 ||
        { fail "demo-data ($L)" "$(head -c 200 "$TMP/demo-data.out")"; return; }
    # Today's draw, made by the admin before the officers sign in.
    SC=$SC0
    sign_in_as 9000 1234
    "$SC" --db "$DB" draw --market M001 --include-followups >"$TMP/draw.out" 2>&1 ||
        { fail "the draw ($L)" "$(head -c 300 "$TMP/draw.out")"; return; }
    SC=$SC0
    DRAW=$(q "SELECT id FROM draws WHERE kind = 'production'")
    DRAWN=$(q "SELECT badge FROM draw_officers WHERE draw = '$DRAW' ORDER BY seq" | tr '\n' ' ' | sed 's/ $//')
    # A team the draw did not name (1003 is recused from M001).
    set -- $(for b in 1001 1002 1004 1005 1006 1007 1008; do
        case " $DRAWN " in *" $b "*) ;; *) echo "$b" ;; esac
    done | head -n 2)
    T1=$1 T2=$2
    # A follow-up stall of the draw, its finding's note as written then.
    FU=$(q "SELECT stall FROM draw_stalls WHERE draw = '$DRAW' AND followup = 1 ORDER BY seq LIMIT 1")
    expect_match "the draw has a follow-up stall ($L)" "$FU" '^M001-[0-9]+$'
    NOTE='鸡蛋没有明码标价'
    q "UPDATE findings SET note = '$NOTE' WHERE stall = '$FU' AND followup = 'open'"
    DUE=$(q "SELECT max(deadline) FROM findings WHERE stall = '$FU' AND followup = 'open'")

    tmx kill-server 2>/dev/null
    SOCK=$BASE_SOCK-$L
    at_exit "tmux -L '$SOCK' kill-server 2>/dev/null"
    tui_start 40 15 "env TZ=Asia/Shanghai TMPDIR=$TMP/run LANG=$LOCALE $SC --db $DB demo --lang $L"
    wait_for 'Enter' 10
    ctl reference 'load 500g'
    typetext "$T1"; keys Enter; typetext 1234; keys Enter
    wait_for "$(t "day's team" '今日执法组')" 5
    typetext "$T2"; keys Enter; typetext 1234; keys Enter
    wait_for "$(t 'Officers drawn' '抽中')" 5
    keys 2; typetext "$FU"; keys Enter
    check "the card of $FU ($L)" wait_for "^ $FU" 5
    wait_for "$NOTE" 3
    screen | sed 's/^/# /'
    whole "the card names the correction followed up and its deadline ($L)" \
        "$(t 'Follow-up:' '复查:')"
    whole "... the note written when it was found ($L)" "$NOTE"
    whole "... the deadline ($L)" "$DUE"
    whole "the card says the draw named other officers, and whom the record names ($L)" \
        "$(t "Drawn: $DRAWN, not this team; the record names $T1+$T2" \
             "抽中执法人员 $DRAWN,不是本组;记录为本组 $T1+$T2")"
    if screen | grep -q '~'; then fail "no line of the card cut ($L)" "$(screen | grep '~')"
    else ok "no line of the card cut ($L)"; fi
    # The inspection as the officers do it: every item passes, a re-weigh.
    keys 1
    wait_for "$(t 'Checklist 0/8' '检查项 0/8')" 3
    for _i in 1 2 3 4 5 6 7; do keys 1; done
    wait_for '7/8' 3
    keys 1
    wait_for '500\.0 g' 6
    typetext 500; keys Enter; typetext 12; keys Enter
    wait_for "$(t '1 Capture' '1 读取')" 3
    keys 1
    wait_for '8/8' 5
    keys 9
    wait_for "$(t 'Summary' '汇总')" 3
    keys 1
    check "saved ($L)" wait_for "$(t 'Inspection saved' '检查已保存')" 5
    expect_eq "the record names the team that inspected, and the draw ($L)" \
        "$(q "SELECT officer1 || ' ' || officer2 || ' ' || draw FROM inspections WHERE stall = '$FU' AND status = 'committed' ORDER BY ended_at DESC LIMIT 1")" \
        "$T1 $T2 $DRAW"
    # The cheating-scale check (鬼秤) of the next stall, the stall's scale
    # 30 g over the reference: its verdict's reason whole under it at
    # 40x15 (the live readings give up their rows).
    ctl reference 'load 470g'
    NEXT=$(q "SELECT stall FROM draw_stalls WHERE draw = '$DRAW' AND stall <> '$FU' ORDER BY seq LIMIT 1")
    keys 2; typetext "$NEXT"; keys Enter
    wait_for "^ $NEXT" 5
    keys 4
    _n=0
    while [ $_n -lt 30 ] && ! screen | grep -qE "$(t 'Recorded 12 of 12' '已记录 12 / 12')"; do
        keys 1; _n=$((_n + 1))
    done
    keys 9
    check "the verdict ($L)" wait_for "$(t 'SUSPECT' '可疑')" 5
    whole "... and its reason whole, the reference scale named ($L)" "M001-REF"
    if screen | grep -q '~'; then fail "no line of the verdict cut ($L)" "$(screen | grep '~')"
    else ok "no line of the verdict cut ($L)"; fi
    # The reason in the screen's language (core/ghost.c's is English).
    if [ "$L" = zh_CN ]; then
        _en=$(english_left | sort -u | tr '\n' ' ')
        if [ -n "$_en" ]; then fail "the verdict's reason in Chinese ($L)" "$_en $(screen | tr '\n' '|')"
        else ok "the verdict's reason in Chinese ($L)"; fi
    fi
    keys F10
}

card en C.UTF-8
card zh_CN zh_CN.UTF-8
done_testing
