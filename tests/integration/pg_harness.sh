# The throwaway PostgreSQL of tests/pg.sh: loopback only, a private socket,
# survives a kill + restart, and leaves nothing behind.
. "$(dirname "$0")/../lib.sh"
. "$STALLCHECK_TOP/tests/pglib.sh"

if ! pg_start; then
    if pg_required; then fail "the test server starts" "tests/pg.sh start failed"
    else skip "the test server" "tests/pg.sh could not start PostgreSQL here"; fi
    done_testing; exit
fi
ok "the test server starts"
port=${STALLCHECK_PG_URL##*:}; port=${port%%/*}
expect_match "the URL names the loopback address" "$STALLCHECK_PG_URL" '^postgresql://stallcheck@127\.0\.0\.1:[0-9]+/stallcheck$'
expect_eq "it answers" "$(pg_sql 'SELECT 40 + 2')" 42
expect_eq "listening on 127.0.0.1 only" "$(pg_sql 'SHOW listen_addresses')" 127.0.0.1
check "its unix socket is in its own directory" test -S "$STALLCHECK_PG_DIR/.s.PGSQL.$port"
pg_sql 'CREATE TABLE t (x int); INSERT INTO t VALUES (1)' >/dev/null
pg_kill
if psql "$STALLCHECK_PG_URL" -qAtX -c 'SELECT 1' >/dev/null 2>&1; then fail "a killed server is gone"; else ok "a killed server is gone"; fi
check "it restarts on the same port" pg_restart
expect_eq "committed data survived the kill" "$(pg_sql 'SELECT count(*) FROM t')" 1
dir=$STALLCHECK_PG_DIR
sh "$PG_SH" stop "$dir"
check "stop removes its directory" test ! -e "$dir"
done_testing
