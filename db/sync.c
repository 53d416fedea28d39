/* Sync with the district PostgreSQL: see sync.h for the protocol (and the
 * SQLite it needs to read and write the handheld's side). */
#include "db/sync.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/checklist.h"
#include "core/error.h"
#include "core/utf8.h"
#include "db/audit.h"
#include "db/device.h"
#include "db/enrol.h"
#include "db/identity.h"
#include "db/internal.h"
#include "db/pg.h"
#include "db/registry.h"

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

/* The district key trusted here for this district, or 0 when none. */
static int trusted_key(struct db *db, const char *district, char pk[DEVICE_KEY_HEX])
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

/* ---- push ----------------------------------------------------------------
 * One inbox row per audit entry of this device (db/ingest.h): the entry's
 * text, its hash and signature, and for the kinds the district keeps, the
 * record's canonical text.  As bytes: nothing in a record can fail the COPY
 * of a whole batch; the district judges each record on its own. */

#define COLS_INBOX "device, seq, hash, sig, entry, payload, registry"
/* The kinds whose records go with their entries. */
static const char *const pushed_kinds[] = {"inspection", "calibration", "draw", "device",
                                           "followup", "nawi_calibration", NULL};

/* A batch's inbox rows, sent as parameters: the entry's text and the
 * record's canonical text as bytes (binary parameters: no encoding). */
struct inbox_row {
    char device[DB_UUID_LEN + 8], seq[24], hash[AUDIT_HASH_HEX], sig[160];
    char *entry, *payload;    /* payload NULL for none */
    int elen, plen, registry;
};

struct inbox_rows {
    struct inbox_row *v;
    size_t n, cap;
};

static void inbox_rows_clear(struct inbox_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].entry);
        free(r->v[i].payload);
    }
    r->n = 0;
}

static void inbox_rows_free(struct inbox_rows *r)
{
    inbox_rows_clear(r);
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* A row that carries its record's text, read for the whole batch at once
 * (audit_canonical_many). */
struct pending {
    size_t row;
    const char *kind;  /* in pushed_kinds */
    char record[sizeof ((struct audit_entry *)0)->record];
};

struct batch {
    struct db *db;
    struct inbox_rows rows;
    int64_t *latest;          /* the batch's entries that are their record's newest */
    size_t nlatest, caplatest, at;
    int limit;
    int64_t last_seq, entries, skipped;
    int64_t inspections, verifications, calibrations, draws;
    int err;
    struct pending *pending;  /* rows whose record text is read after the entries */
    size_t npending, cappending;
};

static int kind_in(const char *const *list, const char *kind)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], kind) == 0)
            return 1;
    return 0;
}

static void copy_str(char *out, size_t size, const char *s)
{
    size_t n = strnlen(s, size - 1);
    memcpy(out, s, n);
    out[n] = '\0';
}

/* One inbox row; payload NULL for none (taken: freed with the rows). */
static int inbox_row(struct inbox_rows *b, const struct audit_entry *e, char *payload,
                     size_t plen, int registry)
{
    char text[1024];
    int n = audit_entry_text(e, text, sizeof text);
    if (n < 0) {
        free(payload);
        return sc_error_set(SC_ERR_RANGE, "audit entry %lld is too long to send",
                            (long long)e->seq);
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 512;
        struct inbox_row *v = realloc(b->v, cap * sizeof *v);
        if (v == NULL) {
            free(payload);
            return sc_error_set(SC_ERR_NOMEM, "sync: batch");
        }
        b->v = v;
        b->cap = cap;
    }
    struct inbox_row *r = &b->v[b->n];
    memset(r, 0, sizeof *r);
    /* Copies, not snprintf: thousands of rows a push.  The entry's fields
     * are NUL-ended within these sizes (audit_each reads them so). */
    copy_str(r->device, sizeof r->device, e->device);
    memcpy(r->seq, text, strcspn(text, "\n")); /* the entry text begins "<seq>\n" */
    copy_str(r->hash, sizeof r->hash, e->hash);
    copy_str(r->sig, sizeof r->sig, e->sig);
    if ((r->entry = malloc((size_t)n ? (size_t)n : 1)) == NULL) {
        free(payload);
        return sc_error_set(SC_ERR_NOMEM, "sync: batch");
    }
    memcpy(r->entry, text, (size_t)n);
    r->elen = n;
    r->payload = payload;
    r->plen = (int)plen;
    r->registry = registry;
    b->n++;
    return 0;
}

static int pend(struct batch *b, const struct audit_entry *e)
{
    if (b->npending == b->cappending) {
        size_t cap = b->cappending ? b->cappending * 2 : 512;
        struct pending *v = realloc(b->pending, cap * sizeof *v);
        if (v == NULL)
            return sc_error_set(SC_ERR_NOMEM, "sync: batch");
        b->pending = v;
        b->cappending = cap;
    }
    struct pending *p = &b->pending[b->npending++];
    p->row = b->rows.n;
    for (int k = 0; pushed_kinds[k]; k++)
        if (strcmp(pushed_kinds[k], e->kind) == 0)
            p->kind = pushed_kinds[k];
    memcpy(p->record, e->record, sizeof p->record);
    return 0;
}

/* The pending rows' record texts, one kind at a time. */
static int batch_payloads(struct batch *b)
{
    const char **records = malloc((b->npending ? b->npending : 1) * sizeof *records);
    size_t *rows = malloc((b->npending ? b->npending : 1) * sizeof *rows);
    struct audit_canon *texts = malloc((b->npending ? b->npending : 1) * sizeof *texts);
    int rc = records && rows && texts ? 0 : sc_error_set(SC_ERR_NOMEM, "sync: batch");
    for (int k = 0; pushed_kinds[k] && rc == 0; k++) {
        size_t n = 0;
        for (size_t i = 0; i < b->npending; i++)
            if (b->pending[i].kind == pushed_kinds[k]) {
                records[n] = b->pending[i].record;
                rows[n++] = b->pending[i].row;
            }
        if (n == 0 || (rc = audit_canonical_many(b->db, pushed_kinds[k], records, n, texts)) < 0)
            continue;
        for (size_t i = 0; i < n; i++) {
            b->rows.v[rows[i]].payload = texts[i].p;
            b->rows.v[rows[i]].plen = (int)texts[i].len;
        }
    }
    free(records);
    free(rows);
    free(texts);
    return rc;
}

static int batch_entry(const struct audit_entry *e, void *arg)
{
    struct batch *b = arg;
    b->last_seq = e->seq;
    b->entries++;
    /* A predecessor's entries (before this database got its own identity)
     * are that device's to push. */
    if (strcmp(e->device, db_device_id(b->db)) != 0) {
        b->skipped++;
    } else {
        /* The record as it is now: only its newest entry can carry it
         * (b->latest, ascending like the entries); its text is read with
         * the batch's others (batch_payloads). */
        while (b->at < b->nlatest && b->latest[b->at] < e->seq)
            b->at++;
        int newest = b->at < b->nlatest && b->latest[b->at] == e->seq;
        if (newest && kind_in(pushed_kinds, e->kind) && (b->err = pend(b, e)) < 0)
            return 1;
        b->err = inbox_row(&b->rows, e, NULL, 0, 0);
        if (b->err < 0)
            return 1;
        b->inspections += strcmp(e->kind, "inspection") == 0;
        b->verifications += strcmp(e->kind, "calibration") == 0;
        b->calibrations += strcmp(e->kind, "nawi_calibration") == 0;
        b->draws += strcmp(e->kind, "draw") == 0;
    }
    return b->entries >= b->limit;
}

/* The entries of the next batch that are the newest of their record, in
 * one statement: no later entry for the same record (one step into the
 * audit log's (kind, record) index, whose rowid is the seq) rather than
 * one lookup per entry. */
static const char SQL_BATCH_LATEST[] =
    "SELECT a.seq FROM (SELECT seq, kind, record FROM audit_log WHERE seq > ?1"
    " ORDER BY seq LIMIT ?2) a"
    " WHERE NOT EXISTS (SELECT 1 FROM audit_log b WHERE b.kind = a.kind"
    " AND b.record = a.record AND b.seq > a.seq) ORDER BY a.seq";

static int batch_latest(struct db *db, struct batch *b, int64_t after, int limit)
{
    sqlite3_stmt *st = db_stmt(db, SQL_BATCH_LATEST);
    if (st == NULL)
        return SC_ERR_DB;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, limit);
    b->nlatest = b->at = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (b->nlatest == b->caplatest) {
            size_t cap = b->caplatest ? b->caplatest * 2 : 512;
            int64_t *v = realloc(b->latest, cap * sizeof *v);
            if (v == NULL) {
                db_done(st);
                return sc_error_set(SC_ERR_NOMEM, "sync: batch");
            }
            b->latest = v;
            b->caplatest = cap;
        }
        b->latest[b->nlatest++] = sqlite3_column_int64(st, 0);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "sync");
}

static int batch_read(struct db *db, struct batch *b, int64_t after, int limit)
{
    int err = batch_latest(db, b, after, limit);
    if (err < 0)
        return err;
    inbox_rows_clear(&b->rows);
    b->db = db;
    b->limit = limit;
    b->last_seq = after;
    b->entries = b->skipped = b->inspections = b->verifications = b->calibrations = b->draws = 0;
    b->err = 0;
    b->npending = 0;
    int rc = audit_each(db, after, batch_entry, b);
    if (b->err < 0)
        return b->err;
    if (rc < 0)
        return rc;
    if ((rc = batch_payloads(b)) < 0)
        return rc;
    return (int)b->entries;
}

/* A batch is read in one read transaction: its entries, which of them are
 * their record's newest and the records' texts are one moment's (an
 * officer committing meanwhile waits for the next batch). */
static int batch_fill(struct db *db, struct batch *b, int64_t after, int limit)
{
    int rc = db_exec(db, "BEGIN");
    if (rc < 0)
        return rc;
    rc = batch_read(db, b, after, limit);
    if (rc < 0) {
        db_exec(db, "ROLLBACK");
        return rc;
    }
    int end = db_exec(db, "COMMIT");
    return end < 0 ? end : rc;
}

/* One transaction of the batch's rows in libpq's pipeline mode, all sent
 * before any answer is read: BEGIN, the entries of this device the
 * district already holds, and one INSERT ... ON CONFLICT DO NOTHING of the
 * whole batch (a row sent twice is ignored), its rows as seven arrays
 * unnested in order.  Row by row (one prepared INSERT each, pipelined) the
 * server paid a statement's start and end per row; as one statement it
 * pays them once (bench/sync.sh: the server's CPU for 20 pushes 2.4 s ->
 * 1.9 s), and the inbox's row check (row-level security) still runs on
 * each row, which COPY would not do for a handheld's role (a COPY into a
 * session table and INSERT ... SELECT from it writes each row twice:
 * bench/push_modes.c).  One held entry with another hash, or whose text
 * does not hash to it, stops the push at once (this database was altered
 * or restored after it pushed; the district would refuse it anyway), and
 * nothing is committed. */
static const char SQL_INBOX_INSERT[] =
    "INSERT INTO inbox (" COLS_INBOX ") SELECT * FROM unnest($1::text[], $2::bigint[],"
    " $3::text[], $4::text[], $5::bytea[], $6::bytea[], $7::boolean[]) ON CONFLICT DO NOTHING";

/* A one-dimensional array in PostgreSQL's binary form (array_recv): a
 * header (dimensions, has-nulls, element type, length, lower bound), then
 * each element as its length (-1: NULL) and bytes. */
struct pg_array {
    char *p;
    size_t len, cap;
    int n, nulls, oom;
    unsigned oid;
};

enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_TEXT = 25 };

static void arr_bytes(struct pg_array *a, const void *d, size_t n)
{
    if (a->oom)
        return;
    if (a->len + n > a->cap) {
        size_t cap = a->cap ? a->cap : 4096;
        while (cap < a->len + n)
            cap *= 2;
        char *p = realloc(a->p, cap);
        if (p == NULL) {
            a->oom = 1;
            return;
        }
        a->p = p;
        a->cap = cap;
    }
    memcpy(a->p + a->len, d, n);
    a->len += n;
}

static void arr_u32(struct pg_array *a, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    arr_bytes(a, b, 4);
}

static void arr_start(struct pg_array *a, unsigned oid)
{
    a->len = 0;
    a->n = a->nulls = 0;
    a->oid = oid;
    for (int i = 0; i < 5; i++)
        arr_u32(a, 0); /* the header, written by arr_end */
}

/* One element; d NULL for NULL. */
static void arr_put(struct pg_array *a, const void *d, size_t n)
{
    a->n++;
    if (d == NULL) {
        a->nulls = 1;
        arr_u32(a, 0xffffffffu);
        return;
    }
    arr_u32(a, (uint32_t)n);
    arr_bytes(a, d, n);
}

static void arr_end(struct pg_array *a)
{
    if (a->oom)
        return;
    size_t len = a->len;
    a->len = 0;
    arr_u32(a, 1);
    arr_u32(a, (uint32_t)a->nulls);
    arr_u32(a, a->oid);
    arr_u32(a, (uint32_t)a->n);
    arr_u32(a, 1);
    a->len = len;
}

/* The batch's rows as the seven arrays of SQL_INBOX_INSERT. */
static int batch_arrays(const struct inbox_rows *rows, struct pg_array col[7])
{
    static const unsigned oids[7] = {OID_TEXT, OID_INT8, OID_TEXT, OID_TEXT,
                                     OID_BYTEA, OID_BYTEA, OID_BOOL};
    for (int k = 0; k < 7; k++)
        arr_start(&col[k], oids[k]);
    for (size_t i = 0; i < rows->n; i++) {
        const struct inbox_row *r = &rows->v[i];
        uint64_t q = (uint64_t)strtoll(r->seq, NULL, 10);
        unsigned char be[8];
        for (int b = 0; b < 8; b++)
            be[b] = (unsigned char)(q >> (56 - 8 * b));
        unsigned char reg = r->registry ? 1 : 0;
        arr_put(&col[0], r->device, strlen(r->device));
        arr_put(&col[1], be, 8);
        arr_put(&col[2], r->hash, strlen(r->hash));
        arr_put(&col[3], r->sig, strlen(r->sig));
        arr_put(&col[4], r->entry, (size_t)r->elen);
        arr_put(&col[5], r->payload, (size_t)r->plen);
        arr_put(&col[6], &reg, 1);
    }
    int oom = 0;
    for (int k = 0; k < 7; k++) {
        arr_end(&col[k]);
        oom |= col[k].oom || col[k].len > INT32_MAX;
    }
    return oom ? sc_error_set(SC_ERR_NOMEM, "sync: batch") : 0;
}

static int pipeline_read(PGconn *c, int *err, PGresult **held)
{
    /* Results until the sync point: the first failure is kept.  NULL ends
     * one statement's results; two in a row mean nothing more will come
     * (the server went away mid-batch): never wait for it. */
    int nulls = 0;
    for (;;) {
        PGresult *r = PQgetResult(c);
        if (r == NULL) {
            if (PQstatus(c) != CONNECTION_OK || ++nulls > 1) {
                int rc = pg_fail(c, NULL, "push");
                return rc == SC_ERR_DB ? sc_error_set(SC_ERR_IO, "district push: the server "
                                                                 "stopped answering")
                                       : rc;
            }
            continue;
        }
        nulls = 0;
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            return 0;
        }
        if (s == PGRES_TUPLES_OK && held != NULL && *held == NULL) {
            *held = r;
            continue;
        }
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && *err == 0)
            *err = pg_fail(c, r, "push");
        else
            PQclear(r);
    }
}

/* What one connection's pushes keep between batches: whether the INSERT
 * is prepared, and the arrays' memory (a batch's megabyte allocated once,
 * not mapped and unmapped per batch). */
struct sender {
    int prepared;
    struct pg_array col[7];
};

static void sender_free(struct sender *s)
{
    for (int k = 0; k < 7; k++)
        free(s->col[k].p);
    memset(s, 0, sizeof *s);
}

static int batch_send(PGconn *c, const struct inbox_rows *rows, struct sender *snd)
{
    int *prepared = &snd->prepared;
    struct pg_array *col = snd->col;
    if (rows->n == 0)
        return 0;
    if (!*prepared) {
        /* Once per connection (the push and the registry's share one). */
        PGresult *r = PQdescribePrepared(c, "inbox_insert_rows");
        int have = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!have) {
            r = PQprepare(c, "inbox_insert_rows", SQL_INBOX_INSERT, 7, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                return pg_fail(c, r, "push");
            PQclear(r);
        }
        *prepared = 1;
    }
    /* The seqs of this device's own entries in the batch (not registry). */
    long long lo = 0, hi = -1;
    const char *device = NULL;
    for (size_t i = 0; i < rows->n; i++) {
        if (rows->v[i].registry)
            continue;
        long long q = atoll(rows->v[i].seq);
        if (device == NULL || q < lo)
            lo = q;
        if (device == NULL || q > hi)
            hi = q;
        device = rows->v[i].device;
    }
    char slo[24], shi[24];
    snprintf(slo, sizeof slo, "%lld", lo);
    snprintf(shi, sizeof shi, "%lld", hi);
    int rc = batch_arrays(rows, col);
    if (rc == 0 && PQenterPipelineMode(c) != 1)
        rc = pg_fail(c, NULL, "push");
    if (rc < 0)
        return rc;
    int ok = PQsendQueryParams(c, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) == 1;
    const char *hp[3] = {device ? device : "", slo, shi};
    ok = ok && PQsendQueryParams(c, "SELECT seq, hash, kind, record FROM audit_log"
                                    " WHERE device = $1 AND seq BETWEEN $2::bigint AND $3::bigint",
                                 3, NULL, hp, NULL, NULL, 0) == 1;
    const char *v[7];
    int len[7], fmt[7];
    for (int k = 0; k < 7; k++) {
        v[k] = col[k].p;
        len[k] = (int)col[k].len;
        fmt[k] = 1;
    }
    ok = ok && PQsendQueryPrepared(c, "inbox_insert_rows", 7, v, len, fmt, 0) == 1;
    ok = ok && PQpipelineSync(c) == 1;
    int err = 0;
    PGresult *held = NULL;
    rc = ok ? pipeline_read(c, &err, &held) : pg_fail(c, NULL, "push");
    int stuck = PQexitPipelineMode(c) != 1; /* results left: the connection is lost */
    if (stuck && rc == 0)
        rc = pg_fail(c, NULL, "push");
    if (rc == 0)
        rc = err;
    /* The held entries against the batch. */
    for (int h = 0; rc == 0 && held != NULL && h < PQntuples(held); h++) {
        const char *seq = PQgetvalue(held, h, 0), *hash = PQgetvalue(held, h, 1);
        for (size_t i = 0; i < rows->n; i++) {
            const struct inbox_row *r = &rows->v[i];
            if (r->registry || strcmp(r->seq, seq) != 0)
                continue;
            char got[AUDIT_HASH_HEX];
            audit_sha256_hex(r->entry, (size_t)r->elen, got);
            if (strcmp(r->hash, hash) != 0 || strcmp(got, r->hash) != 0)
                rc = sc_error_set(SC_ERR_INCONSISTENT,
                                  "audit entry %s (%s %s) differs from the copy the district "
                                  "received: this database was altered or restored; nothing "
                                  "pushed",
                                  seq, PQgetvalue(held, h, 2), PQgetvalue(held, h, 3));
            break;
        }
    }
    if (held != NULL)
        PQclear(held);
    if (rc < 0) {
        /* Undone by the server anyway when the connection is gone; said
         * here when it is not, the first error kept. */
        if (!stuck && PQstatus(c) == CONNECTION_OK) {
            char keep[512];
            snprintf(keep, sizeof keep, "%s", sc_error_message());
            pg_exec(c, "ROLLBACK", "push");
            sc_error_set(rc, "%s", keep);
        }
        return rc;
    }
    return pg_exec(c, "COMMIT", "push");
}

static int remote_get(struct db *db, const char *name, const char *where, int64_t *pushed)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO sync_remotes (name, conninfo) VALUES (?1, ?2) "
                                   "ON CONFLICT (name) DO UPDATE SET conninfo = ?2");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, where);
    int rc = db_step_done(db, st, "sync");
    if (rc < 0)
        return rc;
    st = db_stmt(db, "SELECT pushed_seq FROM sync_remotes WHERE name = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, name);
    rc = sqlite3_step(st);
    *pushed = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, "sync");
}

static int remote_set_pushed(struct db *db, const char *name, int64_t seq)
{
    char now[24];
    db_now(now, sizeof now);
    /* max(): two syncs of one handheld at once never move the mark back. */
    sqlite3_stmt *st = db_stmt(db, "UPDATE sync_remotes SET pushed_seq = max(pushed_seq, ?2), "
                                   "pushed_at = ?3 WHERE name = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, seq);
    db_bind_text(st, 3, now);
    return db_step_done(db, st, "sync");
}

static int push(struct db *db, PGconn *c, const char *remote, int batch_size,
                struct sync_stats *stats)
{
    int64_t pushed;
    int rc;
    if ((rc = db_begin(db)) < 0)
        return rc;
    char where[200];
    snprintf(where, sizeof where, "%s:%s/%s", PQhost(c), PQport(c), PQdb(c));
    if ((rc = remote_get(db, remote, where, &pushed)) < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0)
        return rc;
    struct batch b;
    memset(&b, 0, sizeof b);
    struct sender snd = {0};
    for (;;) {
        int n = batch_fill(db, &b, pushed, batch_size);
        if (n <= 0) {
            rc = n;
            break;
        }
        if ((rc = batch_send(c, &b.rows, &snd)) < 0)
            break;
        stats->batches++;
        /* The district has committed: now, and only now, move the mark. */
        if ((rc = db_begin(db)) < 0)
            break;
        if ((rc = remote_set_pushed(db, remote, b.last_seq)) < 0) {
            db_rollback(db);
            break;
        }
        if ((rc = db_commit(db)) < 0)
            break;
        pushed = b.last_seq;
        stats->entries += b.entries - b.skipped;
        stats->inspections_sent += b.inspections;
        stats->verifications_sent += b.verifications;
        stats->calibrations_sent += b.calibrations;
        stats->draws_sent += b.draws;
    }
    stats->pushed_seq = pushed;
    inbox_rows_free(&b.rows);
    free(b.latest);
    free(b.pending);
    sender_free(&snd);
    return rc;
}

/* ---- push the registry (admin) ------------------------------------------
 * Each registry record's newest entry, if this device wrote it, with the
 * record as it is now: the district takes it only from a device enrolled
 * with the registry right, signs it and hands it to every handheld. */

static int push_registry(struct db *db, PGconn *c, struct sync_stats *stats)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db),
                           "SELECT max(seq) FROM audit_log WHERE kind IN ('market', 'operator', "
                           "'stall', 'instrument', 'weight_set', 'officer') "
                           "GROUP BY kind, record ORDER BY 1",
                           -1, &q, NULL) != SQLITE_OK)
        return db_fail(db, "sync");
    struct inbox_rows rows = {0};
    int rc, step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        struct audit_entry e;
        if ((rc = audit_entry_at(db, sqlite3_column_int64(q, 0), &e)) < 0)
            goto out;
        if (strcmp(e.device, db_device_id(db)) != 0)
            continue; /* pulled from the district, or a predecessor's */
        char *payload = NULL;
        size_t plen = 0;
        if ((rc = audit_canonical(db, e.kind, e.record, &payload, &plen)) < 0)
            goto out;
        if ((rc = inbox_row(&rows, &e, payload, plen, 1)) < 0)
            goto out;
        stats->registry_pushed++;
    }
    rc = step == SQLITE_DONE ? 0 : db_fail(db, "sync");
    struct sender snd = {0};
    if (rc == 0)
        rc = batch_send(c, &rows, &snd);
    sender_free(&snd);
out:
    sqlite3_finalize(q);
    inbox_rows_free(&rows);
    return rc;
}

/* What the district refused of this device since the last sync: kept in
 * sync_refusals for the command to show (db_sync_refusals). */
static int pull_refusals(struct db *db, PGconn *c, const char *remote, struct sync_stats *stats)
{
    char key[96], since[32] = "0";
    snprintf(key, sizeof key, "sync.%s.refusal_id", remote);
    if (db_setting_get(db, key, since, sizeof since) < 0)
        snprintf(since, sizeof since, "0");
    stats->refusals_after = atoll(since);
    const char *p[2] = {db_device_id(db), since};
    int rc;
    PGresult *r = pg_query(c,
                           "SELECT id, device, seq, hash, kind, record, reason, hint, "
                           "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                           "FROM refusals WHERE device = $1 AND id > $2::bigint ORDER BY id",
                           2, p, "refusals", &rc);
    if (!r)
        return rc;
    if ((rc = db_begin(db)) < 0) {
        PQclear(r);
        return rc;
    }
    for (int i = 0; i < PQntuples(r) && rc >= 0; i++) {
        sqlite3_stmt *st = db_stmt(db, "INSERT OR IGNORE INTO sync_refusals (remote, id, device, "
                                       "seq, hash, kind, record, reason, hint, at) VALUES "
                                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
        if (!st) {
            rc = SC_ERR_DB;
            break;
        }
        db_bind_text(st, 1, remote);
        sqlite3_bind_int64(st, 2, atoll(PQgetvalue(r, i, 0)));
        for (int k = 1; k < 9; k++) {
            if (k == 2)
                sqlite3_bind_int64(st, 4, atoll(PQgetvalue(r, i, 2)));
            else
                db_bind_text(st, k + 2, PQgetvalue(r, i, k));
        }
        rc = db_step_done(db, st, "sync: refusals");
        if (rc >= 0) {
            stats->refusals_new++;
            rc = db_setting_set(db, key, PQgetvalue(r, i, 0));
        }
    }
    PQclear(r);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0)
        return rc;
    /* How far the district has taken this device's entries. */
    r = pg_query(c, "SELECT count(*), coalesce(max(seq), 0) FROM audit_log WHERE device = $1", 1,
                 p, "refusals", &rc);
    if (!r)
        return rc;
    stats->held_entries = atoll(PQgetvalue(r, 0, 0));
    stats->held_seq = atoll(PQgetvalue(r, 0, 1));
    PQclear(r);
    return 0;
}

int sync_refusals_each(struct db *db, const char *remote, int64_t after,
                       int (*fn)(const struct sync_refusal *, void *), void *arg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db),
                           "SELECT r.id, r.device, r.seq, r.kind, r.record, r.reason, r.hint, "
                           "r.at, EXISTS (SELECT 1 FROM audit_log a WHERE a.device = r.device "
                           "AND a.seq = r.seq AND a.hash = r.hash) FROM sync_refusals r "
                           "WHERE r.remote = ?1 AND r.id > ?2 ORDER BY r.id",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "sync");
    sqlite3_bind_text(st, 1, remote, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, after);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sync_refusal f;
        memset(&f, 0, sizeof f);
        f.id = sqlite3_column_int64(st, 0);
        db_col_text(st, 1, f.device, sizeof f.device);
        f.seq = sqlite3_column_int64(st, 2);
        db_col_text(st, 3, f.kind, sizeof f.kind);
        db_col_text(st, 4, f.record, sizeof f.record);
        db_col_text(st, 5, f.reason, sizeof f.reason);
        db_col_text(st, 6, f.hint, sizeof f.hint);
        db_col_text(st, 7, f.at, sizeof f.at);
        f.ours = sqlite3_column_int(st, 8);
        if ((ret = fn(&f, arg)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = db_fail(db, "sync");
    sqlite3_finalize(st);
    return ret;
}

/* ---- pull ---------------------------------------------------------------- */

/* Never cuts a character: a value too long for this handheld's field no
 * longer hashes as the district signed it, and the record is refused. */
static void copy_field(PGresult *r, int row, int col, char *out, size_t size)
{
    utf8_copy(out, size, PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

/* Each registry record pulled is applied in a savepoint, then kept only
 * when the district's key signed it as it now hashes here, in a version no
 * older than the one this handheld has. */
#define REGISTRY_DOMAIN "stallcheck registry v1"

struct pull {
    struct db *db;
    const char *district;
    char pk[DEVICE_KEY_HEX];
    struct sync_stats *st;
};

static int reg_close(struct pull *px, const char *kind, const char *record, PGresult *r,
                     int row, int col, int put)
{
    struct db *db = px->db;
    if (put < 0) {
        db_rollback(db);
        return put;
    }
    const char *why = NULL;
    char hash[AUDIT_HASH_HEX];
    long long version = 0;
    if (PQgetisnull(r, row, col)) {
        why = "it is not signed by the district";
    } else {
        version = atoll(PQgetvalue(r, row, col));
        const char *content = PQgetvalue(r, row, col + 1), *sig = PQgetvalue(r, row, col + 2);
        char text[512];
        int n = snprintf(text, sizeof text, "%s\n%s\n%s\n%lld\n%s", px->district, kind, record,
                         version, content);
        int rc = audit_content_hash(db, kind, record, hash);
        if (rc < 0) {
            db_rollback(db);
            return rc;
        }
        if (n < 0 || (size_t)n >= sizeof text ||
            !device_verify_text(px->pk, REGISTRY_DOMAIN, text, (size_t)n, sig))
            why = "its signature is not the district's key's";
        else if (strcmp(hash, content) != 0)
            why = "it is not as the district signed it";
        else {
            sqlite3_stmt *st = db_stmt(db, "SELECT version FROM registry_versions "
                                           "WHERE kind = ?1 AND record = ?2");
            if (!st) {
                db_rollback(db);
                return SC_ERR_DB;
            }
            db_bind_text(st, 1, kind);
            db_bind_text(st, 2, record);
            long long have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
            db_done(st);
            if (version < have)
                why = "it is an older version than this handheld has";
        }
    }
    if (why) {
        db_rollback(db);
        px->st->registry_refused++;
        if (!px->st->registry_refusal[0])
            snprintf(px->st->registry_refusal, sizeof px->st->registry_refusal,
                     "registry %s %s refused: %s (kept as it was here)", kind, record, why);
        return 0;
    }
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO registry_versions (kind, record, version) "
                                   "VALUES (?1, ?2, ?3) ON CONFLICT (kind, record) "
                                   "DO UPDATE SET version = excluded.version");
    if (!st) {
        db_rollback(db);
        return SC_ERR_DB;
    }
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, record);
    sqlite3_bind_int64(st, 3, version);
    int rc = db_step_done(db, st, "sync: registry");
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0)
        return rc;
    if (put > 0)
        px->st->registry_pulled++;
    return 0;
}

static int pull_officers(struct pull *px, PGresult *r, PGresult *rec)
{
    struct db *db = px->db;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *badge = PQgetvalue(r, i, 0);
        int rc = db_begin(db);
        if (rc < 0)
            return rc;
        /* Only the district's columns: sign-in failures and locks are this
         * handheld's own bookkeeping. */
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO officers (badge, name, role, pin_hash, market, active, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (badge) DO UPDATE SET "
                "name = ?2, role = ?3, pin_hash = ?4, market = ?5, active = ?6, updated_at = ?7 "
                "WHERE (name, role, pin_hash, market, active) IS NOT (?2, ?3, ?4, ?5, ?6)");
        if (!st)
            return reg_close(px, "officer", badge, r, i, 6, SC_ERR_DB);
        char now[24];
        db_now(now, sizeof now);
        db_bind_text(st, 1, badge);
        db_bind_text(st, 2, PQgetvalue(r, i, 1));
        db_bind_text(st, 3, PQgetvalue(r, i, 2));
        db_bind_text(st, 4, PQgetvalue(r, i, 3));
        db_bind_text_or_null(st, 5, PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4));
        sqlite3_bind_int(st, 6, atoi(PQgetvalue(r, i, 5)));
        db_bind_text(st, 7, now);
        if ((rc = db_step_done(db, st, "sync: officer")) < 0)
            return reg_close(px, "officer", badge, r, i, 6, rc);
        int touched = sqlite3_changes(db_sqlite(db)) > 0;
        /* Recusals: the district's set replaces ours when it differs. */
        char have[4096] = "", want[4096] = "";
        st = db_stmt(db, "SELECT market, reason FROM officer_recusals WHERE badge = ?1 "
                         "ORDER BY market");
        if (!st)
            return reg_close(px, "officer", badge, r, i, 6, SC_ERR_DB);
        db_bind_text(st, 1, badge);
        while (sqlite3_step(st) == SQLITE_ROW) {
            size_t o = strlen(have);
            snprintf(have + o, sizeof have - o, "%s\t%s\n", sqlite3_column_text(st, 0),
                     sqlite3_column_text(st, 1));
        }
        db_done(st);
        for (int k = 0; k < PQntuples(rec); k++) {
            if (strcmp(PQgetvalue(rec, k, 0), badge) != 0)
                continue;
            size_t o = strlen(want);
            snprintf(want + o, sizeof want - o, "%s\t%s\n", PQgetvalue(rec, k, 1),
                     PQgetvalue(rec, k, 2));
        }
        if (strcmp(have, want) != 0) {
            st = db_stmt(db, "DELETE FROM officer_recusals WHERE badge = ?1");
            if (!st)
                return reg_close(px, "officer", badge, r, i, 6, SC_ERR_DB);
            db_bind_text(st, 1, badge);
            if ((rc = db_step_done(db, st, "sync: recusals")) < 0)
                return reg_close(px, "officer", badge, r, i, 6, rc);
            for (int k = 0; k < PQntuples(rec); k++) {
                if (strcmp(PQgetvalue(rec, k, 0), badge) != 0)
                    continue;
                st = db_stmt(db, "INSERT INTO officer_recusals (badge, market, reason) "
                                 "VALUES (?1, ?2, ?3)");
                if (!st)
                    return reg_close(px, "officer", badge, r, i, 6, SC_ERR_DB);
                db_bind_text(st, 1, badge);
                db_bind_text(st, 2, PQgetvalue(rec, k, 1));
                db_bind_text(st, 3, PQgetvalue(rec, k, 2));
                if ((rc = db_step_done(db, st, "sync: recusals")) < 0)
                    return reg_close(px, "officer", badge, r, i, 6, rc);
            }
            touched = 1;
        }
        if (touched) {
            int64_t seq = audit_append(db, "officer", badge);
            if (seq < 0)
                return reg_close(px, "officer", badge, r, i, 6, (int)seq);
        }
        if ((rc = reg_close(px, "officer", badge, r, i, 6, touched)) < 0)
            return rc;
    }
    return 0;
}

/* The registry rows changed since the last pull, each kind's with its
 * district signature columns (version, content_hash, sig) last. */
static const char *const registry_queries[] = {
    "SELECT code, name, district, address, organiser, s.version, s.content_hash, s.sig "
    "FROM markets LEFT JOIN registry_sigs s ON s.kind = 'market' AND s.record = code "
    "WHERE xid >= $1::bigint ORDER BY code",
    "SELECT licence, name, phone, s.version, s.content_hash, s.sig FROM operators "
    "LEFT JOIN registry_sigs s ON s.kind = 'operator' AND s.record = licence "
    "WHERE xid >= $1::bigint ORDER BY licence",
    "SELECT code, market, name, category, operator, active, s.version, s.content_hash, "
    "s.sig FROM stalls LEFT JOIN registry_sigs s ON s.kind = 'stall' AND s.record = code "
    "WHERE xid >= $1::bigint ORDER BY code",
    "SELECT code, i.kind, market, stall, maker, model, serial, class, max_ug, min_ug, e_ug, "
    "d_ug, mark_no, seal_no, last_verified, due, protocol, conn, active, s.version, "
    "s.content_hash, s.sig FROM instruments i LEFT JOIN registry_sigs s "
    "ON s.kind = 'instrument' AND s.record = i.code WHERE xid >= $1::bigint ORDER BY code",
    "SELECT code, name, class, market, certificate_no, calibration_due, s.version, "
    "s.content_hash, s.sig FROM weight_sets LEFT JOIN registry_sigs s "
    "ON s.kind = 'weight_set' AND s.record = code WHERE xid >= $1::bigint ORDER BY code",
    "SELECT i.weight_set, i.nominal_ug, i.count, i.error_ug FROM weight_set_items i "
    "JOIN weight_sets w ON w.code = i.weight_set WHERE w.xid >= $1::bigint "
    "ORDER BY i.weight_set, i.nominal_ug",
    "SELECT badge, name, role, pin_hash, market, active, s.version, s.content_hash, s.sig "
    "FROM officers LEFT JOIN registry_sigs s ON s.kind = 'officer' AND s.record = badge "
    "WHERE xid >= $1::bigint ORDER BY badge",
    "SELECT r.badge, r.market, r.reason FROM officer_recusals r "
    "JOIN officers o ON o.badge = r.badge WHERE o.xid >= $1::bigint "
    "ORDER BY r.badge, r.market",
};
enum { Q_MARKETS, Q_OPERATORS, Q_STALLS, Q_INSTRUMENTS, Q_SETS, Q_ITEMS, Q_OFFICERS,
       Q_RECUSALS, Q_N };

/* Reads every registry query in one read-only snapshot, and the snapshot's
 * xmin: the next pull asks for rows changed from there on. */
static int fetch_registry(PGconn *c, const char *since, PGresult *res[Q_N], char xmin[32])
{
    int rc;
    if ((rc = pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "pull")) < 0)
        return rc;
    PGresult *xr = pg_query(c, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text", 0, NULL,
                            "pull", &rc);
    if (!xr)
        return rc;
    copy_field(xr, 0, 0, xmin, 32);
    PQclear(xr);
    const char *p[1] = {since};
    for (int q = 0; q < Q_N; q++)
        if (!(res[q] = pg_query(c, registry_queries[q], 1, p, "pull", &rc)))
            return rc;
    return pg_exec(c, "COMMIT", "pull");
}

/* One registry row of each kind: read into its struct, put, then kept or
 * rolled back by reg_close (its savepoint is open). */
static int pull_market(struct pull *px, PGresult *const *res, int i)
{
    struct market m = {0};
    PGresult *r = res[Q_MARKETS];
    copy_field(r, i, 0, m.code, sizeof m.code);
    copy_field(r, i, 1, m.name, sizeof m.name);
    copy_field(r, i, 2, m.district, sizeof m.district);
    copy_field(r, i, 3, m.address, sizeof m.address);
    copy_field(r, i, 4, m.organiser, sizeof m.organiser);
    return reg_close(px, "market", m.code, r, i, 5, registry_put_market(px->db, &m));
}

static int pull_operator(struct pull *px, PGresult *const *res, int i)
{
    struct stall_operator o = {0};
    PGresult *r = res[Q_OPERATORS];
    copy_field(r, i, 0, o.licence, sizeof o.licence);
    copy_field(r, i, 1, o.name, sizeof o.name);
    copy_field(r, i, 2, o.phone, sizeof o.phone);
    return reg_close(px, "operator", o.licence, r, i, 3, registry_put_operator(px->db, &o));
}

static int pull_stall(struct pull *px, PGresult *const *res, int i)
{
    struct stall s = {0};
    PGresult *r = res[Q_STALLS];
    copy_field(r, i, 0, s.code, sizeof s.code);
    copy_field(r, i, 1, s.market, sizeof s.market);
    copy_field(r, i, 2, s.name, sizeof s.name);
    copy_field(r, i, 3, s.category, sizeof s.category);
    copy_field(r, i, 4, s.operator_licence, sizeof s.operator_licence);
    s.active = atoi(PQgetvalue(r, i, 5));
    return reg_close(px, "stall", s.code, r, i, 6, registry_put_stall(px->db, &s));
}

static int pull_instrument(struct pull *px, PGresult *const *res, int i)
{
    struct instrument in = {0};
    PGresult *r = res[Q_INSTRUMENTS];
    copy_field(r, i, 0, in.code, sizeof in.code);
    copy_field(r, i, 1, in.kind, sizeof in.kind);
    copy_field(r, i, 2, in.market, sizeof in.market);
    copy_field(r, i, 3, in.stall, sizeof in.stall);
    copy_field(r, i, 4, in.maker, sizeof in.maker);
    copy_field(r, i, 5, in.model, sizeof in.model);
    copy_field(r, i, 6, in.serial, sizeof in.serial);
    copy_field(r, i, 7, in.cls, sizeof in.cls);
    in.max_ug = atoll(PQgetvalue(r, i, 8));
    in.min_ug = atoll(PQgetvalue(r, i, 9));
    in.e_ug = atoll(PQgetvalue(r, i, 10));
    in.d_ug = atoll(PQgetvalue(r, i, 11));
    copy_field(r, i, 12, in.mark_no, sizeof in.mark_no);
    copy_field(r, i, 13, in.seal_no, sizeof in.seal_no);
    copy_field(r, i, 14, in.last_verified, sizeof in.last_verified);
    copy_field(r, i, 15, in.due, sizeof in.due);
    copy_field(r, i, 16, in.protocol, sizeof in.protocol);
    copy_field(r, i, 17, in.conn, sizeof in.conn);
    in.active = atoi(PQgetvalue(r, i, 18));
    return reg_close(px, "instrument", in.code, r, i, 19, registry_put_instrument(px->db, &in));
}

/* A weight set with its items (rows of the items query naming it). */
static int pull_weight_set(struct pull *px, PGresult *const *res, int i)
{
    struct weight_set ws;
    memset(&ws, 0, sizeof ws);
    PGresult *r = res[Q_SETS], *it = res[Q_ITEMS];
    copy_field(r, i, 0, ws.code, sizeof ws.code);
    copy_field(r, i, 1, ws.name, sizeof ws.name);
    copy_field(r, i, 2, ws.cls, sizeof ws.cls);
    copy_field(r, i, 3, ws.market, sizeof ws.market);
    copy_field(r, i, 4, ws.certificate_no, sizeof ws.certificate_no);
    copy_field(r, i, 5, ws.calibration_due, sizeof ws.calibration_due);
    for (int k = 0; k < PQntuples(it) && ws.nitems < WEIGHT_SET_MAX_ITEMS; k++) {
        if (strcmp(PQgetvalue(it, k, 0), ws.code) != 0)
            continue;
        struct weight_item *w = &ws.items[ws.nitems++];
        w->nominal_ug = atoll(PQgetvalue(it, k, 1));
        w->count = atoi(PQgetvalue(it, k, 2));
        w->has_error = !PQgetisnull(it, k, 3);
        w->error_ug = w->has_error ? atoll(PQgetvalue(it, k, 3)) : 0;
    }
    return reg_close(px, "weight_set", ws.code, r, i, 6, registry_put_weight_set(px->db, &ws));
}

/* The kinds in the order they are applied, each before the kinds whose
 * records name it; officers last (pull_officers). */
static const struct {
    int q;
    int (*one)(struct pull *px, PGresult *const *res, int i);
} registry_kinds[] = {
    {Q_MARKETS, pull_market},         {Q_OPERATORS, pull_operator}, {Q_STALLS, pull_stall},
    {Q_INSTRUMENTS, pull_instrument}, {Q_SETS, pull_weight_set},
};

/* Applies what was fetched in one transaction, each record in its own
 * savepoint, and moves the pull's mark (key) to xmin with it. */
static int apply_registry(struct pull *px, PGresult *const *res, const char *key,
                          const char *xmin)
{
    struct db *db = px->db;
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    for (size_t k = 0; k < sizeof registry_kinds / sizeof registry_kinds[0] && rc >= 0; k++) {
        PGresult *r = res[registry_kinds[k].q];
        for (int i = 0; i < PQntuples(r) && rc >= 0 && (rc = db_begin(db)) >= 0; i++)
            rc = registry_kinds[k].one(px, res, i);
    }
    if (rc >= 0)
        rc = pull_officers(px, res[Q_OFFICERS], res[Q_RECUSALS]);
    if (rc >= 0)
        rc = db_setting_set(db, key, xmin);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

static int pull_registry(struct db *db, PGconn *c, const char *remote, struct sync_stats *stats)
{
    struct pull px = {db, stats->district, "", stats};
    int trusted = trusted_key(db, stats->district, px.pk);
    if (trusted < 0)
        return trusted;
    if (!trusted)
        return sc_error_set(SC_ERR_DENIED,
                            "registry not pulled: this handheld does not trust the district's "
                            "key yet. An admin runs: stallcheck device trust-district URL --key "
                            "KEY, with the key the office shows (stallcheck district key URL)");
    char key[96], since[32] = "0", xmin[32] = "";
    snprintf(key, sizeof key, "sync.%s.pull_xmin", remote);
    if (db_setting_get(db, key, since, sizeof since) < 0)
        snprintf(since, sizeof since, "0");
    PGresult *res[Q_N] = {0};
    int rc = fetch_registry(c, since, res, xmin);
    if (rc >= 0)
        rc = apply_registry(&px, res, key, xmin);
    for (int q = 0; q < Q_N; q++)
        if (res[q])
            PQclear(res[q]);
    if (rc < 0 && PQtransactionStatus(c) == PQTRANS_INTRANS)
        pg_exec(c, "ROLLBACK", "pull");
    return rc;
}

/* The district's lists replace the local copy (district_lists), for the
 * markets this handheld knows. */
static int pull_lists(struct db *db, PGconn *c, struct sync_stats *stats)
{
    int rc;
    PGresult *r = pg_query(c, "SELECT stall, market, score, list, as_of, since, until, reason"
                              " FROM district_status ORDER BY market, stall",
                           0, NULL, "lists", &rc);
    if (!r)
        return rc;
    if ((rc = db_begin(db)) < 0) {
        PQclear(r);
        return rc;
    }
    rc = db_exec(db, "DELETE FROM district_lists");
    for (int i = 0; i < PQntuples(r) && rc >= 0; i++) {
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO district_lists (stall, market, score, list, "
                                       "as_of, since, until, reason) SELECT ?1, ?2, ?3, ?4, ?5, "
                                       "?6, ?7, ?8 "
                                       "WHERE EXISTS (SELECT 1 FROM markets WHERE code = ?2)");
        if (!st) {
            rc = SC_ERR_DB;
            break;
        }
        db_bind_text(st, 1, PQgetvalue(r, i, 0));
        db_bind_text(st, 2, PQgetvalue(r, i, 1));
        sqlite3_bind_int(st, 3, atoi(PQgetvalue(r, i, 2)));
        db_bind_text(st, 4, PQgetvalue(r, i, 3));
        db_bind_text(st, 5, PQgetvalue(r, i, 4));
        for (int k = 5; k < 7; k++)
            db_bind_text(st, k + 1, PQgetisnull(r, i, k) ? NULL : PQgetvalue(r, i, k));
        db_bind_text(st, 8, PQgetvalue(r, i, 7));
        rc = db_step_done(db, st, "sync: lists");
        if (rc >= 0)
            stats->lists_pulled += sqlite3_changes(db_sqlite(db));
    }
    PQclear(r);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

int sync_run(struct db *db, const char *url, const struct sync_options *opt,
             struct sync_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct sync_options none = {0};
    if (!opt)
        opt = &none;
    /* A copy of another handheld's database pushes nothing as that device. */
    int rc = device_check(db);
    if (rc < 0)
        return rc;
    PGconn *c;
    if ((rc = pg_connect(url, &c)) < 0)
        return rc;
    if ((rc = pg_district_id(c, stats->district, sizeof stats->district)) < 0)
        goto out;
    if ((rc = push(db, c, stats->district, opt->batch > 0 ? opt->batch : SYNC_BATCH_DEFAULT,
                   stats)) < 0)
        goto out;
    if (opt->push_registry && (rc = push_registry(db, c, stats)) < 0)
        goto out;
    if ((rc = pull_refusals(db, c, stats->district, stats)) < 0)
        goto out;
    if (!opt->no_pull) {
        if ((rc = pull_registry(db, c, stats->district, stats)) < 0)
            goto out;
        rc = pull_lists(db, c, stats);
    }
out:
    PQfinish(c);
    return rc;
}

/* ---- the district's copy of this database's entries ----------------------
 * Each local entry against the district's entry of the same device and
 * seq, the entry's own device, field by field as bytes. */

struct cmp {
    PGresult *r;
    int64_t compared;
    const char *current;     /* this database's device now */
    struct {
        char device[DB_UUID_LEN];
        int64_t max;         /* its highest seq here */
    } devs[16];
    int ndevs;
};

/* The district's row for (device, seq): its index, or -1. */
static int remote_row(PGresult *r, const char *device, int64_t seq)
{
    int lo = 0, hi = PQntuples(r);
    /* Ordered by device, seq. */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        int d = strcmp(PQgetvalue(r, mid, 0), device);
        int64_t s = atoll(PQgetvalue(r, mid, 1));
        if (d < 0 || (d == 0 && s < seq))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < PQntuples(r) && strcmp(PQgetvalue(r, lo, 0), device) == 0 &&
        atoll(PQgetvalue(r, lo, 1)) == seq)
        return lo;
    return -1;
}

static int field_equal(PGresult *r, int row, int col, const char *mine)
{
    size_t n = strlen(mine);
    return !PQgetisnull(r, row, col) && (size_t)PQgetlength(r, row, col) == n &&
           memcmp(PQgetvalue(r, row, col), mine, n) == 0;
}

static int compare_one(const struct audit_entry *e, void *arg)
{
    struct cmp *c = arg;
    int k;
    for (k = 0; k < c->ndevs && strcmp(c->devs[k].device, e->device) != 0; k++)
        ;
    if (k == c->ndevs && k < 16) {
        snprintf(c->devs[k].device, sizeof c->devs[k].device, "%s", e->device);
        c->ndevs++;
    }
    if (k < 16 && e->seq > c->devs[k].max)
        c->devs[k].max = e->seq;
    int row = remote_row(c->r, e->device, e->seq);
    if (row < 0)
        return 0; /* not on the district (yet) */
    if (e->malformed)
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "audit entry %lld (%s %s): its %s here is not what stallcheck "
                            "writes",
                            (long long)e->seq, e->kind, e->record, e->malformed);
    const char *mine[] = {e->id, e->at, e->kind, e->record, e->content_hash, e->prev_hash,
                          e->hash};
    for (int i = 0; i < 7; i++)
        if (!field_equal(c->r, row, i + 2, mine[i]))
            return sc_error_set(SC_ERR_INCONSISTENT,
                                "audit entry %lld (%s %s) of device %s differs from the "
                                "district's copy",
                                (long long)e->seq, e->kind, e->record, e->device);
    c->compared++;
    return 0;
}

int sync_compare_chain(struct db *db, const char *url)
{
    /* The devices whose entries this database holds, as an array literal
     * (ids were read as text of their form: no quoting needed). */
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db), "SELECT DISTINCT device FROM audit_log ORDER BY 1", -1,
                           &q, NULL) != SQLITE_OK)
        return db_fail(db, "verify");
    struct pg_buf arr = {0};
    pg_buf_str(&arr, "{");
    int n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(q, 0);
        if (!d || strpbrk(d, "{},\"\\ "))
            continue; /* not an id: verify names such an entry */
        pg_buf_str(&arr, n++ ? ",\"" : "\"");
        pg_buf_str(&arr, d);
        pg_buf_str(&arr, "\"");
    }
    sqlite3_finalize(q);
    pg_buf_str(&arr, "}");
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0) {
        pg_buf_free(&arr);
        return rc;
    }
    const char *p[1] = {arr.p};
    PGresult *r = pg_query(c, "SELECT device, seq, id, at, kind, record, content_hash, "
                              "prev_hash, hash FROM audit_log WHERE device = ANY($1::text[]) "
                              "ORDER BY device COLLATE \"C\", seq",
                           1, p, "verify", &rc);
    pg_buf_free(&arr);
    if (!r) {
        PQfinish(c);
        return rc;
    }
    struct cmp cmp;
    memset(&cmp, 0, sizeof cmp);
    cmp.r = r;
    cmp.current = db_device_id(db);
    rc = audit_each(db, 0, compare_one, &cmp);
    /* An entry the district holds that this database lacks, inside what
     * this database has of that device (or beyond it, for its own device):
     * deleted here. */
    for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
        const char *d = PQgetvalue(r, i, 0);
        int64_t seq = atoll(PQgetvalue(r, i, 1));
        int64_t max = 0;
        for (int k = 0; k < cmp.ndevs; k++)
            if (strcmp(cmp.devs[k].device, d) == 0)
                max = cmp.devs[k].max;
        if (seq > max && strcmp(d, cmp.current) != 0)
            continue; /* a predecessor went on elsewhere: not ours */
        struct audit_entry e;
        if (audit_entry_at(db, seq, &e) < 0 || strcmp(e.device, d) != 0)
            rc = sc_error_set(SC_ERR_INCONSISTENT,
                              "audit entry %lld of device %s: the district holds it, this "
                              "database does not (deleted here)",
                              (long long)seq, d);
    }
    PQclear(r);
    PQfinish(c);
    if (rc < 0)
        return rc;
    return (int)(cmp.compared > INT32_MAX ? INT32_MAX : cmp.compared);
}
