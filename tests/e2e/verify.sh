# A metrology user verifies simulated scales in the real TUI, driven in tmux,
# using only what the screen shows: the instrument picked by serial and by a
# scanned code, the expired weight set refused, every step's load and
# position read off the screen and put on the simulated scale (its control
# FIFO), captured when stable; interrupted by kill -9 and resumed; the
# verdict, and the certificate or notice checked with pdftotext.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

command -v tmux >/dev/null || { skip "verification in the TUI" "tmux not installed"; done_testing; exit 0; }
clock_at 2026-11-25T09:00:00Z
# Under SAN=1: fontconfig (through cairo's PDF fonts) keeps its caches to the
# end of the process (FcValueSave); LeakSanitizer calls that a leak.  Not ours.
printf 'leak:libfontconfig\n' >"$TMP/lsan.supp"
export LSAN_OPTIONS="suppressions=$TMP/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export STALLCHECK_CERT_DIR=$TMP/certs
DB=$TMP/v.db

"$SC" --db "$DB" import "$DATA/registry-example.csv" >/dev/null
# The issuing body a certificate names (the settings a bureau sets once).
sqlite3 "$DB" "INSERT INTO settings (key, value) VALUES ('issuing_body', '鼓楼区市场监督管理局计量检定所'),
    ('issuing_body.authorisation', '(闽)法计(2024)01002号'), ('issuing_body.phone', '0591-0000 0000')"
printf '1234\n' | "$SC" --db "$DB" officer add --badge 9000 --name 管理员 --role admin >/dev/null
printf '1234\n2468\n' | "$SC" --db "$DB" officer add --badge 3001 --name 周计量 --role metrology --as 9000 >/dev/null
SET="10kg,5kg*2,2kg*2,1kg,500g,200g*2,100g,50g,20g*2,10g"
printf '1234\n' | "$SC" --db "$DB" weights add W-OLD --class M1 --due 2026-06-30 \
    --certificate JZ-2025-011 --items "$SET" --as 9000 >/dev/null
printf '1234\n' | "$SC" --db "$DB" weights add W-2026 --class M1 --due 2027-03-31 \
    --certificate JZ-2026-007 --items "$SET" --as 9000 >/dev/null
check "weight sets registered" sh -c "'$SC' --db '$DB' weights list --as 9000 <<EOF | grep -c W- | grep -qx 2
1234
EOF"

# sim_start PROFILE: a simulated KERN scale with that profile; $PTY, $CTL.
SIMS=0
sim_start() {
    SIMS=$((SIMS + 1))
    CTL=$TMP/ctl$SIMS
    "$SC" sim kern --profile "$DATA/$1" --settle 80 --interval 40 --control "$CTL" \
        >"$TMP/sim$SIMS.out" 2>"$TMP/sim$SIMS.err" &
    echo $! >"$TMP/sim$SIMS.pid"
    at_exit "kill $! 2>/dev/null"
    for _i in $(seq 1 50); do [ -s "$TMP/sim$SIMS.out" ] && break; sleep 0.05; done
    PTY=$(head -n 1 "$TMP/sim$SIMS.out")
}
ctl() { printf '%s\n' "$1" >"$CTL"; }

# tui_up: the TUI on a fresh tmux socket (a server just killed may still be
# going away on the old one), signed in as the metrology officer.
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

# The live reading on the screen: "5001.5" when stable, "" otherwise.
stable_value() {
    screen | sed -nE 's/^ +(-?[0-9]+(\.[0-9]+)?) g( NET)? \[stable\].*/\1/p' | head -n 1
}
# wait_near VALUE TOL: until a stable reading within TOL g of VALUE.
wait_near() {
    sleep 0.2 # the simulator takes the line (it polls every 100 ms at most) and settles
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

# operate: takes every step the screen asks for, until the verdict screen
# (or until a step fails and the screen offers to end: then 2).  Stops
# after STOP_AT readings when set.
operate() {
    _segment=0 _normal=0 _guard=0
    while [ $_guard -lt 400 ]; do
        _guard=$((_guard + 1))
        _s=$(screen)
        printf '%s' "$_s" | grep -q "^ Verdict " && return 0
        if printf '%s' "$_s" | grep -q "A step failed: 2 ends"; then keys 2; continue; fi
        _title=$(printf '%s\n' "$_s" | head -n 1)
        _n=$(printf '%s' "$_title" | sed -nE 's/.*Step ([0-9]+)\/.*/\1/p')
        [ -n "$_n" ] || { sleep 0.1; continue; }
        if [ -n "${STOP_AT:-}" ] && [ "$_n" -gt "$STOP_AT" ]; then return 0; fi
        _test=$(printf '%s' "$_title" | sed -nE 's/.*Step [0-9]+\/[0-9]+  ([a-z-]+) ([0-9]+)\/.*/\1/p')
        _k=$(printf '%s' "$_title" | sed -nE 's/.*Step [0-9]+\/[0-9]+  [a-z-]+ ([0-9]+)\/.*/\1/p')
        _load=$(field "Total on the receptor")
        _seg=$(printf '%s' "$_s" | sed -nE 's/.*Position: segment ([0-9]).*/\1/p')
        _seg=${_seg:-0}
        # The tare stays on the scale until the tare test is over.
        if [ "$_test" != tare ] && [ "${_last:-}" = tare ]; then ctl tare-clear; fi
        _last=$_test
        if [ "$_seg" != "$_segment" ]; then ctl "position $_seg"; _segment=$_seg; fi
        case "$_test" in
        general|levelling)
            # The plate, the seals, the level: all in order here.
            keys 1
            _next=$((_n + 1))
            wait_for "Step $_next/|all steps done|^ Verdict " 5 || return 1
            continue
            ;;
        pre-load)
            ctl "load ${_load}g"; wait_near "$_load" 12 || return 1
            ctl "load 0g"; wait_near 0 3
            keys 1
            _next=$((_n + 1))
            wait_for "Step $_next/|all steps done|^ Verdict " 5 || return 1
            continue
            ;;
        price)
            # The weight captured, then the price to pay as the scale would
            # show it: weight x 12.34 yuan/kg to the fen, halves up.
            _next=$((_n + 1)) # before wait_for, which has an _n of its own
            ctl "load ${_load}g"; wait_near "$_load" 12 || return 1
            _w=$(stable_value)
            keys 1
            wait_for "price to pay \(yuan\):" 5 || return 1
            typetext "$(awk -v w="$_w" 'BEGIN{f=int(w*1234/1000+0.5); printf "%d.%02d", f/100, f%100}')"
            keys F2
            wait_for "Step $_next/|all steps done|^ Verdict " 5 || return 1
            continue
            ;;
        tare)
            _net=$(field "net shown")
            ctl "load ${_load}g"
            if [ "$_k" = 1 ]; then wait_near "$_load" 3; keys 6; fi
            wait_near "$_net" 10 || return 1
            ;;
        discrimination)
            if printf '%s' "$_s" | grep -q "Normal display" && [ $_normal = 0 ]; then
                ctl "mode normal"; _normal=1
            fi
            if [ $((_k % 2)) = 1 ]; then   # "place it with ten 0.1 d weights"
                _extra=5
                ctl "load $(awk -v l="$_load" 'BEGIN{print l+5}')g"
                wait_near "$(awk -v l="$_load" 'BEGIN{print l+5}')" 10 || return 1
            else
                # Off one by one until the indication drops to I - d, one
                # back, then 1.4 d gently.
                _I=$(printf '%s' "$_s" | sed -nE 's/.* I = (-?[0-9.]+) g \(recorded\).*/\1/p' | head -n 1)
                _target=$(awk -v i="$_I" 'BEGIN{print i-5}')
                while awk -v e="$_extra" 'BEGIN{exit !(e>0)}'; do
                    _extra=$(awk -v e="$_extra" 'BEGIN{print e-0.5}')
                    ctl "load $(awk -v l="$_load" -v e="$_extra" 'BEGIN{print l+e}')g"
                    wait_near "$_load" 10 || return 1
                    _v=$(stable_value)
                    [ -n "$_v" ] && awk -v v="$_v" -v t="$_target" 'BEGIN{exit !(v<=t)}' && break
                done
                _final=$(awk -v l="$_load" -v e="$_extra" 'BEGIN{print l+e+0.5+7}')
                ctl "load ${_final}g"
                wait_near "$_final" 5 || return 1
            fi
            ;;
        repeatability)
            # Off, back to zero, on again: each weighing a new placing.
            ctl "load 0g"; wait_near 0 3
            ctl "load ${_load}g"; wait_near "$_load" 10 || return 1
            ;;
        *)
            ctl "load ${_load}g"
            wait_near "$_load" 12 || return 1
            ;;
        esac
        keys 1
        _next=$((_n + 1))
        wait_for "Step $_next/|all steps done|^ Verdict |A step failed" 5 || return 1
    done
    return 1
}

# ---- a scale that passes ----
sim_start scale-pass.profile
tui_up
expect_screen "metrology staff land on the instrument list" "Instruments to verify"
expect_screen "an overdue scale is marked" "^!M01-001-S1 +III +2026-09-09 M01-001"
expect_screen "... and the mark said under the list" "^ ! overdue"
keys 2; typetext T2024001; keys Enter
expect_screen "found by its serial: the set-up" "Verify M01-001-S1"
expect_screen "the weight set in date is offered, its class and due date under it" \
    "^  1/2  R111 M1, due 2027-03-31"
keys Down
expect_screen "the expired weight set is shown as such" "^  2/2  R111 M1, due 2026-06-30  EXPIRED"
typetext 21.5; keys F3; typetext 48; keys F3; typetext 0.5; keys F2  # the cursor starts in the temperature
expect_screen "the expired set is refused" "weight set .W-OLD.: its calibration was valid until 2026-06-30"
keys Up; keys F2
expect_screen "with the set in date the procedure starts with the general check" "Step 1/56  general 1/4"
expect_screen "what to check, in words" "Appearance: undamaged"
STOP_AT=15
operate
unset STOP_AT
expect_screen "fifteen steps taken" "15 of 56 readings, 0 failed"
# The battery dies: kill -9, then the same officer picks the scale again.
kill -9 "$(tui_pid)"
sleep 0.2
tui_up
expect_screen "the list says it is unfinished" "^\*M01-001-S1 "
expect_screen "... the mark said under the list" "\* unfinished"
typetext M01-001-S1; keys Enter
expect_screen "picked again, it resumes where it stopped" "Step 16/56"
expect_screen "and says so" "Unfinished verification resumed \(15/56\)"
check "the whole procedure, step by step" operate
expect_screen "the verdict: pass" "PASS: verification certificate"
keys 1
expect_screen "a pass asks for the new verification mark" "Verification mark no."
typetext JD-2026-0731; keys F2
expect_screen "and the seal" "Seal no."
typetext FY-2026-0731; keys F2
expect_screen "saved, with the next due date" "Saved: JD20261125-[0-9A-F]{6}, next due 2027-11-24"
PDF=$(screen | sed -nE 's/^ PDF: (.*\.pdf).*/\1/p' | head -n 1)
check "the certificate PDF exists" test -s "$PDF"
if command -v pdftotext >/dev/null; then
    txt=$(pdftotext -layout "$PDF" - 2>/dev/null)
    expect_match "pdf: a verification certificate" "$txt" "检定证书"
    expect_match "pdf: the instrument" "$txt" "M01-001-S1"
    expect_match "pdf: the reference set with its class" "$txt" "OIML R111 M1"
    expect_match "pdf: and its own calibration" "$txt" "W-2026，证书 JZ-2026-007，有效期至 2027-03-31"
    expect_match "pdf: the issuing body" "$txt" "鼓楼区市场监督管理局计量检定所"
    expect_match "pdf: its authorisation" "$txt" "\(闽\)法计\(2024\)01002号"
    expect_match "pdf: the applicant" "$txt" "张建国"
    expect_match "pdf: the instrument's name" "$txt" "电子计价秤"
    expect_match "pdf: the regulation" "$txt" "JJG 539-2016"
    expect_match "pdf: the checker's line" "$txt" "核验员 Checked by"
    expect_match "pdf: the approver's line" "$txt" "批准人 Approved by"
    expect_match "pdf: page numbers" "$txt" "第 2 页 ?共 [0-9] 页"
    expect_match "pdf: the new mark and seal" "$txt" "JD-2026-0731；封印 FY-2026-0731"
    expect_match "pdf: humidity" "$txt" "48 %RH"
    expect_match "pdf: the general check" "$txt" "通用技术要求.* +appearance"
    expect_match "pdf: the price test" "$txt" "12.34 yuan/kg"
    expect_match "pdf: the verdict, in Chinese" "$txt" "检定结论 +Conclusion +Ⅲ级 合格"
    expect_match "pdf: valid until" "$txt" "2027-11-24"
    expect_match "pdf: a reading with its error and MPE" "$txt" "15000 +15002(\.5)? +\+[0-9.]+ +±7\.5 +合格"
    expect_match "pdf: the eccentricity steps" "$txt" "偏载 Eccentricity +centre"
    expect_match "pdf: the temperature" "$txt" "21.5 °C"
else
    skip "certificate text" "pdftotext not installed (poppler-utils)"
fi
keys 0
expect_screen "back to the list" "Instruments to verify"
expect_screen "the scale is no longer overdue" "M01-001-S1 +III +2027-11-24 M01-001 *$"
out=$("$SC" --db "$DB" due --json --as 9000 <<EOF
1234
EOF
)
expect_eq "due: the verified scale is no longer listed" "$(printf '%s\n' "$out" | grep -c '"M01-001-S1"')" 0
kill -9 "$(tui_pid)"

# ---- a scale that fails at Max ----
sim_start scale-fail-max.profile
tui_up
expect_screen "the list again" "Instruments to verify"
typetext M01-002-S1; keys Enter   # a scanned asset code
expect_screen "found by its code" "Verify M01-002-S1"
typetext 20; keys F3; typetext 55; keys F3; typetext 0.5; keys F2
expect_screen "started" "Step 1/56"
check "steps until the failure, then finish" operate
expect_screen "the verdict: fail" "FAIL: notice of failed verification"
expect_screen "it says why: the weighing test at Max" "Fails the weighing test: at 15000 g"
keys 1
expect_screen "saved as a notice, due at once" "Saved: TZ20261125-[0-9A-F]{6}, next due 2026-11-25"
PDF2=$(screen | sed -nE 's/^ PDF: (.*\.pdf).*/\1/p' | head -n 1)
check "the notice PDF exists" test -s "$PDF2"
if command -v pdftotext >/dev/null; then
    txt=$(pdftotext -layout "$PDF2" - 2>/dev/null)
    expect_match "pdf: a notice of failed verification" "$txt" "检定结果通知书"
    expect_match "pdf: fail, in Chinese" "$txt" "检定结论 +Conclusion +不合格"
    expect_match "pdf: the failing reading against its MPE" "$txt" "15000 +150(09\.5|10) +\+[0-9.]+ +±7\.5 +不合格"
else
    skip "notice text" "pdftotext not installed (poppler-utils)"
fi
keys F10

# ---- the papers from the command line ----
list=$(printf '2468\n' | "$SC" --db "$DB" certificate --list --json --as 3001)
expect_eq "two verifications committed" "$(printf '%s\n' "$list" | grep -c '"id"')" 2
id=$(printf '%s\n' "$list" | grep '"verdict":"pass"' | sed -E 's/.*"id":"([^"]+)".*/\1/')
out=$(printf '2468\n' | "$SC" --db "$DB" certificate "$id" --output "$TMP/reprint.pdf" --as 3001); rc=$?
expect_eq "certificate reprints" "$rc" 0
check "the reprint is a PDF" sh -c "head -c 5 '$TMP/reprint.pdf' | grep -q '%PDF-'"
out=$(printf '2468\n' | "$SC" --db "$DB" certificate "$id" --text --as 3001)
expect_match "as text too" "$out" "检定证书"
q() { sqlite3 "$DB" "$1"; }
expect_eq "every reading of the passing run kept with its frame (56 steps, 6 of them answers)" \
    "$(q "select count(*) from measurements where calibration = '$id' and raw is not null and length(raw) > 0")" 50
expect_eq "and each step that read the scale points at its reading" \
    "$(q "select count(*) from calibration_steps s join measurements m on m.id = s.measurement where s.calibration = '$id' and m.value_ug = s.indication_ug")" 50
check "the audit chain holds" "$SC" --db "$DB" verify
done_testing
