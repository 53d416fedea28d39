# Hostile use of the shipped binary: each check is an attack that must fail.
# The clock: no environment variable moves it, so a lock holds.
. "$(dirname "$0")/../lib.sh"
gen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_handheld) || { fail "build the fixture tool"; done_testing; exit 1; }
db=$TMP/h.db
"$gen" "$db" --inspections 40 --seed 5 >/dev/null || fail "fixture"
unset STALLCHECK_AS STALLCHECK_PIN STALLCHECK_NOW
# as BADGE PIN COMMAND...: the command signed in as BADGE, the PIN on stdin.
as() { _b=$1 _p=$2; shift 2; out=$(printf '%s\n' "$_p" | "$SC" --db "$db" "$@" --as "$_b" 2>&1); rc=$?; }
q() { sqlite3 "$db" "$1"; }

# -- The clock: no environment variable moves it.
for i in 1 2 3 4 5; do as O105 0000 draw --market M2 --stalls 1; done
expect_match "clock: five wrong PINs lock O105" "$rc:$out" "^1:.*locked"
out=$(printf '1234\n' | STALLCHECK_NOW=2099-01-01T00:00:00Z "$SC" --db "$db" draw --market M2 \
    --stalls 1 --as O105 2>&1); rc=$?
expect_match "clock: STALLCHECK_NOW=2099 does not lift the lock" "$rc:$out" "^1:.*locked"
for i in 1 2 3 4 5 6; do
    out=$(printf '0000\n' | STALLCHECK_NOW=zzzzzzzzzz "$SC" --db "$db" draw --market M3 --stalls 1 \
        --as O104 2>&1); rc=$?
done
expect_match "clock: STALLCHECK_NOW=zzzzzzzzzz does not stop the lock" "$rc:$out" "^1:.*locked"
out=$(printf '1234\n' | STALLCHECK_NOW=zzzzzzzzzz "$SC" --db "$db" draw --market M2 --stalls 1 \
    --as O101 2>&1)
expect_eq "clock: no time stored is other than a real UTC time" \
    "$(q "SELECT count(*) FROM audit_log WHERE at NOT GLOB '2[0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z'")" 0
if grep -q STALLCHECK_NOW "$SC"; then fail "clock: the shipped binary does not know STALLCHECK_NOW"
else ok "clock: the shipped binary does not know STALLCHECK_NOW"; fi

done_testing
