/* Setting the district up and trusting its key: see sync_init.h. */
#include "db/sync_init.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/device.h"
#include "db/enrol.h"
#include "db/identity.h"
#include "db/internal.h"
#include "db/pg.h"

/* ---- the district schema ------------------------------------------------ */

/* Registry tables carry xid: the id of the transaction that last wrote the
 * row (a trigger stamps it), so a pull finds what changed since its last
 * snapshot.  Records pushed from handhelds are immutable: no stamp, and no
 * foreign keys to the registry (a handheld may know a stall before the
 * district does); their children do reference them. */
static const char *const district_ddl[] = {
    "CREATE TABLE IF NOT EXISTS district_info ("
    "  key text PRIMARY KEY, value text NOT NULL)",
    "INSERT INTO district_info VALUES ('district_id', gen_random_uuid()::text),"
    " ('schema', '1') ON CONFLICT (key) DO NOTHING",
    "CREATE OR REPLACE FUNCTION stamp_xid() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN NEW.xid := pg_current_xact_id()::text::bigint; RETURN NEW; END $$",

    "CREATE TABLE IF NOT EXISTS markets ("
    "  code text PRIMARY KEY, name text NOT NULL, district text NOT NULL DEFAULT '',"
    "  address text NOT NULL DEFAULT '', organiser text NOT NULL DEFAULT '',"
    "  xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS operators ("
    "  licence text PRIMARY KEY, name text NOT NULL, phone text NOT NULL DEFAULT '',"
    "  xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS stalls ("
    "  code text PRIMARY KEY, market text NOT NULL REFERENCES markets (code),"
    "  name text NOT NULL DEFAULT '', category text NOT NULL,"
    "  operator text REFERENCES operators (licence), active integer NOT NULL DEFAULT 1,"
    "  xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS instruments ("
    "  code text PRIMARY KEY, kind text NOT NULL, market text NOT NULL REFERENCES markets (code),"
    "  stall text REFERENCES stalls (code), maker text NOT NULL DEFAULT '',"
    "  model text NOT NULL DEFAULT '', serial text NOT NULL DEFAULT '',"
    "  class text NOT NULL DEFAULT '', max_ug bigint NOT NULL DEFAULT 0,"
    "  min_ug bigint NOT NULL DEFAULT 0, e_ug bigint NOT NULL DEFAULT 0,"
    "  d_ug bigint NOT NULL DEFAULT 0, mark_no text NOT NULL DEFAULT '',"
    "  seal_no text NOT NULL DEFAULT '', last_verified text, due text,"
    "  protocol text NOT NULL DEFAULT '', conn text NOT NULL DEFAULT '',"
    "  active integer NOT NULL DEFAULT 1, xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS weight_sets ("
    "  code text PRIMARY KEY, name text NOT NULL DEFAULT '', class text NOT NULL,"
    "  market text REFERENCES markets (code), certificate_no text NOT NULL DEFAULT '',"
    "  calibration_due text, xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS weight_set_items ("
    "  weight_set text NOT NULL REFERENCES weight_sets (code) ON DELETE CASCADE,"
    "  nominal_ug bigint NOT NULL, count integer NOT NULL DEFAULT 1, error_ug bigint,"
    "  PRIMARY KEY (weight_set, nominal_ug))",
    "CREATE TABLE IF NOT EXISTS officers ("
    "  badge text PRIMARY KEY, name text NOT NULL, role text NOT NULL,"
    "  pin_hash text NOT NULL, market text REFERENCES markets (code),"
    "  active integer NOT NULL DEFAULT 1, xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS officer_recusals ("
    "  badge text NOT NULL REFERENCES officers (badge) ON DELETE CASCADE,"
    "  market text NOT NULL REFERENCES markets (code), reason text NOT NULL DEFAULT '',"
    "  PRIMARY KEY (badge, market))",

    "CREATE TABLE IF NOT EXISTS draws ("
    "  id text PRIMARY KEY, made_at text NOT NULL, made_by text, market text,"
    "  seed text NOT NULL, inputs text NOT NULL, result text NOT NULL,"
    "  device text NOT NULL DEFAULT '', received_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS draw_stalls ("
    "  draw text NOT NULL REFERENCES draws (id), seq integer NOT NULL,"
    "  stall text NOT NULL, followup integer NOT NULL DEFAULT 0, PRIMARY KEY (draw, seq))",
    "CREATE TABLE IF NOT EXISTS draw_officers ("
    "  draw text NOT NULL REFERENCES draws (id), seq integer NOT NULL,"
    "  badge text NOT NULL, PRIMARY KEY (draw, seq))",
    /* A draw's kind and day (the handheld's schema 13; older draws have
     * none: their inputs say it). */
    "CREATE TABLE IF NOT EXISTS draw_days ("
    "  draw text PRIMARY KEY REFERENCES draws (id), kind text NOT NULL, day text)",
    "CREATE TABLE IF NOT EXISTS inspections ("
    "  id text PRIMARY KEY, stall text NOT NULL, market text NOT NULL,"
    "  officer1 text NOT NULL, officer2 text, draw text, started_at text NOT NULL,"
    "  ended_at text, status text NOT NULL, device text NOT NULL DEFAULT '',"
    "  place text NOT NULL DEFAULT '', note text NOT NULL DEFAULT '',"
    "  received_at timestamptz NOT NULL DEFAULT now())",
    "CREATE INDEX IF NOT EXISTS inspections_by_stall ON inspections (stall, started_at)",
    "CREATE TABLE IF NOT EXISTS findings ("
    "  inspection text NOT NULL REFERENCES inspections (id), item text NOT NULL,"
    "  answer text NOT NULL, note text NOT NULL DEFAULT '', deadline text,"
    "  PRIMARY KEY (inspection, item))",
    "CREATE TABLE IF NOT EXISTS calibrations ("
    "  id text PRIMARY KEY, instrument text NOT NULL, weight_set text, officer text NOT NULL,"
    "  started_at text NOT NULL, ended_at text, status text NOT NULL,"
    "  temperature text NOT NULL DEFAULT '', verdict text,"
    "  certificate_no text NOT NULL DEFAULT '', next_due text,"
    "  device text NOT NULL DEFAULT '', note text NOT NULL DEFAULT '',"
    "  received_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS calibration_steps ("
    "  calibration text NOT NULL REFERENCES calibrations (id), seq integer NOT NULL,"
    "  test text NOT NULL, position text NOT NULL DEFAULT '', load_ug bigint NOT NULL,"
    "  indication_ug bigint, added_ug bigint NOT NULL DEFAULT 0, error_ug bigint,"
    "  mpe_ug bigint, pass integer, measurement text, PRIMARY KEY (calibration, seq))",
    /* A verification certificate's content (the handheld's schema 11;
     * older records have none). */
    "CREATE TABLE IF NOT EXISTS calibration_certificates ("
    "  calibration text PRIMARY KEY REFERENCES calibrations (id), kind text NOT NULL,"
    "  regulation text NOT NULL, verified_on text, humidity text NOT NULL,"
    "  place text NOT NULL, record_no text NOT NULL, mark_no text NOT NULL,"
    "  seal_no text NOT NULL, abandoned text NOT NULL, paper text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS calibration_step_notes ("
    "  calibration text NOT NULL REFERENCES calibrations (id), seq integer NOT NULL,"
    "  note text NOT NULL, PRIMARY KEY (calibration, seq))",
    "CREATE TABLE IF NOT EXISTS calibration_signatures ("
    "  calibration text NOT NULL REFERENCES calibrations (id), role text NOT NULL,"
    "  officer text NOT NULL, signed_at text NOT NULL, PRIMARY KEY (calibration, role))",
    /* Calibrations (校准, EURAMET cg-18; the handheld's schema 12): the
     * results with their uncertainties, one row per reading. */
    "CREATE TABLE IF NOT EXISTS nawi_calibrations ("
    "  id text PRIMARY KEY, instrument text NOT NULL, weight_set text, officer text NOT NULL,"
    "  started_at text NOT NULL, ended_at text, status text NOT NULL,"
    "  temperature text NOT NULL, humidity text NOT NULL, place text NOT NULL,"
    "  calibrated_on text, certificate_no text NOT NULL, record_no text NOT NULL,"
    "  repeat_s_ug bigint, ecc_max_ug bigint, abandoned text NOT NULL, paper text NOT NULL,"
    "  device text NOT NULL DEFAULT '', received_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS nawi_calibration_rows ("
    "  calibration text NOT NULL REFERENCES nawi_calibrations (id), seq integer NOT NULL,"
    "  test text NOT NULL, position integer NOT NULL, load_ug bigint NOT NULL,"
    "  indication_ug bigint NOT NULL, error_ug bigint NOT NULL, u_ug bigint,"
    "  expanded_ug bigint, k integer, PRIMARY KEY (calibration, seq))",
    "CREATE TABLE IF NOT EXISTS measurements ("
    "  id text PRIMARY KEY, inspection text REFERENCES inspections (id),"
    "  calibration text REFERENCES calibrations (id), instrument text,"
    "  taken_at text NOT NULL, driver text NOT NULL DEFAULT '', raw bytea,"
    "  value text NOT NULL, unit text NOT NULL DEFAULT '', value_ug bigint,"
    "  stable integer NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS reweighs ("
    "  id text PRIMARY KEY, inspection text NOT NULL REFERENCES inspections (id),"
    "  seq integer NOT NULL DEFAULT 0, goods text NOT NULL DEFAULT '', category text NOT NULL,"
    "  declared_ug bigint NOT NULL, measured_ug bigint NOT NULL,"
    "  unit_price_fen bigint NOT NULL DEFAULT 0, allowed_ug bigint,"
    "  shortfall_ug bigint NOT NULL, money_short_fen bigint NOT NULL DEFAULT 0,"
    "  verdict text NOT NULL, method text NOT NULL DEFAULT 'reference',"
    "  reference_instrument text, weight_set text, measurement text)",
    "CREATE TABLE IF NOT EXISTS audit_log ("
    "  device text NOT NULL, seq bigint NOT NULL, id text NOT NULL, at text NOT NULL,"
    "  kind text NOT NULL, record text NOT NULL, content_hash text NOT NULL,"
    "  prev_hash text NOT NULL, hash text NOT NULL,"
    "  received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (device, seq))",

    NULL};

/* ---- --init ------------------------------------------------------------- */

int sync_trusted_key(struct db *db, const char *district, char pk[DEVICE_KEY_HEX])
{
    sqlite3_stmt *st = db_stmt(db, "SELECT public_key FROM district_keys WHERE district = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, district);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        db_col_text(st, 0, pk, DEVICE_KEY_HEX);
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, "sync");
    return rc == SQLITE_ROW;
}

/* Records the district's key as trusted here (audited), inside the
 * caller's transaction. */
static int trust_key(struct db *db, const char *district, const char *pk, const char *actor)
{
    char now[24];
    db_now(now, sizeof now);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO district_keys (district, public_key, trusted_at, "
                                   "trusted_by) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (district) "
                                   "DO UPDATE SET public_key = ?2, trusted_at = ?3, "
                                   "trusted_by = ?4 WHERE public_key <> ?2");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, district);
    db_bind_text(st, 2, pk);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, actor && *actor ? actor : "(no officer yet)");
    int rc = db_step_done(db, st, "sync: district key");
    if (rc < 0 || sqlite3_changes(db_sqlite(db)) == 0)
        return rc;
    int64_t seq = audit_append(db, "district_key", district);
    return seq < 0 ? (int)seq : 0;
}

static int log_rules(PGconn *c, const unsigned char sk[64], const struct rules *rules,
                     const char *actor)
{
    struct rules defaults;
    if (!rules) {
        rules_default(&defaults);
        rules = &defaults;
    }
    char text[8192], sha[AUDIT_HASH_HEX];
    int n = rules_format(rules, text, sizeof text);
    if (n < 0 || n >= (int)sizeof text)
        return sc_error_set(SC_ERR_RANGE, "rules: too long to record");
    audit_sha256_hex(text, (size_t)n, sha);
    int rc;
    PGresult *r = pg_query(c, "SELECT subject FROM district_log WHERE action = 'rules' "
                              "ORDER BY seq DESC LIMIT 1",
                           0, NULL, "init", &rc);
    if (!r)
        return rc;
    int same = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), sha) == 0;
    PQclear(r);
    if (same)
        return 0;
    long long seq = enrol_log(c, sk, actor && *actor ? actor : "bootstrap", "rules", sha, text);
    return seq < 0 ? (int)seq : 0;
}

int sync_init(struct db *db, const char *url, const struct rules *rules, const char *actor,
              struct sync_init_result *out)
{
    memset(out, 0, sizeof *out);
    char pk[DEVICE_KEY_HEX];
    /* This handheld's key first (its own transaction when it is made). */
    int rc = identity_public_key(db, pk);
    if (rc < 0)
        return rc;
    PGconn *c;
    if ((rc = pg_connect(url, &c)) < 0)
        return rc;
    if ((rc = pg_exec(c, "BEGIN", "init")) < 0)
        goto out;
    /* Two handhelds initialising at once: one waits for the other. */
    if ((rc = pg_exec(c, "SELECT pg_advisory_xact_lock(7400051)", "init")) < 0)
        goto out;
    for (int i = 0; district_ddl[i]; i++)
        if ((rc = pg_exec(c, district_ddl[i], "init")) < 0)
            goto out;
    static const char *const stamped[] = {"markets", "operators", "stalls", "instruments",
                                          "weight_sets", "officers", NULL};
    for (int i = 0; stamped[i]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "CREATE OR REPLACE TRIGGER %s_xid BEFORE INSERT OR UPDATE ON %s "
                 "FOR EACH ROW EXECUTE FUNCTION stamp_xid()",
                 stamped[i], stamped[i]);
        if ((rc = pg_exec(c, sql, "init")) < 0)
            goto out;
    }
    if ((rc = district_lists_init(c, rules)) < 0 || (rc = enrol_schema(c)) < 0 ||
        (rc = pg_district_id(c, out->district, sizeof out->district)) < 0)
        goto out;
    /* The district's key: made here on the first --init (this is then the
     * office's machine); a later --init elsewhere leaves it alone. */
    unsigned char sk[64];
    int have = enrol_district_key(c, 1, out->district_key, sk);
    if (have == SC_ERR_NOTFOUND || have == SC_ERR_DENIED) {
        out->key_elsewhere = 1;
        rc = pg_exec(c, "COMMIT", "init");
        goto out;
    }
    if ((rc = have) < 0)
        goto out;
    /* The list rules just set, into the district's signed log when they
     * changed: what the district's lists are computed under is on record. */
    if ((rc = log_rules(c, sk, rules, actor)) < 0) {
        sodium_memzero(sk, sizeof sk);
        goto out;
    }
    /* This handheld: enrolled with the registry right (the office's own),
     * unless it is enrolled already. */
    const char *p[1] = {db_device_id(db)};
    PGresult *r = pg_query(c, "SELECT pg_role FROM devices WHERE device = $1", 1, p, "init", &rc);
    if (!r) {
        sodium_memzero(sk, sizeof sk);
        goto out;
    }
    int enrolled = PQntuples(r) > 0;
    PQclear(r);
    if (!enrolled) {
        struct enrol_request rq = {.device = db_device_id(db), .public_key = pk,
                                   .actor = actor && *actor ? actor : "bootstrap",
                                   .note = "the office's handheld, at sync --init",
                                   .registry = 1};
        struct enrol_result er;
        rc = enrol_device_in(c, sk, &rq, &er);
        if (rc >= 0) {
            out->enrolled = 1;
            snprintf(out->role, sizeof out->role, "%s", er.role);
            snprintf(out->password, sizeof out->password, "%s", er.password);
        }
    }
    sodium_memzero(sk, sizeof sk);
    if (rc < 0 || (rc = pg_exec(c, "COMMIT", "init")) < 0)
        goto out;
    /* And trusts the district's key. */
    if ((rc = db_begin(db)) < 0)
        goto out;
    if ((rc = trust_key(db, out->district, out->district_key, actor)) < 0) {
        db_rollback(db);
        goto out;
    }
    rc = db_commit(db);
out:
    PQfinish(c);
    return rc;
}

int sync_trust_district(struct db *db, const char *url, const char *key, const char *actor,
                        char district[40])
{
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    char recorded[DEVICE_KEY_HEX + 8] = "";
    if ((rc = pg_district_id(c, district, 40)) >= 0) {
        PGresult *r = pg_query(c, "SELECT value FROM district_info WHERE key = 'district_key'",
                               0, NULL, "key", &rc);
        if (r) {
            if (PQntuples(r) == 1)
                snprintf(recorded, sizeof recorded, "%s", PQgetvalue(r, 0, 0));
            PQclear(r);
        }
    }
    PQfinish(c);
    if (rc < 0)
        return rc;
    if (!recorded[0])
        return sc_error_set(SC_ERR_NOTFOUND, "the district has no signing key yet: the office "
                                             "makes it with sync --init");
    if (strcmp(recorded, key) != 0)
        return sc_error_set(SC_ERR_DENIED, "the key given is not the key this district database "
                                           "shows: ask the office (stallcheck district key) and "
                                           "check the URL; nothing trusted");
    if ((rc = db_begin(db)) < 0)
        return rc;
    if ((rc = trust_key(db, district, key, actor)) < 0) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}
