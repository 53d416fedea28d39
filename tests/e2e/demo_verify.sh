# `stallcheck demo` for metrology staff: the demo's one simulated stall
# scale (Max 15 kg, e = 5 g) stands for whichever instrument is picked for
# verification, so a 3 kg scale reads in 1 g steps and a 6 kg scale in 2 g
# steps, overloaded above its own Max.  Driven in tmux at 40x15 as a
# newcomer would.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

command -v tmux >/dev/null || { skip "demo verification" "tmux not installed"; done_testing; exit 0; }

clock_at 2026-03-02T01:00:00Z
DB=$TMP/demo.db
"$SC" --db "$DB" demo-data --stalls 60 --months 2 --seed 7 >"$TMP/demo-data.out" 2>&1 ||
    { skip "demo verification" "demo-data: $(head -c 200 "$TMP/demo-data.out")"; done_testing; exit 0; }
mkdir -p "$TMP/run" "$TMP/certs"
# The instruments of demo-data's seed 7 to verify: a 3 kg and a 6 kg scale.
max_of() { sqlite3 "$DB" "SELECT printf('%d %d', max_ug / 1000000, e_ug / 1000000) FROM instruments WHERE code = '$1'"; }
expect_eq "M001-003-S1 is a 3 kg scale, e = 1 g" "$(max_of M001-003-S1)" "3000 1"
expect_eq "M001-004-S1 is a 6 kg scale, e = 2 g" "$(max_of M001-004-S1)" "6000 2"

# ctl COMMAND: to the running demo's simulated stall scale.
ctl() {
    _f=$(ls -td "$TMP"/run/stallcheck-demo.* | head -n 1)/stall.ctl
    timeout 5 sh -c 'printf "%s\n" "$1" >"$2"' sh "$1" "$_f"
}

# verify_step CODE MAX: the demo up, the metrology officer in, CODE typed on
# the list, set up, at the first step (the scale's live reading below).
verify_step() {
    tmx kill-server 2>/dev/null
    tui_start 40 15 "env TZ=Asia/Shanghai TMPDIR=$TMP/run STALLCHECK_CERT_DIR=$TMP/certs" \
        "LANG=C.UTF-8 $SC --db $DB demo --lang en"
    wait_for 'Enter' 10
    typetext 2001; keys Enter; typetext 1234; keys Enter
    wait_for 'Instruments to verify' 5
    keys 2; typetext "$1"; keys Enter
    check "$1 set up (Max $2 g)" wait_for "Max $2 g" 5
    typetext 20; keys F3; typetext 55; keys Enter
    check "$1: the first step" wait_for 'Step 1/' 5
}

verify_step M001-003-S1 3000
ctl 'load 501g'
check "the 3 kg scale reads 501 g (e = 1 g; the demo's 15 kg scale shows 500 or 505)" \
    wait_for '^ +501 g \[stable\]' 6
keys F10

verify_step M001-004-S1 6000
ctl 'load 5998g'
check "the 6 kg scale reads 5998 g (e = 2 g; the demo's 15 kg scale shows 5995 or 6000)" \
    wait_for '^ +5998 g \[stable\]' 6
ctl 'load 7kg'
check "7 kg is past the 6 kg scale's Max + 9 e: no weight (the 15 kg scale shows 7000 g)" \
    wait_for 'NO WEIGHT|OVERLOAD' 6
keys F10

# The set-up of a 150 kg scale (e = 50 g) at 40x15: the plate's fields
# close up to fit ("e = 50 g" whole), and no row of the set-up is cut.
BIG=$(sqlite3 "$DB" "SELECT code FROM instruments WHERE e_ug = 50000000 AND active = 1 ORDER BY code LIMIT 1")
for L in en zh_CN; do
    tmx kill-server 2>/dev/null
    LOC=C.UTF-8; [ "$L" = zh_CN ] && LOC=zh_CN.UTF-8
    tui_start 40 15 "env TZ=Asia/Shanghai TMPDIR=$TMP/run STALLCHECK_CERT_DIR=$TMP/certs" \
        "LANG=$LOC $SC --db $DB demo --lang $L"
    wait_for 'Enter' 10
    typetext 2001; keys Enter; typetext 1234; keys Enter
    wait_for '2001' 5
    keys 2; typetext "$BIG"; keys Enter
    check "$BIG set up ($L): the plate whole" wait_for '^ III Max 150000 g Min 1000 g e = 50 g$' 5
    check "$BIG ($L): the weight set's class and due date" wait_for '^  1/1  R111 F2' 3
    if screen | grep -q '~'; then
        fail "$BIG ($L): no row cut" "$(screen | grep '~')"
    else ok "$BIG ($L): no row cut"; fi
    keys F10
done
done_testing
