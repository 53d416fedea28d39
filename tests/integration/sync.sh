# stallcheck sync against a real PostgreSQL on loopback (tests/pg.sh): the
# schema, roles, idempotent batches, a client killed right after the
# district committed, a server killed mid-sync, several handhelds at once,
# the registry and lists pulled, a tampered handheld refused.
. "$(dirname "$0")/../lib.sh"
. "$STALLCHECK_TOP/tests/pglib.sh"

if ! pg_start; then
    if pg_required; then fail "the test server starts" "tests/pg.sh start failed"
    else skip "sync against PostgreSQL" "tests/pg.sh could not start a server here"; fi
    done_testing; exit
fi
gen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_handheld) || { fail "build the fixture tool"; done_testing; exit 1; }
URL=$STALLCHECK_PG_URL
# sc DB COMMAND...: the PIN ($PIN, else 1234) as one line of stdin, as a
# script signs in (the command's own --as names the badge).
sc() { db=$1; shift; printf '%s\n' "${PIN:-1234}" | "$SC" --db "$db" "$@"; }

h1=$TMP/h1.db
"$gen" "$h1" --inspections 120 --calibrations 6 --seed 1 >/dev/null || fail "fixture h1"
# A calibration (校准, EURAMET cg-18) too: readings typed after the PIN
# (repeatability, eccentricity, errors of indication up to Max).
sc "$h1" weights add W-SYNC --class M1 --due 2099-12-31 --certificate JZ-S-1 \
    --items "10kg,5kg*2,2kg*2,1kg,500g,200g*2,100g,50g,20g*2,10g" --as A001 >/dev/null || fail "weights on h1"
printf '1234\n15000\n15005\n15000\n15000\n15005\n5000\n5000\n5005\n4995\n5000\n100\n3750\n7500\n11250\n15005\n' |
    "$SC" --db "$h1" calibrate run S-M1-001 --set W-SYNC --temp 21.5 --humidity 48 --output "$TMP/cal.pdf" --as K201 >/dev/null 2>&1 ||
    fail "a calibration on h1"

# Roles: --init is the admin's; a manager does not sync.
out=$(sc "$h1" sync --init "$URL" 2>&1); rc=$?
expect_eq "sync needs a signed-in officer once officers exist" "$rc" 1
expect_match "and says how to sign in" "$out" "sign in first: --as BADGE"
out=$(sc "$h1" sync --as O101 --init "$URL" 2>&1); rc=$?
expect_match "an officer may not create the district schema" "$rc:$out" "^1:.*the officer role may not change the registry"
out=$(PIN=9999 sc "$h1" sync --as A001 --init "$URL" 2>&1); rc=$?
expect_match "a wrong PIN is refused" "$rc:$out" "^1:.*wrong badge or PIN \(4 tries left\)"
check "the admin creates the district schema" sc "$h1" sync --as A001 --init "$URL"
check "--init again keeps it" sc "$h1" sync --as A001 --init "$URL"
out=$(sc "$h1" sync --as G301 "$URL" 2>&1); rc=$?
expect_match "a manager does not sync" "$rc:$out" "^1:.*the manager role may not sync"

# Lockout: five wrong PINs lock the badge; the right PIN then fails too.
for i in 1 2 3 4 5; do PIN=0000 sc "$h1" sync --as O105 "$URL" >/dev/null 2>&1; done
out=$(sc "$h1" sync --as O105 "$URL" 2>&1); rc=$?
expect_match "after five wrong PINs the badge is locked" "$rc:$out" "^1:.*badge O105 is locked"

# The office's handheld was enrolled by --init, with the registry right, and
# trusts the district's key.
expect_match "--init enrolled this handheld" "$("$SC" district devices "$URL")" "$(pg_device "$h1") +active +sc_[0-9a-f]{12} registry"
expect_match "the list rules are in the district's signed log" "$(pg_sql "SELECT action || '|' || length(subject) || '|' || length(sig) FROM district_log WHERE action = 'rules'")" "^rules\|64\|128$"
expect_eq "and trusts the district's key" "$(sqlite3 "$h1" 'SELECT public_key FROM district_keys')" "$("$SC" district key "$URL" --json | sed 's/.*"key":"\([^"]*\)".*/\1/')"

# Push, in batches of 25, with the client ended right after the district
# commits the 2nd batch and before it notes so (tests/shim/pq_commit_exit.c,
# preloaded: the push's COMMITs are the sync's first): the batch goes again.
PQ_SHIM=${STALLCHECK_BUILD:-$STALLCHECK_TOP/build}/shim/pq_commit_exit.so
(export LD_PRELOAD="$PQ_SHIM${LD_PRELOAD:+:$LD_PRELOAD}" PQ_EXIT_AFTER_COMMIT=2 \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
 sc "$h1" sync --as O101 --batch 25 "$URL" >/dev/null 2>&1); rc=$?
expect_eq "the client dies right after the 2nd commit" "$rc" 9
expect_eq "the district's inbox has the first two batches" "$(pg_sql "SELECT count(*) FROM inbox")" 50
expect_eq "the handheld thinks it pushed only one" "$(sqlite3 "$h1" 'SELECT pushed_seq FROM sync_remotes')" 25
out=$(sc "$h1" sync --as O101 --batch 25 --json "$URL"); rc=$?
expect_eq "the next sync finishes" "$rc" 0
total=$(sqlite3 "$h1" "SELECT count(*) FROM audit_log")
expect_match "it re-sent the 2nd batch" "$out" "\"entries\":$((total - 25)),"
expect_match "and says the district holds none of it yet (nothing ingested)" "$out" '"held_entries":0,'
sent() { sqlite3 "$h1" "SELECT count(*) FROM audit_log WHERE kind = '$1' AND seq > 25"; }
expect_match "it counts the verifications (检定) and the calibration (校准) it sent apart" "$out" \
    "\"inspections_sent\":$(sent inspection),\"verifications_sent\":$(sent calibration),\"calibrations_sent\":$(sent nawi_calibration),\"draws_sent\":$(sent draw),"
out=$(pg_ingest --json); rc=$?
expect_eq "the office's ingest takes it all" "$rc:$(printf '%s' "$out" | tail -1)" "0:{\"rows\":$total,\"entries\":$total,\"records\":127,\"registry\":0,\"duplicates\":0,\"refused\":0,\"waiting\":0}"
ins=$(sqlite3 "$h1" "SELECT count(*) FROM inspections WHERE status = 'committed'")
expect_eq "every inspection once on the district" "$(pg_sql "SELECT count(*) FROM inspections")" "$ins"
expect_eq "every finding once" "$(pg_sql "SELECT count(*) FROM findings")" "$(sqlite3 "$h1" 'SELECT count(*) FROM findings')"
expect_eq "every measurement once, raw bytes whole" "$(pg_sql "SELECT count(*), sum(length(raw)) FROM measurements")" "$(sqlite3 "$h1" "SELECT count(*) || '|' || sum(length(raw)) FROM measurements")"
expect_eq "every audit entry once, signed" "$(pg_sql "SELECT count(*) FROM audit_log WHERE length(sig) = 128")" "$total"
expect_eq "every calibration once, with its steps" "$(pg_sql "SELECT count(*) FROM calibrations")/$(pg_sql "SELECT count(*) FROM calibration_steps")" 6/18
expect_eq "and each certificate's content (kind, regulation, mark, seal, the paper's snapshot)" \
    "$(pg_sql "SELECT count(*) FROM calibration_certificates WHERE regulation != '' AND paper != ''")" \
    "$(sqlite3 "$h1" "SELECT count(*) FROM calibrations WHERE canon >= 2 AND regulation != '' AND paper != ''")"
expect_eq "every calibration (校准) once, with its readings and their uncertainties" \
    "$(pg_sql "SELECT count(*) || '|' || sum(repeat_s_ug) FROM nawi_calibrations")/$(pg_sql "SELECT count(*) || '|' || sum(expanded_ug) FROM nawi_calibration_rows")" \
    "$(sqlite3 "$h1" "SELECT count(*) || '|' || sum(repeat_s_ug) FROM nawi_calibrations WHERE status = 'committed'")/$(sqlite3 "$h1" "SELECT count(*) || '|' || sum(expanded_ug) FROM nawi_calibration_rows")"
expect_eq "and it is one" "$(pg_sql "SELECT count(*) FROM nawi_calibrations")" 1
expect_eq "the raw frame arrives byte for byte" "$(pg_sql "SELECT encode(raw, 'hex') FROM measurements ORDER BY id LIMIT 1")" "$(sqlite3 "$h1" "SELECT lower(hex(raw)) FROM measurements ORDER BY id LIMIT 1")"
expect_eq "the inbox is empty after" "$(pg_sql "SELECT count(*) FROM inbox")" 0
out=$(sc "$h1" sync --as O101 --json "$URL")
expect_match "the next sync hears what the district holds" "$out" "\"held_entries\":$total,\"held_seq\":$total,\"refused\":0,"

# The same batches sent again change nothing.
sqlite3 "$h1" "UPDATE sync_remotes SET pushed_seq = 0"
sc "$h1" sync --as O101 "$URL" >/dev/null
out=$(pg_ingest --json | tail -1)
expect_match "a batch sent twice is held already: nothing new" "$out" '"entries":[0-9]+,"records":0,.*"duplicates":'"$total"',"refused":0'
expect_eq "and the counts stay" "$(pg_sql "SELECT count(*) FROM inspections")" "$ins"

# A draft is not pushed; once committed it is.
sqlite3 "$h1" "INSERT INTO inspections (id, stall, market, officer1, started_at, status, updated_at) VALUES ('dddddddd-0000-4000-8000-000000000001', 'M1-002', 'M1', 'O101', '2026-11-20T09:00:00Z', 'draft', '2026-11-20T09:00:00Z')"
sc "$h1" sync --as O101 "$URL" >/dev/null
pg_ingest >/dev/null
expect_eq "a draft stays on the handheld" "$(pg_sql "SELECT count(*) FROM inspections WHERE id LIKE 'dddddddd%'")" 0

# A docked handheld syncs with no one signed in (a cron job, the cradle's
# hook): no badge, no PIN read, although this database has officers.  What
# it pushes was signed as it was made; the ingest checks it as any other.
sc "$h1" draw --market M2 --drill --seed docked --as O101 >/dev/null || fail "a drill draw on h1"
out=$("$SC" --db "$h1" sync --json "$URL" </dev/null 2>&1); rc=$?
expect_match "a docked sync needs no officer" "$rc:$out" '^0:\{"district":.*"entries":1,.*"draws_sent":1,'
expect_match "and pulls the lists like any other" "$out" '"lists_pulled":[0-9]+\}$'
expect_match "what it pushed, the ingest takes" "$(pg_ingest --json | tail -1)" '"entries":1,"records":1,.*"refused":0'
out=$(PIN=9999 sc "$h1" sync --as O101 "$URL" 2>&1); rc=$?
expect_match "an officer named on a plain sync is still checked" "$rc:$out" "^1:.*wrong badge or PIN"

# The registry: the admin pushes it; the office's ingest takes it (a device
# with the registry right) and signs each record; a fresh handheld, once
# enrolled and trusting the district's key, pulls it, officers and recusals
# included, and can then sign in.
out=$(sc "$h1" sync --as A001 --push-registry --json "$URL")
expect_match "the admin pushes the registry" "$out" '"registry_pushed":1[0-9][0-9],'
out=$(pg_ingest --json | tail -1)
expect_match "the ingest applies and signs it" "$out" '"registry":1[0-9][0-9],'
expect_eq "every registry record signed" "$(pg_sql "SELECT count(*) FROM registry_sigs")" "$(pg_sql "SELECT (SELECT count(*) FROM markets) + (SELECT count(*) FROM operators) + (SELECT count(*) FROM stalls) + (SELECT count(*) FROM instruments) + (SELECT count(*) FROM weight_sets) + (SELECT count(*) FROM officers)")"
h2=$TMP/h2.db
out=$(sc "$h2" sync --json "$URL" 2>&1); rc=$?
expect_match "a fresh handheld that does not trust the district's key pulls no registry" "$rc:$out" "^1:.*does not trust the district's key yet.*stallcheck device trust-district"
role2=$(pg_enrol "$h2") || fail "enrol h2"
out=$(sc "$h2" sync --json "$(pg_role_url "$role2")"); rc=$?
expect_eq "enrolled and trusting, it syncs to bootstrap under its own role" "$rc" 0
expect_eq "it has the stalls" "$(sqlite3 "$h2" 'SELECT count(*) FROM stalls')" 60
expect_eq "it has the recusal" "$(sqlite3 "$h2" "SELECT market FROM officer_recusals WHERE badge = 'O103'")" M1
check "and the officers can sign in there" sc "$h2" sync --as O102 "$(pg_role_url "$role2")"
out=$(sc "$h2" sync --as O102 --json "$(pg_role_url "$role2")")
expect_match "nothing changed: nothing pulled again" "$out" '"registry_pulled":0,'
# A change made in the district's database behind the office's back is not
# signed: the handheld keeps what it had and says so.
pg_sql "UPDATE stalls SET name = '改过的名字' WHERE code = 'M3-007'" >/dev/null
out=$(sc "$h2" sync --as O102 --json "$(pg_role_url "$role2")" 2>&1)
expect_match "an unsigned change is refused by name" "$out" "registry stall M3-007 refused: it is not as the district signed it"
expect_eq "and not applied" "$(sqlite3 "$h2" "SELECT name FROM stalls WHERE code = 'M3-007'")" "摊位 7"
# The office changes it the way it should: on its handheld, pushed, signed.
printf 'market,market_name,district,stall,stall_name,category\nM3,南桥集贸市场,示范区,M3-007,新名字,vegetables\n' >"$TMP/rename.csv"
check "the office renames the stall on its handheld" sc "$h1" import --as A001 "$TMP/rename.csv"
sc "$h1" sync --as A001 --push-registry "$URL" >/dev/null
pg_ingest >/dev/null
out=$(sc "$h2" sync --as O102 --json "$(pg_role_url "$role2")")
expect_match "one registry change pulled" "$out" '"registry_pulled":1,'
expect_eq "with its new name" "$(sqlite3 "$h2" "SELECT name FROM stalls WHERE code = 'M3-007'")" 新名字
check "pulled changes are audited on the handheld" sc "$h2" verify

# Lists computed on the district from every handheld's records (the office
# runs `district lists`; tests/integration/district.sh holds them against
# the handhelds'), pulled by the next sync.
check "the office scores the stalls" "$SC" district lists "$URL"
expect_eq "the district lists every stall" "$(pg_sql "SELECT count(*) FROM district_status")" 60
sc "$h2" sync --as O102 "$(pg_role_url "$role2")" >/dev/null
expect_eq "the handheld has the district's lists" "$(sqlite3 "$h2" 'SELECT count(*) FROM district_lists')" 60

# Several handhelds at once, each under its own role, with the server
# killed in the middle.
for i in 3 4 5 6; do
    "$gen" "$TMP/h$i.db" --inspections 250 --seed "$i" >/dev/null
    eval "role$i=\$(pg_enrol \"\$TMP/h$i.db\")" || fail "enrol h$i"
done
before=$(pg_sql "SELECT count(*) FROM inspections")
pids=""
for i in 3 4 5 6; do
    eval "r=\$role$i"
    sc "$TMP/h$i.db" sync --as O104 --batch 20 --no-pull "$(pg_role_url "$r")" >"$TMP/s$i.out" 2>&1 &
    pids="$pids $!"
done
# Kill it once about a third has arrived (or after 10 s at most).
n=0
while [ "$(pg_sql "SELECT count(*) FROM inbox WHERE payload IS NOT NULL")" -lt 330 ] && [ $n -lt 200 ]; do
    sleep 0.05; n=$((n + 1))
done
pg_kill
cut=0
for p in $pids; do wait "$p" || cut=$((cut + 1)); done
check "the server restarts" pg_restart
for i in 3 4 5 6; do
    eval "r=\$role$i"
    sc "$TMP/h$i.db" sync --as O104 "$(pg_role_url "$r")" >"$TMP/r$i.out" 2>&1 || fail "resync h$i" "$(cat "$TMP/r$i.out")"
done
pg_ingest >/dev/null
want=$((before + 1000))
expect_eq "after the cut ($cut of 4 syncs cut), every inspection exactly once" "$(pg_sql "SELECT count(*) FROM inspections")" "$want"
want_f=$(for i in 1 3 4 5 6; do sqlite3 "$TMP/h$i.db" "SELECT count(*) FROM findings f JOIN inspections i ON i.id = f.inspection WHERE i.status = 'committed'"; done | awk '{s += $1} END {print s}')
expect_eq "and every finding" "$(pg_sql "SELECT count(*) FROM findings")" "$want_f"
# Entries a sync's own pull appended go up with the next sync: count what
# each handheld has pushed.
want_a=$(for i in 1 2 3 4 5 6; do sqlite3 "$TMP/h$i.db" "SELECT pushed_seq FROM sync_remotes"; done | awk '{s += $1} END {print s}')
expect_eq "and every audit entry pushed (of every handheld)" "$(pg_sql "SELECT count(*) FROM audit_log")" "$want_a"
expect_eq "each device's entries on the district are exactly 1..pushed_seq" \
    "$(pg_sql "SELECT count(*) FROM (SELECT device FROM audit_log GROUP BY device HAVING min(seq) <> 1 OR max(seq) <> count(*)) x")" 0

# The client killed (SIGKILL) at a moment of the kernel's choosing.
"$gen" "$TMP/h8.db" --inspections 1000 --seed 8 >/dev/null
role8=$(pg_enrol "$TMP/h8.db") || fail "enrol h8"
sc "$TMP/h8.db" sync --as O101 --batch 20 --no-pull "$(pg_role_url "$role8")" >/dev/null 2>&1 &
p8=$!
dev8=$(pg_device "$TMP/h8.db")
n=0
while [ "$(pg_sql "SELECT count(*) FROM inbox WHERE device = '$dev8' AND payload IS NOT NULL")" -lt 300 ] && [ $n -lt 400 ]; do
    sleep 0.05; n=$((n + 1))
done
kill -KILL $p8 2>/dev/null; wait $p8 2>/dev/null
mid8=$(pg_sql "SELECT count(*) FROM inbox WHERE device = '$dev8'")
check "after a killed client the next sync finishes" sc "$TMP/h8.db" sync --as O101 --no-pull "$(pg_role_url "$role8")"
pg_ingest >/dev/null
expect_eq "all 1000 inspections there once (the kill came at $mid8 entries)" "$(pg_sql "SELECT count(*) FROM inspections WHERE device = '$dev8'")" 1000

# One handheld syncing twice at once: nothing doubled, the mark at the end.
"$gen" "$TMP/h7.db" --inspections 300 --seed 7 >/dev/null
role7=$(pg_enrol "$TMP/h7.db") || fail "enrol h7"
sc "$TMP/h7.db" sync --as O101 --batch 10 --no-pull "$(pg_role_url "$role7")" >/dev/null 2>&1 &
p1=$!
sc "$TMP/h7.db" sync --as O101 --batch 10 --no-pull "$(pg_role_url "$role7")" >/dev/null 2>&1 &
p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
expect_eq "two syncs of one handheld at once both finish" "$r1$r2" 00
pg_ingest >/dev/null
dev=$(pg_device "$TMP/h7.db")
expect_eq "its inspections once each" "$(pg_sql "SELECT count(*) FROM inspections WHERE device = '$dev'")" 300
expect_eq "its mark at its last entry" "$(sqlite3 "$TMP/h7.db" 'SELECT pushed_seq = (SELECT max(seq) FROM audit_log) FROM sync_remotes')" 1

# The district's copy anchors the chain: rewritten entries are refused.
out=$(sc "$h1" verify --remote "$URL")
expect_match "verify --remote matches the district's copy" "$out" "entries match the district's copy"
sqlite3 "$TMP/h7.db" "UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE seq = 3; UPDATE sync_remotes SET pushed_seq = 0"
out=$(sc "$TMP/h7.db" verify --remote "$URL" 2>&1); rc=$?
expect_eq "a tampered handheld fails verify" "$rc" 3
out=$(sc "$TMP/h7.db" sync --as O101 "$(pg_role_url "$role7")" 2>&1); rc=$?
expect_match "and its sync is refused, naming the entry" "$rc:$out" "^3:.*audit entry 3 .*differs from the copy the district received"
cp "$TMP/h8.db" "$TMP/copy.db"
out=$(sc "$TMP/copy.db" sync --as O101 "$(pg_role_url "$role8")" 2>&1); rc=$?
expect_match "a copy of a handheld's database does not sync as that device" "$rc:$out" "^1:.*is not the file its signing key was made for.*device new-identity"

out=$(sc "$h1" sync --as O101 "postgresql://stallcheck@127.0.0.1:1/none?connect_timeout=2" 2>&1); rc=$?
expect_match "an unreachable district is a clear error" "$rc:$out" "^1:stallcheck: sync: cannot reach the district database"
out=$("$SC" sync --help)
expect_match "--help names the roles" "$out" "Roles: a docked handheld syncs with no one signed in; named with --as,"
expect_match "and who signs in for what" "$out" "^officer, metrology and admin sync; --init and --push-registry are the$"
done_testing
