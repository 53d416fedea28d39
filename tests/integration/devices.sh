# The device link over real pseudo-terminals against `stallcheck sim`, for
# every driver: read, commands, garbled bytes, a wrong baud rate, the device
# pulled mid-read, reopening; libserialport through the test shim; the same
# KERN capture decoded by us and by sigrok-cli.
. "$(dirname "$0")/../lib.sh"

SHIM=${STALLCHECK_BUILD:-$STALLCHECK_TOP/build}/shim/sp_pty_shim.so
# Under ASan the shim is preloaded ahead of the sanitizer runtime.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"

. "$(dirname "$0")/sim.inc"

# -- every driver: sim + read, the value and unit as the sim shows them
for spec in "kern|123.45g|123.45 g" "mt-continuous|123.45g|123.45 g" "mt-sics|123.45g|123.45 g" \
            "and-std|123.45g|00123.45 g" "ascii:pattern=ff,snnnnnnnnuuu:stable=ST:unstable=US|123.45g|123.45 g"; do
    drv=${spec%%|*}; rest=${spec#*|}; w=${rest%%|*}; want=${rest#*|}
    name=${drv%%:*}; opts=${drv#"$name"}
    start_sim "$name" "$drv" --weight "$w" --interval 30
    out=$(timeout 10 "$SC" read "$name:conn=$PTY$opts" --samples 3 2>&1); rc=$?
    expect_eq "$name: read exits 0" "$rc" 0
    [ "$name" = mt-continuous ] && want="$want stable (tare 0.00)" || want="$want stable"
    expect_eq "$name: three stable readings of $want" "$(printf '%s\n' "$out" | sort -u)" "$want"
    stop_sim
done

start_sim sdm modbus-rtu --voltage 230.2 --energy 4521.07
out=$(timeout 10 "$SC" read "modbus-rtu:conn=$PTY" --samples 2 --json); rc=$?
expect_eq "modbus-rtu: read exits 0" "$rc" 0
expect_match "modbus-rtu: SDM voltage over FC 04" "$out" '"value":"230.2","unit":"V"'
out=$(timeout 10 "$SC" read "modbus-rtu:conn=$PTY:quantity=energy" --samples 1)
expect_eq "modbus-rtu: SDM energy" "$out" "4521.07 kWh stable"
stop_sim
start_sim int modbus-rtu:model=int-scaled --voltage 234.5
out=$(timeout 10 "$SC" read "modbus-rtu:conn=$PTY:model=int-scaled" --samples 1)
expect_eq "modbus-rtu: scaled FC 03 register" "$out" "234.5 V stable"
out=$(timeout 10 "$SC" read "modbus-rtu:conn=$PTY:register=0x0100:fc=3:type=u16:decimals=0" --samples 1 2>&1); rc=$?
expect_eq "modbus-rtu: an unknown register is refused" "$rc" 1
expect_match "modbus-rtu: the exception is shown" "$out" 'illegal data address'
stop_sim

start_sim dlt dlt645-2007:address=000000000161 --energy 123456.78 --voltage 220.1
out=$(timeout 10 "$SC" read "dlt645-2007:conn=$PTY:address=000000000161" --samples 1)
expect_eq "dlt645-2007: energy" "$out" "123456.78 kWh stable"
out=$(timeout 10 "$SC" read "dlt645-2007:conn=$PTY:address=000000000161:quantity=voltage-a" --samples 1)
expect_eq "dlt645-2007: phase A voltage" "$out" "220.1 V stable"
out=$(timeout 10 "$SC" read "dlt645-2007:conn=$PTY:quantity=voltage-a" --request identify --all --samples 1 --timeout 1000 2>&1)
expect_match "dlt645-2007: read address with the wildcard" "$out" 'info 93: address 000000000161'
out=$(timeout 10 "$SC" read "dlt645-2007:conn=$PTY:address=000000000999" --samples 1 --timeout 500 2>&1); rc=$?
expect_eq "dlt645-2007: another meter's address gets no answer" "$rc" 1
expect_match "dlt645-2007: a timeout, said so" "$out" 'no reading'
stop_sim

# -- MT-SICS commands: zero, tare, identify, serial, a stable wait
start_sim sics mt-sics --weight 50g --settle 1500 --control "$TMP/sics.ctl" --verbose
out=$(timeout 10 "$SC" read "mt-sics:conn=$PTY" --request tare --all --samples 1 --timeout 1000 2>&1)
expect_match "mt-sics: T takes the tare" "$out" '^tare 50\.00 g stable'
out=$(timeout 10 "$SC" read "mt-sics:conn=$PTY" --request stable --samples 1)
expect_eq "mt-sics: S after the tare: net zero" "$out" "0.00 g stable"
out=$(timeout 10 "$SC" read "mt-sics:conn=$PTY" --request serial --all --samples 1 --timeout 1000 2>&1)
expect_match "mt-sics: I4 gives the serial number" "$out" 'info I4: SIM0000001'
out=$(timeout 10 "$SC" read "mt-sics:conn=$PTY" --request identify --all --samples 1 --timeout 1000 2>&1)
expect_match "mt-sics: I2 gives the type" "$out" 'info I2: stallcheck-sim'
timeout 5 "$SC" read "mt-sics:conn=$PTY" --request tare-clear --all --samples 1 --timeout 500 >/dev/null 2>&1
# The load changes once the sim has read the control line (its log says
# so; a command waiting on the port is served before the control line in
# one turn of its loop), then SI comes while it settles: 2.5 s, within the
# 3 s an S waits for stability.
printf 'settle 2500\nload 200g\n' >"$TMP/sics.ctl"
_i=0
while ! grep -q 'sim: load 200g' "$TMP/sics.err" && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
out=$(timeout 10 "$SC" read "mt-sics:conn=$PTY" --request immediate --samples 1)
expect_match "mt-sics: SI right after a load change is dynamic" "$out" ' unstable$'
out=$(timeout 10 "$SC" read "mt-sics:conn=$PTY" --request stable --samples 1 --timeout 5000)
expect_eq "mt-sics: S waits until stable" "$out" "200.00 g stable"
stop_sim

# -- the control channel puts goods on the scale; stability window on a
#    stream without a stable flag
start_sim ctl kern --weight 0g --settle 0 --interval 20 --control "$TMP/kern.ctl"
echo "load 1250g" >"$TMP/kern.ctl"
sleep 0.3
out=$(timeout 10 "$SC" read "kern:conn=$PTY" --samples 1)
expect_eq "control: load 1250g shows on the scale" "$out" "1250.00 g stable"
stop_sim
start_sim win 'ascii:pattern=snnnnnnnnuu' --weight 10g --noise 3 --interval 20 --seed 7
out=$(timeout 10 "$SC" read "ascii:conn=$PTY:pattern=snnnnnnnnuu:end=crlf:window=3:d=0.06" --samples 5 --stable --json)
expect_eq "stability window: 5 stable readings" "$(printf '%s\n' "$out" | grep -c '"stable":true,"stable_reported":false')" 5
out=$(timeout 5 "$SC" read "ascii:conn=$PTY:pattern=snnnnnnnnuu:window=8:d=0" --samples 1 --stable --timeout 600 2>&1); rc=$?
expect_eq "stability window: noise of +-3 d does not agree within d=0 over 8" "$rc" 1
stop_sim

# -- split frames: pieces of 1-4 bytes, 3 ms apart, for a text and a binary protocol
for c in 1 4; do
    start_sim "chunk$c" kern --weight 31.5g --chunk $c --interval 50
    # (stderr may say a first partial frame was skipped: the read joined mid-frame)
    out=$(timeout 10 "$SC" read "kern:conn=$PTY" --samples 3 2>/dev/null)
    expect_eq "split frames ($c-byte pieces): kern" "$(printf '%s\n' "$out" | sort -u)" "31.50 g stable"
    stop_sim
done
# Modbus frames end at a silence: pieces 3 ms apart (and more when the
# machine is busy) need a longer one than 9600 baud's 4 ms (silence=MS).
start_sim chunkm modbus-rtu --voltage 229.9 --chunk 2
out=$(timeout 10 "$SC" read "modbus-rtu:conn=$PTY:silence=200" --samples 2 2>&1)
expect_eq "split frames (2-byte pieces): modbus-rtu" "$(printf '%s\n' "$out" | sort -u)" "229.9 V stable"
stop_sim

# -- garbled bytes: bad frames are reported, good ones still come
start_sim garble kern --weight 77.7g --garble 0.5 --interval 10 --seed 3
out=$(timeout 10 "$SC" read "kern:conn=$PTY" --samples 20 --all --json 2>&1); rc=$?
expect_eq "garble: read still gets 20 readings" "$rc" 0
expect_eq "garble: every value read is right" "$(printf '%s\n' "$out" | grep '"kind":"value"' | grep -vc '"value":"77.70"')" 0
expect_match "garble: the garbled frames are reported" "$out" '"kind":"bad".*"status":"error"'
stop_sim

# -- a wrong baud rate.  A pty carries bytes at any speed; the sim checks the
#    speed the client set and scrambles its bytes as a UART would.
start_sim baud kern --weight 5g --interval 20
out=$(timeout 10 "$SC" read "kern:conn=$PTY:serialcomm=9600/8n2" --samples 1 --timeout 800 2>&1); rc=$?
expect_eq "wrong baud: no reading" "$rc" 1
expect_match "wrong baud: says bytes came that did not parse" "$out" 'did not parse'
out=$(timeout 10 "$SC" read "kern:conn=$PTY:serialcomm=1200/8n2" --samples 1 2>/dev/null)
expect_eq "right baud: the reading" "$out" "5.00 g stable"
stop_sim
skip "parity and 7-bit settings over a pty" "a pty refuses them (EINVAL); the transport falls back to 8n1 (a 7E1 device read at 8N1 is in devices_manuals)"

# -- the device pulled mid-read: a clear error, no hang; then reopened
start_sim drop kern --weight 9g --interval 20 --drop-after 15
start=$(date +%s)
out=$(timeout 10 "$SC" read "kern:conn=$PTY" --continuous 2>&1); rc=$?
expect_eq "drop: read ends with exit 1" "$rc" 1
expect_match "drop: and says the device went away" "$out" 'stallcheck: read: .*went away'
expect_eq "drop: within a second or two" "$(( $(date +%s) - start <= 3 ))" 1
wait "$SIMPID" 2>/dev/null
start_sim back kern --weight 9g --interval 20 --drop-after 30 --return-after 300 --link "$TMP/scale"
out=$(timeout 10 "$SC" read "kern:conn=$TMP/scale" --samples 45 --reopen 2>"$TMP/back.err"); rc=$?
expect_eq "reopen: 45 readings across the drop" "$rc $(printf '%s\n' "$out" | grep -c '^9.00 g stable$')" "0 45"
expect_match "reopen: said so" "$(cat "$TMP/back.err")" 'reopened'
stop_sim
out=$(timeout 5 "$SC" read "kern:conn=$TMP/no-such-port" 2>&1); rc=$?
expect_eq "no such port: exit 1" "$rc" 1
expect_match "no such port: says so" "$out" 'no-such-port'

# -- libserialport (transport=serial) through the shim, 8n2 and 7e1
if [ -f "$SHIM" ]; then
    for spec in "kern|9.5g|9.50 g" "and-std|9.5g|00009.50 g"; do
        drv=${spec%%|*}; rest=${spec#*|}; w=${rest%%|*}; want=${rest#*|}
        start_sim "sp$drv" "$drv" --weight "$w" --interval 20
        out=$(LD_PRELOAD="$SHIM" timeout 10 "$SC" read "$drv:conn=$PTY:transport=serial" --samples 2 2>&1)
        expect_eq "libserialport: $drv" "$(printf '%s\n' "$out" | sort -u)" "$want stable"
        stop_sim
    done
    start_sim spx kern --weight 1g
    out=$(timeout 10 "$SC" read "kern:conn=$PTY:transport=serial" 2>&1); rc=$?
    expect_eq "libserialport without the shim cannot open a pty" "$rc" 1
    stop_sim
else
    skip "libserialport over a pty" "no shim at $SHIM (make check builds it)"
fi

# -- the same KERN capture decoded by us and by sigrok-cli (kern-ew-6200-2nm).
# libsigrok 0.5.2 quirks (protocols.md d), kept out of the comparison:
#  * a sign in P1 apart from the digits reads as 0: the sim puts it next to
#    the digits, as sigrok reads it;
#  * every second 14-byte frame is dropped: the sim sends 15-byte frames;
#  * no kg, and values outside 1..999 g are printed with an SI prefix
#    ("1.234500 kg", "0 mg"): the capture stays within 1..999 g.
if command -v sigrok-cli >/dev/null 2>&1 && [ -f "$SHIM" ]; then
    start_sim cap kern --weight 123.456g --d 0.001g --settle 200 --interval 20 --control "$TMP/cap.ctl"
    (timeout 3 cat "$PTY" >"$TMP/capture.bin") &
    catpid=$!
    sleep 0.3; echo "load 42.5g" >"$TMP/cap.ctl"
    sleep 0.5; echo "load -12.5g" >"$TMP/cap.ctl"
    sleep 0.5; echo "load 999.999g" >"$TMP/cap.ctl"
    sleep 0.5; echo "load 1.001g" >"$TMP/cap.ctl"
    wait $catpid
    stop_sim
    # Both sides as "VALUE g[ UNSTABLE]", values with 1 < |v| < 1000 g only.
    inrange() { awk '{ v = $1 + 0; if ($2 == "g" && (v > 1 || v < -1) && v < 1000 && v > -1000) print }'; }
    "$SC" decode kern --json <"$TMP/capture.bin" | grep '"kind":"value".*"status":"ok"' |
        sed 's/.*"value":"\([^"]*\)","unit":"\([^"]*\)","stable":\([a-z]*\).*/\1 \2 \3/;
             s/ true$//; s/ false$/ UNSTABLE/' | inrange >"$TMP/ours.txt"
    n=$(wc -l <"$TMP/ours.txt")
    expect_eq "capture: some frames, stable and not" "$(( n > 50 )) $(grep -c UNSTABLE "$TMP/ours.txt" | awk '{print ($1 > 0)}')" "1 1"
    start_sim rep kern --replay "$TMP/capture.bin" --interval 5
    LD_PRELOAD="$SHIM" timeout 30 sigrok-cli -d "kern-ew-6200-2nm:conn=$PTY" --samples $((n + 40)) 2>"$TMP/sigrok.err" |
        sed 's/^Mass: //' | grep -v '^inf ' | inrange | tail -n +3 | head -n "$n" >"$TMP/sigrok.txt"
    stop_sim
    m=$(wc -l <"$TMP/sigrok.txt")
    expect_eq "sigrok-cli read the replayed capture" "$(( m > n / 2 ))" 1
    # sigrok's lines must be a run of our cycle (it joined the loop anywhere)
    cat "$TMP/ours.txt" "$TMP/ours.txt" "$TMP/ours.txt" | tr '\n' '|' >"$TMP/cycle"
    run=$(tr '\n' '|' <"$TMP/sigrok.txt")
    if grep -qF -- "$run" "$TMP/cycle"; then ok "sigrok-cli and stallcheck decode kern agree on $m frames"
    else fail "sigrok-cli and stallcheck decode kern agree" "$(diff "$TMP/ours.txt" "$TMP/sigrok.txt" | head -n 5 | tr '\n' ' ')"; fi
    # Quirk 2 shown: a stream of 14-byte frames.  We read every frame;
    # libsigrok 0.5.2 reads every second one (it steps 15 bytes past a
    # 14-byte packet), so it is kept out of the comparison above.
    : >"$TMP/k14.bin"
    for v in 11.110 22.220 33.330 44.440 55.550 66.660; do printf '  %s G S\r\n' "$v" >>"$TMP/k14.bin"; done
    expect_eq "14-byte frames: we read all six" "$("$SC" decode kern <"$TMP/k14.bin" | wc -l)" 6
    start_sim k14 kern --replay "$TMP/k14.bin" --interval 10
    LD_PRELOAD="$SHIM" timeout 10 sigrok-cli -d "kern-ew-6200-2nm:conn=$PTY" --samples 10 2>/dev/null |
        tail -n +3 | sort -u >"$TMP/k14.sigrok"  # (the first lines span its scan and reopen)
    stop_sim
    expect_eq "14-byte frames: libsigrok 0.5.2 reads every second one" "$(wc -l <"$TMP/k14.sigrok")" 3
    # Quirk 1 shown: the manual's layout, the sign in P1 apart from the digits.
    printf -- '-  12.500 G U\r\n' >"$TMP/p1.bin"
    expect_eq "sign in P1: we read -12.500" "$("$SC" decode kern <"$TMP/p1.bin")" "-12.500 g unstable"
    start_sim p1 kern --replay "$TMP/p1.bin" --interval 10
    out=$(LD_PRELOAD="$SHIM" timeout 10 sigrok-cli -d "kern-ew-6200-2nm:conn=$PTY" --samples 3 2>/dev/null | sort -u)
    stop_sim
    expect_eq "sign in P1: libsigrok 0.5.2 reads 0" "$out" "Mass: 0 mg UNSTABLE"
else
    skip "sigrok-cli comparison" "sigrok-cli or the shim is missing"
fi

# -- decode: junk and a garbled frame give an error line each; decoding goes on
out=$(printf 'xx  123.450 G S\r\n  12x.450 G S\r\n  -1.500 G U\r\n' | "$SC" decode kern --json)
expect_eq "decode: four lines" "$(printf '%s\n' "$out" | wc -l)" 4
expect_match "decode: junk is one error line" "$(printf '%s\n' "$out" | sed -n 1p)" '"status":"error","net":false,"reason":"2 bytes skipped'
expect_match "decode: the frame after the junk" "$(printf '%s\n' "$out" | sed -n 2p)" '"value":"123.450","unit":"g","stable":true'
expect_match "decode: a garbled frame has a reason" "$(printf '%s\n' "$out" | sed -n 3p)" '"kind":"bad".*"reason":"kern: .*bad digits'
expect_match "decode: and decoding goes on" "$(printf '%s\n' "$out" | sed -n 4p)" '"value":"-1.500".*"stable":false'
out=$(echo "01 04 04 43 66 33 33 5A FA" | "$SC" decode modbus-rtu --hex --json)
expect_match "decode --hex: Modbus float" "$out" '"value":"230.2","unit":"V"'
"$SC" decode no-such-driver </dev/null >/dev/null 2>&1; rc=$?
expect_eq "decode: an unknown driver is an error" "$rc" 1
"$SC" decode >/dev/null 2>&1; rc=$?
expect_eq "decode: no driver is a usage error" "$rc" 2
out=$("$SC" decode --list)
expect_match "decode --list: the table" "$out" 'dlt645-2007 +2400/8e1'
for c in read decode sim; do
    out=$("$SC" $c --help); rc=$?
    expect_eq "$c --help exits 0" "$rc" 0
    expect_match "$c --help has a usage line" "$out" "^Usage: stallcheck $c"
done
done_testing
