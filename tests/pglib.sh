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
# The district's trust (db/enrol.h): a handheld is enrolled by the office
# before the district takes anything from it.
#   pg_enrol DB [--registry]   enrols DB's device (the office: $STALLCHECK_PG_URL;
#                              admin A001, PIN 1234), trusts the district's key
#                              on DB; prints the device's PostgreSQL role
#   pg_role_url ROLE           the district's URL as that role
#   pg_ingest [OPTIONS]        the office's ingest; its output
pg_enrol() {
    _db=$1; shift
    _show=$("$SC" --db "$_db" device show --json) || return 1
    _dev=$(printf '%s' "$_show" | sed 's/.*"device":"\([^"]*\)".*/\1/')
    _key=$(printf '%s' "$_show" | sed 's/.*"public_key":"\([^"]*\)".*/\1/')
    _out=$(printf '1234\n' | "$SC" district enrol "$STALLCHECK_PG_URL" --device "$_dev" \
        --key "$_key" --as A001 --json "$@") || return 1
    _dkey=$("$SC" district key "$STALLCHECK_PG_URL" --json | sed 's/.*"key":"\([^"]*\)".*/\1/')
    printf '1234\n' | "$SC" --db "$_db" device trust-district "$STALLCHECK_PG_URL" \
        --key "$_dkey" --as A001 >/dev/null || return 1
    printf '%s\n' "$_out" | sed 's/.*"role":"\([^"]*\)".*/\1/'
}
pg_role_url() { printf '%s\n' "$STALLCHECK_PG_URL" | sed "s|://[^@]*@|://$1@|"; }
pg_ingest() { "$SC" district ingest "$STALLCHECK_PG_URL" "$@"; }
# The device id of a handheld's database.
pg_device() { sqlite3 "$1" "SELECT value FROM settings WHERE key = 'device_id'"; }
