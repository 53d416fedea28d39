/* The district's ingest: see ingest.h for what is checked.  Here the run:
 * the inbox read in batches, each judged and written in one transaction
 * under the office's lock, and a batch the database refuses retried row
 * by row.  The checks and writes have their own files: the district's
 * tables (db/ingest_schema.h), the run's rows and devices
 * (db/ingest_rows.h), entries (db/ingest_entry.h), records
 * (db/ingest_record.h), registry records (db/ingest_registry.h), the
 * batch's writes (db/ingest_store.h) and follow-ups (db/ingest_followup.h). */
#include "db/ingest.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/enrol.h"
#include "db/ingest_entry.h"
#include "db/ingest_followup.h"
#include "db/ingest_record.h"
#include "db/ingest_registry.h"
#include "db/ingest_rows.h"
#include "db/ingest_schema.h"
#include "db/ingest_store.h"
#include "db/pg.h"

#define BATCH_DEFAULT 2000
#define OFFICE_LOCK "SELECT pg_advisory_xact_lock(7400053)"

/* One batch in one transaction.  single: a batch of one row being retried
 * after a failed write: its record (then its entry) is refused with the
 * database's reason instead. */
static int batch(struct ingest_run *run, struct ingest_key *after, int limit, int single,
                 size_t *nread)
{
    struct ingest_row *rows = NULL;
    size_t n = 0;
    int rc;
    *nread = 0;
    if ((rc = pg_exec(run->c, "BEGIN", "ingest")) < 0 ||
        (rc = pg_exec(run->c, OFFICE_LOCK, "ingest")) < 0 || (rc = ingest_devices_load(run)) < 0 ||
        (rc = ingest_rows_read(run, after, limit, &rows, &n)) < 0)
        goto out;
    *nread = n;
    ingest_sigs_verify(run, rows, n);
    for (size_t i = 0; i < n && rc >= 0; i++) {
        struct ingest_row *r = &rows[i];
        if (r->registry) {
            rc = ingest_judge_registry(run, r);
            continue;
        }
        if ((rc = ingest_judge_entry(run, r)) < 0 || r->entry_v != V_ACCEPT)
            continue;
        enum record_verdict k = ingest_judge_record(run, r);
        r->record_ok = k == RECORD_STORED;
        r->followup = k == RECORD_FOLLOWUP;
        r->refused_record = k == RECORD_REFUSED;
    }
    if (rc >= 0)
        rc = ingest_ids_check(run, rows, n);
    for (int attempt = 0; rc >= 0; attempt++) {
        rc = ingest_store(run, rows, n);
        if (rc >= 0)
            rc = ingest_followups_apply(run, rows, n);
        for (size_t i = 0; i < n && rc >= 0; i++)
            if (rows[i].registry && rows[i].entry_v == V_ACCEPT)
                rc = ingest_registry_apply(run, &rows[i]);
        if (rc >= 0 || !single || attempt == 2 || n != 1)
            break;
        /* One row that the database refuses: its record, then its entry. */
        char why[400];
        snprintf(why, sizeof why, "%s", sc_error_message());
        pg_exec(run->c, "ROLLBACK", "ingest");
        if ((rc = pg_exec(run->c, "BEGIN", "ingest")) < 0 ||
            (rc = pg_exec(run->c, OFFICE_LOCK, "ingest")) < 0)
            break;
        struct ingest_row *r = &rows[0];
        if (attempt == 0 && r->record_ok) {
            r->record_ok = 0;
            r->refused_record = 1;
        } else {
            r->entry_v = V_REFUSE;
        }
        ingest_refuse(r, "report it with this message",
                      "%s %s: the district could not store it: %s", r->kind, r->record, why);
    }
    if (rc >= 0)
        rc = pg_exec(run->c, "COMMIT", "ingest");
    if (rc >= 0) {
        for (size_t i = 0; i < n; i++) {
            struct ingest_row *r = &rows[i];
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
            struct ingest_row *last = &rows[n - 1];
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
        ingest_row_free(&rows[i]);
    free(rows);
    ingest_devices_free(run);
    return rc;
}

int ingest_run(const char *url, int batch_size, struct ingest_stats *stats,
               void (*on_refusal)(const struct ingest_refusal *, void *), void *arg)
{
    memset(stats, 0, sizeof *stats);
    struct ingest_run run;
    memset(&run, 0, sizeof run);
    run.st = stats;
    run.on_refusal = on_refusal;
    run.arg = arg;
    int rc = pg_connect(url, &run.c);
    if (rc < 0)
        return rc;
    if ((rc = pg_district_id(run.c, run.district, sizeof run.district)) < 0 ||
        (rc = ingest_schema_load(run.c, &run.schema)) < 0)
        goto out;
    if ((rc = ingest_followups_prepare(run.c)) < 0)
        goto out;
    char pk[DEVICE_KEY_HEX];
    /* Without the district's key, records are still taken; registry changes
     * wait for the machine that holds it. */
    run.have_key = enrol_district_key(run.c, 0, pk, run.sk) == 0;
    if (batch_size <= 0)
        batch_size = BATCH_DEFAULT;
    struct ingest_key after = {"", "", -1, 0, 0};
    for (;;) {
        struct ingest_key start = after;
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
    ingest_schema_free(&run.schema);
    PQfinish(run.c);
    return rc < 0 ? rc : 0;
}
