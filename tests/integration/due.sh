# stallcheck due: instruments due or overdue for verification, per market.
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
done_testing
