# A metrology user calibrates (校准, EURAMET cg-18) a simulated scale in the
# real TUI, driven in tmux, using only what the screen shows: 3 on the
# instrument list, the set and the conditions, each reading's load and
# position read off the screen and put on the simulated scale, captured
# when stable; interrupted by kill -9 and resumed; the results with their
# expanded uncertainty, and the calibration certificate (校准证书) checked
# with pdftotext.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

command -v tmux >/dev/null || { skip "calibration in the TUI" "tmux not installed"; done_testing; exit 0; }
clock_at 2026-11-25T09:00:00Z
printf 'leak:libfontconfig\n' >"$TMP/lsan.supp"
export LSAN_OPTIONS="suppressions=$TMP/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export STALLCHECK_CERT_DIR=$TMP/certs
DB=$TMP/c.db

"$SC" --db "$DB" import "$DATA/registry-example.csv" >/dev/null
sqlite3 "$DB" "INSERT INTO settings (key, value) VALUES ('issuing_body', '鼓楼区市场监督管理局计量检定所'),
    ('issuing_body.authorisation', '(闽)法计(2024)01002号')"
printf '1234\n' | "$SC" --db "$DB" officer add --badge 9000 --name 管理员 --role admin >/dev/null
printf '1234\n2468\n' | "$SC" --db "$DB" officer add --badge 3001 --name 周计量 --role metrology --as 9000 >/dev/null
printf '1234\n' | "$SC" --db "$DB" weights add W-2026 --class M1 --due 2027-03-31 \
    --certificate JZ-2026-007 --items "10kg,5kg*2,2kg*2,1kg,500g,200g*2,100g,50g,20g*2,10g" \
    --as 9000 >/dev/null

CTL=$TMP/ctl
"$SC" sim kern --profile "$DATA/scale-pass.profile" --settle 80 --interval 40 --control "$CTL" \
    >"$TMP/sim.out" 2>"$TMP/sim.err" &
at_exit "kill $! 2>/dev/null"
for _i in $(seq 1 50); do [ -s "$TMP/sim.out" ] && break; sleep 0.05; done
PTY=$(head -n 1 "$TMP/sim.out")
ctl() { printf '%s\n' "$1" >"$CTL"; }

UPS=0
BASE_SOCK=$SOCK
tui_up() {
    tmx kill-server 2>/dev/null
    UPS=$((UPS + 1))
    SOCK=$BASE_SOCK-$UPS
    at_exit "tmux -L '$SOCK' kill-server 2>/dev/null"
    tui_start 100 32 "env STALLCHECK_CERT_DIR=$STALLCHECK_CERT_DIR" \
        "LANG=C.UTF-8 '$SC' --db '$DB' tui --lang en --stall-scale kern:conn=$PTY"
    wait_for "Enter" || true
    typetext 3001; keys Enter; typetext 2468; keys F2
}
stable_value() {
    screen | sed -nE 's/^ +(-?[0-9]+(\.[0-9]+)?) g( NET)? \[stable\].*/\1/p' | head -n 1
}
wait_near() {
    sleep 0.2
    for _i in $(seq 1 60); do
        _v=$(stable_value)
        if [ -n "$_v" ] && awk -v a="$_v" -v b="$1" -v t="$2" 'BEGIN{d=a-b; if(d<0)d=-d; exit !(d<=t)}'; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}
field() { screen | sed -nE "s/.*$1: ([-0-9.]+) g.*/\\1/p" | head -n 1; }

# operate: every reading the screen asks for, until the results (or until
# STOP_AT readings are taken).
operate() {
    _guard=0 _pos=0
    while [ $_guard -lt 200 ]; do
        _guard=$((_guard + 1))
        _s=$(screen)
        printf '%s' "$_s" | grep -q "^ Calibration results " && return 0
        _n=$(printf '%s\n' "$_s" | head -n 1 | sed -nE 's/.* Reading ([0-9]+)\/.*/\1/p')
        [ -n "$_n" ] || { sleep 0.1; continue; }
        if [ -n "${STOP_AT:-}" ] && [ "$_n" -gt "$STOP_AT" ]; then return 0; fi
        _load=$(field "Total on the receptor")
        _q=$(printf '%s' "$_s" | sed -nE 's/.*Position: quarter ([1-4]).*/\1/p')
        _q=${_q:-0}
        if [ "$_q" != "$_pos" ]; then ctl "position $_q"; _pos=$_q; fi
        # Off and back to zero between loads: each reading a new placing.
        ctl "load 0g"; wait_near 0 3
        ctl "load ${_load}g"; wait_near "$_load" 12 || return 1
        keys 1
        _next=$((_n + 1))
        wait_for "Reading $_next/|all readings taken|^ Calibration results " 5 || return 1
    done
    return 1
}

tui_up
expect_screen "the instrument list" "Instruments to verify"
keys 2; typetext T2024001; keys Escape; keys 3
expect_screen "3 calibrates the instrument picked" "Calibrate M01-001-S1"
expect_screen "by EURAMET cg-18" "EURAMET cg-18"
typetext 21.5; keys F3; typetext 48; keys F3; typetext 0.5; keys F2
expect_screen "the first reading" "Reading 1/[0-9]+ "
expect_screen "... of repeatability, on a row of its own" "^ repeatability 1/"
tmx resize-window -x 40 -y 15; sleep 0.3
expect_screen "at 40x15 the reading still says what to place" "Total on the receptor"
tmx resize-window -x 100 -y 32; sleep 0.3
STOP_AT=4
operate
unset STOP_AT
expect_screen "four readings taken" "4 of [0-9]+ readings"
kill -9 "$(tui_pid)"
sleep 0.2
tui_up
keys 2; typetext T2024001; keys Escape; keys 3
expect_screen "an unfinished calibration is offered" "An unfinished calibration waits"
keys F2
expect_screen "and resumes where it stopped" "Reading 5/"
check "every reading, to the results" operate
expect_screen "repeatability as a standard deviation" "Repeatability: s = [0-9.]+ g"
expect_screen "the errors with U at k = 2" "Load +Error +U \(k = 2\)"
expect_screen "at Max" "^ 15000 g +\+[0-9.]+ g +[0-9.]+ g"
screen >"${CAL_SCREEN_DUMP:-/dev/null}"
keys 1
expect_screen "saved" "Saved: JZ20261125-[0-9A-F]{6}"
tmx resize-window -x 40 -y 15; sleep 0.3
expect_screen "the results at 40x15" "Calibration results"
# What is copied down stays whole there: the number, the PDF's path (the
# table gives up rows first).
if screen | grep -q '~'; then fail "nothing of the saved results cut at 40x15" "$(screen | grep '~')"
else ok "nothing of the saved results cut at 40x15"; fi
expect_screen "... the number" "Saved: JZ20261125-[0-9A-F]{6}"
expect_screen "... the path, ending in .pdf" "\.pdf$"
tmx resize-window -x 100 -y 32; sleep 0.3
PDF=$(screen | sed -nE 's/^ PDF: (.*\.pdf).*/\1/p' | head -n 1)
check "the calibration certificate PDF exists" test -s "$PDF"
if command -v pdftotext >/dev/null; then
    txt=$(pdftotext -layout "$PDF" - 2>/dev/null)
    [ -z "${CAL_PDF_DUMP:-}" ] || cp "$PDF" "$CAL_PDF_DUMP"
    expect_match "pdf: a calibration certificate" "$txt" "校准证书"
    expect_match "pdf: not a verification" "$(printf '%s' "$txt" | grep -c '检定证书')" "^0$"
    expect_match "pdf: the method" "$txt" "EURAMET cg-18"
    expect_match "pdf: the issuing body" "$txt" "鼓楼区市场监督管理局计量检定所"
    expect_match "pdf: the conditions" "$txt" "21.5 °C"
    expect_match "pdf: humidity" "$txt" "48 %RH"
    expect_match "pdf: the coverage factor" "$txt" "k = 2"
    expect_match "pdf: the reference set" "$txt" "W-2026"
    expect_match "pdf: page numbers" "$txt" "第 1 页 ?共 [0-9] 页"
else
    skip "certificate text" "pdftotext not installed (poppler-utils)"
fi
keys 0
expect_screen "back to the list" "Instruments to verify"
out=$(printf '2468\n' | "$SC" --db "$DB" calibrate list --as 3001)
expect_match "the CLI lists it" "$out" "JZ20261125-"
check "the audit chain holds" "$SC" --db "$DB" verify
done_testing
