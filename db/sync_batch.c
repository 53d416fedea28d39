/* The push's batch: see sync_batch.h. */
#include "db/sync_batch.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/internal.h"

/* The kinds whose records go with their entries. */
static const char *const pushed_kinds[] = {"inspection", "calibration", "draw", "device",
                                           "followup", "nawi_calibration", NULL};

static void inbox_rows_clear(struct inbox_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].entry);
        free(r->v[i].payload);
    }
    r->n = 0;
}

void inbox_rows_free(struct inbox_rows *r)
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

struct sync_batch {
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
    struct sync_batch_counts counts; /* of the last fill */
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
int inbox_rows_add(struct inbox_rows *b, const struct audit_entry *e, char *payload,
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

static int pend(struct sync_batch *b, const struct audit_entry *e)
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
static int batch_payloads(struct sync_batch *b)
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
    struct sync_batch *b = arg;
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
        b->err = inbox_rows_add(&b->rows, e, NULL, 0, 0);
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

static int batch_latest(struct db *db, struct sync_batch *b, int64_t after, int limit)
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

static int batch_read(struct db *db, struct sync_batch *b, int64_t after, int limit)
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
    b->counts = (struct sync_batch_counts){b->last_seq, b->entries - b->skipped, b->inspections,
                                           b->verifications, b->calibrations, b->draws};
    return (int)b->entries;
}

/* A batch is read in one read transaction: its entries, which of them are
 * their record's newest and the records' texts are one moment's (an
 * officer committing meanwhile waits for the next batch). */
int sync_batch_fill(struct db *db, struct sync_batch *b, int64_t after, int limit)
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

struct sync_batch *sync_batch_new(void)
{
    struct sync_batch *b = calloc(1, sizeof *b);
    if (b == NULL)
        sc_error_set(SC_ERR_NOMEM, "sync: batch");
    return b;
}

void sync_batch_free(struct sync_batch *b)
{
    if (b == NULL)
        return;
    inbox_rows_free(&b->rows);
    free(b->latest);
    free(b->pending);
    free(b);
}

const struct inbox_rows *sync_batch_rows(const struct sync_batch *b)
{
    return &b->rows;
}

const struct sync_batch_counts *sync_batch_counts(const struct sync_batch *b)
{
    return &b->counts;
}
