/* The district's tables as the ingest writes them: for every table a kept
 * or registry kind's shape names (db/audit.h audit_shape), its columns'
 * types as the district's schema has them, the column list of its COPY
 * (the union of the shapes' columns and keys) and the batch's rows for it.
 * A pushed value is checked against its column here before it is stored. */
#ifndef STALLCHECK_DB_INGEST_SCHEMA_H
#define STALLCHECK_DB_INGEST_SCHEMA_H

#include <libpq-fe.h>
#include <stddef.h>

#include "core/canon.h"
#include "db/pg.h"

/* Kinds whose records the district keeps in its tables, parents before
 * children; "device" is checked (its key must be the enrolled one) and
 * kept as its entry only.  Registry kinds come as registry rows. */
extern const char *const ingest_kept_kinds[];
extern const char *const ingest_registry_kinds[];
/* The order the district's tables are written in (foreign keys). */
extern const char *const ingest_table_order[];

/* 1 when s is in the NULL-ended list. */
int ingest_in_list(const char *const *list, const char *s);

enum coltype { T_TEXT, T_INT, T_BYTEA };

struct ingest_column {
    char name[32];
    enum coltype type;
    int notnull;
    long long min, max;      /* an integer column's range */
};

struct ingest_table {
    char name[32];
    struct ingest_column cols[32];
    int ncols;
    char copy_cols[600];     /* the columns a COPY into it names */
    int copy_idx[32];        /* their indexes in cols */
    int ncopy;
    struct pg_buf rows;      /* this batch's rows */
};

struct ingest_schema {
    struct ingest_table tables[32];
    int ntables;
};

/* Reads the district's column types for every table the kept kinds and
 * the registry kinds write (SC_ERR_NOTFOUND naming a table or column the
 * district lacks: sync --init makes them). */
int ingest_schema_load(PGconn *c, struct ingest_schema *s);
void ingest_schema_free(struct ingest_schema *s);

struct ingest_table *ingest_table_find(struct ingest_schema *s, const char *name);
const struct ingest_column *ingest_column_find(const struct ingest_table *t, const char *name);

/* A value against its district column: type, null, range, UTF-8.  1 when
 * it fits, else 0 with why. */
int ingest_value_fits(const struct canon_col *v, const struct ingest_column *col, char *why,
                      size_t size);

#endif
