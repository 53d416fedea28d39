# Devices as the manuals describe them, as a user meets them: `decode` and
# `read` print overload, underload, error codes, replies and data blocks as
# such (text and --json), the simulator sends each variant over a real pty,
# and the driver table, --help and the man page name every option.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/sim.inc"

# -- decode: the manuals' lines, as text and JSON
out=$(printf 'OL,+9999999E+19\r\nOL,-9999999E+19\r\nEC,E11\r\nSN,6A7609446\r\nTN,   HR-100A\r\nPT,+000.0000  g\r\n' |
      "$SC" decode and-std)
expect_eq "decode A&D: overload, underload, E11, serial, model, tare" "$out" \
"overload: OL,+9999999E+19
underload: OL,-9999999E+19
reject EC: E11 stability error
info SN: serial number 6A7609446
info TN: model HR-100A
tare 000.0000 g"
out=$(printf 'OL,-9999999E+19\r\n' | "$SC" decode and-std --json)
expect_match "decode --json: underload, no value" "$out" '"value":null.*"status":"underload"'
# IND-style continuous frame, leading zeros as spaces; and a dummy zero
out=$(printf '\002,0   1234   000\r' | "$SC" decode mt-continuous:checksum=off)
expect_eq "decode mt-continuous: space padding" "$out" "12.34 kg stable (tare 0.00)"
out=$(printf '\002)0   1230     0\r' | "$SC" decode mt-continuous:checksum=off)
expect_eq "decode mt-continuous: XXXXX0 digits as sent" "$out" "1230 kg stable (tare 0)"
out=$(printf '\002,4   1502     0\r\002,6    102     0\r' | "$SC" decode mt-continuous:checksum=off --json)
expect_match "decode mt-continuous --json: overload" "$out" '"status":"overload"'
expect_match "decode mt-continuous --json: underload" "$out" '"status":"underload"'
out=$(printf '\002,4   1502     0\r' | "$SC" decode mt-continuous:checksum=off)
expect_eq "decode mt-continuous: overload as text" "$out" "overload: out of range"

# -- Modbus: a custom register's scale is never guessed
out=$("$SC" decode modbus-rtu:register=0x0121:fc=3:type=u16 </dev/null 2>&1); rc=$?
expect_eq "modbus: a register without decimals= is refused" "$rc" 1
expect_match "modbus: the error names the missing option" "$out" 'needs decimals=N'
out=$(echo "01 03 02 03 02 39 75" | "$SC" decode modbus-rtu:register=0x0121:fc=3:type=u16:decimals=0:unit=V --hex)
expect_eq "modbus: 770 with decimals=0" "$out" "770 V stable"
for w in register= fc= type= decimals= unit= slave= silence=; do
    expect_match "read --help names $w" "$("$SC" read --help)" "$w"
    expect_match "read --list names $w" "$("$SC" read --list)" "$w"
    expect_match "the man page names $w" "$(cat "$STALLCHECK_TOP/stallcheck.1")" "$w"
done

# -- the driver table names models an officer knows
list=$("$SC" read --list)
for m in 'mt-ind231 +Mettler Toledo +IND231' 'and-fx-i +A&D +FX-i' 'yaohua-xk3190-a23 +Shanghai Yaohua' \
         'kern-ew-6200-2nm +KERN' 'eastron-sdm630 +Eastron'; do
    expect_match "read --list: $m" "$list" "$m"
done
out=$(printf 'ST,+00123.45  g\r\n' | "$SC" decode and-fx-i)
expect_eq "a model row decodes with its protocol" "$out" "00123.45 g stable"

# -- the simulator sends each variant over a pty; read shows it
start_sim ado and-std --weight 7000g --max 6200g --settle 0 --control "$TMP/ado.ctl"
out=$(timeout 10 "$SC" read "and-std:conn=$PTY" --request immediate --samples 1); rc=$?
expect_eq "A&D overloaded: read exits 0" "$rc" 0
expect_eq "A&D overloaded: read says overload" "$out" "overload: OL,+9999999E+19"
out=$(timeout 10 "$SC" read "and-std:conn=$PTY" --request immediate --stable --samples 1 --json)
expect_match "A&D overloaded: --stable counts the overload, --json says it" "$out" '"status":"overload"'
# The pan lifted a kilogram below zero: more than Max/10 under, underload.
echo "load -1000g" >"$TMP/ado.ctl"; sleep 0.3
out=$(timeout 10 "$SC" read "and-std:conn=$PTY" --request immediate --samples 1)
expect_eq "A&D below zero: read says underload" "$out" "underload: OL,-9999999E+19"
out=$(timeout 10 "$SC" read "and-std:conn=$PTY" --request serial --samples 1)
expect_eq "A&D ?SN reply" "$out" "info SN: serial number SIM0000001"
out=$(timeout 10 "$SC" read "and-std:conn=$PTY" --request identify --samples 1)
expect_eq "A&D ?TN reply" "$out" "info TN: model SIM-A&D"
echo "error E11" >"$TMP/ado.ctl"; sleep 0.3
out=$(timeout 10 "$SC" read "and-std:conn=$PTY" --request immediate --samples 1 2>&1); rc=$?
expect_eq "A&D EC,E11: read fails" "$rc" 1
expect_match "A&D EC,E11: and says why" "$out" 'E11 stability error'
stop_sim

start_sim mtsp mt-continuous --weight 12.34g --interval 30
out=$(timeout 10 "$SC" read "mt-continuous:conn=$PTY" --samples 2 --json)
expect_match "sim mt-continuous pads with spaces" "$out" "\"raw\":\"02[0-9a-f]{6}202031323334"
expect_match "and read decodes them" "$out" '"value":"12.34","unit":"g"'
stop_sim
start_sim mt7 mt-continuous --weight 12.34g --interval 30 --parity-bit even
out=$(timeout 10 "$SC" read "mt-continuous:conn=$PTY:serialcomm=9600/8n1" --samples 2 --json)
expect_match "7E1 device read at 8N1: raw bytes carry parity bits" "$out" '"raw":"82'
expect_eq "7E1 device read at 8N1: decoded" "$(printf '%s\n' "$out" | grep -c '"value":"12.34"')" 2
stop_sim

start_sim dlt dlt645-2007:address=000000000161 --voltage 220.1 --phases 1 --frame-limit 12 --power-factor 0.93
out=$(timeout 10 "$SC" read "dlt645-2007:conn=$PTY:address=000000000161:quantity=voltages" --samples 1)
expect_eq "DL/T 645 voltage block of a single-phase meter" "$out" \
"220.1 V stable: meter 000000000161: phase A voltage
absent: meter 000000000161: phase B voltage (sent as FF)
absent: meter 000000000161: phase C voltage (sent as FF)"
out=$(timeout 10 "$SC" read "dlt645-2007:conn=$PTY:address=000000000161:quantity=energy-tariffs" --samples 1 --json)
expect_eq "DL/T 645 multi-frame reply: five items, joined" "$(printf '%s\n' "$out" | grep -c '"kind":"value"')" 5
expect_match "DL/T 645 multi-frame reply: the last frame is 92H" "$out" '"reply":"92"'
out=$(timeout 10 "$SC" read "dlt645-2007:conn=$PTY:address=000000000161:quantity=power-factor" --samples 1)
expect_eq "DL/T 645 power factor" "$out" "0.930 stable"
out=$(timeout 10 "$SC" read "dlt645-2007:conn=$PTY:address=000000000161:di=02040000" --samples 1)
expect_match "DL/T 645 reactive power by di=" "$out" '^[0-9.]+ kvar stable$'
stop_sim

# The demo's stall scale: Max 15 kg, e = d = 5 g, overload past Max + 9 e
# (R76 4.10); the control file makes it stand for another instrument.
start_sim st kern --weight 15045g --d 5g --max 15kg --settle 0 --interval 30 --control "$TMP/st.ctl"
out=$(timeout 10 "$SC" read "kern:conn=$PTY" --samples 1)
expect_eq "15 kg scale at Max + 9 e: a weight" "$out" "15045 g stable"
echo "load 15050g" >"$TMP/st.ctl"; sleep 0.3
out=$(timeout 10 "$SC" read "kern:conn=$PTY" --samples 1)
expect_eq "15 kg scale past Max + 9 e: KERN's o-Err" "$out" "error: data error (o-Err/u-Err)"
echo "instrument 30kg 10g" >"$TMP/st.ctl"; echo "load 20000g" >"$TMP/st.ctl"; sleep 0.3
out=$(timeout 10 "$SC" read "kern:conn=$PTY" --samples 1)
expect_eq "instrument 30kg 10g: the same sim weighs 20 kg" "$out" "20000 g stable"
stop_sim

start_sim yh yaohua --weight 1560 --unit kg --d 1kg --max 30000kg --interval 30
out=$(timeout 10 "$SC" read "yaohua-xk3190-a23:conn=$PTY:window=2:d=1" --samples 1 --stable)
expect_eq "Yaohua XK3190-A23 over a pty (stable by the window rule)" "$out" "1560 kg"
stop_sim

done_testing
