/* Registry records pushed by an admin's handheld: see ingest_registry.h. */
#include "db/ingest_registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/device.h"
#include "db/ingest_entry.h"
#include "db/ingest_record.h"
#include "db/pg.h"
#include "db/registry.h"

/* The hash the district holds for (device, seq), from this batch or the
 * table; "" when none. */
static int held_entry(struct ingest_run *run, struct ingest_device *d, long long seq, char out[72])
{
    const char *h = ingest_held_hash(d, seq);
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

int ingest_judge_registry(struct ingest_run *run, struct ingest_row *r)
{
    struct ingest_device *d = ingest_device_find(run, r->device);
    if (!d) {
        r->entry_v = V_WAIT;
        return 0;
    }
    r->entry_v = V_REFUSE;
    char h[AUDIT_HASH_HEX];
    audit_sha256_hex(r->entry, r->entry_len, h);
    if (strcmp(h, r->hash) != 0 || !ingest_entry_parse(r)) {
        ingest_refuse(r, "report it", "registry entry %lld is not what its hash was made of",
                      r->seq);
        return 0;
    }
    if (strcmp(d->status, "active") != 0) {
        ingest_refuse(r, "push the registry from an active admin's handheld",
                      "device %s is %s: its registry changes are not taken", r->device, d->status);
        return 0;
    }
    if (!d->registry || !ingest_in_list(ingest_registry_kinds, r->kind)) {
        ingest_refuse(
            r, "registry changes come from the office's handheld (enrolled with --registry)",
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
        ingest_refuse(r, "this database was altered or restored after it pushed",
                      "registry entry %lld (%s %s) is not the entry the district holds", r->seq,
                      r->kind, r->record);
        return 0;
    }
    if (!r->signed_ok) {
        ingest_refuse(r, "stallcheck verify on the handheld",
                      "registry entry %lld (%s %s) is not signed by device %s", r->seq, r->kind,
                      r->record, r->device);
        return 0;
    }
    if (!ingest_judge_payload(run, r, NULL))
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
int ingest_registry_apply(struct ingest_run *run, struct ingest_row *r)
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
        device_sign_text(run->sk, REGISTRY_SIGN_DOMAIN, text, (size_t)len, sig);
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
        ingest_refuse(r, "push the registry again once what it refers to is on the district",
                      "%s %s: %s", r->kind, r->record, why);
        return 0;
    }
    return pg_exec(run->c, "RELEASE SAVEPOINT reg", "ingest") < 0 ? SC_ERR_DB : 2;
}
