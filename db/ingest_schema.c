/* The district's tables as the ingest writes them: see ingest_schema.h. */
#include "db/ingest_schema.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "db/audit.h"

const char *const ingest_kept_kinds[] = {"draw", "inspection", "calibration",
                                         "nawi_calibration", NULL};
const char *const ingest_registry_kinds[] = {"market", "operator", "stall", "instrument",
                                             "weight_set", "officer", NULL};
const char *const ingest_table_order[] = {
    "draws", "draw_stalls", "draw_officers", "draw_days", "inspections", "calibrations",
    "findings", "reweighs", "calibration_steps", "measurements", "calibration_certificates",
    "calibration_step_notes", "calibration_signatures", "nawi_calibrations",
    "nawi_calibration_rows", NULL};

int ingest_in_list(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

struct ingest_table *ingest_table_find(struct ingest_schema *s, const char *name)
{
    for (int i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i].name, name) == 0)
            return &s->tables[i];
    return NULL;
}

const struct ingest_column *ingest_column_find(const struct ingest_table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return &t->cols[i];
    return NULL;
}

static void copy_col_add(struct ingest_table *t, const char *name)
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
int ingest_schema_load(PGconn *c, struct ingest_schema *s)
{
    memset(s, 0, sizeof *s);
    const char *const *lists[] = {ingest_kept_kinds, ingest_registry_kinds};
    for (int l = 0; l < 2; l++) {
        for (int k = 0; lists[l][k]; k++) {
            struct audit_shape sh;
            for (int q = 0; audit_shape(lists[l][k], q, &sh) == 0; q++) {
                struct ingest_table *t = ingest_table_find(s, sh.table);
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
                        struct ingest_column *col = &t->cols[t->ncols++];
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
                    if (!ingest_column_find(t, sh.cols[i]))
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

/* A value against its district column: type, null, range, UTF-8. */
int ingest_value_fits(const struct canon_col *v, const struct ingest_column *col, char *why,
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

void ingest_schema_free(struct ingest_schema *s)
{
    for (int t = 0; t < s->ntables; t++)
        pg_buf_free(&s->tables[t].rows);
}
