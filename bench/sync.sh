#!/bin/sh
# District sync under load: 20 docked handhelds, each with 5,000 inspections,
# sync at once to a throwaway PostgreSQL on loopback (the push: signed
# entries with their records into the district's inbox), and the office's
# ingest checks and stores what they pushed (signatures, hashes, whose
# ids); the district's counts must match exactly.  Then 20 more handhelds sync while
# the server is killed mid-sync, it is restarted, they sync again: exact
# counts again.  The peer is 20 psql \copy of the same rows the pushes
# sent (dumped from the inbox before the ingest), at once, into a table of
# the inbox's columns and key, with no idempotence: sync ratio = the 20
# pushes' time / its time.  Also printed: the ingest's time, push and
# ingest together, bench/push_modes (the push's rows sent as COPY into a
# session table + INSERT ... SELECT, or in pipeline mode), and the older
# peer (the inspections and findings alone, CSV into bare tables).
#   SYNC_HANDHELDS=20 SYNC_INSPECTIONS=5000 sh bench/sync.sh
set -u
top=${STALLCHECK_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
export STALLCHECK_TOP="$top"
SC=${STALLCHECK_BIN:-$top/build/stallcheck}
N=${SYNC_HANDHELDS:-20}
M=${SYNC_INSPECTIONS:-5000}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/stallcheck-bench.XXXXXX")
PG="$top/tests/pg.sh"
pgdir=""
cleanup() { [ -n "$pgdir" ] && sh "$PG" stop "$pgdir"; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
die() { echo "bench: sync FAILED: $*"; exit 1; }
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.2f", $2 - $1}'; }

eval "$(sh "$PG" start $$)" || die "no PostgreSQL"
pgdir=$STALLCHECK_PG_DIR
URL=$STALLCHECK_PG_URL
sql() { psql "$URL" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
gen=$(sh "$top/tests/tools/build.sh" gen_handheld) || die "fixture tool"
# Signed in as an admin or O101 (PIN 1234 on stdin: the binary reads no
# badge or PIN from the environment) where a command needs one.
sc() { printf '1234\n' | "$SC" "$@"; }
# A handheld's sync as it runs docked at the office: no one signed in (the
# records were signed as they were made; the device's role is the credential).
docked() { "$SC" "$@" </dev/null; }

# Handhelds, built in parallel (not timed).
make_handhelds() { # PREFIX SEED0
    i=1
    while [ "$i" -le "$N" ]; do
        "$gen" "$TMP/$1$i.db" --inspections "$M" --seed $(($2 + i)) >/dev/null &
        if [ $((i % 4)) -eq 0 ]; then wait; fi
        i=$((i + 1))
    done
    wait
}
make_handhelds a 100
[ -f "$TMP/a$N.db" ] || die "handhelds not built"
sc --db "$TMP/a1.db" sync --as A001 --init "$URL" >/dev/null || die "init"
# The office enrols each handheld (db/enrol.h); a1 was enrolled by --init.
enrol() { # DB
    show=$("$SC" --db "$1" device show --json) || return 1
    "$SC" district enrol "$URL" --device "$(printf '%s' "$show" | sed 's/.*"device":"\([^"]*\)".*/\1/')" \
        --key "$(printf '%s' "$show" | sed 's/.*"public_key":"\([^"]*\)".*/\1/')" --json >/dev/null
}
i=2; while [ "$i" -le "$N" ]; do enrol "$TMP/a$i.db" || die "enrol a$i"; i=$((i + 1)); done
ingest() { "$SC" district ingest "$URL" --json | tail -1; }
# Each handheld pushes as a real one does: under its own device role
# (sc_ + 12 hex of its id), so the inbox's row check runs on every row.
# The throwaway cluster trusts loopback, so the role's password is not
# needed here.
role_urls() { # PREFIX
    i=1
    while [ "$i" -le "$N" ]; do
        dev=$("$SC" --db "$TMP/$1$i.db" device show --json | sed 's/.*"device":"\([^"]*\)".*/\1/')
        role="sc_$(printf '%s' "$dev" | cut -c1-8)$(printf '%s' "$dev" | cut -c10-13)"
        printf '%s\n' "$URL" | sed "s#//[^@/]*@#//$role@#" >"$TMP/$1$i.url"
        i=$((i + 1))
    done
}
role_urls a

# Phase 1: all at once, side by side with the peer: the 20 pushes, then the
# same rows loaded by 20 psql \copy at once into a table of the inbox's
# columns and key (as the owner, no idempotence), pair after pair
# (SYNC_PAIRS, default 3); the ratio is of the medians.  Before each pair
# after the first, the inbox is emptied and each handheld's mark set back
# to 0, so every push sends everything again (as a sync does after its
# batches were lost); the ingest below takes the last pair's inbox.
PAIRS=${SYNC_PAIRS:-3}
push_all() { # PREFIX OUTSUFFIX
    i=1; pids=""
    while [ "$i" -le "$N" ]; do
        docked --db "$TMP/$1$i.db" sync --no-pull "$(cat "$TMP/$1$i.url")" >"$TMP/$1$i.$2" 2>&1 &
        pids="$pids $!"; i=$((i + 1))
    done
    for p in $pids; do wait "$p" || die "a sync failed: $(cat "$TMP"/$1*."$2" | grep stallcheck | head -1)"; done
}
peer_all() {
    i=1; pids=""
    while [ "$i" -le "$N" ]; do
        psql "$URL" -qAtX -v ON_ERROR_STOP=1 \
            -c "\\copy peer_inbox (device, seq, hash, sig, entry, payload, registry) FROM '$TMP/inbox$i.copy'" >/dev/null &
        pids="$pids $!"; i=$((i + 1))
    done
    for p in $pids; do wait "$p" || die "peer load failed"; done
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
sql "CREATE TABLE peer_inbox (LIKE inbox INCLUDING ALL)" >/dev/null
pushes=""; peers=""; k=1
while [ "$k" -le "$PAIRS" ]; do
    if [ "$k" -gt 1 ]; then
        sql "TRUNCATE inbox" >/dev/null || die "empty the inbox"
        i=1; while [ "$i" -le "$N" ]; do sqlite3 "$TMP/a$i.db" "UPDATE sync_remotes SET pushed_seq = 0" || die "reset a$i"; i=$((i + 1)); done
    fi
    t0=$(now); push_all a out; t1=$(now)
    pt=$(secs "$t0" "$t1")
    if [ "$k" -eq 1 ]; then
        # What they sent, for the peer and push_modes (not timed).
        i=1
        while [ "$i" -le "$N" ]; do
            dev=$("$SC" --db "$TMP/a$i.db" device show --json | sed 's/.*"device":"\([^"]*\)".*/\1/')
            sql "\\copy (SELECT device, seq, hash, sig, entry, payload, registry FROM inbox WHERE device = '$dev' ORDER BY seq) TO '$TMP/inbox$i.copy'" >/dev/null ||
                die "dump the inbox"
            i=$((i + 1))
        done
    fi
    sql "TRUNCATE peer_inbox" >/dev/null
    t0=$(now); peer_all; t1=$(now)
    qt=$(secs "$t0" "$t1")
    [ "$(sql "SELECT count(*) FROM peer_inbox")" -eq "$(sql "SELECT count(*) FROM inbox")" ] || die "peer count"
    printf 'bench: sync_pair_%s push %s s, psql \\copy %s s\n' "$k" "$pt" "$qt"
    pushes="$pushes $pt"; peers="$peers $qt"; k=$((k + 1))
done
push=$(median $pushes); peer=$(median $peers)
rows=$(cat "$TMP"/inbox*.copy | wc -l | tr -d ' ')
echo "bench: sync_push_${N}x${M} $push s (median of $PAIRS: ${N} docked handhelds' pushes at once, each under its own role, $rows rows)"
printf 'bench: sync_peer_copy_same_rows %s s (median of %s: %s psql \\copy at once of the same %s rows)\n' "$peer" "$PAIRS" "$N" "$rows"
printf 'bench: sync ratio=%s (ours/peer: the %s pushes at once against psql \\copy of the same rows into a table of the inbox'"'"'s key, no idempotence; medians of %s pairs)\n' \
    "$(echo "$push $peer" | awk '{printf "%.2f", $1 / $2}')" "$N" "$PAIRS"
# What a push pays before it sends anything: the same syncs again, with
# nothing left to push (start-up, the connection, the marks compared).
# Inside the push's time above.
t2=$(now)
i=1; pids=""
while [ "$i" -le "$N" ]; do
    docked --db "$TMP/a$i.db" sync --no-pull "$(cat "$TMP/a$i.url")" >/dev/null 2>&1 &
    pids="$pids $!"; i=$((i + 1))
done
for p in $pids; do wait "$p" || die "a sync with nothing to push failed"; done
t3=$(now)
echo "bench: sync_nothing_to_push_${N} $(secs "$t2" "$t3") s (${N} docked syncs at once with nothing to push: start-up, connection)"
# And what an officer named with --as adds: the same, each signing O101 in
# (badge and PIN, Argon2id at 64 MiB, as every sign-in).
t2=$(now)
i=1; pids=""
while [ "$i" -le "$N" ]; do
    sc --db "$TMP/a$i.db" sync --as O101 --no-pull "$(cat "$TMP/a$i.url")" >/dev/null 2>&1 &
    pids="$pids $!"; i=$((i + 1))
done
for p in $pids; do wait "$p" || die "a signed-in sync with nothing to push failed"; done
t3=$(now)
echo "bench: sync_nothing_to_push_signed_in_${N} $(secs "$t2" "$t3") s (the same, each with an officer named: the sign-in added)"
t1=$(now)
ingest_out=$(ingest) || die "ingest"
t2=$(now)
echo "bench: sync_ingest_${N}x${M} $(secs "$t1" "$t2") s ($ingest_out)"
got=$(sql "SELECT count(*) FROM inspections")
[ "$got" -eq $((N * M)) ] || die "district has $got inspections, want $((N * M))"
want_f=$(for i in $(seq 1 "$N"); do sqlite3 "$TMP/a$i.db" "SELECT count(*) FROM findings"; done | awk '{s += $1} END {print s}')
got_f=$(sql "SELECT count(*) FROM findings")
[ "$got_f" -eq "$want_f" ] || die "district has $got_f findings, want $want_f"
want_a=$(for i in $(seq 1 "$N"); do sqlite3 "$TMP/a$i.db" "SELECT count(*) FROM audit_log"; done | awk '{s += $1} END {print s}')
got_a=$(sql "SELECT count(*) FROM audit_log")
[ "$got_a" -eq "$want_a" ] || die "district has $got_a audit entries, want $want_a"
both=$(echo "$push $(secs "$t1" "$t2")" | awk '{printf "%.2f", $1 + $2}')
echo "bench: sync_${N}x${M} $both s (push and ingest; district: $got inspections, $got_f findings, $got_a audit entries, exact)"
echo "bench: sync_inspections_per_s $(echo "$got $both" | awk '{printf "%d", $1 / $2}') /s (push and ingest)"

# Phase 2: 20 more handhelds, the server killed mid-sync.
make_handhelds b 500
i=1; while [ "$i" -le "$N" ]; do enrol "$TMP/b$i.db" || die "enrol b$i"; i=$((i + 1)); done
role_urls b
before=$got
t0=$(now)
i=1; pids=""
while [ "$i" -le "$N" ]; do
    docked --db "$TMP/b$i.db" sync --no-pull "$(cat "$TMP/b$i.url")" >"$TMP/b$i.out" 2>&1 &
    pids="$pids $!"; i=$((i + 1))
done
# Kill when about a third of the new inspections have arrived.
third=$((before + N * M / 3))
while [ "$(sql "SELECT $before + count(*) FROM inbox WHERE payload IS NOT NULL" 2>/dev/null || echo 0)" -lt "$third" ]; do sleep 0.05; done
mid=$(sql "SELECT $before + count(*) FROM inbox WHERE payload IS NOT NULL")
sh "$PG" kill "$pgdir"
cut=0
for p in $pids; do wait "$p" || cut=$((cut + 1)); done
sh "$PG" restart "$pgdir" || die "restart"
i=1; pids=""
while [ "$i" -le "$N" ]; do
    docked --db "$TMP/b$i.db" sync --no-pull "$(cat "$TMP/b$i.url")" >"$TMP/b$i.re" 2>&1 &
    pids="$pids $!"; i=$((i + 1))
done
for p in $pids; do wait "$p" || die "a resumed sync failed"; done
ingest >/dev/null || die "ingest after the cut"
t1=$(now)
got=$(sql "SELECT count(*) FROM inspections")
[ "$got" -eq $((before + N * M)) ] || die "after the cut the district has $got inspections, want $((before + N * M))"
want_f=$(for p in a b; do for i in $(seq 1 "$N"); do sqlite3 "$TMP/$p$i.db" "SELECT count(*) FROM findings"; done; done | awk '{s += $1} END {print s}')
got_f=$(sql "SELECT count(*) FROM findings")
[ "$got_f" -eq "$want_f" ] || die "after the cut the district has $got_f findings, want $want_f"
dup=$(sql "SELECT count(*) FROM (SELECT device FROM audit_log GROUP BY device HAVING min(seq) <> 1 OR max(seq) <> count(*)) x")
[ "$dup" -eq 0 ] || die "$dup devices' audit entries are not exactly 1..n"
echo "bench: sync_cut_resume_${N}x${M} $(secs "$t0" "$t1") s (server killed at $mid inspections, $cut of $N syncs cut; after resume: $got inspections, $got_f findings, exact)"

# The push's two ways on one handheld's rows, one connection (bench/push_modes.c).
"${STALLCHECK_BUILD:-$top/build}/bench/push_modes" "$URL" "$TMP/inbox1.copy" || die "push_modes"

# The older peer: the inspections and findings alone, CSV into bare tables.
sql "CREATE TABLE peer_inspections AS TABLE inspections WITH NO DATA; CREATE TABLE peer_findings AS TABLE findings WITH NO DATA" >/dev/null
for i in $(seq 1 "$N"); do
    sqlite3 -csv "$TMP/a$i.db" "SELECT id, stall, market, officer1, officer2, draw, started_at, ended_at, status, device, place, note FROM inspections" >"$TMP/pi$i.csv"
    sqlite3 -csv "$TMP/a$i.db" "SELECT inspection, item, answer, note, deadline FROM findings" >"$TMP/pf$i.csv"
done
t0=$(now)
i=1; pids=""
while [ "$i" -le "$N" ]; do
    psql "$URL" -qAtX -v ON_ERROR_STOP=1 \
        -c "\\copy peer_inspections (id, stall, market, officer1, officer2, draw, started_at, ended_at, status, device, place, note) FROM '$TMP/pi$i.csv' CSV" \
        -c "\\copy peer_findings (inspection, item, answer, note, deadline) FROM '$TMP/pf$i.csv' CSV" >/dev/null &
    pids="$pids $!"; i=$((i + 1))
done
for p in $pids; do wait "$p" || die "peer load failed"; done
t1=$(now)
old=$(secs "$t0" "$t1")
[ "$(sql "SELECT count(*) FROM peer_inspections")" -eq $((N * M)) ] || die "peer count"
echo "bench: sync_peer_inspections_findings $old s (push/that $(echo "$push $old" | awk '{printf "%.2f", $1 / $2}'), push and ingest/that $(echo "$both $old" | awk '{printf "%.2f", $1 / $2}'))"
