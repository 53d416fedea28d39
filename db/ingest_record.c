/* An accepted entry's record judged: see ingest_record.h. */
#include "db/ingest_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/strset.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/draw.h"
#include "db/pg.h"

/* The payload hashes to the entry's content hash and reads as canonical
 * text (into r->doc): 1, else 0. */
static int payload_doc(struct ingest_row *r)
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

int ingest_judge_payload(struct ingest_run *run, struct ingest_row *r, const char *device)
{
    if (!r->has_payload) {
        ingest_refuse(r, "sync again from the handheld", "%s %s came without its record", r->kind,
                      r->record);
        return 0;
    }
    char h[AUDIT_HASH_HEX];
    audit_sha256_hex(r->payload, r->payload_len, h);
    if (strcmp(h, r->content_hash) != 0) {
        ingest_refuse(r, "stallcheck verify on the handheld names it; the record stays there",
                      "%s %s is not the record its audit entry %lld was made for", r->kind,
                      r->record, r->seq);
        return 0;
    }
    if (canon_parse((const char *)r->payload, r->payload_len, &r->doc) < 0) {
        ingest_refuse(r, "report it: the handheld's stallcheck wrote what the district cannot read",
                      "%s %s cannot be read: %s", r->kind, r->record, sc_error_message());
        return 0;
    }
    r->parsed = 1;
    for (size_t q = 0; q < r->doc.nqueries || q == 0; q++) {
        struct audit_shape sh;
        if (audit_shape(r->kind, (int)q, &sh) < 0) {
            if (q < r->doc.nqueries) {
                ingest_refuse(r, "update stallcheck on the handheld or the office",
                              "%s %s has parts the district does not know", r->kind, r->record);
                return 0;
            }
            break;
        }
        if (q >= r->doc.nqueries) {
            if (sh.optional) /* made before the sections it lacks were added */
                break;
            ingest_refuse(r, "update stallcheck on the handheld or the office",
                          "%s %s lacks parts the district expects", r->kind, r->record);
            return 0;
        }
        const struct canon_query *cq = &r->doc.queries[q];
        struct ingest_table *t = ingest_table_find(&run->schema, sh.table);
        if (!t || (q == 0 && cq->nrows != 1)) {
            ingest_refuse(r, "report it", "%s %s is not one record", r->kind, r->record);
            return 0;
        }
        for (size_t i = 0; i < cq->nrows; i++) {
            const struct canon_row *row = &cq->rows[i];
            if ((int)row->ncols != sh.ncols) {
                ingest_refuse(r, "update stallcheck on the handheld or the office",
                              "%s %s: %s has other columns than the district's", r->kind, r->record,
                              sh.table);
                return 0;
            }
            for (int k = 0; k < sh.ncols; k++) {
                char why[160];
                if (strcmp(row->cols[k].name, sh.cols[k]) != 0) {
                    ingest_refuse(r, "update stallcheck on the handheld or the office",
                                  "%s %s: %s has other columns than the district's", r->kind,
                                  r->record, sh.table);
                    return 0;
                }
                if (!ingest_value_fits(&row->cols[k], ingest_column_find(t, sh.cols[k]), why,
                                       sizeof why)) {
                    ingest_refuse(r,
                                  "the record stays whole on the handheld; the office reads it "
                                  "there and decides whether to enter it again",
                                  "%s %s: %s.%s", r->kind, r->record, sh.table, why);
                    return 0;
                }
            }
            if (q == 0) {
                const struct canon_col *key = canon_get(row, sh.key);
                if (!key || key->type != CANON_TEXT || strcmp(key->data, r->record) != 0) {
                    ingest_refuse(r, "report it",
                                  "%s %s: the record is not the one its entry names", r->kind,
                                  r->record);
                    return 0;
                }
                const struct canon_col *dev = canon_get(row, "device");
                if (device && dev && strcmp(ingest_text_of(dev), device) != 0) {
                    ingest_refuse(r,
                                  "stallcheck verify on the handheld; an admin checks who wrote "
                                  "this database",
                                  "%s %s names device %s but was pushed by device %s", r->kind,
                                  r->record, ingest_text_of(dev), device);
                    return 0;
                }
            }
            /* Every id in it must be this device's (or an untagged old one). */
            const struct canon_col *id = canon_get(row, "id");
            if (device && id && id->type == CANON_TEXT &&
                db_record_id_owner(id->data, id->len, device) < 0) {
                ingest_refuse(r,
                              "an admin checks the device that pushed it: the id is another "
                              "handheld's",
                              "%s %s: %s id %s belongs to another device than %s", r->kind,
                              r->record, sh.table, id->data, device);
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
static int judge_draw_days(struct ingest_row *r)
{
    struct audit_shape sh;
    const struct canon_row *d = &r->doc.queries[0].rows[0];
    for (size_t q = 1; q < r->doc.nqueries; q++) {
        if (audit_shape("draw", (int)q, &sh) < 0 || strcmp(sh.table, "draw_days") != 0)
            continue;
        for (size_t i = 0; i < r->doc.queries[q].nrows; i++) {
            const struct canon_row *k = &r->doc.queries[q].rows[i];
            const struct canon_col *day = canon_get(k, "day");
            if (draw_days_agree(ingest_text_of(canon_get(d, "inputs")),
                                ingest_text_of(canon_get(k, "kind")),
                                day && day->type == CANON_TEXT ? day->data : NULL,
                                ingest_text_of(canon_get(d, "made_at"))))
                continue;
            ingest_refuse(r,
                          "stallcheck verify on the handheld names it; an admin checks who wrote "
                          "this database",
                          "draw %s: its kind or day is not what its audited inputs say", r->record);
            return 0;
        }
    }
    return 1;
}

/* A follow-up's new state: its payload checked here, applied after the
 * batch's records are in (apply_followups). */
static int judge_followup(struct ingest_row *r)
{
    if (!payload_doc(r) || r->doc.nqueries != 1 || r->doc.queries[0].nrows != 1) {
        ingest_refuse(r, "stallcheck verify on the handheld names it",
                      "follow-up %s is not the record its audit entry was made for", r->record);
        return 0;
    }
    return 1;
}

enum record_verdict ingest_judge_record(struct ingest_run *run, struct ingest_row *r)
{
    if (strcmp(r->kind, "device") == 0) {
        /* Kept as its entry only: its content must be the enrolled key. */
        if (!payload_doc(r)) {
            ingest_refuse(r, "stallcheck verify on the handheld",
                          "device %s's key entry is not the record it was made for", r->record);
            return RECORD_REFUSED;
        }
        /* The device's key in its chain must be the key the district enrolled. */
        struct ingest_device *d = ingest_device_find(run, r->device);
        const struct canon_row *row =
            r->doc.nqueries && r->doc.queries[0].nrows ? &r->doc.queries[0].rows[0] : NULL;
        const char *pk = row ? ingest_text_of(canon_get(row, "public_key")) : "";
        if (strcmp(r->record, r->device) == 0 && d && strcmp(pk, d->pk) != 0) {
            ingest_refuse(r, "enrol the handheld's current key (stallcheck device show)",
                          "device %s's key entry names another key than the enrolled one",
                          r->device);
            return RECORD_REFUSED;
        }
        return RECORD_ENTRY;
    }
    if (ingest_in_list(ingest_kept_kinds, r->kind))
        return ingest_judge_payload(run, r, r->device) &&
                       (strcmp(r->kind, "draw") != 0 || judge_draw_days(r))
                   ? RECORD_STORED
                   : RECORD_REFUSED;
    if (strcmp(r->kind, "followup") == 0)
        return judge_followup(r) ? RECORD_FOLLOWUP : RECORD_REFUSED;
    return RECORD_ENTRY; /* registry kinds, rules and others: the entry only */
}

/* The ids of the records to store, each with its table, to check against
 * what the district holds. */
struct idref {
    struct ingest_row *row;
    char table[32];
    const char *id;
};

static int ids_collect(struct ingest_row *rows, size_t n, struct idref **out, size_t *nout)
{
    size_t cap = 0;
    *out = NULL;
    *nout = 0;
    for (size_t i = 0; i < n; i++) {
        struct ingest_row *r = &rows[i];
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

int ingest_ids_check(struct ingest_run *run, struct ingest_row *rows, size_t n)
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
        struct ingest_row *r = refs[i].row;
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
            ingest_refuse(r, "an admin checks both devices: the district keeps the record it "
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
