# stallcheck due, weights and certificate: the command line of verification.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/due.db
"$SC" --db "$DB" import "$DATA/registry-example.csv" >/dev/null
check "the registry imports" test $? -eq 0

out=$("$SC" due --help); rc=$?
expect_eq "due --help exits 0" "$rc" 0
expect_match "due --help shows usage" "$out" "^Usage: stallcheck due"

# On 2025-11-25: M01-002-S1 (due 2025-07-31) is overdue; nothing else within 0 days.
out=$("$SC" --db "$DB" due --date 2025-11-25 --json); rc=$?
expect_eq "due --json exits 0" "$rc" 0
expect_eq "one instrument overdue on 2025-11-25" "$(printf '%s\n' "$out" | grep -c .)" 1
expect_match "it is M01-002-S1, overdue" "$out" \
    '^\{"instrument":"M01-002-S1","market":"M01",.*"due":"2025-07-31","days":-117,"overdue":true\}$'

# Within 300 days: the M02 scales due 2026-06-14 are listed, not overdue.
out=$("$SC" --db "$DB" due --date 2025-11-25 --within 300d --json --market M02)
expect_match "M02's price scale due within 300 days" "$out" '"instrument":"M02-001-S1".*"due":"2026-06-14","days":201,"overdue":false'
expect_eq "--market M02 lists only M02" "$(printf '%s\n' "$out" | grep -vc '"market":"M02"')" 0

out=$("$SC" --db "$DB" due --date 2026-09-10 --csv)
expect_match "csv header" "$out" "^instrument,market,stall,kind,serial,last_verified,due,days,overdue"
expect_match "csv row for an overdue scale" "$out" "M01-001-S1,M01,M01-001,price-computing,T2024001,2025-09-10,2026-09-09,-1,true"

out=$("$SC" --db "$DB" due --date 2025-11-25)
expect_match "text: grouped by market" "$out" "^M01"
expect_match "text: says how overdue" "$out" "M01-002-S1 .*OVERDUE 117 d"

"$SC" --db "$DB" due --within soon 2>/dev/null
expect_eq "a bad --within is a usage error" "$?" 2
err=$("$SC" --db "$DB" due --market NOPE 2>&1); rc=$?
expect_eq "an unknown market is an error" "$rc" 1
expect_match "naming it" "$err" "NOPE"

# weights: the reference sets; a registry change once officers exist
printf '1234\n' | "$SC" --db "$DB" officer add --badge 9000 --name 管理员 --role admin >/dev/null
printf '1234\n2468\n' | "$SC" --db "$DB" officer add --badge 3001 --name 周计量 --role metrology --as 9000 >/dev/null
plain=$SC
with_pin 1234
"$SC" --db "$DB" weights add W-1 --class Q9 --due 2027-01-01 --items 1kg --as 9000 2>/dev/null
expect_eq "an unknown R111 class is a usage error" "$?" 2
err=$("$SC" --db "$DB" weights add W-1 --class M1 --due 2027-01-01 --items 1kg,two --as 9000 2>&1); rc=$?
expect_eq "a bad weight is a usage error" "$rc" 2
expect_match "naming it" "$err" "'two': want a mass with its unit"
"$SC" --db "$DB" weights add W-1 --class M1 --due 2027-02-30 --items 1kg --as 9000 2>/dev/null
expect_eq "a bad date is a usage error" "$?" 2
printf '2468\n' | "$plain" --db "$DB" weights add W-1 --class M1 --due 2027-01-01 --items 1kg --as 3001 2>/dev/null
expect_eq "metrology staff do not change the registry" "$?" 1
out=$("$SC" --db "$DB" weights add W-1 --class M1 --due 2027-01-01 --items "500g,1kg*2,500g" --as 9000); rc=$?
expect_eq "an admin adds a set" "$rc" 0
out=$("$SC" --db "$DB" weights list --json --as 9000)
expect_match "listed with its weights in order" "$out" '"code":"W-1","class":"M1",.*"calibration_due":"2027-01-01","items":"500g\*2,1kg\*2"'
expect_eq "audited" "$(sqlite3 "$DB" "select count(*) from audit_log where kind='weight_set' and record='W-1'")" 1

# certificate: nothing committed yet
out=$("$SC" --db "$DB" certificate --list --as 9000); rc=$?
expect_eq "certificate --list with none" "$rc" 0
err=$("$SC" --db "$DB" certificate NOPE --as 9000 2>&1); rc=$?
expect_eq "an unknown certificate is an error" "$rc" 1
expect_match "saying so" "$err" "NOPE: no such verification"
"$SC" --db "$DB" certificate --as 9000 2>/dev/null
expect_eq "no id is a usage error" "$?" 2
done_testing
