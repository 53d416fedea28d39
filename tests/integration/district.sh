# The district's lists held against the handhelds' (a real PostgreSQL on
# loopback, tests/pg.sh): three handhelds whose records make every list rule
# fire (tests/tools/gen_scenarios.c: follow-ups escalated after their
# deadlines, black listings held until a clean re-inspection, fair-scale
# complaints, red lists earned and lost, scores below the line, stalls whose
# history is split between two handhelds) sync; `stallcheck district lists`
# scores them; every stall's score, list, since, until and reason must equal
# what a handheld holding all those records computes, what each handheld
# computes for the stalls only it inspected, and what each handheld pulls.
# Then the runs are incremental, safe twice at once and beside a sync, and a
# demo district on two seeds ends equal too.
. "$(dirname "$0")/../lib.sh"
. "$STALLCHECK_TOP/tests/pglib.sh"

if ! pg_start; then
    if pg_required; then fail "the test server starts" "tests/pg.sh start failed"
    else skip "the district's lists against PostgreSQL" "tests/pg.sh could not start a server here"; fi
    done_testing; exit
fi
gen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_handheld) || { fail "build gen_handheld"; done_testing; exit 1; }
scen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_scenarios) || { fail "build gen_scenarios"; done_testing; exit 1; }
URL=$STALLCHECK_PG_URL
TODAY=2026-11-25
# sc DB COMMAND...: the PIN as one line of stdin (the command's --as names the badge).
sc() { db=$1; shift; printf '1234\n' | "$SC" --db "$db" "$@"; }
K=3

i=0
while [ $i -lt $K ]; do
    h=$TMP/h$i.db
    "$gen" "$h" --inspections 0 --seed $((i + 1)) >/dev/null || fail "fixture h$i"
    "$scen" "$h" --handheld $i --handhelds $K --today $TODAY || fail "scenarios h$i"
    i=$((i + 1))
done
clock_at "${TODAY}T12:00:00Z"
check "the admin creates the district with the rules in force" sc "$TMP/h0.db" sync --as A001 --init "$URL"
check "and pushes the registry" sc "$TMP/h0.db" sync --as A001 --push-registry --no-pull "$URL"
# Each handheld under its own role (h0, the office's, under the owner's);
# the office's ingest checks and stores what they push.
url0=$URL
i=1
while [ $i -lt $K ]; do
    role=$(pg_enrol "$TMP/h$i.db") || fail "enrol h$i"
    eval "url$i=\$(pg_role_url \"\$role\")"
    i=$((i + 1))
done
url_of() { eval "printf '%s' \"\$url$1\""; }
i=0
while [ $i -lt $K ]; do
    check "handheld $i pushes its records" sc "$TMP/h$i.db" sync --as O101 --no-pull "$(url_of $i)"
    i=$((i + 1))
done
check "the office ingests them" pg_ingest
out=$("$SC" district lists "$URL" --json); rc=$?
expect_eq "district lists runs" "$rc" 0
expect_match "and scores every stall the first time" "$out" '"dirty":[0-9]*,"lapsed":[0-9]*,"recomputed":60,'
i=0
while [ $i -lt $K ]; do
    check "handheld $i pulls the district's lists" sc "$TMP/h$i.db" sync --as O101 "$(url_of $i)"
    i=$((i + 1))
done

# The lines compared: stall|score|list|since|until|reason.
district() {
    pg_sql "SELECT stall || '|' || score || '|' || list || '|' || coalesce(since, '') || '|'
            || coalesce(until, '') || '|' || reason FROM district_status ORDER BY stall" | sort
}
stored() { # the handheld's own lines (stall_status), after `lists` brought them up to date
    sc "$1" lists --all --as O101 >/dev/null
    sqlite3 "$1" "SELECT stall || '|' || score || '|' || list || '|' || coalesce(since, '') || '|'
                  || coalesce(until, '') || '|' || reason FROM stall_status" | sort
}
listed() { # DB [OPTIONS]: `lists --all --json`: stall|score|list|since|until
    _db=$1; shift
    sc "$_db" lists --all --json --as O101 "$@" |
        sed 's/.*"stall":"\([^"]*\)".*"score":\([0-9]*\).*"list":"\([a-z]*\)","since":\([^,]*\),"until":\([^,]*\),.*/\1|\2|\3|\4|\5/; s/null//g; s/"//g' | sort
}
pulled() {
    sqlite3 "$1" "SELECT stall || '|' || score || '|' || list || '|' || coalesce(since, '') || '|'
                  || coalesce(until, '') || '|' || reason FROM district_lists" | sort
}
pg_sql_at() { psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2"; }
json_num() { printf '%s\n' "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }
same() { # NAME WANT GOT
    if [ "$2" = "$3" ]; then ok "$1"
    else fail "$1" "$(printf '%s\n' "$2" >"$TMP/want"; printf '%s\n' "$3" >"$TMP/got"; diff "$TMP/want" "$TMP/got" | head -6 | tr '\n' ' ')"; fi
}
D=$(district)
expect_eq "the district has a line for every stall" "$(printf '%s\n' "$D" | wc -l | tr -d ' ')" 60

# Every rule fired.
for reason in item followup fairscale below; do
    expect_match "a stall is black for '$reason'" "$D" "\|black\|[0-9-]*\|[0-9-]*\|$reason"
done
expect_match "stalls are red" "$D" "\|red\|\|\|"
expect_match "a black listing past its year holds until a clean re-inspection (M1-003)" \
    "$(printf '%s\n' "$D" | grep '^M1-003|')" "^M1-003\|[0-9]*\|black\|2025-10-21\|2026-10-21\|item$"
expect_match "a black listing ended by one (M1-004)" "$(printf '%s\n' "$D" | grep '^M1-004|')" "\|none\|\|\|$"
expect_match "a follow-up not fixed after two deadlines (M1-005)" \
    "$(printf '%s\n' "$D" | grep '^M1-005|')" "\|black\|.*\|followup$"

# One handheld holding every record computes the same (the union of the
# three, its stored lines made again).
cp "$TMP/h0.db" "$TMP/all.db"
union_add() { # DB: its records into all.db (what is there already kept)
    sqlite3 "$TMP/all.db" "ATTACH '$1' AS o;
        INSERT OR IGNORE INTO inspections SELECT * FROM o.inspections;
        INSERT OR IGNORE INTO measurements SELECT * FROM o.measurements;
        INSERT OR IGNORE INTO findings SELECT * FROM o.findings;
        INSERT OR IGNORE INTO reweighs SELECT * FROM o.reweighs;
        DELETE FROM stall_status;" || fail "union of $1"
}
i=1
while [ $i -lt $K ]; do
    union_add "$TMP/h$i.db"
    i=$((i + 1))
done
same "the district's lines equal one handheld's with every record (stored)" "$D" "$(stored "$TMP/all.db")"
same "and its list as printed (--json)" "$(printf '%s\n' "$D" | cut -d'|' -f1-5)" "$(listed "$TMP/all.db")"

# Each handheld: what it pulled, and its own lines for the stalls only it
# inspected (a stall s is first inspected by s % K; every other dozen is
# finished by the next handheld: gen_scenarios).
i=0
while [ $i -lt $K ]; do
    same "handheld $i pulled the district's lines" "$D" "$(pulled "$TMP/h$i.db")"
    own=""
    s=0
    while [ $s -lt 60 ]; do
        first=$((s % K)); later=$first
        [ $(((s / 12) % 2)) -eq 1 ] && later=$(((first + 1) % K))
        [ $first -eq $i ] && [ $later -eq $i ] && own="$own M$((s / 20 + 1))-$(printf '%03d' $((s % 20 + 1)))"
        s=$((s + 1))
    done
    printf '%s|\n' $own >"$TMP/own$i"
    want=$(printf '%s\n' "$D" | grep -F -f "$TMP/own$i")
    got=$(stored "$TMP/h$i.db" | grep -F -f "$TMP/own$i")
    expect_eq "handheld $i inspected $(printf '%s\n' "$want" | wc -l | tr -d ' ') stalls alone" \
        "$([ -n "$want" ] && echo yes)" yes
    same "handheld $i's own lines for them equal the district's" "$want" "$got"
    i=$((i + 1))
done
# A stall whose follow-up one handheld opened and another closed: the
# district sees it closed (red), the first handheld alone does not.
expect_match "split stall M1-018: red on the district" "$(printf '%s\n' "$D" | grep '^M1-018|')" "\|red\|"
expect_match "and not on the handheld that saw only the failure" \
    "$(stored "$TMP/h2.db" | grep '^M1-018|')" "\|none\|"

# Incremental: nothing new, nothing scored; one new inspection, one stall.
expect_match "a second run scores nothing" "$("$SC" district lists "$URL" --json)" '"dirty":0,"lapsed":0,"recomputed":0,'
"$scen" "$TMP/h1.db" --handheld 0 --handhelds 60 --today $TODAY || fail "one more record"
sc "$TMP/h1.db" sync --as O101 --no-pull "$(url_of 1)" >/dev/null
pg_ingest >/dev/null
expect_match "a run after a sync scores the stalls it brought" "$("$SC" district lists "$URL" --json)" '"dirty":[1-9][0-9]*,"lapsed":0,'
union_add "$TMP/h1.db"
same "and the lines still equal the handheld with every record" "$(district)" "$(stored "$TMP/all.db")"

# Twice at once, beside a sync and its ingest: runs take turns; what the
# ingest stores is scored by the run after it, never lost.
"$scen" "$TMP/h2.db" --handheld 1 --handhelds 60 --today $TODAY || fail "more records"
(sc "$TMP/h2.db" sync --as O101 --no-pull "$(url_of 2)" && pg_ingest) >"$TMP/sync.out" 2>&1 &
p0=$!
"$SC" district lists "$URL" >"$TMP/r1.out" 2>&1 &
p1=$!
"$SC" district lists "$URL" >"$TMP/r2.out" 2>&1 &
p2=$!
wait $p0; r0=$?; wait $p1; r1=$?; wait $p2; r2=$?
expect_eq "the sync, its ingest and two runs at once all finish" "$r0$r1$r2" 000
check "a run after them" "$SC" district lists "$URL"
union_add "$TMP/h2.db"
same "the lines equal the handheld with every record" "$(district)" "$(stored "$TMP/all.db")"
expect_eq "nothing left marked" "$(pg_sql "SELECT count(*) FROM district_dirty")" 0

# Time passes: lines whose window moved are scored again (and only those),
# and equal the handheld's on that day.
clock_at 2026-12-20T12:00:00Z
out=$("$SC" district lists "$URL" --json)
expect_match "a month later the lapsed lines are scored again" "$out" '"dirty":0,"lapsed":[1-9][0-9]*,'
n=$(json_num "$out" recomputed)
expect_eq "not all of them ($n)" "$([ "${n:-0}" -gt 0 ] && [ "${n:-0}" -lt 60 ] && echo yes)" yes
same "and equal the handheld's on that day" "$(district)" "$(stored "$TMP/all.db")"

# Rules: the office adopts other rules on its handheld and runs --init
# again (which takes the rules in force there): every stall scored again
# with them, equal to a handheld under the same rules.
printf '[red]\nmin_inspections = 3\n' >"$TMP/strict.ini"
check "the office adopts stricter rules" sc "$TMP/h0.db" rules adopt "$TMP/strict.ini" --as A001
check "--init again sets them on the district" sc "$TMP/h0.db" sync --as A001 --init "$URL"
expect_match "other rules: every stall scored again" "$("$SC" district lists "$URL" --json)" '"recomputed":60,'
same "under them too the district equals the handheld with every record (lists --rules)" \
    "$(district | cut -d'|' -f1-5)" "$(listed "$TMP/all.db" --rules "$TMP/strict.ini")"
same "which stored nothing under those rules" "$(sqlite3 "$TMP/all.db" "SELECT DISTINCT rules FROM stall_status")" \
    "$(sqlite3 "$TMP/h1.db" "SELECT DISTINCT rules FROM stall_status")"

# The district's days are the bureau's: --init stores the zone of the
# office's handheld; a bureau in another zone (UTC here) gets its days, on
# the district as on a handheld (M1-003's find at 16:30 UTC is then a day
# earlier than in Beijing).
expect_eq "--init stores the bureau's zone" "$(pg_sql "SELECT value FROM district_info WHERE key = 'timezone'")" Asia/Shanghai
check "the office's zone set to UTC" sc "$TMP/h0.db" settings timezone UTC --as A001
check "--init again stores it" sc "$TMP/h0.db" sync --as A001 --init "$URL"
check "the district scores again" "$SC" district lists "$URL" --full
expect_match "in UTC the find counts on its UTC day (M1-003)" "$(district | grep '^M1-003|')" "^M1-003\|[0-9]*\|black\|2025-10-20\|2026-10-20\|item$"
sc "$TMP/all.db" settings timezone UTC --as A001 >/dev/null
same "and equals a handheld in that zone" "$(district | cut -d'|' -f1-5)" "$(listed "$TMP/all.db" --rules "$TMP/strict.ini")"

# The demo district, two seeds, each in a district of its own: the
# district's lines equal the handheld's (sync --init takes the database's
# rules_file setting: the demo's built-in rules here).
for seed in 11 5; do
    d=$TMP/demo$seed.db
    printf '1234\n' | "$SC" --db "$d" demo-data --stalls 150 --months 12 --seed $seed --today $TODAY >/dev/null ||
        fail "demo-data seed $seed"
    pg_sql "CREATE DATABASE demo$seed" >/dev/null
    U=${URL%/*}/demo$seed
    sc "$d" sync --as 9000 --init "$U" >/dev/null || fail "init demo $seed"
    sc "$d" sync --as 9000 --push-registry --no-pull "$U" >/dev/null || fail "registry demo $seed"
    sc "$d" sync --as 1001 --no-pull "$U" >/dev/null || fail "push demo $seed"
    "$SC" district ingest "$U" >/dev/null || fail "ingest demo $seed"
    "$SC" district lists "$U" >/dev/null || fail "lists demo $seed"
    DD=$(pg_sql_at "$U" "SELECT stall || '|' || score || '|' || list || '|' || coalesce(since, '') || '|'
                         || coalesce(until, '') || '|' || reason FROM district_status" | sort)
    same "demo seed $seed: the district's lines equal the handheld's" "$DD" "$(sc "$d" lists --all --as 1001 >/dev/null;
        sqlite3 "$d" "SELECT stall || '|' || score || '|' || list || '|' || coalesce(since, '') || '|'
                      || coalesce(until, '') || '|' || reason FROM stall_status" | sort)"
    expect_match "demo seed $seed has black stalls" "$DD" "\|black\|"
done
done_testing
