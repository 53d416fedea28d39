# For shell suites that need a real PostgreSQL server: source after lib.sh,
# then call pg_start.  It sets STALLCHECK_PG_URL and STALLCHECK_PG_DIR and
# stops the server at exit (tests/pg.sh's watchdog also does if we die).
# Returns non-zero when no server could be started: under CI that is a
# failure; elsewhere the caller skips, saying why.
PG_SH="$STALLCHECK_TOP/tests/pg.sh"
pg_start() {
    _pg_env=$(sh "$PG_SH" start $$ </dev/null) || return 1
    eval "$_pg_env"
    at_exit "sh '$PG_SH' stop '$STALLCHECK_PG_DIR'"
    export STALLCHECK_PG_URL STALLCHECK_PG_DIR
}
pg_kill() { sh "$PG_SH" kill "$STALLCHECK_PG_DIR"; }
pg_restart() { sh "$PG_SH" restart "$STALLCHECK_PG_DIR"; }
# pg_sql SQL: one query on the district database, unaligned, tuples only.
pg_sql() { psql "$STALLCHECK_PG_URL" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
pg_required() { [ -n "${CI:-}" ] && [ "${CI:-}" != false ]; }
