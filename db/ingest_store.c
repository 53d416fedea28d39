/* A judged batch written to the district: see ingest_store.h. */
#include "db/ingest_store.h"

#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/pg.h"

static void record_refusal(struct pg_buf *b, const struct ingest_row *r)
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

static void audit_row(struct pg_buf *b, const struct ingest_row *r)
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
static void record_rows(struct ingest_run *run, const struct ingest_row *r)
{
    for (size_t q = 0; q < r->doc.nqueries; q++) {
        struct audit_shape sh;
        if (audit_shape(r->kind, (int)q, &sh) < 0)
            return;
        struct ingest_table *t = ingest_table_find(&run->schema, sh.table);
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

int ingest_store(struct ingest_run *run, struct ingest_row *rows, size_t n)
{
    struct pg_buf audit = {0}, refusals = {0}, done = {0};
    for (int t = 0; t < run->schema.ntables; t++)
        run->schema.tables[t].rows.len = 0;
    for (size_t i = 0; i < n; i++) {
        struct ingest_row *r = &rows[i];
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
    for (int k = 0; ingest_table_order[k] && rc == 0; k++) {
        struct ingest_table *t = ingest_table_find(&run->schema, ingest_table_order[k]);
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
