# stallcheck verify: the audit chain names the first record altered,
# deleted or inserted behind stallcheck's back (with the sqlite3 shell).
. "$(dirname "$0")/../lib.sh"
gen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_handheld) || { fail "build the fixture tool"; done_testing; exit 1; }
base=$TMP/base.db
"$gen" "$base" --inspections 30 --seed 7 >/dev/null || fail "fixture"

fresh() { cp "$base" "$TMP/t.db"; echo "$TMP/t.db"; }
sq() { sqlite3 "$TMP/t.db" "$1"; }
verify_out() { out=$("$SC" --db "$TMP/t.db" verify 2>&1); rc=$?; }

db=$(fresh)
verify_out
expect_eq "an untouched database verifies" "$rc" 0
expect_match "and says how much it checked" "$out" 'whole: [0-9]+ entries, [0-9]+ records checked'

# A finding of a committed inspection changed: that inspection is named.
db=$(fresh)
id=$(sq "SELECT record FROM audit_log WHERE kind = 'inspection' ORDER BY seq LIMIT 1 OFFSET 4")
seq=$(sq "SELECT seq FROM audit_log WHERE record = '$id'")
sq "UPDATE findings SET answer = CASE answer WHEN 'pass' THEN 'fail' ELSE 'pass' END WHERE inspection = '$id' AND item = 'price-tags'"
verify_out
expect_eq "an altered finding breaks the chain (exit 3)" "$rc" 3
expect_match "verify names the inspection altered" "$out" "inspection $id was altered after audit entry $seq"

# Two records altered: the first in the chain is named.
db=$(fresh)
id1=$(sq "SELECT record FROM audit_log WHERE kind = 'inspection' ORDER BY seq LIMIT 1 OFFSET 2")
id2=$(sq "SELECT record FROM audit_log WHERE kind = 'inspection' ORDER BY seq LIMIT 1 OFFSET 9")
sq "UPDATE reweighs SET measured_ug = measured_ug + 1 WHERE inspection IN ('$id1', '$id2')"
sq "UPDATE inspections SET note = 'edited' WHERE id IN ('$id1', '$id2')"
verify_out
expect_match "of two altered, the first is named" "$out" "inspection $id1 was altered"

# A raw measurement frame changed (the evidence).
db=$(fresh)
mid=$(sq "SELECT inspection FROM measurements WHERE inspection IS NOT NULL LIMIT 1")
sq "UPDATE measurements SET raw = X'53542C2B3030312E3330306B670D0A' WHERE inspection = '$mid'"
verify_out
expect_match "a changed raw frame names its inspection" "$out" "inspection $mid was altered"

# An inspection deleted with its rows.
db=$(fresh)
id=$(sq "SELECT record FROM audit_log WHERE kind = 'inspection' ORDER BY seq LIMIT 1 OFFSET 7")
sq "PRAGMA foreign_keys = ON; DELETE FROM reweighs WHERE inspection = '$id'; DELETE FROM measurements WHERE inspection = '$id'; DELETE FROM findings WHERE inspection = '$id'; DELETE FROM inspections WHERE id = '$id'"
verify_out
expect_eq "a deleted inspection breaks the chain" "$rc" 3
expect_match "verify names the inspection deleted" "$out" "inspection $id was deleted"

# An inspection inserted as committed, with no audit entry.
db=$(fresh)
src=$(sq "SELECT id FROM inspections LIMIT 1")
sq "INSERT INTO inspections (id, stall, market, officer1, officer2, draw, started_at, ended_at, status, device, place, note, updated_at) SELECT 'ffffffff-0000-4000-8000-000000000001', stall, market, officer1, officer2, draw, started_at, ended_at, status, device, place, note, updated_at FROM inspections WHERE id = '$src'"
verify_out
expect_match "an inserted inspection is named" "$out" "inspection ffffffff-0000-4000-8000-000000000001 was inserted: no audit entry"
# ... but a draft is not a record yet.
db=$(fresh)
sq "INSERT INTO inspections (id, stall, market, officer1, started_at, status, updated_at) VALUES ('ffffffff-0000-4000-8000-000000000002', 'M1-001', 'M1', 'O101', '2026-11-01T09:00:00Z', 'draft', '2026-11-01T09:00:00Z')"
verify_out
expect_eq "a draft is not a fault" "$rc" 0

# The registry is audited too.
db=$(fresh)
sq "UPDATE stalls SET name = '改过的' WHERE code = 'M2-005'"
verify_out
expect_match "an altered stall is named" "$out" "stall M2-005 was altered"
db=$(fresh)
sq "UPDATE officers SET role = 'admin' WHERE badge = 'O104'"
verify_out
expect_match "an officer made admin behind our back is named" "$out" "officer O104 was altered"

# The log itself: an entry deleted, altered, inserted.
db=$(fresh)
sq "DELETE FROM audit_log WHERE seq = 50"
verify_out
expect_match "a deleted entry is named" "$out" "audit entry 50 was deleted"
db=$(fresh)
sq "UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE seq = 42"
verify_out
expect_match "an altered entry is named" "$out" "audit entry 42 \(.*\) was altered"
# A forged entry at the end whose own hash is right but which links to
# nothing: inserted.
db=$(fresh)
last=$(sq "SELECT max(seq) FROM audit_log")
n=$((last + 1))
dev=$(sq "SELECT device FROM audit_log LIMIT 1")
ch=$(sq "SELECT content_hash FROM audit_log WHERE seq = $last")
rec=$(sq "SELECT record FROM audit_log WHERE seq = $last")
kind=$(sq "SELECT kind FROM audit_log WHERE seq = $last")
zero=0000000000000000000000000000000000000000000000000000000000000000
h=$(printf '%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n' "$n" ffffffff-0000-4000-8000-000000000001 2026-11-02T00:00:00Z "$dev" "$kind" "$rec" "$ch" "$zero" | sha256sum | cut -c1-64)
sq "INSERT INTO audit_log VALUES ($n, 'ffffffff-0000-4000-8000-000000000001', '2026-11-02T00:00:00Z', '$dev', '$kind', '$rec', '$ch', '$zero', '$h', NULL)"
verify_out
expect_match "a forged entry is named as inserted" "$out" "audit entry $n \($kind $rec\) was inserted or replaced"

out=$("$SC" --db "$TMP/t.db" verify --json 2>/dev/null)
expect_match "--json says which fault" "$out" '"ok":false.*"fault":"entry-inserted","seq":'"$n"
out=$("$SC" verify --help)
expect_match "--help explains the exit status" "$out" "3 it is broken"
done_testing
