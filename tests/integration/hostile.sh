# The district trusts no handheld blindly: handhelds, one of them hostile,
# against a real PostgreSQL on loopback (tests/pg.sh).  The hostile one
# edits its own SQLite file with the sqlite3 shell and re-hashes and
# re-signs its chain with its own key (tests/tools/forge.c: the strongest
# attacker, who has the handheld's key file too), so that its own verify
# says whole.  Each attack below succeeded against stallcheck before the
# district checked what it was pushed; here each is refused, naming the
# record, and the honest handheld's records all arrive intact.
. "$(dirname "$0")/../lib.sh"
. "$STALLCHECK_TOP/tests/pglib.sh"

if ! pg_start; then
    if pg_required; then fail "the test server starts" "tests/pg.sh start failed"
    else skip "hostile handhelds against PostgreSQL" "tests/pg.sh could not start a server here"; fi
    done_testing; exit
fi
tools=$STALLCHECK_TOP/tests/tools/build.sh
gen=$(sh "$tools" gen_handheld) || { fail "build the fixture tool"; done_testing; exit 1; }
forge=$(sh "$tools" forge) || { fail "build the attacker's tool"; done_testing; exit 1; }
URL=$STALLCHECK_PG_URL
# sc DB COMMAND...: the PIN (1234) as one line of stdin, as a script signs
# in (the command's own --as names the badge).
sc() { db=$1; shift; printf '1234\n' | "$SC" --db "$db" "$@"; }
as_role() { psql "$(pg_role_url "$1")" -qAtX -v ON_ERROR_STOP=1 -c "$2" 2>&1; }

# The office: its handheld makes the district, pushes the registry; the
# office's ingest signs it.
h0=$TMP/office.db h1=$TMP/honest.db h2=$TMP/hostile.db h3=$TMP/bystander.db
"$gen" "$h0" --inspections 0 --seed 9 >/dev/null || fail "fixture office"
sc "$h0" sync --as A001 --init "$URL" >/dev/null || fail "init"
sc "$h0" sync --as A001 --push-registry "$URL" >/dev/null || fail "registry"
pg_ingest >/dev/null
for n in 1 2 3; do
    eval "db=\$h$n"
    "$gen" "$db" --inspections 20 --seed "$n" >/dev/null || fail "fixture h$n"
    eval "role$n=\$(pg_enrol \"\$db\")" || fail "enrol h$n"
done
U1=$(pg_role_url "$role1") U2=$(pg_role_url "$role2") U3=$(pg_role_url "$role3")
dev1=$(pg_device "$h1") dev2=$(pg_device "$h2")
sc "$h2" sync --as O101 "$U2" >/dev/null || fail "h2 syncs"
sc "$h3" sync --as O101 "$U3" >/dev/null || fail "h3 syncs"
pg_ingest >/dev/null

# ---- A handheld's credentials write only its own inbox rows -------------
out=$(as_role "$role2" "INSERT INTO inbox (device, seq, hash, entry) VALUES ('$dev1', 9999, 'x', '\\x00')")
expect_match "rls: the hostile's role cannot push under the honest device's id" "$out" "row-level security"
out=$(as_role "$role2" "INSERT INTO inspections (id, stall, market, officer1, started_at, status) VALUES ('x', 'M1-001', 'M1', 'O101', '2026-01-01', 'committed')")
expect_match "rls: nor write the district's records" "$out" "permission denied for table inspections"
out=$(as_role "$role2" "UPDATE officers SET role = 'admin' WHERE badge = 'O101'")
expect_match "rls: nor its registry" "$out" "permission denied for table officers"
out=$(as_role "$role2" "DELETE FROM inbox")
expect_match "rls: nor take rows out of the inbox" "$out" "permission denied for table inbox"
out=$(as_role "$role2" "SELECT count(*) FROM refusals WHERE device = '$dev1'")
expect_eq "rls: nor read another device's refusals" "$out" 0

# ---- 2a. Pre-empting another handheld's record ------------------------------
# The honest handheld records a short weight at the fair scale (缺斤短两),
# not yet synced.
sc "$h1" fairscale --stall M1-001 --badge O101 --stated 1kg --measured 900g \
    --goods 猪肉 --price 30元/kg >/dev/null
X=$(sqlite3 "$h1" "SELECT record FROM audit_log WHERE kind = 'inspection' ORDER BY seq DESC LIMIT 1")
expect_eq "2a: the honest record: a failing re-weigh" "$(sqlite3 "$h1" "SELECT verdict FROM reweighs WHERE inspection = '$X'")" fail
# The hostile copies it with a passing re-weigh and its own chain entry...
sqlite3 "$h2" "ATTACH '$h1' AS v;
    INSERT INTO inspections SELECT * FROM v.inspections WHERE id = '$X';
    INSERT INTO reweighs SELECT * FROM v.reweighs WHERE inspection = '$X';
    UPDATE reweighs SET measured_ug = declared_ug, shortfall_ug = 0, money_short_fen = 0,
        verdict = 'pass', measurement = NULL WHERE inspection = '$X'"
"$forge" "$h2" append inspection "$X" >/dev/null
check "2a: the hostile's own verify says whole" sc "$h2" verify
# ... and pushes it first, once naming the honest device, once its own.
sc "$h2" sync --as O101 "$U2" >/dev/null
sqlite3 "$h2" "UPDATE inspections SET device = '$dev2' WHERE id = '$X'"
"$forge" "$h2" append inspection "$X" >/dev/null
sc "$h2" sync --as O101 "$U2" >/dev/null
out=$(pg_ingest 2>&1); rc=$?
expect_match "2a: refused when it names the honest device" "$rc:$out" "^3:.*inspection $X names device $dev1 but was pushed by device $dev2"
expect_match "2a: refused when it names its own: the id is the honest device's" "$out" "inspection $X: inspections id $X belongs to another device than $dev2"
expect_eq "2a: nothing of it stored" "$(pg_sql "SELECT count(*) FROM inspections WHERE id = '$X'")" 0
out=$(sc "$h2" sync --as O101 "$U2" 2>&1)
expect_match "2a: the hostile handheld is told, by record" "$out" "the district refused inspection $X \(audit entry [0-9]+\)"
# The honest handheld syncs later: its record is taken, whole.
out=$(sc "$h1" sync --as O101 "$U1" 2>&1); rc=$?
expect_eq "2a: the honest handheld syncs" "$rc" 0
out=$(pg_ingest 2>&1); rc=$?
expect_match "2a: the office's ingest takes all of it" "$rc:$out" "^0:.* 0 refused, 0 waiting"
expect_eq "2a: the honest record is on the district, its own device's" "$(pg_sql "SELECT device FROM inspections WHERE id = '$X'")" "$dev1"
expect_eq "2a: with its failing re-weigh" "$(pg_sql "SELECT verdict FROM reweighs WHERE inspection = '$X'")" fail
expect_eq "2a: every honest inspection there" "$(pg_sql "SELECT count(*) FROM inspections WHERE device = '$dev1'")" "$(sqlite3 "$h1" "SELECT count(*) FROM inspections WHERE status = 'committed'")"
out=$(sc "$h1" verify --remote "$URL"); rc=$?
expect_match "2a: the honest handheld's verify --remote matches every entry" "$rc:$out" "^0:.* ([0-9]+) entries match the district's copy"
out=$(sc "$h1" sync --as O101 "$U1" 2>&1)
if printf '%s' "$out" | grep -q refused; then fail "2a: and nothing of the honest handheld's refused" "$out"; else ok "2a: and nothing of the honest handheld's refused"; fi

# ---- 2b. Adding to a record another handheld already synced -----------------
Y=$(sqlite3 "$h1" "SELECT record FROM audit_log WHERE kind = 'inspection' ORDER BY seq LIMIT 1")
fy=$(pg_sql "SELECT count(*) FROM findings WHERE inspection = '$Y'")
sqlite3 "$h2" "ATTACH '$h1' AS v;
    INSERT INTO inspections SELECT * FROM v.inspections WHERE id = '$Y';
    UPDATE inspections SET device = '$dev2' WHERE id = '$Y';
    INSERT INTO findings (inspection, item, answer, note, deadline, followup, stall)
        SELECT '$Y', 'scale-verified', 'fail', 'forged', NULL, 'none', stall FROM v.inspections WHERE id = '$Y';
    INSERT INTO reweighs (id, inspection, seq, goods, category, declared_ug, measured_ug, unit_price_fen,
        allowed_ug, shortfall_ug, money_short_fen, verdict, method)
        VALUES ('eeeeeeee-0000-4000-8000-000000000001', '$Y', 9, '猪肉', 'meat-egg-aquatic', 1000000000,
        900000000, 2800, 10000000, 100000000, 280, 'fail', 'reference')"
"$forge" "$h2" append inspection "$Y" >/dev/null
sc "$h2" sync --as O101 "$U2" >/dev/null
out=$(pg_ingest 2>&1)
expect_match "2b: a failing finding and re-weigh pushed into another's inspection is refused" "$out" "inspection $Y: inspections id $Y belongs to another device"
expect_eq "2b: the district's record is as its handheld made it" "$(pg_sql "SELECT count(*) FROM findings WHERE inspection = '$Y'"):$(pg_sql "SELECT count(*) FROM reweighs WHERE inspection = '$Y' AND verdict = 'fail'")" "$fy:0"

# ---- 2c. A follow-up closed against what its inspection found ---------------
# The hostile's own finding, on the district, closed by its own inspection
# with the state that inspection's answer contradicts, entry and all.
dev2f=$(pg_sql "SELECT f.inspection || '|' || f.item || '|' || f.answer FROM findings f JOIN inspections i ON i.id = f.inspection WHERE i.device = '$dev2' ORDER BY 1 LIMIT 1")
Z=${dev2f%%|*}; zi=${dev2f#*|}; za=${zi#*|}; zi=${zi%%|*}
case "$za" in pass | intact | not-sealable) zs=not-corrected ;; *) zs=corrected ;; esac
sqlite3 "$h2" "UPDATE findings SET followup = '$zs', followup_inspection = '$Z' WHERE inspection = '$Z' AND item = '$zi'"
"$forge" "$h2" append followup "$Z/$zi" >/dev/null
sc "$h2" sync --as O101 "$U2" >/dev/null
out=$(pg_ingest 2>&1)
expect_match "2c: a follow-up its closing inspection contradicts is refused, by name" "$out" "follow-up $Z/$zi: $zs is not what the inspection that closed it found"
expect_eq "2c: the district's finding keeps its state" "$(pg_sql "SELECT followup FROM findings WHERE inspection = '$Z' AND item = '$zi'")" "none"

# ---- 3. A forged admin spread through the registry --------------------------
sqlite3 "$h2" "INSERT INTO officers (badge, name, role, pin_hash, market, active, updated_at)
    SELECT 'X999', '假管理员', 'admin', pin_hash, NULL, 1, updated_at FROM officers WHERE badge = 'A001'"
"$forge" "$h2" append officer X999 >/dev/null
check "3: the hostile's own verify says whole" sc "$h2" verify
sc "$h2" sync --as X999 --push-registry "$U2" >/dev/null 2>&1
out=$(pg_ingest 2>&1)
expect_match "3: the district refuses registry changes from a device without the registry right" "$out" "device $dev2 may not change the registry \(officer X999\)"
expect_eq "3: no forged officer on the district" "$(pg_sql "SELECT count(*) FROM officers WHERE badge = 'X999'")" 0
# Even written straight into the district's database (by someone with the
# owner's password), it is not signed by the district's key.
pg_sql "INSERT INTO officers (badge, name, role, pin_hash, active) SELECT 'X999', '假管理员', 'admin', pin_hash, 1 FROM officers WHERE badge = 'A001'" >/dev/null
out=$(sc "$h3" sync --as O101 "$U3" 2>&1); rc=$?
expect_match "3: a handheld refuses the unsigned officer by name" "$rc:$out" "^0:.*registry officer X999 refused: it is not signed by the district"
expect_eq "3: it never reaches that handheld" "$(sqlite3 "$h3" "SELECT count(*) FROM officers WHERE badge = 'X999'")" 0
out=$(printf '1234\n4321\n4321\n' | "$SC" --db "$h3" officer add --as X999 --badge X998 --name 第二 --role admin 2>&1); rc=$?
expect_match "3: nor can it add a second admin there" "$rc:$out" "^1:"
check "3: the bystander's chain is whole" sc "$h3" verify
# A signature on another record's content does not pass for this one.
pg_sql "INSERT INTO registry_sigs (kind, record, version, content_hash, sig) SELECT 'officer', 'X999', version + 1000, content_hash, sig FROM registry_sigs WHERE kind = 'officer' AND record = 'A001'; UPDATE officers SET name = name WHERE badge = 'X999'" >/dev/null
out=$(sc "$h3" sync --as O101 "$U3" 2>&1)
expect_match "3: nor does a signature lifted from another record" "$out" "registry officer X999 refused: its signature is not the district's key's"
pg_sql "DELETE FROM registry_sigs WHERE record = 'X999'; DELETE FROM officers WHERE badge = 'X999'" >/dev/null

# ---- 4. verify --remote and the device id setting ---------------------------
h4=$TMP/h4.db
"$gen" "$h4" --inspections 10 --seed 4 >/dev/null
role4=$(pg_enrol "$h4") || fail "enrol h4"
sc "$h4" sync --as O101 "$(pg_role_url "$role4")" >/dev/null
pg_ingest >/dev/null
Z=$(sqlite3 "$h4" "SELECT record FROM audit_log WHERE kind = 'inspection' ORDER BY seq LIMIT 1")
sqlite3 "$h4" "UPDATE inspections SET note = 'rewritten' WHERE id = '$Z'"
"$forge" "$h4" rechain >/dev/null
check "4: a chain rewritten and signed again checks locally" sc "$h4" verify
out=$(sc "$h4" verify --remote "$URL" 2>&1); rc=$?
expect_match "4: the district's copy catches it" "$rc:$out" "^3:.*audit entry [0-9]+ \(inspection $Z\) of device .* differs from the district's copy"
sqlite3 "$h4" "UPDATE settings SET value = '00000000-0000-4000-8000-000000000000' WHERE key = 'device_id'"
out=$(sc "$h4" verify 2>&1); rc=$?
expect_match "4: a changed device id setting is named" "$rc:$out" "^3:.*device id was changed to 00000000-0000-4000-8000-000000000000"
out=$(sc "$h4" verify --remote "$URL" --json 2>/dev/null); rc=$?
expect_match "4: and verify --remote still compares by the entries' own device" "$rc:$out" '^3:\{"ok":false'

# ---- 5. What decides is audited: follow-ups and the rules in force ----------
h5=$TMP/h5.db
"$gen" "$h5" --inspections 200 --seed 5 >/dev/null
draw5() { sc "$h5" draw --as A001 --market M1 --stalls 1 --include-followups --seed 7 --json | grep -o '"reason":"followup"' | wc -l | tr -d ' '; }
n1=$(draw5)
sqlite3 "$h5" "UPDATE findings SET followup = 'corrected' WHERE followup = 'open'"
expect_eq "5a: follow-ups set corrected with sqlite3 stay in the draw ($n1)" "$(draw5)" "$n1"
out=$(sc "$h5" verify 2>&1); rc=$?
expect_match "5a: and verify names the follow-up changed" "$rc:$out" "^3:.*follow-up [0-9a-f-]{36}/[a-z-]+ was changed behind stallcheck's back"
h5b=$TMP/h5b.db
"$gen" "$h5b" --inspections 200 --seed 5 >/dev/null
black() { sc "$h5b" lists --as A001 --market M1 --json | grep -c '"list":"black"'; }
b1=$(black)
printf '[deduction]\nserious = 0\n[black]\nserious = no\nbelow = 0\n' >"$TMP/lenient.ini"
sqlite3 "$h5b" "INSERT OR REPLACE INTO settings (key, value) VALUES ('rules_file', '$TMP/lenient.ini')"
expect_eq "5b: a rules file named in a setting changes no list ($b1 black)" "$(black)" "$b1"
expect_match "5b: the rules in force are the built-in ones" "$(sc "$h5b" rules show)" "^rules in force: built-in$"
sqlite3 "$h5b" "INSERT INTO rules_in_force VALUES ('in-force', '$TMP/lenient.ini', 'x', '$(cat "$TMP/lenient.ini")', '2026-01-01T00:00:00Z', 'A001')"
out=$(sc "$h5b" verify 2>&1); rc=$?
expect_match "5b: rules put in force with sqlite3 are named by verify" "$rc:$out" "^3:.*rules in-force was inserted: no audit entry records it"
sqlite3 "$h5b" "DELETE FROM rules_in_force"
check "5b: an admin adopts rules: audited" sc "$h5b" rules adopt --as A001 "$STALLCHECK_TOP/data/rules.ini"
expect_match "5b: shown with their hash" "$(sc "$h5b" rules show)" "^rules in force: .*data/rules.ini, sha256 [0-9a-f]{64}$"
sqlite3 "$h5b" "UPDATE rules_in_force SET text = replace(text, 'serious = yes', 'serious = no')"
out=$(sc "$h5b" verify 2>&1); rc=$?
expect_match "5b: and rules edited after adoption are named" "$rc:$out" "^3:.*rules in-force was altered after audit entry [0-9]+ recorded it"

# ---- 6. verify compares every field byte for byte ---------------------------
for t in "id = id || 'EXTRA':id" "hash = hash || 'ff':hash" "at = CAST(at || char(0) || 'forged' AS TEXT):at" "content_hash = CAST(content_hash AS BLOB):content_hash"; do
    cp "$h3" "$TMP/h6.db"
    sqlite3 "$TMP/h6.db" "UPDATE audit_log SET ${t%:*} WHERE seq = 2"
    out=$(sc "$TMP/h6.db" verify --json 2>/dev/null); rc=$?
    expect_match "6: verify sees ${t%%=*}altered past its field" "$rc:$out" "^3:.*\"fault\":\"entry-altered\",\"seq\":2,.*its ${t##*:} is not what stallcheck writes"
done

# ---- 7. A copied database ---------------------------------------------------
h7=$TMP/copy.db
cp "$h3" "$h7"
sc "$h3" draw --as O101 --market M1 --stalls 2 >/dev/null
check "7: the original goes on and syncs" sc "$h3" sync --as O101 "$U3"
out=$(sc "$h7" draw --as O101 --market M2 --stalls 2 2>&1); rc=$?
expect_match "7: the copy is detected before it writes" "$rc:$out" "^1:.*is not the file its signing key was made for: it is a copy.*device new-identity"
out=$(sc "$h7" sync --as O101 "$U3" 2>&1); rc=$?
expect_match "7: and does not sync as the original" "$rc:$out" "^1:.*it is a copy"
n7=$(sqlite3 "$h7" "SELECT count(*) FROM inspections")
out=$(sc "$h7" device new-identity --as A001 --json); rc=$?
expect_match "7: an admin gives it its own identity" "$rc:$out" "^0:.*\"replaces\":\"$(pg_device "$h3")\""
role7=$(pg_enrol "$h7") || fail "enrol the copy's new identity"
check "7: then it records again" sc "$h7" draw --as O101 --market M2 --stalls 2
check "7: its chain is whole" sc "$h7" verify
out=$(sc "$h7" sync --as O101 "$(pg_role_url "$role7")" 2>&1); rc=$?
expect_eq "7: and syncs under its new identity" "$rc" 0
out=$(pg_ingest 2>&1); rc=$?
expect_match "7: the district takes it" "$rc:$out" "^0:.* 0 refused"
expect_eq "7: its new draw is on the district under the new device" "$(pg_sql "SELECT count(*) FROM draws WHERE device = '$(pg_device "$h7")'")" 1
expect_eq "7: every record it had is kept" "$(sqlite3 "$h7" "SELECT count(*) FROM inspections")" "$n7"
check "7: the original is untouched" sc "$h3" verify --remote "$URL"

# ---- 1. Text cut mid-character strands no handheld --------------------------
h8=$TMP/h8.db
"$gen" "$h8" --inspections 3 --seed 8 >/dev/null
role8=$(pg_enrol "$h8") || fail "enrol h8"
U8=$(pg_role_url "$role8")
goods="1$(printf '特级有机黑毛猪前腿肉%.0s' 1 2 3)"
n8=$(sqlite3 "$h8" "SELECT count(*) FROM reweighs")
out=$(sc "$h8" fairscale --stall M1-001 --badge O101 --stated 1kg --measured 1kg --goods "$goods" --price 30元/kg 2>&1); rc=$?
expect_match "1: goods longer than the record's field are refused, not cut" "$rc:$out" "^2:.*--goods: 91 bytes, at most 63 \(about 21 Chinese characters\): shorten it"
out=$(sc "$h8" fairscale --stall M1-001 --badge O101 --stated 1kg --measured 1kg --goods "$(printf '1\347\211')" --price 30元/kg 2>&1); rc=$?
expect_match "1: and goods that are not UTF-8 too" "$rc:$out" "^2:.*--goods: not UTF-8 text \(byte 2\)"
expect_eq "1: nothing stored by either" "$(sqlite3 "$h8" "SELECT count(*) FROM reweighs")" "$n8"
goods21="$(printf '特级有机黑毛猪前腿肉%.0s' 1 2)特"
sc "$h8" fairscale --stall M1-001 --badge O101 --stated 1kg --measured 1kg --goods "$goods21" --price 30元/kg >/dev/null
expect_eq "1: 21 Chinese characters (63 bytes) are stored whole" "$(sqlite3 "$h8" "SELECT goods FROM reweighs ORDER BY rowid DESC LIMIT 1")" "$goods21"
# A record already holding bytes that are not UTF-8 (an older stallcheck
# stored them): audited, so only the district can judge it.
W=$(sqlite3 "$h8" "SELECT record FROM audit_log WHERE kind = 'inspection' ORDER BY seq LIMIT 1")
sqlite3 "$h8" "INSERT INTO reweighs (id, inspection, seq, goods, category, declared_ug, measured_ug, unit_price_fen, allowed_ug, shortfall_ug, money_short_fen, verdict, method) VALUES ('$(printf '%s' "$W" | cut -c1-24)99aa00000001', '$W', 5, CAST(X'31e789' AS TEXT), 'meat-egg-aquatic', 1000000000, 1000000000, 2800, 10000000, 0, 0, 'pass', 'reference')"
"$forge" "$h8" rechain >/dev/null
check "1: that handheld's chain checks" sc "$h8" verify
sc "$h8" draw --as O101 --market M2 --stalls 1 >/dev/null
out=$(sc "$h8" sync --as O101 "$U8" 2>&1); rc=$?
expect_eq "1: the push is not stopped by it" "$rc" 0
out=$(pg_ingest 2>&1); rc=$?
expect_match "1: the district refuses that record alone, naming the field" "$rc:$out" "^3:.*inspection $W: reweighs.goods is not valid UTF-8 text \(byte 1\)"
expect_eq "1: the handheld's later records are taken" "$(pg_sql "SELECT count(*) FROM draws WHERE device = '$(pg_device "$h8")'")" 1
expect_eq "1: and its other inspections" "$(pg_sql "SELECT count(*) FROM inspections WHERE device = '$(pg_device "$h8")'")" "$(($(sqlite3 "$h8" "SELECT count(*) FROM inspections WHERE status = 'committed'") - 1))"
out=$(sc "$h8" sync --as O101 "$U8" 2>&1); rc=$?
expect_match "1: its next sync names it" "$rc:$out" "^0:.*the district refused inspection $W .*not valid UTF-8"
expect_match "1: and says what to do" "$out" "What to do: .*later records still sync"
sc "$h8" draw --as O101 --market M3 --stalls 1 >/dev/null
sc "$h8" sync --as O101 "$U8" >/dev/null
pg_ingest >/dev/null
expect_eq "1: and it goes on syncing" "$(pg_sql "SELECT count(*) FROM draws WHERE device = '$(pg_device "$h8")'")" 2

# ---- 8. A draw's kind and day are part of its record ------------------------
# They decide the day's rule (one production draw a market a day): the day's
# draw relabelled a drill with sqlite3 would allow another, unseen.
h9=$TMP/h9.db
"$gen" "$h9" --inspections 2 --seed 12 >/dev/null
role9=$(pg_enrol "$h9") || fail "enrol h9"
U9=$(pg_role_url "$role9")
sc "$h9" draw --as O101 --market M1 --stalls 2 >/dev/null || fail "h9 draws"
D9=$(sqlite3 "$h9" "SELECT id FROM draws WHERE kind = 'production'")
DAY9=$(sqlite3 "$h9" "SELECT day FROM draws WHERE id = '$D9'")
sqlite3 "$h9" "UPDATE draws SET kind = 'drill' WHERE id = '$D9'"
out=$(sc "$h9" verify 2>&1); rc=$?
expect_match "8: the day's draw relabelled a drill is named by verify" "$rc:$out" "^3:.*draw $D9 was altered after audit entry [0-9]+ recorded it"
sc "$h9" sync --as O101 "$U9" >/dev/null 2>&1
out=$(pg_ingest 2>&1); rc=$?
expect_match "8: the district refuses it, by name" "$rc:$out" "^3:.*draw $D9 is not the record its audit entry [0-9]+ was made for"
expect_eq "8: nothing of it stored" "$(pg_sql "SELECT count(*) FROM draws WHERE id = '$D9'")" 0
sqlite3 "$h9" "UPDATE draws SET kind = 'production', day = '2020-01-01' WHERE id = '$D9'"
out=$(sc "$h9" verify 2>&1); rc=$?
expect_match "8: its day moved is named too" "$rc:$out" "^3:.*draw $D9 was altered after audit entry [0-9]+ recorded it"
# A draw recorded before kind and day entered its content (canon 1) is
# held to its audited inputs, which name both.
sqlite3 "$h9" "UPDATE draws SET day = '$DAY9', canon = 1 WHERE id = '$D9'"
"$forge" "$h9" rechain >/dev/null
check "8: such an older draw checks" sc "$h9" verify
sqlite3 "$h9" "UPDATE draws SET kind = 'drill' WHERE id = '$D9'"
out=$(sc "$h9" verify 2>&1); rc=$?
expect_match "8: relabelled, it is named by its inputs" "$rc:$out" "^3:.*draw $D9 was altered: its kind or day is not what its audited inputs say"
sqlite3 "$h9" "UPDATE draws SET kind = 'production', day = '2020-01-01' WHERE id = '$D9'"
out=$(sc "$h9" verify 2>&1); rc=$?
expect_match "8: and so is its day" "$rc:$out" "^3:.*draw $D9 was altered: its kind or day"

# ---- 9. A draw signed with a kind or day its inputs do not say -------------
# A hostile handheld signs with its own key whatever kind and day it likes;
# the district holds every pushed draw to its audited inputs, as verify does.
h10=$TMP/h10.db
"$gen" "$h10" --inspections 2 --seed 13 >/dev/null
role10=$(pg_enrol "$h10") || fail "enrol h10"
U10=$(pg_role_url "$role10")
# forged10 SQL: h10 changed so, its chain re-signed, pushed; the ingest's
# exit and output in rc and out.
forged10() {
    sqlite3 "$h10" "$1"
    "$forge" "$h10" rechain >/dev/null
    sc "$h10" sync --as O101 "$U10" >/dev/null 2>&1
    out=$(pg_ingest 2>&1); rc=$?
}
sc "$h10" draw --as O101 --market M1 --stalls 2 >/dev/null || fail "h10 draws"
D10=$(sqlite3 "$h10" "SELECT id FROM draws WHERE kind = 'production'")
forged10 "UPDATE draws SET kind = 'drill' WHERE id = '$D10'"
expect_match "9: a production draw signed as a drill is refused, by name" "$rc:$out" "^3:.*draw $D10: its kind or day is not what its audited inputs say"
expect_eq "9: nothing of it stored" "$(pg_sql "SELECT count(*) FROM draws WHERE id = '$D10'")" 0
sc "$h10" draw --as O101 --market M1 --stalls 2 --drill >/dev/null || fail "h10 drills"
E10=$(sqlite3 "$h10" "SELECT id FROM draws WHERE id <> '$D10'")
forged10 "UPDATE draws SET day = '2020-01-01' WHERE id = '$E10'"
expect_match "9: a draw signed on another day is refused, by name" "$rc:$out" "^3:.*draw $E10: its kind or day is not what its audited inputs say"
expect_eq "9: nothing of that stored" "$(pg_sql "SELECT count(*) FROM draws WHERE id = '$E10'")" 0
out=$(sc "$h10" sync --as O101 "$U10" 2>&1)
expect_match "9: the handheld is told, by record" "$out" "the district refused draw $E10 \(audit entry [0-9]+\)"
sc "$h10" draw --as O101 --market M1 --stalls 2 --drill >/dev/null || fail "h10 drills again"
F10=$(sqlite3 "$h10" "SELECT id FROM draws WHERE id NOT IN ('$D10', '$E10')")
sc "$h10" sync --as O101 "$U10" >/dev/null 2>&1
out=$(pg_ingest 2>&1); rc=$?
expect_eq "9: its next honest draw is taken" "$rc:$(pg_sql "SELECT count(*) FROM draw_days WHERE draw = '$F10' AND kind = 'drill'")" 0:1
n1=$(sqlite3 "$h1" "SELECT count(*) FROM draws")
sc "$h1" draw --as O101 --market M1 --stalls 2 >/dev/null || fail "h1 draws"
sc "$h1" sync --as O101 "$U1" >/dev/null 2>&1
out=$(pg_ingest 2>&1); rc=$?
expect_eq "9: the honest handheld's draws all arrive" "$rc:$(pg_sql "SELECT count(*) FROM draws WHERE device = '$dev1'")" "0:$((n1 + 1))"

# ---- Retired devices --------------------------------------------------------
office() { printf '1234\n' | "$SC" district "$@"; }
check "a stolen handheld is retired" office retire "$URL" --device "$dev2" --as A001 --why "reported stolen"
out=$(as_role "$role2" "SELECT 1")
expect_match "its role can no longer log in" "$out" "not permitted to log in"
expect_match "the district log records who did it, signed" "$(pg_sql "SELECT actor || '|' || action || '|' || subject || '|' || length(sig) FROM district_log ORDER BY seq DESC LIMIT 1")" "^A001 管理员\|retire\|$dev2\|128$"
done_testing
