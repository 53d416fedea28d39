/* For db/ sources that speak to the district's PostgreSQL (libpq): one
 * connection setup and one error convention.  Nothing outside db/ includes
 * this (no SQL outside db/). */
#ifndef STALLCHECK_DB_PG_H
#define STALLCHECK_DB_PG_H

#include <libpq-fe.h>
#include <stddef.h>

/* Records the server's (or the connection's) error as "district WHAT: why"
 * and clears r (may be NULL).  SC_ERR_IO when the connection is gone,
 * else SC_ERR_DB. */
int pg_fail(PGconn *c, PGresult *r, const char *what);

/* Runs a command; 0 or SC_ERR_*. */
int pg_exec(PGconn *c, const char *sql, const char *what);

/* Runs a query with text parameters; the result (PQclear it) or NULL with
 * *rc set. */
PGresult *pg_query(PGconn *c, const char *sql, int n, const char *const *params,
                   const char *what, int *rc);

/* Opens a connection: UTF-8, quiet notices, the lists' day the handheld's
 * (db_today; session setting stallcheck.as_of, passed as a parameter).
 * SC_ERR_IO when unreachable. */
int pg_connect(const char *url, PGconn **out);

/* A growable buffer of COPY text (tab-separated, one row per line). */
struct pg_buf {
    char *p;
    size_t len, cap;
    int oom;
};
void pg_buf_add(struct pg_buf *b, const char *s, size_t n);
void pg_buf_str(struct pg_buf *b, const char *s);
void pg_buf_free(struct pg_buf *b);
/* One field in COPY's text format: text with \\, \n, \r, \t escaped;
 * bytea as \\x + hex; NULL as \N.  The caller adds tabs and newlines. */
void pg_copy_text(struct pg_buf *b, const char *s, size_t n);
void pg_copy_bytea(struct pg_buf *b, const void *p, size_t n);
void pg_copy_int(struct pg_buf *b, long long v);
void pg_copy_null(struct pg_buf *b);
/* COPY table (cols) FROM STDIN with the buffer's rows; 0 or SC_ERR_*. */
int pg_copy(PGconn *c, const char *table, const char *cols, const struct pg_buf *b,
            const char *what);

/* The district's lists (db/district.c): their tables, the trigger that
 * marks stalls with new records, and the rules stored as text; run by
 * sync --init inside its transaction (rules NULL: the built-in). */
struct rules;
int district_lists_init(PGconn *c, const struct rules *rules);

/* The district database's id (district_info), or SC_ERR_NOTFOUND saying
 * to create the schema with sync --init. */
int pg_district_id(PGconn *c, char *out, size_t size);

/* 0 when the district schema is there; SC_ERR_NOTFOUND saying to create
 * it with sync --init when it is not (no district_info table); or SC_ERR_*.
 * Asked of the catalogue, not read from a failed query's message, which is
 * in the server's own language. */
int pg_schema_check(PGconn *c);

#endif
