/* Verifying the audit chain: see chain.h for what is checked, in which order. */
#include "db/chain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/device.h"
#include "db/draw.h"
#include "db/internal.h"

/* Each audited kind: does the record exist, and which records of the kind
 * have no entry at all (the first, by key). */
static const struct {
    const char *kind, *exists, *unaudited;
} kinds[] = {
    {"market", "SELECT 1 FROM markets WHERE code = ?1",
     "SELECT code FROM markets m WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'market' AND a.record = m.code) ORDER BY code LIMIT 1"},
    {"operator", "SELECT 1 FROM operators WHERE licence = ?1",
     "SELECT licence FROM operators o WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'operator' AND a.record = o.licence) ORDER BY licence LIMIT 1"},
    {"stall", "SELECT 1 FROM stalls WHERE code = ?1",
     "SELECT code FROM stalls s WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'stall' AND a.record = s.code) ORDER BY code LIMIT 1"},
    {"instrument", "SELECT 1 FROM instruments WHERE code = ?1",
     "SELECT code FROM instruments i WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'instrument' AND a.record = i.code) ORDER BY code LIMIT 1"},
    {"weight_set", "SELECT 1 FROM weight_sets WHERE code = ?1",
     "SELECT code FROM weight_sets w WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'weight_set' AND a.record = w.code) ORDER BY code LIMIT 1"},
    {"officer", "SELECT 1 FROM officers WHERE badge = ?1",
     "SELECT badge FROM officers o WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'officer' AND a.record = o.badge) ORDER BY badge LIMIT 1"},
    /* Drafts are not records yet: only committed ones must have an entry. */
    {"inspection", "SELECT 1 FROM inspections WHERE id = ?1",
     "SELECT id FROM inspections i WHERE status = 'committed' AND NOT EXISTS "
     "(SELECT 1 FROM audit_log a WHERE a.kind = 'inspection' AND a.record = i.id) "
     "ORDER BY id LIMIT 1"},
    {"calibration", "SELECT 1 FROM calibrations WHERE id = ?1",
     "SELECT id FROM calibrations c WHERE status = 'committed' AND NOT EXISTS "
     "(SELECT 1 FROM audit_log a WHERE a.kind = 'calibration' AND a.record = c.id) "
     "ORDER BY id LIMIT 1"},
    {"nawi_calibration", "SELECT 1 FROM nawi_calibrations WHERE id = ?1",
     "SELECT id FROM nawi_calibrations c WHERE status = 'committed' AND NOT EXISTS "
     "(SELECT 1 FROM audit_log a WHERE a.kind = 'nawi_calibration' AND a.record = c.id) "
     "ORDER BY id LIMIT 1"},
    {"draw", "SELECT 1 FROM draws WHERE id = ?1",
     "SELECT id FROM draws d WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'draw' AND a.record = d.id) ORDER BY id LIMIT 1"},
    /* A follow-up with no entry must be as its inspection left it: open
     * for a failed item with a deadline, else none. */
    {"followup",
     "SELECT 1 FROM findings WHERE inspection = substr(?1, 1, 36) AND item = substr(?1, 38)",
     "SELECT f.inspection || '/' || f.item FROM findings f JOIN inspections i "
     "ON i.id = f.inspection AND i.status = 'committed' "
     "WHERE (f.followup <> CASE WHEN f.answer IN ('fail', 'broken', 'missing') "
     "AND coalesce(f.deadline, '') <> '' THEN 'open' ELSE 'none' END "
     "OR f.followup_inspection IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'followup' AND a.record = f.inspection || '/' || f.item) "
     "ORDER BY 1 LIMIT 1"},
    {"rules", "SELECT 1 FROM rules_in_force WHERE key = ?1",
     "SELECT key FROM rules_in_force r WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'rules' AND a.record = r.key) LIMIT 1"},
    {"device", "SELECT 1 FROM device_keys WHERE device = ?1",
     "SELECT device FROM device_keys k WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'device' AND a.record = k.device) ORDER BY device LIMIT 1"},
    {"district_key", "SELECT 1 FROM district_keys WHERE district = ?1",
     "SELECT district FROM district_keys k WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
     "WHERE a.kind = 'district_key' AND a.record = k.district) ORDER BY district LIMIT 1"},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *chain_fault_id(enum chain_fault f)
{
    switch (f) {
    case CHAIN_OK: return "ok";
    case CHAIN_ENTRY_DELETED: return "entry-deleted";
    case CHAIN_ENTRY_ALTERED: return "entry-altered";
    case CHAIN_ENTRY_INSERTED: return "entry-inserted";
    case CHAIN_RECORD_ALTERED: return "record-altered";
    case CHAIN_RECORD_DELETED: return "record-deleted";
    case CHAIN_RECORD_INSERTED: return "record-inserted";
    case CHAIN_SIGNATURE_BAD: return "signature-bad";
    case CHAIN_DEVICE_CHANGED: return "device-changed";
    }
    return "?";
}

struct walk {
    struct db *db;
    struct chain_report *rep;
    int64_t *latest;   /* seq of the newest entry of each record, sorted */
    size_t nlatest;
    struct audit_entry prev;
    int have_prev;
    struct walk_key {
        char device[DB_UUID_LEN];
        char pk[DEVICE_KEY_HEX];
    } *keys;           /* device_keys, as the chain must have made them */
    size_t nkeys;
    char last_device[DB_UUID_LEN]; /* the device of the newest "device" entry */
};

static const char *key_of(const struct walk *w, const char *device)
{
    for (size_t i = 0; i < w->nkeys; i++)
        if (strcmp(w->keys[i].device, device) == 0)
            return w->keys[i].pk;
    return NULL;
}

/* The device keys as stored; an altered row fails its "device" entry's
 * content check like any record. */
static int load_keys(struct db *db, struct walk *w)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT device, public_key FROM device_keys ORDER BY device");
    if (!st)
        return SC_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct walk_key *k = realloc(w->keys, (w->nkeys + 1) * sizeof *k);
        if (!k) {
            db_done(st);
            return sc_error_set(SC_ERR_NOMEM, NULL);
        }
        w->keys = k;
        db_col_text(st, 0, k[w->nkeys].device, sizeof k->device);
        db_col_text(st, 1, k[w->nkeys].pk, sizeof k->pk);
        w->nkeys++;
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "verify");
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int fault(struct walk *w, enum chain_fault f, const struct audit_entry *e,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fault(struct walk *w, enum chain_fault f, const struct audit_entry *e,
                 const char *fmt, ...)
{
    struct chain_report *r = w->rep;
    r->fault = f;
    r->seq = e ? e->seq : 0;
    if (e) {
        snprintf(r->kind, sizeof r->kind, "%s", e->kind);
        snprintf(r->record, sizeof r->record, "%s", e->record);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    return 1;
}

static int record_exists(struct db *db, const char *kind, const char *record)
{
    for (size_t i = 0; i < NKINDS; i++) {
        if (strcmp(kinds[i].kind, kind) != 0)
            continue;
        sqlite3_stmt *st = db_stmt(db, kinds[i].exists);
        if (!st)
            return SC_ERR_DB;
        db_bind_text(st, 1, record);
        int rc = sqlite3_step(st);
        db_done(st);
        if (rc == SQLITE_ROW)
            return 1;
        return rc == SQLITE_DONE ? 0 : db_fail(db, "verify");
    }
    return 0;
}

static int check_entry(const struct audit_entry *e, void *arg)
{
    struct walk *w = arg;
    w->rep->entries++;
    int64_t want_seq = w->have_prev ? w->prev.seq + 1 : 1;
    if (e->seq != want_seq) {
        /* The entries in between are gone; name the first. */
        struct audit_entry gone = {0};
        gone.seq = want_seq;
        snprintf(gone.kind, sizeof gone.kind, "?");
        snprintf(gone.record, sizeof gone.record, "?");
        fault(w, CHAIN_ENTRY_DELETED, &gone,
              "audit entry %lld was deleted (the chain goes from %lld to %lld)",
              (long long)want_seq, (long long)(want_seq - 1), (long long)e->seq);
        return 1;
    }
    if (e->malformed)
        return fault(w, CHAIN_ENTRY_ALTERED, e,
                     "audit entry %lld (%s %s) was altered: its %s is not what stallcheck "
                     "writes (a byte too many, a NUL inside, or not text)",
                     (long long)e->seq, e->kind, e->record, e->malformed);
    char h[AUDIT_HASH_HEX];
    audit_chain_hash(e, h);
    if (strcmp(h, e->hash) != 0)
        return fault(w, CHAIN_ENTRY_ALTERED, e,
                     "audit entry %lld (%s %s) was altered: its hash does not match its fields",
                     (long long)e->seq, e->kind, e->record);
    const char *want_prev = w->have_prev
        ? w->prev.hash
        : "0000000000000000000000000000000000000000000000000000000000000000";
    if (strcmp(e->prev_hash, want_prev) != 0)
        return fault(w, CHAIN_ENTRY_INSERTED, e,
                     "audit entry %lld (%s %s) was inserted or replaced: it does not "
                     "link to entry %lld",
                     (long long)e->seq, e->kind, e->record, (long long)(e->seq - 1));
    const char *pk = key_of(w, e->device);
    if (pk && !device_verify_entry(pk, e->hash, e->sig))
        return fault(w, CHAIN_SIGNATURE_BAD, e,
                     "audit entry %lld (%s %s) is not signed by its device %s: %s",
                     (long long)e->seq, e->kind, e->record, e->device,
                     e->sig[0] ? "the signature is not that device's key's" : "no signature");
    if (!pk && e->sig[0])
        return fault(w, CHAIN_SIGNATURE_BAD, e,
                     "audit entry %lld (%s %s) is signed by device %s, whose key the chain "
                     "never recorded",
                     (long long)e->seq, e->kind, e->record, e->device);
    if (strcmp(e->kind, "device") == 0)
        snprintf(w->last_device, sizeof w->last_device, "%.36s", e->record);
    if (bsearch(&e->seq, w->latest, w->nlatest, sizeof *w->latest, cmp_i64)) {
        w->rep->records++;
        char content[AUDIT_HASH_HEX];
        int rc = audit_content_hash(w->db, e->kind, e->record, content);
        if (rc < 0)
            return rc;
        if (strcmp(content, e->content_hash) != 0) {
            int exists = record_exists(w->db, e->kind, e->record);
            if (exists < 0)
                return exists;
            if (exists)
                return fault(w, CHAIN_RECORD_ALTERED, e,
                             "%s %s was altered after audit entry %lld recorded it",
                             e->kind, e->record, (long long)e->seq);
            return fault(w, CHAIN_RECORD_DELETED, e,
                         "%s %s was deleted (audit entry %lld recorded it)", e->kind,
                         e->record, (long long)e->seq);
        }
    }
    w->prev = *e;
    w->have_prev = 1;
    return 0;
}

static int load_latest(struct db *db, struct walk *w)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM audit_log");
    if (!st)
        return SC_ERR_DB;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    w->latest = malloc((size_t)(n ? n : 1) * sizeof *w->latest);
    if (!w->latest)
        return sc_error_set(SC_ERR_NOMEM, "verify: %lld entries", (long long)n);
    st = db_stmt(db, "SELECT max(seq) FROM audit_log GROUP BY kind, record");
    if (!st)
        return SC_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && w->nlatest < (size_t)n)
        w->latest[w->nlatest++] = sqlite3_column_int64(st, 0);
    db_done(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, "verify");
    qsort(w->latest, w->nlatest, sizeof *w->latest, cmp_i64);
    return 0;
}

/* A draw's kind and day columns decide the day's rule (db/draw.h): every
 * draw is held to its audited inputs (draw_days_agree), those made before
 * the columns entered the audited content (schema 13) too. */
static const char SQL_DRAW_COLUMNS[] =
    "SELECT id, inputs, kind, day, made_at FROM draws ORDER BY id";

/* The first draw whose columns are not as audited into id: 1, none: 0,
 * else SC_ERR_*. */
static int draw_not_as_audited(struct db *db, char *id, size_t size)
{
    sqlite3_stmt *st = db_stmt(db, SQL_DRAW_COLUMNS);
    if (!st)
        return SC_ERR_DB;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *c[4];
        for (int i = 0; i < 4; i++)
            c[i] = (const char *)sqlite3_column_text(st, i + 1);
        if (!draw_days_agree(c[0], c[1], c[2], c[3])) {
            db_col_text(st, 0, id, size);
            db_done(st);
            return 1;
        }
    }
    db_done(st);
    return s == SQLITE_DONE ? 0 : db_fail(db, "verify");
}

/* 0 when every draw's columns are as audited, 1 (the fault reported) when
 * one is not, else SC_ERR_*. */
static int draws_as_audited(struct db *db, struct walk *w)
{
    struct audit_entry e = {0};
    int rc = draw_not_as_audited(db, e.record, sizeof e.record);
    if (rc != 1)
        return rc;
    snprintf(e.kind, sizeof e.kind, "draw");
    fault(w, CHAIN_RECORD_ALTERED, &e,
          "draw %s was altered: its kind or day is not what its audited inputs say", e.record);
    w->rep->seq = 0;
    return 1;
}

int chain_verify(struct db *db, struct chain_report *rep)
{
    memset(rep, 0, sizeof *rep);
    struct walk w;
    memset(&w, 0, sizeof w);
    w.db = db;
    w.rep = rep;
    /* One read transaction: a consistent snapshot of the whole chain. */
    int rc = db_exec(db, "BEGIN");
    if (rc < 0)
        return rc;
    if ((rc = load_latest(db, &w)) < 0 || (rc = load_keys(db, &w)) < 0)
        goto out;
    rc = audit_each(db, 0, check_entry, &w);
    if (rc != 0)
        goto out;
    for (size_t i = 0; i < NKINDS; i++) {
        sqlite3_stmt *st = db_stmt(db, kinds[i].unaudited);
        if (!st) {
            rc = SC_ERR_DB;
            goto out;
        }
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            struct audit_entry e = {0};
            snprintf(e.kind, sizeof e.kind, "%s", kinds[i].kind);
            db_col_text(st, 0, e.record, sizeof e.record);
            db_done(st);
            if (strcmp(e.kind, "followup") == 0)
                rc = fault(&w, CHAIN_RECORD_ALTERED, &e,
                           "follow-up %s was changed behind stallcheck's back: no audit entry "
                           "records its state",
                           e.record);
            else
                rc = fault(&w, CHAIN_RECORD_INSERTED, &e,
                           "%s %s was inserted: no audit entry records it", e.kind, e.record);
            rep->seq = 0;
            goto out;
        }
        db_done(st);
        if (s != SQLITE_DONE) {
            rc = db_fail(db, "verify");
            goto out;
        }
    }
    if ((rc = draws_as_audited(db, &w)) != 0)
        goto out;
    /* The device id a sync and new entries use must be the one whose key
     * the chain made last (an edited setting would sign nothing, but would
     * point verify --remote and the district at another device). */
    if (w.last_device[0] && strcmp(w.last_device, db_device_id(db)) != 0) {
        char set[80] = "";
        db_setting_get(db, "device_id", set, sizeof set);
        struct audit_entry e = {0};
        snprintf(e.kind, sizeof e.kind, "device");
        snprintf(e.record, sizeof e.record, "%s", w.last_device);
        rc = fault(&w, CHAIN_DEVICE_CHANGED, &e,
                   "the database's device id was changed to %s: its chain's device is %s",
                   set, w.last_device);
        goto out;
    }
out:
    db_exec(db, "COMMIT");
    free(w.latest);
    free(w.keys);
    return rc;
}
