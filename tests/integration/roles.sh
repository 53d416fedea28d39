# Roles per role (core/roles.h through cli/acting.h): what each may do, a
# manager's own market only, and the sign-in lockout.
. "$(dirname "$0")/../lib.sh"
gen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_handheld) || { fail "build the fixture tool"; done_testing; exit 1; }
db=$TMP/h.db
"$gen" "$db" --inspections 40 --seed 5 >/dev/null || fail "fixture"
# run BADGE COMMAND...: signed in as BADGE (--as, the PIN 1234 on stdin).
run() { who=$1; shift; out=$(printf '1234\n' | "$SC" --db "$db" "$@" --as "$who" 2>&1); rc=$?; }

# manager (G301, market M1): reads M1's lists and scorecards, nothing else.
run G301 lists --all --json
expect_eq "a manager reads the lists" "$rc" 0
expect_eq "of their own market only (20 stalls of M1)" "$(printf '%s\n' "$out" | grep -c '"market":"M1"')" 20
expect_eq "and no other market's" "$(printf '%s\n' "$out" | grep -c '"market":"M[23]"')" 0
run G301 lists --market M2
expect_match "a manager may not read another market's list" "$rc:$out" "^1:.*a manager of market M1 may not read market M2"
run G301 score M2-003
expect_match "nor another market's stall score" "$rc:$out" "^1:.*may not read market M2"
run G301 score M1-003 --json
expect_eq "but reads their own stall's score" "$rc" 0
run G301 scorecard --market M3
expect_match "nor another market's scorecard" "$rc:$out" "^1:.*may not read market M3"
run G301 scorecard --stall M1-004
expect_eq "but prints their own stall's scorecard" "$rc" 0
run G301 followup --market M2
expect_match "nor another market's follow-ups" "$rc:$out" "^1:.*may not read market M2"
run G301 draw --market M1
expect_match "a manager does not draw" "$rc:$out" "^1:.*the manager role may not make the random draw"
# The fair scale (公平秤) is the market's desk: its manager records checks
# against their own market's stalls, and only theirs.
run G301 fairscale --stall M1-002 --stated 1kg --measured 950g --category meat-egg-aquatic --json
expect_match "a manager records a fair-scale check at their own market" "$rc:$out" '^3:.*"stall":"M1-002"'
expect_eq "recorded, named by the manager's badge" \
    "$(sqlite3 "$db" "SELECT count(*) FROM inspections WHERE stall = 'M1-002' AND officer1 = 'G301'")" 1
run G301 fairscale --stall M2-002 --stated 1kg --measured 950g --category meat-egg-aquatic
expect_match "but not against another market's stall" "$rc:$out" "^1:.*may not record fair-scale checks in market M2"

# officer: inspects, draws, reads every market.
run O101 lists --market M2 --json
expect_eq "an officer reads any market's list" "$rc" 0
run O101 draw --market M2 --stalls 2
expect_eq "an officer draws" "$rc" 0
run O101 officer add --badge X9 --name x --role officer
expect_match "an officer does not manage officers" "$rc" "^[12]$"

# metrology: reads; does not draw.
run K201 lists --market M3 --json
expect_eq "metrology staff read the lists" "$rc" 0
run K201 draw --market M3
expect_match "metrology staff do not draw" "$rc:$out" "^1:.*the metrology role may not"

# admin: reads everything, draws.
run A001 lists --all --json
expect_eq "an admin reads every list" "$(printf '%s\n' "$out" | grep -c '"market"')" 60
run A001 draw --market M3 --stalls 1
expect_eq "an admin draws" "$rc" 0

# Sign-in lockout: five wrong PINs lock the badge, the right one then fails.
for i in 1 2 3 4; do printf '0000\n' | "$SC" --db "$db" lists --as G301 >/dev/null 2>&1; done
out=$(printf '0000\n' | "$SC" --db "$db" lists --as G301 2>&1); rc=$?
expect_match "the fifth wrong PIN locks the badge" "$rc:$out" "^1:.*wrong badge or PIN; badge G301 is locked until"
run G301 lists
expect_match "the right PIN is refused while locked" "$rc:$out" "^1:.*badge G301 is locked after 5 wrong PINs"
# The clock moved past the lock: signed in again.
out=$(clock_at 2099-01-01T00:00:00Z; printf '1234\n' | "$SC" --db "$db" lists --json --as G301 2>&1); rc=$?
expect_eq "after the lock time the right PIN works" "$rc" 0
done_testing
