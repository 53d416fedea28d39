# fairscale: a complaint re-weighed at the market's fair scale, typed and read
# over a real pseudo-terminal pair (socat) from a KERN-protocol frame stream.
. "$(dirname "$0")/../lib.sh"

clock_at 2026-03-01T10:00:00Z
unset STALLCHECK_RULES
DB=$TMP/f.db
"$SC" --db "$DB" lists >/dev/null 2>&1
sqlite3 "$DB" <"$DATA/scores.sql" || fail "load tests/data/scores.sql"
# The deduction is an inspecting officer's (core/roles.h): 1001 (李明, PIN
# 1234 in tests/data/scores.sql) checks.

# Typed: 1 kg of 带鱼 at 30 元/kg found 950 g.  附表1 meat-egg-aquatic allows
# 5 g at 1 kg (core/reweigh): short; 50 g at 30 元/kg = 1.50 元, 缺一补二 = 3.00 元.
out=$(printf '1234\n' | "$SC" --db "$DB" fairscale --stall M01-003 --badge 1001 --stated 1kg \
    --measured 950g --goods 带鱼 --category meat-egg-aquatic --price 30元/kg); rc=$?
expect_eq "a short complaint exits 3" "$rc" 3
expect_match "ticket: title, Chinese first" "$out" '^公平秤复秤单 Fair-scale ticket'
expect_match "ticket: the market by its name" "$out" '市场 Market +[^ M]'
expect_match "ticket: stall" "$out" '摊位 Stall +M01-003  王记水产'
expect_match "ticket: the mass charged" "$out" '标称 Charged +1 kg'
expect_match "ticket: the mass re-weighed" "$out" '复秤 Re-weighed +950 g'
expect_match "ticket: shortfall and allowance" "$out" '短缺 Short +50 g（允许短缺 5 g）'
expect_match "ticket: the verdict in words" "$out" '判定 Verdict +短缺超出允许误差'
expect_match "ticket: owed under 缺一补二" "$out" '应补偿 Owed +3.00 元（缺一补二）'
# 10:00 UTC is 18:00 in Beijing: the customer reads the bureau's time.
expect_match "ticket: when, in the bureau's local time" "$out" '时间 Time +2026-03-01 18:00'
expect_match "ticket: who re-weighed" "$out" '复秤人 Re-weighed by +1001 李明'
expect_match "ticket: the stall's score after: 80 - 10" "$out" "摊位诚信分 The stall's score +70 分$"
expect_eq "ticket: no identifier in English on the Chinese ticket" \
    "$(printf '%s\n' "$out" | grep -cE 'meat-egg|list none|allowed|short$|x2')" 0
out=$(printf '1234\n' | "$SC" --db "$DB" score M01-003 --json --as 1001)
expect_match "the check counts against the stall's score" "$out" '"rule":"fairscale.short_deduction","points":10'
expect_eq "stored: one re-weigh at the fair scale" \
    "$(sqlite3 "$DB" "SELECT method || ' ' || verdict || ' ' || reference_instrument FROM reweighs WHERE goods = '带鱼'")" \
    "fair fail FAIR-1"
expect_eq "stall_status updated incrementally" \
    "$(sqlite3 "$DB" "SELECT score FROM stall_status WHERE stall = 'M01-003'")" 70

# The ticket on the receipt printer's bytes.
printf '1234\n' | "$SC" --db "$DB" fairscale --stall M01-003 --badge 1001 --stated 500g \
    --measured 480g --goods 带鱼 --category meat-egg-aquatic --price 30元/kg \
    --ticket "$TMP/t.bin" >/dev/null; rc=$?
expect_eq "ticket written (short: exit 3)" "$rc" 3
txt=$(iconv -c -f GB18030 -t UTF-8 <"$TMP/t.bin")
expect_match "receipt: stall" "$txt" '摊位 Stall: M01-003  王记水产'
expect_match "receipt: goods" "$txt" '商品 Goods: 带鱼'
expect_match "receipt: owed" "$txt" '应补偿 Owed: 1.20 元'

# 缺一赔十 from a rules file.
printf '[fairscale]\ncompensation_multiple = 10\n' >"$TMP/ten.ini"
out=$(printf '1234\n' | "$SC" --db "$DB" fairscale --stall M01-003 --badge 1001 --stated 1kg \
    --measured 950g --category meat-egg-aquatic --price 30元/kg --rules "$TMP/ten.ini" --json)
expect_match "--rules: 缺一赔十 owes 15.00 元" "$out" '"multiple":10,"owed_fen":1500'

# Within the allowance: exit 0, nothing owed.
out=$(printf '1234\n' | "$SC" --db "$DB" fairscale --stall M01-001 --badge 1001 --stated 1kg \
    --measured 998g --category grain-veg-fruit --price 4元/kg --json); rc=$?
expect_eq "a complaint within the allowance exits 0" "$rc" 0
expect_match "pass, nothing owed" "$out" '"verdict":"pass".*"owed_fen":0'

# A wrong PIN records nothing.
n=$(sqlite3 "$DB" "SELECT count(*) FROM reweighs")
printf '0000\n' | "$SC" --db "$DB" fairscale --stall M01-001 --badge 1001 --stated 1kg \
    --measured 900g --category grain-veg-fruit >/dev/null 2>&1; rc=$?
expect_eq "a wrong PIN is an error" "$rc" 1
expect_eq "and records nothing" "$(sqlite3 "$DB" "SELECT count(*) FROM reweighs")" "$n"
"$SC" --db "$DB" fairscale --stall M01-001 --stated 1kg >/dev/null 2>&1; rc=$?
expect_eq "no --badge is a usage error" "$rc" 2

# Read over the serial link: a KERN scale on a pty streams 950.000 g stable.
if command -v socat >/dev/null; then
    socat pty,link="$TMP/scale",raw,echo=0 pty,link="$TMP/feed",raw,echo=0 2>/dev/null &
    spid=$!
    at_exit "kill $spid"
    for i in 1 2 3 4 5 6 7 8 9 10; do [ -e "$TMP/feed" ] && break; sleep 0.1; done
    (for i in $(seq 1 50); do printf '  950.000 G S\r\n'; sleep 0.1; done >"$TMP/feed") 2>/dev/null &
    wpid=$!
    at_exit "kill $wpid"
    out=$(printf '1234\n' | "$SC" --db "$DB" fairscale --stall M01-001 --badge 1001 --stated 1kg \
        --conn "kern:conn=$TMP/scale" --goods 青菜 --price 4元/kg --json); rc=$?
    expect_eq "read from the link: short, exit 3" "$rc" 3
    expect_match "the reading came over the link" "$out" '"measured_ug":950000000.*"read":true'
    expect_match "grain-veg-fruit 1 kg allows 20 g; 4 元/kg x 50 g x 2 = 0.40 元" "$out" \
        '"allowed_ug":20000000,"price_fen_per_kg":400,"money_short_fen":20,"multiple":2,"owed_fen":40'
    expect_eq "the raw frame is kept as evidence" \
        "$(sqlite3 "$DB" "SELECT hex(raw) FROM measurements m JOIN reweighs r ON r.measurement = m.id WHERE r.goods = '青菜'")" \
        "20203935302E303030204720530D0A"
else
    skip "fair scale over a link" "socat not installed"
fi
done_testing
