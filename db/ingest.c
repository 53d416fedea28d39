/* The district's ingest: see ingest.h for what is checked. */
#include "db/ingest.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/canon.h"
#include "core/error.h"
#include "core/utf8.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/device.h"
#include "db/draw.h"
#include "db/enrol.h"
#include "db/pg.h"

#define BATCH_DEFAULT 2000
#define OFFICE_LOCK "SELECT pg_advisory_xact_lock(7400053)"
#define REGISTRY_DOMAIN "stallcheck registry v1"

/* Kinds whose records the district keeps in its tables, parents before
 * children; "device" is checked (its key must be the enrolled one) and
 * kept as its entry only.  Registry kinds come as registry rows. */
static const char *const kept_kinds[] = {"draw", "inspection", "calibration",
                                         "nawi_calibration", NULL};
static const char *const registry_kinds[] = {"market", "operator", "stall", "instrument",
                                             "weight_set", "officer", NULL};
/* The order the district's tables are written in (foreign keys). */
static const char *const table_order[] = {
    "draws", "draw_stalls", "draw_officers", "draw_days", "inspections", "calibrations",
    "findings", "reweighs", "calibration_steps", "measurements", "calibration_certificates",
    "calibration_step_notes", "calibration_signatures", "nawi_calibrations",
    "nawi_calibration_rows", NULL};

static int in_list(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

/* ---- the district's tables as the shapes map them ------------------------ */

enum coltype { T_TEXT, T_INT, T_BYTEA };

struct column {
    char name[32];
    enum coltype type;
    int notnull;
    long long min, max;      /* an integer column's range */
};

struct table {
    char name[32];
    struct column cols[32];
    int ncols;
    char copy_cols[600];     /* the columns a COPY into it names */
    int copy_idx[32];        /* their indexes in cols */
    int ncopy;
    struct pg_buf rows;      /* this batch's rows */
};

struct schema {
    struct table tables[32];
    int ntables;
};

static struct table *table_find(struct schema *s, const char *name)
{
    for (int i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i].name, name) == 0)
            return &s->tables[i];
    return NULL;
}

static const struct column *column_find(const struct table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return &t->cols[i];
    return NULL;
}

static void copy_col_add(struct table *t, const char *name)
{
    for (int i = 0; i < t->ncopy; i++)
        if (strcmp(t->cols[t->copy_idx[i]].name, name) == 0)
            return;
    for (int i = 0; i < t->ncols; i++) {
        if (strcmp(t->cols[i].name, name) != 0)
            continue;
        size_t o = strlen(t->copy_cols);
        snprintf(t->copy_cols + o, sizeof t->copy_cols - o, "%s%s", o ? ", " : "", name);
        t->copy_idx[t->ncopy++] = i;
        return;
    }
}

/* Reads the district's column types for every table the kept kinds and the
 * registry kinds write; the COPY column list of each is the union of the
 * shapes' columns and keys. */
static int schema_load(PGconn *c, struct schema *s)
{
    memset(s, 0, sizeof *s);
    const char *const *lists[] = {kept_kinds, registry_kinds};
    for (int l = 0; l < 2; l++) {
        for (int k = 0; lists[l][k]; k++) {
            struct audit_shape sh;
            for (int q = 0; audit_shape(lists[l][k], q, &sh) == 0; q++) {
                struct table *t = table_find(s, sh.table);
                if (!t) {
                    if (s->ntables == (int)(sizeof s->tables / sizeof s->tables[0]))
                        return sc_error_set(SC_ERR_RANGE, "ingest: too many tables");
                    t = &s->tables[s->ntables++];
                    snprintf(t->name, sizeof t->name, "%s", sh.table);
                    int rc;
                    const char *p[1] = {sh.table};
                    PGresult *r = pg_query(
                        c,
                        "SELECT column_name, data_type, is_nullable FROM "
                        "information_schema.columns WHERE table_schema = current_schema() "
                        "AND table_name = $1 ORDER BY ordinal_position",
                        1, p, "ingest", &rc);
                    if (!r)
                        return rc;
                    for (int i = 0; i < PQntuples(r) && t->ncols < 32; i++) {
                        struct column *col = &t->cols[t->ncols++];
                        snprintf(col->name, sizeof col->name, "%s", PQgetvalue(r, i, 0));
                        const char *ty = PQgetvalue(r, i, 1);
                        col->type = strcmp(ty, "bytea") == 0 ? T_BYTEA
                                  : strcmp(ty, "integer") == 0 || strcmp(ty, "bigint") == 0 ||
                                            strcmp(ty, "smallint") == 0
                                      ? T_INT
                                      : T_TEXT;
                        col->min = strcmp(ty, "integer") == 0 ? INT32_MIN : INT64_MIN;
                        col->max = strcmp(ty, "integer") == 0 ? INT32_MAX : INT64_MAX;
                        col->notnull = strcmp(PQgetvalue(r, i, 2), "NO") == 0;
                    }
                    PQclear(r);
                    if (t->ncols == 0)
                        return sc_error_set(SC_ERR_NOTFOUND, "ingest: the district has no "
                                                             "table %s: run sync --init",
                                            sh.table);
                }
                for (int i = 0; i < sh.ncols; i++) {
                    if (!column_find(t, sh.cols[i]))
                        return sc_error_set(SC_ERR_NOTFOUND, "ingest: the district's %s has "
                                                             "no column %s: run sync --init",
                                            t->name, sh.cols[i]);
                    copy_col_add(t, sh.cols[i]);
                }
                if (q > 0)
                    copy_col_add(t, sh.key);
            }
        }
    }
    return 0;
}

/* ---- a small set of strings (ids seen in this batch) --------------------- */

struct strset {
    char **v;
    size_t cap, n;
};

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* 1 added, 0 there already, SC_ERR_NOMEM. */
static int strset_add(struct strset *s, const char *key)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct strset bigger = {calloc(s->cap ? s->cap * 2 : 256, sizeof(char *)),
                                s->cap ? s->cap * 2 : 256, 0};
        if (!bigger.v)
            return sc_error_set(SC_ERR_NOMEM, NULL);
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i]) {
                size_t j = fnv(s->v[i]) & (bigger.cap - 1);
                while (bigger.v[j])
                    j = (j + 1) & (bigger.cap - 1);
                bigger.v[j] = s->v[i];
                bigger.n++;
            }
        free(s->v);
        *s = bigger;
    }
    size_t j = fnv(key) & (s->cap - 1);
    while (s->v[j]) {
        if (strcmp(s->v[j], key) == 0)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    if (!(s->v[j] = strdup(key)))
        return sc_error_set(SC_ERR_NOMEM, NULL);
    s->n++;
    return 1;
}

static int strset_has(const struct strset *s, const char *key)
{
    if (!s->cap)
        return 0;
    size_t j = fnv(key) & (s->cap - 1);
    while (s->v[j]) {
        if (strcmp(s->v[j], key) == 0)
            return 1;
        j = (j + 1) & (s->cap - 1);
    }
    return 0;
}

static void strset_free(struct strset *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* ---- inbox rows ----------------------------------------------------------- */

enum verdict { V_WAIT, V_DUP, V_REFUSE, V_ACCEPT };

struct row {
    char device[40], hash[72], sig[136];
    long long seq;
    int registry;
    unsigned char *entry, *payload;
    size_t entry_len, payload_len;
    int has_payload;
    /* the entry's fields */
    char id[40], at[40], kind[32], record[80], content_hash[72], prev_hash[72];
    enum verdict entry_v;
    int signed_ok;               /* its signature verifies (sigs_verify) */
    int record_ok;               /* its record goes into the district's tables */
    int followup;                /* a follow-up state to apply after them */
    int refused_record;          /* the entry is held, its record refused */
    char reason[400], hint[300];
    struct canon_doc doc;
    int parsed;
};

struct device {
    char device[40], pk[DEVICE_KEY_HEX], status[16], replaced_by[40];
    int registry;
    /* entries held, this batch's accepted ones appended (seq ascending) */
    long long *seqs;
    char (*hashes)[65];
    size_t n, cap;
    int loaded;
};

struct run {
    PGconn *c;
    struct schema schema;
    struct device *devices;
    size_t ndevices;
    unsigned char sk[64];
    int have_key;
    char district[64];
    struct ingest_stats *st;
    void (*on_refusal)(const struct ingest_refusal *, void *);
    void *arg;
};

static void row_free(struct row *r)
{
    if (r->entry)
        PQfreemem(r->entry);
    if (r->payload)
        PQfreemem(r->payload);
    canon_free(&r->doc);
}

static struct device *device_find(struct run *run, const char *id)
{
    for (size_t i = 0; i < run->ndevices; i++)
        if (strcmp(run->devices[i].device, id) == 0)
            return &run->devices[i];
    return NULL;
}

static int devices_load(struct run *run)
{
    int rc;
    PGresult *r = pg_query(run->c, "SELECT device, public_key, status, registry::int, "
                                   "coalesce(replaced_by, '') FROM devices",
                           0, NULL, "ingest", &rc);
    if (!r)
        return rc;
    run->ndevices = (size_t)PQntuples(r);
    run->devices = calloc(run->ndevices ? run->ndevices : 1, sizeof *run->devices);
    if (!run->devices) {
        PQclear(r);
        return sc_error_set(SC_ERR_NOMEM, NULL);
    }
    for (size_t i = 0; i < run->ndevices; i++) {
        struct device *d = &run->devices[i];
        snprintf(d->device, sizeof d->device, "%s", PQgetvalue(r, (int)i, 0));
        snprintf(d->pk, sizeof d->pk, "%s", PQgetvalue(r, (int)i, 1));
        snprintf(d->status, sizeof d->status, "%s", PQgetvalue(r, (int)i, 2));
        d->registry = atoi(PQgetvalue(r, (int)i, 3));
        snprintf(d->replaced_by, sizeof d->replaced_by, "%s", PQgetvalue(r, (int)i, 4));
    }
    PQclear(r);
    return 0;
}

static void devices_free(struct run *run)
{
    for (size_t i = 0; i < run->ndevices; i++) {
        free(run->devices[i].seqs);
        free(run->devices[i].hashes);
    }
    free(run->devices);
    run->devices = NULL;
    run->ndevices = 0;
}

static int held_push(struct device *d, long long seq, const char *hash)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        long long *s = realloc(d->seqs, cap * sizeof *s);
        if (!s)
            return sc_error_set(SC_ERR_NOMEM, NULL);
        d->seqs = s;
        char(*h)[65] = realloc(d->hashes, cap * sizeof *h);
        if (!h)
            return sc_error_set(SC_ERR_NOMEM, NULL);
        d->hashes = h;
        d->cap = cap;
    }
    d->seqs[d->n] = seq;
    snprintf(d->hashes[d->n], 65, "%s", hash);
    d->n++;
    return 0;
}

/* The hash the district holds for (device, seq), or NULL. */
static const char *held_hash(const struct device *d, long long seq)
{
    size_t lo = 0, hi = d->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->seqs[mid] < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->n && d->seqs[lo] == seq ? d->hashes[lo] : NULL;
}

/* What the district holds of a device from seq - 1 on, and its last entry. */
static int held_load(struct run *run, struct device *d, long long from)
{
    if (d->loaded)
        return 0;
    d->loaded = 1;
    char fs[24];
    snprintf(fs, sizeof fs, "%lld", from - 1);
    const char *p[2] = {d->device, fs};
    int rc;
    PGresult *r = pg_query(run->c,
                           "SELECT seq, hash FROM audit_log WHERE device = $1 AND "
                           "(seq >= $2::bigint OR seq = (SELECT max(seq) FROM audit_log "
                           "WHERE device = $1)) ORDER BY seq",
                           2, p, "ingest", &rc);
    if (!r)
        return rc;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++)
        rc = held_push(d, atoll(PQgetvalue(r, i, 0)), PQgetvalue(r, i, 1));
    PQclear(r);
    return rc;
}

static void refuse(struct row *r, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void refuse(struct row *r, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    snprintf(r->hint, sizeof r->hint, "%s", hint);
}

/* The entry text: "<seq>\n<id>\n<at>\n<device>\n<kind>\n<record>\n
 * <content_hash>\n<prev_hash>\n", each field checked for its form. */
static int entry_parse(struct row *r)
{
    const char *p = (const char *)r->entry, *end = p + r->entry_len;
    char seq[24], device[40];
    char *dst[8] = {seq, r->id, r->at, device, r->kind, r->record, r->content_hash,
                    r->prev_hash};
    size_t size[8] = {sizeof seq, sizeof r->id, sizeof r->at, sizeof device, sizeof r->kind,
                      sizeof r->record, sizeof r->content_hash, sizeof r->prev_hash};
    for (int i = 0; i < 8; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return 0;
        size_t n = (size_t)(nl - p);
        if (n >= size[i] || memchr(p, '\0', n) || !utf8_valid(p, n, NULL))
            return 0;
        memcpy(dst[i], p, n);
        dst[i][n] = '\0';
        p = nl + 1;
    }
    if (p != end)
        return 0;
    char want[24];
    snprintf(want, sizeof want, "%lld", r->seq);
    return strcmp(seq, want) == 0 && strcmp(device, r->device) == 0 &&
           strlen(r->id) == 36 && strlen(r->content_hash) == 64 && strlen(r->prev_hash) == 64;
}

static const char zero_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Judges one entry row: V_WAIT, V_DUP, V_REFUSE (with why) or V_ACCEPT. */
static int judge_entry(struct run *run, struct row *r)
{
    struct device *d = device_find(run, r->device);
    if (!d) {
        r->entry_v = V_WAIT; /* enrolled later, taken then */
        return 0;
    }
    if (strcmp(d->status, "active") != 0) {
        r->entry_v = V_REFUSE;
        refuse(r, "an admin enrols the handheld that replaces it (stallcheck district enrol)",
               "device %s is %s%s%s: what it pushes is not taken", r->device, d->status,
               d->replaced_by[0] ? " by " : "", d->replaced_by);
        return 0;
    }
    char h[AUDIT_HASH_HEX];
    audit_sha256_hex(r->entry, r->entry_len, h);
    if (strcmp(h, r->hash) != 0 || !entry_parse(r)) {
        r->entry_v = V_REFUSE;
        refuse(r, "stallcheck verify on the handheld names what was altered",
               "audit entry %lld is not what its hash was made of", r->seq);
        return 0;
    }
    if (!r->signed_ok) {
        r->entry_v = V_REFUSE;
        refuse(r, "stallcheck verify on the handheld; an admin checks who wrote this database",
               "audit entry %lld (%s %s) is not signed by device %s's enrolled key", r->seq,
               r->kind, r->record, r->device);
        return 0;
    }
    int rc = held_load(run, d, r->seq);
    if (rc < 0)
        return rc;
    const char *held = held_hash(d, r->seq);
    if (held) {
        if (strcmp(held, r->hash) == 0) {
            r->entry_v = V_DUP;
            return 0;
        }
        r->entry_v = V_REFUSE;
        refuse(r, "this database was altered or restored after it pushed: an admin compares "
                  "it with stallcheck verify --remote",
               "audit entry %lld (%s %s) differs from the one the district holds", r->seq,
               r->kind, r->record);
        return 0;
    }
    const char *prev = held_hash(d, r->seq - 1);
    if (prev ? strcmp(prev, r->prev_hash) != 0
             : !(d->n == 0 && (r->seq == 1 ? strcmp(r->prev_hash, zero_hash) == 0
                                           : strcmp(r->kind, "device") == 0))) {
        if (!prev && d->n > 0 && d->seqs[d->n - 1] < r->seq - 1) {
            r->entry_v = V_WAIT; /* an earlier entry has not arrived yet */
            return 0;
        }
        r->entry_v = V_REFUSE;
        refuse(r, "this database was altered or restored: an admin compares it with "
                  "stallcheck verify --remote",
               "audit entry %lld (%s %s) does not follow the device's entry %lld held here",
               r->seq, r->kind, r->record, r->seq - 1);
        return 0;
    }
    r->entry_v = V_ACCEPT;
    return held_push(d, r->seq, r->hash);
}

/* ---- records -------------------------------------------------------------- */

/* A value against its district column: type, null, range, UTF-8. */
static int value_fits(const struct canon_col *v, const struct column *col, char *why,
                      size_t size)
{
    if (v->type == CANON_NULL) {
        if (col->notnull)
            snprintf(why, size, "%s is empty where a value is required", col->name);
        return !col->notnull;
    }
    int ok = (col->type == T_INT && v->type == CANON_INT && v->i >= col->min &&
              v->i <= col->max) ||
             (col->type == T_BYTEA && v->type == CANON_BLOB) ||
             (col->type == T_TEXT && v->type == CANON_TEXT);
    if (!ok) {
        snprintf(why, size, "%s is not of the district's type", col->name);
        return 0;
    }
    size_t bad;
    if (v->type == CANON_TEXT && (!utf8_valid(v->data, v->len, &bad) ||
                                  memchr(v->data, '\0', v->len) != NULL)) {
        snprintf(why, size, "%s is not valid UTF-8 text (byte %zu)", col->name,
                 memchr(v->data, '\0', v->len) ? (size_t)((const char *)memchr(v->data, '\0',
                                                                                v->len) -
                                                          v->data)
                                                : bad);
        return 0;
    }
    return 1;
}

static const char *text_of(const struct canon_col *c)
{
    return c && c->type == CANON_TEXT ? c->data : "";
}

/* The payload hashes to the entry's content hash and reads as canonical
 * text (into r->doc): 1, else 0. */
static int payload_doc(struct row *r)
{
    char h[AUDIT_HASH_HEX];
    if (!r->has_payload)
        return 0;
    audit_sha256_hex(r->payload, r->payload_len, h);
    if (strcmp(h, r->content_hash) != 0 ||
        canon_parse((const char *)r->payload, r->payload_len, &r->doc) < 0)
        return 0;
    r->parsed = 1;
    return 1;
}

/* Checks a record's payload and its shape; 1 good, 0 refused (why in r). */
static int judge_payload(struct run *run, struct row *r, const char *device)
{
    if (!r->has_payload) {
        refuse(r, "sync again from the handheld", "%s %s came without its record", r->kind,
               r->record);
        return 0;
    }
    char h[AUDIT_HASH_HEX];
    audit_sha256_hex(r->payload, r->payload_len, h);
    if (strcmp(h, r->content_hash) != 0) {
        refuse(r, "stallcheck verify on the handheld names it; the record stays there",
               "%s %s is not the record its audit entry %lld was made for", r->kind, r->record,
               r->seq);
        return 0;
    }
    if (canon_parse((const char *)r->payload, r->payload_len, &r->doc) < 0) {
        refuse(r, "report it: the handheld's stallcheck wrote what the district cannot read",
               "%s %s cannot be read: %s", r->kind, r->record, sc_error_message());
        return 0;
    }
    r->parsed = 1;
    for (size_t q = 0; q < r->doc.nqueries || q == 0; q++) {
        struct audit_shape sh;
        if (audit_shape(r->kind, (int)q, &sh) < 0) {
            if (q < r->doc.nqueries) {
                refuse(r, "update stallcheck on the handheld or the office",
                       "%s %s has parts the district does not know", r->kind, r->record);
                return 0;
            }
            break;
        }
        if (q >= r->doc.nqueries) {
            if (sh.optional) /* made before the sections it lacks were added */
                break;
            refuse(r, "update stallcheck on the handheld or the office",
                   "%s %s lacks parts the district expects", r->kind, r->record);
            return 0;
        }
        const struct canon_query *cq = &r->doc.queries[q];
        struct table *t = table_find(&run->schema, sh.table);
        if (!t || (q == 0 && cq->nrows != 1)) {
            refuse(r, "report it", "%s %s is not one record", r->kind, r->record);
            return 0;
        }
        for (size_t i = 0; i < cq->nrows; i++) {
            const struct canon_row *row = &cq->rows[i];
            if ((int)row->ncols != sh.ncols) {
                refuse(r, "update stallcheck on the handheld or the office",
                       "%s %s: %s has other columns than the district's", r->kind, r->record,
                       sh.table);
                return 0;
            }
            for (int k = 0; k < sh.ncols; k++) {
                char why[160];
                if (strcmp(row->cols[k].name, sh.cols[k]) != 0) {
                    refuse(r, "update stallcheck on the handheld or the office",
                           "%s %s: %s has other columns than the district's", r->kind,
                           r->record, sh.table);
                    return 0;
                }
                if (!value_fits(&row->cols[k], column_find(t, sh.cols[k]), why, sizeof why)) {
                    refuse(r, "the record stays whole on the handheld; the office reads it "
                              "there and decides whether to enter it again",
                           "%s %s: %s.%s", r->kind, r->record, sh.table, why);
                    return 0;
                }
            }
            if (q == 0) {
                const struct canon_col *key = canon_get(row, sh.key);
                if (!key || key->type != CANON_TEXT || strcmp(key->data, r->record) != 0) {
                    refuse(r, "report it", "%s %s: the record is not the one its entry names",
                           r->kind, r->record);
                    return 0;
                }
                const struct canon_col *dev = canon_get(row, "device");
                if (device && dev && strcmp(text_of(dev), device) != 0) {
                    refuse(r, "stallcheck verify on the handheld; an admin checks who wrote "
                              "this database",
                           "%s %s names device %s but was pushed by device %s", r->kind,
                           r->record, text_of(dev), device);
                    return 0;
                }
            }
            /* Every id in it must be this device's (or an untagged old one). */
            const struct canon_col *id = canon_get(row, "id");
            if (device && id && id->type == CANON_TEXT &&
                db_record_id_owner(id->data, id->len, device) < 0) {
                refuse(r, "an admin checks the device that pushed it: the id is another "
                          "handheld's",
                       "%s %s: %s id %s belongs to another device than %s", r->kind, r->record,
                       sh.table, id->data, device);
                return 0;
            }
        }
    }
    return 1;
}

/* A draw's kind and day (its draw_days part) must be what its audited
 * inputs say, as verify holds them on the handheld (draw_days_agree): a
 * handheld signing with its own key could sign a pair that disagrees, and
 * the pair decides the day's rule.  1 good, 0 refused. */
static int judge_draw_days(struct row *r)
{
    struct audit_shape sh;
    const struct canon_row *d = &r->doc.queries[0].rows[0];
    for (size_t q = 1; q < r->doc.nqueries; q++) {
        if (audit_shape("draw", (int)q, &sh) < 0 || strcmp(sh.table, "draw_days") != 0)
            continue;
        for (size_t i = 0; i < r->doc.queries[q].nrows; i++) {
            const struct canon_row *k = &r->doc.queries[q].rows[i];
            const struct canon_col *day = canon_get(k, "day");
            if (draw_days_agree(text_of(canon_get(d, "inputs")), text_of(canon_get(k, "kind")),
                                day && day->type == CANON_TEXT ? day->data : NULL,
                                text_of(canon_get(d, "made_at"))))
                continue;
            refuse(r, "stallcheck verify on the handheld names it; an admin checks who wrote "
                      "this database",
                   "draw %s: its kind or day is not what its audited inputs say", r->record);
            return 0;
        }
    }
    return 1;
}

/* A follow-up's new state: its payload checked here, applied after the
 * batch's records are in (apply_followups). */
static int judge_followup(struct row *r)
{
    if (!payload_doc(r) || r->doc.nqueries != 1 || r->doc.queries[0].nrows != 1) {
        refuse(r, "stallcheck verify on the handheld names it",
               "follow-up %s is not the record its audit entry was made for", r->record);
        return 0;
    }
    return 1;
}

static int judge_record(struct run *run, struct row *r)
{
    if (strcmp(r->kind, "device") == 0) {
        /* Kept as its entry only: its content must be the enrolled key. */
        if (!payload_doc(r)) {
            refuse(r, "stallcheck verify on the handheld",
                   "device %s's key entry is not the record it was made for", r->record);
            return 0;
        }
        /* The device's key in its chain must be the key the district enrolled. */
        struct device *d = device_find(run, r->device);
        const struct canon_row *row =
            r->doc.nqueries && r->doc.queries[0].nrows ? &r->doc.queries[0].rows[0] : NULL;
        const char *pk = row ? text_of(canon_get(row, "public_key")) : "";
        if (strcmp(r->record, r->device) == 0 && d && strcmp(pk, d->pk) != 0) {
            refuse(r, "enrol the handheld's current key (stallcheck device show)",
                   "device %s's key entry names another key than the enrolled one", r->device);
            return 0;
        }
        return 1;
    }
    if (in_list(kept_kinds, r->kind))
        return judge_payload(run, r, r->device) &&
                       (strcmp(r->kind, "draw") != 0 || judge_draw_days(r))
                   ? 2
                   : 0;
    if (strcmp(r->kind, "followup") == 0)
        return judge_followup(r) ? 3 : 0;
    return 1; /* registry kinds, rules and others: the entry only */
}

/* ---- the batch ------------------------------------------------------------ */

static void record_refusal(struct pg_buf *b, const struct row *r)
{
    pg_copy_text(b, r->device, strlen(r->device));
    pg_buf_str(b, "\t");
    pg_copy_int(b, r->seq);
    pg_buf_str(b, "\t");
    pg_copy_text(b, r->hash, strlen(r->hash));
    pg_buf_str(b, "\t");
    pg_copy_text(b, r->kind, strlen(r->kind));
    pg_buf_str(b, "\t");
    pg_copy_text(b, r->record, strlen(r->record));
    pg_buf_str(b, "\t");
    pg_copy_text(b, r->reason, strlen(r->reason));
    pg_buf_str(b, "\t");
    pg_copy_text(b, r->hint, strlen(r->hint));
    pg_buf_str(b, "\n");
}

static void audit_row(struct pg_buf *b, const struct row *r)
{
    const char *f[] = {r->device, NULL, r->id, r->at, r->kind, r->record, r->content_hash,
                       r->prev_hash, r->hash, r->sig};
    for (int i = 0; i < 10; i++) {
        if (i)
            pg_buf_str(b, "\t");
        if (i == 1)
            pg_copy_int(b, r->seq);
        else
            pg_copy_text(b, f[i], strlen(f[i]));
    }
    pg_buf_str(b, "\t");
    pg_buf_str(b, r->refused_record ? "refused\t" : "accepted\t");
    if (r->refused_record)
        pg_copy_text(b, r->reason, strlen(r->reason));
    else
        pg_copy_null(b);
    pg_buf_str(b, "\n");
}

/* Appends a record's rows to its tables' COPY buffers. */
static void record_rows(struct run *run, const struct row *r)
{
    for (size_t q = 0; q < r->doc.nqueries; q++) {
        struct audit_shape sh;
        if (audit_shape(r->kind, (int)q, &sh) < 0)
            return;
        struct table *t = table_find(&run->schema, sh.table);
        const struct canon_query *cq = &r->doc.queries[q];
        for (size_t i = 0; i < cq->nrows; i++) {
            for (int k = 0; k < t->ncopy; k++) {
                if (k)
                    pg_buf_str(&t->rows, "\t");
                const char *name = t->cols[t->copy_idx[k]].name;
                const struct canon_col *v = canon_get(&cq->rows[i], name);
                if (!v) {
                    if (q > 0 && strcmp(name, sh.key) == 0)
                        pg_copy_text(&t->rows, r->record, strlen(r->record));
                    else
                        pg_copy_null(&t->rows);
                    continue;
                }
                switch (v->type) {
                case CANON_NULL: pg_copy_null(&t->rows); break;
                case CANON_INT: pg_copy_int(&t->rows, v->i); break;
                case CANON_TEXT: pg_copy_text(&t->rows, v->data, v->len); break;
                case CANON_BLOB: pg_copy_bytea(&t->rows, v->data, v->len); break;
                }
            }
            pg_buf_str(&t->rows, "\n");
        }
    }
}

/* The ids of the records to store, each with its table, to check against
 * what the district holds. */
struct idref {
    struct row *row;
    char table[32];
    const char *id;
};

static int ids_collect(struct row *rows, size_t n, struct idref **out, size_t *nout)
{
    size_t cap = 0;
    *out = NULL;
    *nout = 0;
    for (size_t i = 0; i < n; i++) {
        struct row *r = &rows[i];
        if (!r->record_ok)
            continue;
        for (size_t q = 0; q < r->doc.nqueries; q++) {
            struct audit_shape sh;
            if (audit_shape(r->kind, (int)q, &sh) < 0)
                break;
            for (size_t k = 0; k < r->doc.queries[q].nrows; k++) {
                const struct canon_col *id = canon_get(&r->doc.queries[q].rows[k], "id");
                if (!id || id->type != CANON_TEXT)
                    continue;
                if (*nout == cap) {
                    cap = cap ? cap * 2 : 256;
                    struct idref *p = realloc(*out, cap * sizeof *p);
                    if (!p)
                        return sc_error_set(SC_ERR_NOMEM, NULL);
                    *out = p;
                }
                struct idref *ref = &(*out)[(*nout)++];
                ref->row = r;
                snprintf(ref->table, sizeof ref->table, "%s", sh.table);
                ref->id = id->data;
            }
        }
    }
    return 0;
}

/* Refuses records with an id the district holds already (or another
 * record of this batch took first), naming who holds it. */
static int ids_check(struct run *run, struct row *rows, size_t n)
{
    struct idref *refs;
    size_t nrefs;
    int rc = ids_collect(rows, n, &refs, &nrefs);
    if (rc < 0)
        return rc;
    struct strset held = {0}, seen = {0};
    /* One query per table: the ids of this batch that it has. */
    for (int t = 0; t < run->schema.ntables && rc == 0; t++) {
        struct pg_buf arr = {0};
        pg_buf_str(&arr, "{");
        int any = 0;
        for (size_t i = 0; i < nrefs; i++) {
            if (strcmp(refs[i].table, run->schema.tables[t].name) != 0)
                continue;
            /* Ids were checked to be hex and dashes (or the record refused). */
            if (any)
                pg_buf_str(&arr, ",");
            pg_buf_str(&arr, "\"");
            for (const char *p = refs[i].id; *p; p++)
                if (*p != '"' && *p != '\\' && *p != ',')
                    pg_buf_add(&arr, p, 1);
            pg_buf_str(&arr, "\"");
            any = 1;
        }
        pg_buf_str(&arr, "}");
        if (any) {
            char sql[200];
            snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE id = ANY($1::text[])",
                     run->schema.tables[t].name);
            const char *p[1] = {arr.p};
            PGresult *r = pg_query(run->c, sql, 1, p, "ingest", &rc);
            if (r) {
                for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
                    char key[96];
                    snprintf(key, sizeof key, "%s/%s", run->schema.tables[t].name,
                             PQgetvalue(r, i, 0));
                    rc = strset_add(&held, key) < 0 ? SC_ERR_NOMEM : 0;
                }
                PQclear(r);
            }
        }
        pg_buf_free(&arr);
    }
    for (size_t i = 0; i < nrefs && rc == 0; i++) {
        struct row *r = refs[i].row;
        if (!r->record_ok)
            continue;
        char key[96];
        snprintf(key, sizeof key, "%s/%s", refs[i].table, refs[i].id);
        int there = strset_has(&held, key);
        int added = there ? 0 : strset_add(&seen, key);
        if (added < 0) {
            rc = added;
            break;
        }
        if (there || added == 0) {
            r->record_ok = 0;
            r->refused_record = 1;
            refuse(r, "an admin checks both devices: the district keeps the record it "
                      "received first",
                   "%s %s: %s %s is held already on the district", r->kind, r->record,
                   refs[i].table, refs[i].id);
        }
    }
    strset_free(&held);
    strset_free(&seen);
    free(refs);
    return rc;
}

static int batch_write(struct run *run, struct row *rows, size_t n)
{
    struct pg_buf audit = {0}, refusals = {0}, done = {0};
    for (int t = 0; t < run->schema.ntables; t++)
        run->schema.tables[t].rows.len = 0;
    for (size_t i = 0; i < n; i++) {
        struct row *r = &rows[i];
        if (r->entry_v == V_WAIT)
            continue;
        /* inbox rows processed: deleted at the end */
        pg_copy_text(&done, r->device, strlen(r->device));
        pg_buf_str(&done, "\t");
        pg_copy_int(&done, r->seq);
        pg_buf_str(&done, "\t");
        pg_copy_text(&done, r->hash, strlen(r->hash));
        pg_buf_str(&done, r->registry ? "\tt\n" : "\tf\n");
        if (r->registry)
            continue;
        if (r->entry_v == V_ACCEPT) {
            audit_row(&audit, r);
            if (r->record_ok)
                record_rows(run, r);
        }
        if (r->entry_v == V_REFUSE || r->refused_record)
            record_refusal(&refusals, r);
    }
    int rc = pg_copy(run->c, "audit_log",
                     "device, seq, id, at, kind, record, content_hash, prev_hash, hash, sig, "
                     "status, reason",
                     &audit, "ingest");
    for (int k = 0; table_order[k] && rc == 0; k++) {
        struct table *t = table_find(&run->schema, table_order[k]);
        if (t)
            rc = pg_copy(run->c, t->name, t->copy_cols, &t->rows, "ingest");
    }
    if (rc == 0)
        rc = pg_copy(run->c, "refusals", "device, seq, hash, kind, record, reason, hint",
                     &refusals, "ingest");
    if (rc == 0 && done.len) {
        rc = pg_exec(run->c, "CREATE TEMP TABLE IF NOT EXISTS ingest_done (device text, "
                             "seq bigint, hash text, registry boolean) ON COMMIT DELETE ROWS",
                     "ingest");
        if (rc == 0)
            rc = pg_copy(run->c, "ingest_done", "device, seq, hash, registry", &done, "ingest");
        if (rc == 0)
            rc = pg_exec(run->c, "DELETE FROM inbox i USING ingest_done d WHERE "
                                 "i.device = d.device AND i.seq = d.seq AND i.hash = d.hash "
                                 "AND i.registry = d.registry",
                         "ingest");
    }
    pg_buf_free(&audit);
    pg_buf_free(&refusals);
    pg_buf_free(&done);
    return rc;
}

/* ---- registry records ----------------------------------------------------- */

/* The hash the district holds for (device, seq), from this batch or the
 * table; "" when none. */
static int held_entry(struct run *run, struct device *d, long long seq, char out[72])
{
    const char *h = held_hash(d, seq);
    if (h) {
        snprintf(out, 72, "%s", h);
        return 0;
    }
    out[0] = '\0';
    char s[24];
    snprintf(s, sizeof s, "%lld", seq);
    const char *p[2] = {d->device, s};
    int rc;
    PGresult *r = pg_query(run->c, "SELECT hash FROM audit_log WHERE device = $1 AND "
                                   "seq = $2::bigint",
                           2, p, "ingest", &rc);
    if (!r)
        return rc;
    if (PQntuples(r) == 1)
        snprintf(out, 72, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

static int judge_registry(struct run *run, struct row *r)
{
    struct device *d = device_find(run, r->device);
    if (!d) {
        r->entry_v = V_WAIT;
        return 0;
    }
    r->entry_v = V_REFUSE;
    char h[AUDIT_HASH_HEX];
    audit_sha256_hex(r->entry, r->entry_len, h);
    if (strcmp(h, r->hash) != 0 || !entry_parse(r)) {
        refuse(r, "report it", "registry entry %lld is not what its hash was made of", r->seq);
        return 0;
    }
    if (strcmp(d->status, "active") != 0) {
        refuse(r, "push the registry from an active admin's handheld",
               "device %s is %s: its registry changes are not taken", r->device, d->status);
        return 0;
    }
    if (!d->registry || !in_list(registry_kinds, r->kind)) {
        refuse(r, "registry changes come from the office's handheld (enrolled with --registry)",
               "device %s may not change the registry (%s %s)", r->device, r->kind, r->record);
        return 0;
    }
    char held[72];
    int rc = held_entry(run, d, r->seq, held);
    if (rc < 0)
        return rc;
    if (!held[0]) {
        r->entry_v = V_WAIT; /* its entry comes first */
        return 0;
    }
    if (strcmp(held, r->hash) != 0) {
        refuse(r, "this database was altered or restored after it pushed",
               "registry entry %lld (%s %s) is not the entry the district holds", r->seq,
               r->kind, r->record);
        return 0;
    }
    if (!r->signed_ok) {
        refuse(r, "stallcheck verify on the handheld",
               "registry entry %lld (%s %s) is not signed by device %s", r->seq, r->kind,
               r->record, r->device);
        return 0;
    }
    if (!judge_payload(run, r, NULL))
        return 0;
    if (!run->have_key) {
        r->entry_v = V_WAIT; /* signed where the district's key is */
        return 0;
    }
    r->entry_v = V_ACCEPT;
    return 0;
}

static int param_of(const struct canon_col *v, char *num, size_t size, const char **out)
{
    switch (v->type) {
    case CANON_NULL: *out = NULL; return 0;
    case CANON_INT:
        snprintf(num, size, "%lld", (long long)v->i);
        *out = num;
        return 0;
    case CANON_TEXT: *out = v->data; return 0;
    default: return sc_error_set(SC_ERR_UNSUPPORTED, "a blob in a registry record");
    }
}

/* Writes a registry record's rows (the parent upserted, the children
 * replaced) and signs it.  Inside a savepoint: a failure refuses it alone. */
static int registry_apply(struct run *run, struct row *r)
{
    int rc = pg_exec(run->c, "SAVEPOINT reg", "ingest");
    if (rc < 0)
        return rc;
    /* A newer entry of this record from this device applied already:
     * nothing to do (pushes of the whole registry repeat old entries). */
    char seqs[24];
    snprintf(seqs, sizeof seqs, "%lld", r->seq);
    const char *kp[4] = {r->kind, r->record, r->device, seqs};
    PGresult *res = pg_query(run->c, "SELECT 1 FROM registry_sigs WHERE kind = $1 AND "
                                     "record = $2 AND source_device = $3 AND "
                                     "source_seq >= $4::bigint",
                             4, kp, "ingest", &rc);
    if (!res)
        return rc;
    int stale = PQntuples(res) > 0;
    PQclear(res);
    if (stale)
        return pg_exec(run->c, "RELEASE SAVEPOINT reg", "ingest") < 0 ? SC_ERR_DB : 1;
    char sql[2400];
    for (size_t q = 0; q < r->doc.nqueries && rc == 0; q++) {
        struct audit_shape sh;
        if (audit_shape(r->kind, (int)q, &sh) < 0)
            break;
        if (q > 0) {
            snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = $1", sh.table, sh.key);
            const char *p[1] = {r->record};
            if ((res = pg_query(run->c, sql, 1, p, "registry", &rc)))
                PQclear(res);
        }
        for (size_t i = 0; i < r->doc.queries[q].nrows && rc == 0; i++) {
            const struct canon_row *row = &r->doc.queries[q].rows[i];
            const char *params[AUDIT_SHAPE_COLS + 1];
            char nums[AUDIT_SHAPE_COLS][24];
            size_t o = 0, v = 0;
            o += (size_t)snprintf(sql + o, sizeof sql - o, "INSERT INTO %s (", sh.table);
            for (int k = 0; k < sh.ncols; k++)
                o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s", k ? ", " : "",
                                      sh.cols[k]);
            if (q > 0)
                o += (size_t)snprintf(sql + o, sizeof sql - o, ", %s", sh.key);
            o += (size_t)snprintf(sql + o, sizeof sql - o, ") VALUES (");
            for (int k = 0; k < sh.ncols && rc == 0; k++) {
                rc = param_of(&row->cols[k], nums[k], sizeof nums[k], &params[v++]);
                o += (size_t)snprintf(sql + o, sizeof sql - o, "%s$%zu", k ? ", " : "", v);
            }
            if (q > 0) {
                params[v++] = r->record;
                o += (size_t)snprintf(sql + o, sizeof sql - o, ", $%zu", v);
            }
            o += (size_t)snprintf(sql + o, sizeof sql - o, ")");
            if (q == 0) {
                o += (size_t)snprintf(sql + o, sizeof sql - o, " ON CONFLICT (%s) DO UPDATE SET ",
                                      sh.key);
                for (int k = 0; k < sh.ncols; k++)
                    o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s = EXCLUDED.%s",
                                          k ? ", " : "", sh.cols[k], sh.cols[k]);
            }
            if (rc == 0 && (res = pg_query(run->c, sql, (int)v, params, "registry", &rc)))
                PQclear(res);
        }
    }
    if (rc == 0) {
        /* Restamp the parent (children changed too) and sign the record. */
        struct audit_shape sh;
        audit_shape(r->kind, 0, &sh);
        snprintf(sql, sizeof sql, "UPDATE %s SET %s = %s WHERE %s = $1", sh.table, sh.key,
                 sh.key, sh.key);
        const char *p[1] = {r->record};
        if ((res = pg_query(run->c, sql, 1, p, "registry", &rc)))
            PQclear(res);
    }
    if (rc == 0 && (res = pg_query(run->c, "SELECT nextval('registry_version')::text", 0, NULL,
                                   "registry", &rc))) {
        char version[24], sig[DEVICE_SIG_HEX];
        snprintf(version, sizeof version, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        size_t n = strlen(run->district) + strlen(r->kind) + strlen(r->record) + 120;
        char *text = malloc(n);
        if (!text)
            return sc_error_set(SC_ERR_NOMEM, NULL);
        int len = snprintf(text, n, "%s\n%s\n%s\n%s\n%s", run->district, r->kind, r->record,
                           version, r->content_hash);
        device_sign_text(run->sk, REGISTRY_DOMAIN, text, (size_t)len, sig);
        free(text);
        const char *sp[7] = {r->kind, r->record, version, r->content_hash, sig, r->device, seqs};
        if ((res = pg_query(run->c,
                            "INSERT INTO registry_sigs (kind, record, version, content_hash, sig, "
                            "source_device, source_seq) VALUES ($1, $2, $3::bigint, $4, $5, $6, "
                            "$7::bigint) ON CONFLICT (kind, record) DO UPDATE SET "
                            "version = EXCLUDED.version, content_hash = EXCLUDED.content_hash, "
                            "sig = EXCLUDED.sig, source_device = EXCLUDED.source_device, "
                            "source_seq = EXCLUDED.source_seq, signed_at = now()",
                            7, sp, "registry", &rc)))
            PQclear(res);
    }
    if (rc < 0) {
        char why[400];
        snprintf(why, sizeof why, "%s", sc_error_message());
        if (pg_exec(run->c, "ROLLBACK TO SAVEPOINT reg", "ingest") < 0)
            return SC_ERR_DB;
        r->entry_v = V_REFUSE;
        refuse(r, "push the registry again once what it refers to is on the district",
               "%s %s: %s", r->kind, r->record, why);
        return 0;
    }
    return pg_exec(run->c, "RELEASE SAVEPOINT reg", "ingest") < 0 ? SC_ERR_DB : 2;
}

/* ---- follow-ups ------------------------------------------------------------ */

/* A follow-up's state goes onto the district's finding only when the
 * district holds the finding's inspection and the one that closed it, both
 * from this device and of one stall, and that inspection's answer to the
 * item says what the state says.  Otherwise the entry stays a link,
 * refused, and the handheld hears why. */
static const char SQL_FOLLOWUP[] =
    "UPDATE findings f SET followup = $3, followup_inspection = $4 "
    "FROM inspections i, inspections c, findings cf "
    "WHERE f.inspection = $1 AND f.item = $2 AND i.id = f.inspection AND i.device = $5 "
    "AND c.id = $4 AND c.device = $5 AND c.stall = i.stall AND cf.inspection = c.id "
    "AND cf.item = f.item AND (($3 = 'corrected' AND cf.answer IN ('pass', 'intact', "
    "'not-sealable')) OR ($3 = 'not-corrected' AND cf.answer IN ('fail', 'broken', "
    "'missing')))";

static void followup_fields(const struct row *r, const char *f[4])
{
    const struct canon_row *row = &r->doc.queries[0].rows[0];
    f[0] = text_of(canon_get(row, "inspection"));
    f[1] = text_of(canon_get(row, "item"));
    f[2] = text_of(canon_get(row, "followup"));
    f[3] = text_of(canon_get(row, "followup_inspection"));
}

/* A follow-up entry whose state the district does not take: its record
 * refused, by name. */
static int refuse_followup(struct run *run, struct row *r)
{
    const char *f[4];
    followup_fields(r, f);
    r->refused_record = 1;
    refuse(r, "stallcheck verify on the handheld; an admin checks the follow-up there",
           "follow-up %s: %s is not what the inspection that closed it found", r->record,
           f[2]);
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", r->seq);
    const char *p[4] = {r->device, seq, r->reason, r->hint};
    int rc;
    PGresult *res = pg_query(run->c,
                             "UPDATE audit_log SET status = 'refused', reason = $3 "
                             "WHERE device = $1 AND seq = $2::bigint",
                             3, p, "ingest", &rc);
    if (!res)
        return rc;
    PQclear(res);
    const char *q[7] = {r->device, seq, r->hash, r->kind, r->record, r->reason, r->hint};
    res = pg_query(run->c,
                   "INSERT INTO refusals (device, seq, hash, kind, record, reason, hint) "
                   "VALUES ($1, $2::bigint, $3, $4, $5, $6, $7)",
                   7, q, "ingest", &rc);
    if (!res)
        return rc;
    PQclear(res);
    return 0;
}

/* The batch's accepted follow-up entries, in their order: one prepared
 * UPDATE each, all sent before any answer is read (libpq's pipeline mode:
 * a batch held thousands, each a round trip and a statement planned anew).
 * Whether one applies depends on it alone, not on the others, so each
 * answer (one row updated, or none) is read after; those that applied
 * none, and those whose text names another finding, are refused. */
static int apply_followups(struct run *run, struct row *rows, size_t n)
{
    size_t *sent = malloc((n ? n : 1) * sizeof *sent), ns = 0;
    unsigned char *done = calloc(n ? n : 1, 1);
    if (!sent || !done) {
        free(sent);
        free(done);
        return sc_error_set(SC_ERR_NOMEM, NULL);
    }
    int rc = 0;
    PGresult *res;
    int ok = PQenterPipelineMode(run->c) == 1;
    for (size_t i = 0; ok && i < n; i++) {
        struct row *r = &rows[i];
        if (!r->followup || r->entry_v != V_ACCEPT || r->registry)
            continue;
        const char *f[4];
        followup_fields(r, f);
        char record[96];
        snprintf(record, sizeof record, "%s/%s", f[0], f[1]);
        if (strcmp(record, r->record) != 0)
            continue; /* names another finding: refused below */
        const char *p[5] = {f[0], f[1], f[2], f[3], r->device};
        ok = PQsendQueryPrepared(run->c, "ingest_followup", 5, p, NULL, NULL, 0) == 1;
        sent[ns++] = i;
    }
    if (rc == 0 && PQpipelineStatus(run->c) != PQ_PIPELINE_OFF) {
        ok = ok && PQpipelineSync(run->c) == 1;
        /* One result and a NULL per statement, then the sync point. */
        for (size_t k = 0; ok && k < ns; k++) {
            res = PQgetResult(run->c);
            if (PQresultStatus(res) == PGRES_COMMAND_OK)
                done[sent[k]] = atoi(PQcmdTuples(res)) == 1;
            else if (rc == 0)
                rc = pg_fail(run->c, res, "ingest"), res = NULL;
            PQclear(res);
            res = PQgetResult(run->c);
            ok = res == NULL;
            PQclear(res);
        }
        res = ok ? PQgetResult(run->c) : NULL;
        ok = ok && PQresultStatus(res) == PGRES_PIPELINE_SYNC;
        PQclear(res);
        ok = PQexitPipelineMode(run->c) == 1 && ok;
        if (!ok && rc == 0)
            rc = pg_fail(run->c, NULL, "ingest");
    } else if (rc == 0) {
        rc = pg_fail(run->c, NULL, "ingest");
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        if (rows[i].followup && rows[i].entry_v == V_ACCEPT && !rows[i].registry && !done[i])
            rc = refuse_followup(run, &rows[i]);
    free(sent);
    free(done);
    return rc;
}

/* ---- the run --------------------------------------------------------------- */

struct key {
    char device[40], hash[72];
    long long seq;
    int registry;
    int set;
};

/* Reads up to limit inbox rows after *after (in (device, seq, registry,
 * hash) order). */
static int rows_read(struct run *run, const struct key *after, int limit, struct row **out,
                     size_t *n)
{
    char lim[16], seq[24];
    snprintf(lim, sizeof lim, "%d", limit);
    snprintf(seq, sizeof seq, "%lld", after->seq);
    const char *p[5] = {after->device, seq, after->registry ? "t" : "f", after->hash, lim};
    int rc;
    PGresult *r = pg_query(run->c,
                           "SELECT device, seq, hash, sig, entry, payload, registry::int FROM inbox "
                           "WHERE (device, seq, registry, hash) > ($1, $2::bigint, $3::boolean, $4) "
                           "ORDER BY device, seq, registry, hash LIMIT $5::int",
                           5, p, "ingest", &rc);
    if (!r)
        return rc;
    *n = (size_t)PQntuples(r);
    *out = calloc(*n ? *n : 1, sizeof **out);
    if (!*out) {
        PQclear(r);
        return sc_error_set(SC_ERR_NOMEM, NULL);
    }
    for (size_t i = 0; i < *n; i++) {
        struct row *w = &(*out)[i];
        int k = (int)i;
        snprintf(w->device, sizeof w->device, "%s", PQgetvalue(r, k, 0));
        w->seq = atoll(PQgetvalue(r, k, 1));
        snprintf(w->hash, sizeof w->hash, "%s", PQgetvalue(r, k, 2));
        snprintf(w->sig, sizeof w->sig, "%s", PQgetvalue(r, k, 3));
        w->entry = PQunescapeBytea((const unsigned char *)PQgetvalue(r, k, 4), &w->entry_len);
        if (!PQgetisnull(r, k, 5)) {
            w->payload = PQunescapeBytea((const unsigned char *)PQgetvalue(r, k, 5),
                                         &w->payload_len);
            w->has_payload = w->payload != NULL;
        }
        w->registry = atoi(PQgetvalue(r, k, 6));
        if (!w->entry)
            rc = sc_error_set(SC_ERR_NOMEM, NULL);
    }
    PQclear(r);
    return rc;
}

/* The signatures of a batch's entries, verified before they are judged in
 * order: each is a pure check of one row against its device's enrolled
 * key (judge_entry and judge_registry read the answer where they checked
 * it themselves, so every refusal and its reason stay as they were).
 * Ed25519 verification is most of the ingest's own time and libsodium has
 * no batch verification: the rows are split over two threads (a second
 * core, where there is one, is otherwise idle while this process judges:
 * the server waits for it). */
struct sigs {
    struct run *run;
    struct row *rows;
    size_t from, to;
};

static void *sigs_part(void *arg)
{
    struct sigs *s = arg;
    for (size_t i = s->from; i < s->to; i++) {
        struct row *r = &s->rows[i];
        struct device *d = device_find(s->run, r->device);
        r->signed_ok = d && device_verify_entry(d->pk, r->hash, r->sig);
    }
    return NULL;
}

static void sigs_verify(struct run *run, struct row *rows, size_t n)
{
    struct sigs half[2] = {{run, rows, 0, n / 2}, {run, rows, n / 2, n}};
    pthread_t t;
    int threaded = n >= 64 && pthread_create(&t, NULL, sigs_part, &half[0]) == 0;
    if (!threaded)
        half[1].from = 0;
    sigs_part(&half[1]);
    if (threaded)
        pthread_join(t, NULL);
}

/* One batch in one transaction.  single: a batch of one row being retried
 * after a failed write: its record (then its entry) is refused with the
 * database's reason instead. */
static int batch(struct run *run, struct key *after, int limit, int single, size_t *nread)
{
    struct row *rows = NULL;
    size_t n = 0;
    int rc;
    *nread = 0;
    if ((rc = pg_exec(run->c, "BEGIN", "ingest")) < 0 ||
        (rc = pg_exec(run->c, OFFICE_LOCK, "ingest")) < 0 || (rc = devices_load(run)) < 0 ||
        (rc = rows_read(run, after, limit, &rows, &n)) < 0)
        goto out;
    *nread = n;
    sigs_verify(run, rows, n);
    for (size_t i = 0; i < n && rc >= 0; i++) {
        struct row *r = &rows[i];
        if (r->registry) {
            rc = judge_registry(run, r);
            continue;
        }
        if ((rc = judge_entry(run, r)) < 0 || r->entry_v != V_ACCEPT)
            continue;
        int k = judge_record(run, r);
        r->record_ok = k == 2;
        r->followup = k == 3;
        r->refused_record = k == 0;
    }
    if (rc >= 0)
        rc = ids_check(run, rows, n);
    for (int attempt = 0; rc >= 0; attempt++) {
        rc = batch_write(run, rows, n);
        if (rc >= 0)
            rc = apply_followups(run, rows, n);
        for (size_t i = 0; i < n && rc >= 0; i++)
            if (rows[i].registry && rows[i].entry_v == V_ACCEPT)
                rc = registry_apply(run, &rows[i]);
        if (rc >= 0 || !single || attempt == 2 || n != 1)
            break;
        /* One row that the database refuses: its record, then its entry. */
        char why[400];
        snprintf(why, sizeof why, "%s", sc_error_message());
        pg_exec(run->c, "ROLLBACK", "ingest");
        if ((rc = pg_exec(run->c, "BEGIN", "ingest")) < 0 ||
            (rc = pg_exec(run->c, OFFICE_LOCK, "ingest")) < 0)
            break;
        struct row *r = &rows[0];
        if (attempt == 0 && r->record_ok) {
            r->record_ok = 0;
            r->refused_record = 1;
        } else {
            r->entry_v = V_REFUSE;
        }
        refuse(r, "report it with this message", "%s %s: the district could not store it: %s",
               r->kind, r->record, why);
    }
    if (rc >= 0)
        rc = pg_exec(run->c, "COMMIT", "ingest");
    if (rc >= 0) {
        for (size_t i = 0; i < n; i++) {
            struct row *r = &rows[i];
            run->st->rows++;
            if (r->entry_v == V_WAIT) {
                run->st->waiting++;
            } else if (r->entry_v == V_DUP) {
                run->st->duplicates++;
            } else if (r->entry_v == V_ACCEPT && r->registry) {
                run->st->registry++;
            } else if (r->entry_v == V_ACCEPT) {
                run->st->entries++;
                run->st->records += r->record_ok;
            }
            if (r->entry_v == V_REFUSE || r->refused_record) {
                run->st->refused++;
                if (run->on_refusal) {
                    struct ingest_refusal f = {r->device, r->seq, r->kind, r->record,
                                               r->reason, r->hint};
                    run->on_refusal(&f, run->arg);
                }
            }
        }
        if (n) {
            struct row *last = &rows[n - 1];
            snprintf(after->device, sizeof after->device, "%s", last->device);
            snprintf(after->hash, sizeof after->hash, "%s", last->hash);
            after->seq = last->seq;
            after->registry = last->registry;
        }
    }
out:
    if (rc < 0 && PQtransactionStatus(run->c) != PQTRANS_IDLE)
        pg_exec(run->c, "ROLLBACK", "ingest");
    for (size_t i = 0; i < n; i++)
        row_free(&rows[i]);
    free(rows);
    devices_free(run);
    return rc;
}

int ingest_run(const char *url, int batch_size, struct ingest_stats *stats,
               void (*on_refusal)(const struct ingest_refusal *, void *), void *arg)
{
    memset(stats, 0, sizeof *stats);
    struct run run;
    memset(&run, 0, sizeof run);
    run.st = stats;
    run.on_refusal = on_refusal;
    run.arg = arg;
    int rc = pg_connect(url, &run.c);
    if (rc < 0)
        return rc;
    if ((rc = pg_district_id(run.c, run.district, sizeof run.district)) < 0 ||
        (rc = schema_load(run.c, &run.schema)) < 0)
        goto out;
    /* Once per connection, outside any transaction (apply_followups). */
    PGresult *prep = PQprepare(run.c, "ingest_followup", SQL_FOLLOWUP, 5, NULL);
    rc = PQresultStatus(prep) == PGRES_COMMAND_OK ? 0 : pg_fail(run.c, prep, "ingest");
    if (rc < 0)
        goto out;
    PQclear(prep);
    char pk[DEVICE_KEY_HEX];
    /* Without the district's key, records are still taken; registry changes
     * wait for the machine that holds it. */
    run.have_key = enrol_district_key(run.c, 0, pk, run.sk) == 0;
    if (batch_size <= 0)
        batch_size = BATCH_DEFAULT;
    struct key after = {"", "", -1, 0, 0};
    for (;;) {
        struct key start = after;
        size_t n;
        rc = batch(&run, &after, batch_size, 0, &n);
        if (rc < 0 && batch_size > 1) {
            /* Something the database refused: the same rows one by one, so
             * that only what it refuses is refused. */
            after = start;
            size_t total = 0;
            rc = 0;
            while (total < (size_t)batch_size && rc >= 0) {
                rc = batch(&run, &after, 1, 1, &n);
                if (n == 0)
                    break;
                total += n;
            }
            if (rc < 0)
                break;
            if (n == 0)
                break;
            continue;
        }
        if (rc < 0 || n < (size_t)batch_size)
            break;
    }
out:
    sodium_memzero(run.sk, sizeof run.sk);
    for (int t = 0; t < run.schema.ntables; t++)
        pg_buf_free(&run.schema.tables[t].rows);
    PQfinish(run.c);
    return rc < 0 ? rc : 0;
}
