/* Follow-ups pushed by a handheld: see ingest_followup.h. */
#include "db/ingest_followup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/pg.h"

static const char SQL_FOLLOWUP[] =
    "UPDATE findings f SET followup = $3, followup_inspection = $4 "
    "FROM inspections i, inspections c, findings cf "
    "WHERE f.inspection = $1 AND f.item = $2 AND i.id = f.inspection AND i.device = $5 "
    "AND c.id = $4 AND c.device = $5 AND c.stall = i.stall AND cf.inspection = c.id "
    "AND cf.item = f.item AND (($3 = 'corrected' AND cf.answer IN ('pass', 'intact', "
    "'not-sealable')) OR ($3 = 'not-corrected' AND cf.answer IN ('fail', 'broken', "
    "'missing')))";

static void followup_fields(const struct ingest_row *r, const char *f[4])
{
    const struct canon_row *row = &r->doc.queries[0].rows[0];
    f[0] = ingest_text_of(canon_get(row, "inspection"));
    f[1] = ingest_text_of(canon_get(row, "item"));
    f[2] = ingest_text_of(canon_get(row, "followup"));
    f[3] = ingest_text_of(canon_get(row, "followup_inspection"));
}

/* A follow-up entry whose state the district does not take: its record
 * refused, by name. */
static int refuse_followup(struct ingest_run *run, struct ingest_row *r)
{
    const char *f[4];
    followup_fields(r, f);
    r->refused_record = 1;
    ingest_refuse(r, "stallcheck verify on the handheld; an admin checks the follow-up there",
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
int ingest_followups_apply(struct ingest_run *run, struct ingest_row *rows, size_t n)
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
        struct ingest_row *r = &rows[i];
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

int ingest_followups_prepare(PGconn *c)
{
    PGresult *prep = PQprepare(c, "ingest_followup", SQL_FOLLOWUP, 5, NULL);
    if (PQresultStatus(prep) != PGRES_COMMAND_OK)
        return pg_fail(c, prep, "ingest");
    PQclear(prep);
    return 0;
}
