/* An ingest run's state: see ingest_rows.h. */
#include "db/ingest_rows.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/pg.h"

int ingest_rows_read(struct ingest_run *run, const struct ingest_key *after, int limit,
                     struct ingest_row **out, size_t *n)
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
        struct ingest_row *w = &(*out)[i];
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

void ingest_row_free(struct ingest_row *r)
{
    if (r->entry)
        PQfreemem(r->entry);
    if (r->payload)
        PQfreemem(r->payload);
    canon_free(&r->doc);
}

struct ingest_device *ingest_device_find(struct ingest_run *run, const char *id)
{
    for (size_t i = 0; i < run->ndevices; i++)
        if (strcmp(run->devices[i].device, id) == 0)
            return &run->devices[i];
    return NULL;
}

int ingest_devices_load(struct ingest_run *run)
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
        struct ingest_device *d = &run->devices[i];
        snprintf(d->device, sizeof d->device, "%s", PQgetvalue(r, (int)i, 0));
        snprintf(d->pk, sizeof d->pk, "%s", PQgetvalue(r, (int)i, 1));
        snprintf(d->status, sizeof d->status, "%s", PQgetvalue(r, (int)i, 2));
        d->registry = atoi(PQgetvalue(r, (int)i, 3));
        snprintf(d->replaced_by, sizeof d->replaced_by, "%s", PQgetvalue(r, (int)i, 4));
    }
    PQclear(r);
    return 0;
}

void ingest_devices_free(struct ingest_run *run)
{
    for (size_t i = 0; i < run->ndevices; i++) {
        free(run->devices[i].seqs);
        free(run->devices[i].hashes);
    }
    free(run->devices);
    run->devices = NULL;
    run->ndevices = 0;
}

int ingest_held_push(struct ingest_device *d, long long seq, const char *hash)
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

const char *ingest_held_hash(const struct ingest_device *d, long long seq)
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

int ingest_held_load(struct ingest_run *run, struct ingest_device *d, long long from)
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
        rc = ingest_held_push(d, atoll(PQgetvalue(r, i, 0)), PQgetvalue(r, i, 1));
    PQclear(r);
    return rc;
}

void ingest_refuse(struct ingest_row *r, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    snprintf(r->hint, sizeof r->hint, "%s", hint);
}

const char *ingest_text_of(const struct canon_col *c)
{
    return c && c->type == CANON_TEXT ? c->data : "";
}
