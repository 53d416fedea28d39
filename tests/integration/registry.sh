# stallcheck import and officer: the command line over a real database.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/reg.db

for c in import officer demo-data; do
    out=$("$SC" $c --help); rc=$?
    expect_eq "$c --help exits 0" "$rc" 0
    expect_match "$c --help shows usage" "$out" "^Usage: stallcheck $c"
done

out=$("$SC" --db "$DB" import "$DATA/registry-example.csv"); rc=$?
expect_eq "the example imports" "$rc" 0
expect_match "and says what it loaded" "$out" "2 markets, 5 operators, 6 stalls, 10 instruments"
expect_match "23 records written" "$out" "^23 records new or changed"
expect_eq "the database is private (0600)" "$(stat -c %a "$DB")" 600
out=$("$SC" --db "$DB" import --json "$DATA/registry-example.csv")
expect_match "a re-import changes nothing" "$out" '"changed":0'

{ head -n 3 "$DATA/registry-example.csv"; sed -n 4p "$DATA/registry-example.csv" | cut -c1-40 | tr -d '\n'; } >"$TMP/cut.csv"
before=$(sqlite3 "$DB" 'select count(*) from audit_log')
err=$("$SC" --db "$DB" import "$TMP/cut.csv" 2>&1 >/dev/null); rc=$?
expect_eq "a truncated file is refused" "$rc" 1
expect_match "naming its last line" "$err" "cut.csv:4: .*truncated"
expect_eq "and nothing changed" "$(sqlite3 "$DB" 'select count(*) from audit_log')" "$before"
err=$("$SC" --db "$DB" import "$TMP/none.csv" 2>&1); rc=$?
expect_eq "a missing file is an error" "$rc" 1
expect_match "that names it" "$err" "none.csv"
"$SC" --db "$DB" import 2>/dev/null; expect_eq "no file is a usage error" "$?" 2

printf '1234\n' | "$SC" --db "$DB" officer add --badge 1000 --name 某人 --role officer 2>/dev/null
expect_eq "the first officer must be an admin" "$?" 2
out=$(printf '1234\n' | "$SC" --db "$DB" officer add --badge 9000 --name 管理员 --role admin); rc=$?
expect_eq "the first admin needs no --as" "$rc" 0
printf '5678\n' | "$SC" --db "$DB" officer add --badge 1001 --name 李明 --role officer 2>/dev/null
expect_eq "later ones do" "$?" 1
out=$(printf '1234\n5678\n' | "$SC" --db "$DB" officer add --badge 1001 --name 李明 --role officer --as 9000); rc=$?
expect_eq "an admin adds an officer" "$rc" 0
printf '1234\n5678\n' | "$SC" --db "$DB" officer add --badge 1002 --name 王 --role manager --as 9000 2>/dev/null
expect_eq "a manager needs a market" "$?" 1
printf '1234\n5678\n' | "$SC" --db "$DB" officer add --badge 1002 --name 王芳 --role manager --market M01 --as 9000 >/dev/null
expect_eq "a manager with a market" "$?" 0
printf '5678\n1111\n' | "$SC" --db "$DB" officer add --badge 1003 --name x --role officer --as 1001 2>/dev/null
expect_eq "an officer cannot add officers" "$?" 1
printf '0000\n' | "$SC" --db "$DB" import --as 9000 "$DATA/registry-example.csv" >/dev/null 2>&1
expect_eq "with officers, import needs an admin's right PIN" "$?" 1
out=$(printf '1234\n' | "$SC" --db "$DB" import --as 9000 --json "$DATA/registry-example.csv"); rc=$?
expect_match "and works with it" "$rc:$out" '^0:.*"changed":0'
out=$(printf '5678\n' | "$SC" --db "$DB" import --as 1001 "$DATA/registry-example.csv" 2>&1); rc=$?
expect_match "an officer may not change the registry" "$rc:$out" "^1:.*may not"
out=$(printf '5678\n' | "$SC" --db "$DB" officer list --as 1001 2>&1); rc=$?
expect_match "an officer may not list the officers" "$rc:$out" "^1:.*may not manage officers"
out=$(printf '1234\n' | "$SC" --db "$DB" officer list --as 9000)
expect_match "list shows them" "$out" "1002 +manager +M01 +王芳"
out=$(printf '1234\n' | "$SC" --db "$DB" officer list --json --as 9000 | head -n 1)
expect_match "list --json" "$out" '^\{"badge":"1001","name":"李明","role":"officer","market":null'
expect_eq "no PIN in the database in clear" "$(sqlite3 "$DB" "select count(*) from officers where pin_hash like '\$argon2id\$%'")" 3
printf '5678\n4321\n' | "$SC" --db "$DB" officer passwd 1001 >/dev/null
expect_eq "passwd with the current PIN" "$?" 0
err=$(printf '5678\n4321\n' | "$SC" --db "$DB" officer passwd 1001 2>&1); rc=$?
expect_eq "the old PIN no longer works" "$rc" 1
expect_match "and says so" "$err" "wrong badge or PIN"

D=$TMP/demo.db
out=$("$SC" --db "$D" demo-data --stalls 40 --months 2 --seed 3 --today 2026-11-25 --json); rc=$?
expect_eq "demo-data runs" "$rc" 0
expect_match "and reports" "$out" '"markets":1,"stalls":40,'
out2=$("$SC" --db "$TMP/demo2.db" demo-data --stalls 40 --months 2 --seed 3 --today 2026-11-25 --json)
expect_eq "the same seed, the same district" "$(echo "$out2" | sed 's/,"seconds".*//')" "$(echo "$out" | sed 's/,"seconds".*//')"
# Record ids begin with their device's tag (13 characters): the rest is the seed's.
idq='select group_concat(x) from (select substr(id, 14) as x from inspections order by x)'
expect_eq "same inspections, row for row" "$(sqlite3 "$TMP/demo2.db" "$idq" | sha256sum)" "$(sqlite3 "$D" "$idq" | sha256sum)"
devq="SELECT value FROM settings WHERE key = 'device_id'"
if [ "$(sqlite3 "$D" "$devq")" != "$(sqlite3 "$TMP/demo2.db" "$devq")" ]; then ok "made by two devices: the device id is not the seed's"; else fail "made by two devices: the device id is not the seed's"; fi
"$SC" --db "$D" demo-data --stalls 40 2>/dev/null
expect_eq "not into a database that has a registry" "$?" 1
out=$(printf '1234\n4321\n' | "$SC" --db "$D" officer passwd 1001 2>&1)
expect_match "the demo officer's PIN is 1234" "$out" "PIN changed for 1001"
"$SC" --db "$D" demo-data --stalls 0 2>/dev/null
expect_eq "--stalls 0 is a usage error" "$?" 2
done_testing
