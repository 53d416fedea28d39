/* A batch sent to the district's inbox: see sync_send.h. */
#include "db/sync_send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/pg.h"

#define COLS_INBOX "device, seq, hash, sig, entry, payload, registry"

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
struct sync_sender {
    int prepared;
    struct pg_array col[7];
};

struct sync_sender *sync_sender_new(void)
{
    struct sync_sender *s = calloc(1, sizeof *s);
    if (s == NULL)
        sc_error_set(SC_ERR_NOMEM, "sync: batch");
    return s;
}

void sync_sender_free(struct sync_sender *s)
{
    if (s == NULL)
        return;
    for (int k = 0; k < 7; k++)
        free(s->col[k].p);
    free(s);
}

int sync_send(PGconn *c, const struct inbox_rows *rows, struct sync_sender *snd)
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
