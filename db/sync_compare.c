/* The district's copy of this database's entries: see sync_compare.h. */
#include "db/sync_compare.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/internal.h"
#include "db/pg.h"

/* Each local entry against the district's entry of the same device and
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
