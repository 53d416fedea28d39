# stallcheck draw: 双随机 from the registry and the roster, recusals
# skipped, follow-ups added, recorded and replayable, roles enforced; the
# seed the system's, one draw a day, redraws and drills on the record.
. "$(dirname "$0")/../lib.sh"
gen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_handheld) || { fail "build the fixture tool"; done_testing; exit 1; }
db=$TMP/h.db
"$gen" "$db" --inspections 60 --seed 3 >/dev/null || fail "fixture"
with_pin 1234
sq() { sqlite3 "$db" "$1"; }

out=$("$SC" --db "$db" draw --market M1 2>&1); rc=$?
expect_match "a draw needs a signed-in officer" "$rc:$out" "^1:.*sign in first"
out=$("$SC" --db "$db" draw --market M1 --as G301 2>&1); rc=$?
expect_match "a manager may not draw" "$rc:$out" "^1:.*the manager role may not make the random draw"
out=$("$SC" --db "$db" draw --market M1 --as K201 2>&1); rc=$?
expect_match "nor metrology staff" "$rc:$out" "^1:.*the metrology role may not"

seed=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
out=$("$SC" --db "$db" draw --market M1 --stalls 4 --seed $seed --as O101 --json 2>&1); rc=$?
expect_match "a chosen seed is refused for the day's draw" "$rc:$out" "^2:.*a chosen seed draws only a drill"
out=$("$SC" --db "$db" draw --market M1 --stalls 4 --as O101 --json); rc=$?
expect_eq "an officer draws" "$rc" 0
expect_match "the day's draw: kind production, the day, no reason" "$out" \
    '"kind":"production","day":"[0-9]{4}-[0-9]{2}-[0-9]{2}","replaces":null,"reason":null'
sysseed=$(printf '%s' "$out" | sed 's/.*"seed":"\([0-9a-f]*\)".*/\1/')
expect_match "its seed is the system's: 64 hex digits" "$sysseed" '^[0-9a-f]{64}$'
expect_eq "recorded as it was shown" "$(sq "SELECT seed || ' ' || kind FROM draws")" "$sysseed production"
out=$("$SC" --db "$db" draw --market M1 --stalls 4 --as O102 2>&1); rc=$?
expect_match "a second draw of the day is refused" "$rc:$out" "^1:.*draw of .* is made .*: it stands"
expect_eq "and nothing is recorded" "$(sq "SELECT count(*) FROM draws")" 1
out=$("$SC" --db "$db" draw --market M1 --stalls 4 --redraw '' --as O102 2>&1); rc=$?
expect_match "a redraw needs a reason" "$rc:$out" "^1:.*a redraw needs its reason"
out=$("$SC" --db "$db" draw --market M1 --stalls 4 --redraw "$(printf 'x\033[2J')" --as O102 2>&1); rc=$?
expect_match "a reason holds no control character" "$rc:$out" "^1:.*no control characters"
first=$(sq "SELECT id FROM draws")
out=$("$SC" --db "$db" draw --market M1 --stalls 4 --redraw "O101 sick; 2 officers needed" --as O102 --json); rc=$?
expect_eq "a redraw with its reason" "$rc" 0
expect_match "on the record: what it replaces and why" "$out" \
    "\"kind\":\"redraw\",\"day\":\"[0-9-]{10}\",\"replaces\":\"$first\",\"reason\":\"O101 sick; 2 officers needed\""
out=$("$SC" --db "$db" draw --market M2 --stalls 1 --redraw "why not" --as O102 2>&1); rc=$?
expect_match "no redraw where no draw stands" "$rc:$out" "^1:.*no draw on .* to redraw"
out=$("$SC" --db "$db" draw --market M2 --stalls 1 --drill --seed practice --as O102 --json); rc=$?
expect_match "a drill may have a chosen seed, marked so" "$rc:$out" '^0:.*"kind":"drill"'
expect_match "its seed is SHA-256 of the text" "$out" "\"seed\":\"$(printf practice | sha256sum | cut -c1-64)\""
out=$("$SC" --db "$db" draw --market M2 --stalls 1 --as O102 --json); rc=$?
expect_match "a drill is not the day's draw" "$rc:$out" '^0:.*"kind":"production"'
# Two draws at once: one is the day's, the other is refused.
# (a database of its own: a copy of one that signs may not sign, db/device.h)
"$gen" "$TMP/race.db" --inspections 60 --seed 3 >/dev/null
for i in 1 2 3 4; do
    ("$SC" --db "$TMP/race.db" draw --market M3 --stalls 1 --as O10$i >"$TMP/race$i" 2>&1) &
done
wait
expect_eq "four at once: one production draw of M3" \
    "$(sqlite3 "$TMP/race.db" "SELECT count(*) FROM draws WHERE market = 'M3'")/$(grep -l 'it stands' "$TMP"/race? | wc -l | tr -d ' ')" "1/3"

# The algorithm, with drills' chosen seeds: the same seed and pools draw
# the same.
out=$("$SC" --db "$TMP/race.db" draw --market M1 --stalls 4 --drill --seed $seed --as O101 --json); rc=$?
expect_match "the seed given is the seed recorded" "$out" "\"seed\":\"$seed\""
expect_match "four stalls, two officers" "$out" '"stalls":\[\{"stall":"M1-[0-9]+","reason":"random"\}(,\{"stall":"M1-[0-9]+","reason":"random"\}){3}\],"officers":\["O10[0-9]","O10[0-9]"\]'
expect_match "O103 is recused from M1: 4 officers in the pool" "$out" '"pool_officers":4,"recused":\["O103"\]'
id=$first
drawn=$(printf '%s' "$out" | sed 's/.*"stalls":\(\[[^]]*\]\),"officers":\(\[[^]]*\]\).*/\1 \2/')
# Same seed, same pools (the same fixture made again): the same draw.
"$gen" "$TMP/copy.db" --inspections 60 --seed 3 >/dev/null
# A copy is another device: an admin gives it its own identity first.
check "the copy gets its own device identity" "$SC" --db "$TMP/copy.db" device new-identity --as A001
out2=$("$SC" --db "$TMP/copy.db" draw --market M1 --stalls 4 --drill --seed $seed --as O104 --json)
drawn2=$(printf '%s' "$out2" | sed 's/.*"stalls":\(\[[^]]*\]\),"officers":\(\[[^]]*\]\).*/\1 \2/')
expect_eq "the same seed and inputs draw the same" "$drawn2" "$drawn"
out3=$("$SC" --db "$TMP/copy.db" draw --market M1 --stalls 4 --drill --seed other --as O104 --json)
drawn3=$(printf '%s' "$out3" | sed 's/.*"stalls":\(\[[^]]*\]\),"officers":\(\[[^]]*\]\).*/\1 \2/')
if [ "$drawn3" != "$drawn" ]; then ok "another seed draws otherwise"; else fail "another seed draws otherwise"; fi

# Recused officers are never drawn: 20 draws, never O103.
for s in $(seq 1 20); do "$SC" --db "$TMP/copy.db" draw --market M1 --stalls 1 --drill --seed "s$s" --as O101 --json; done >"$TMP/many.json"
expect_eq "20 draws recorded" "$(grep -c "\"id\"" "$TMP/many.json")" 20
if grep -q 'O103' "$TMP/many.json" && ! grep -q '"officers":\[[^]]*O103' "$TMP/many.json"; then ok "O103 (recused from M1) never drawn for M1, only named as recused"; else fail "O103 (recused from M1) never drawn for M1, only named as recused"; fi
out=$("$SC" --db "$TMP/copy.db" draw --market M2 --stalls 1 --drill --seed x --as O101 --json)
expect_match "for M2 O103 is in the pool" "$out" '"pool_officers":5,"recused":\[\]'

# Follow-ups: every stall with an open correction deadline is added.
want=$(sq "SELECT count(DISTINCT i.stall) FROM findings f JOIN inspections i ON i.id = f.inspection WHERE f.followup = 'open' AND i.market = 'M2'")
out=$("$SC" --db "$db" draw --market M2 --stalls 3 --include-followups --redraw "with follow-ups" --as O101 --json)
expect_eq "every follow-up stall of M2 is added ($want)" "$(printf '%s' "$out" | grep -o '"reason":"followup"' | wc -l | tr -d ' ')" "$want"
expect_eq "plus three drawn at random" "$(printf '%s' "$out" | grep -o '"reason":"random"' | wc -l | tr -d ' ')" 3

# Replay: anyone can, and tampering shows.
out=$("$SC" --db "$db" draw --replay "$id" 2>&1); rc=$?
expect_match "a replay signs in too" "$rc:$out" "^1:.*sign in first"
out=$("$SC" --db "$db" draw --replay "$id" --as K201); rc=$?
expect_eq "a recorded draw replays" "$rc" 0
expect_match "and says it matches" "$out" "the same draw as recorded"
out=$("$SC" --db "$db" draw --replay "$id" --as G301 2>&1); rc=$?
expect_match "M1's manager does not see M1's draw on its day" "$rc:$out" "^1:.*a manager sees a draw after its day"
# The draw's day is its legal date in the bureau's zone (Asia/Shanghai):
# 24 hours after it was made is always the next day there.
made=$(date -u -d "$(sq "SELECT made_at FROM draws WHERE id = '$id'")" +%s)
tomorrow=$(date -u -d "@$((made + 86400))" +%Y-%m-%dT%H:%M:%SZ)
out=$(clock_at "$tomorrow"; with_pin 1234; "$SC" --db "$db" draw --replay "$id" --as G301 2>&1); rc=$?
expect_eq "but does the next day" "$rc" 0
other=$(sq "SELECT code FROM stalls WHERE market = 'M1' AND code NOT IN (SELECT stall FROM draw_stalls WHERE draw = '$id') LIMIT 1")
sq "UPDATE draw_stalls SET stall = '$other' WHERE draw = '$id' AND seq = 1"
out=$("$SC" --db "$db" draw --replay "$id" --as K201 2>&1); rc=$?
expect_match "a changed result does not replay (exit 3)" "$rc:$out" "^3:.*another draw than the one recorded"
out=$("$SC" --db "$db" verify 2>&1); rc=$?
expect_match "and verify names the draw" "$rc:$out" "^3:.*draw $id was altered"

out=$("$SC" --db "$db" draw --market NOPE --as O101 2>&1); rc=$?
expect_match "an unknown market is named" "$rc:$out" "^1:.*no market NOPE"
# Recuse all but one officer from M3: no lawful draw.
sq "INSERT INTO officer_recusals (badge, market) VALUES ('O101', 'M3'), ('O102', 'M3'), ('O103', 'M3'), ('O104', 'M3')"
out=$("$SC" --db "$db" draw --market M3 --as A001 2>&1); rc=$?
expect_match "one officer left after recusals: no draw" "$rc:$out" "^1:.*1 officer on the roster after recusals, 2 needed"
sqlite3 "$TMP/race.db" "UPDATE stalls SET active = 0 WHERE market = 'M2'"
out=$("$SC" --db "$TMP/race.db" draw --market M2 --as O101 2>&1); rc=$?
expect_match "a market with no active stall: no draw, nothing recorded" \
    "$rc:$out:$(sqlite3 "$TMP/race.db" "SELECT count(*) FROM draws WHERE market = 'M2'")" "^1:.*no active stall.*:0$"
out=$("$SC" --db "$db" draw --market M1 --officers 1 --as O101 2>&1); rc=$?
expect_eq "--officers 1 is a usage error" "$rc" 2
out=$("$SC" draw --help)
expect_match "--help documents --replay" "$out" "--replay ID"
done_testing
