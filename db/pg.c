/* libpq helpers shared by db/sync.c and db/district.c (db/pg.h). */
#include "db/pg.h"

#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/db.h"

int pg_fail(PGconn *c, PGresult *r, const char *what)
{
    const char *msg = r ? PQresultErrorMessage(r) : "";
    if (!msg || !*msg)
        msg = PQerrorMessage(c);
    char clean[400];
    snprintf(clean, sizeof clean, "%s", msg ? msg : "");
    clean[strcspn(clean, "\n")] = '\0';
    int code = PQstatus(c) == CONNECTION_OK ? SC_ERR_DB : SC_ERR_IO;
    if (r)
        PQclear(r);
    return sc_error_set(code, "district %s: %s", what, clean);
}

/* Runs a command; 0 or SC_ERR_*. */
int pg_exec(PGconn *c, const char *sql, const char *what)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        return pg_fail(c, r, what);
    PQclear(r);
    return 0;
}

PGresult *pg_query(PGconn *c, const char *sql, int n, const char *const *params,
                   const char *what, int *rc)
{
    PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        *rc = pg_fail(c, r, what);
        return NULL;
    }
    *rc = 0;
    return r;
}

/* Opens a connection: UTF-8, quiet notices, the lists' day the handheld's
 * (db_today), passed as a parameter, never formatted into SQL. */
int pg_connect(const char *url, PGconn **out)
{
    *out = NULL;
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(c));
        msg[strcspn(msg, "\n")] = '\0';
        PQfinish(c);
        /* The officer meets it at the sync (libpq says why in the
         * terminal's language already). */
        return sc_error_set(SC_ERR_IO, gettext("cannot reach the district database: %s"), msg);
    }
    char today[16];
    db_today(today, sizeof today);
    const char *param[1] = {today};
    int rc;
    PGresult *r = NULL;
    if ((rc = pg_exec(c, "SET client_encoding = 'UTF8'", "connect")) < 0 ||
        (rc = pg_exec(c, "SET client_min_messages = warning", "connect")) < 0 ||
        !(r = pg_query(c, "SELECT set_config('stallcheck.as_of', $1, false)", 1, param,
                       "connect", &rc))) {
        PQfinish(c);
        return rc;
    }
    PQclear(r);
    *out = c;
    return 0;
}

int pg_schema_check(PGconn *c)
{
    int rc;
    PGresult *r = pg_query(c, "SELECT to_regclass('district_info') IS NULL", 0, NULL, "schema",
                           &rc);
    if (!r)
        return rc;
    int missing = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    /* Say what to do, not only what failed. */
    return missing ? sc_error_set(SC_ERR_NOTFOUND, "%s",
                                  gettext("no district schema there: create it with sync --init"))
                   : 0;
}

int pg_district_id(PGconn *c, char *out, size_t size)
{
    int rc = pg_schema_check(c);
    if (rc < 0)
        return rc;
    PGresult *r = pg_query(c, "SELECT value FROM district_info WHERE key = 'district_id'", 0,
                           NULL, "schema", &rc);
    if (!r)
        return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return sc_error_set(SC_ERR_NOTFOUND, "%s",
                            gettext("no district id: create the schema with sync --init"));
    }
    snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

void pg_buf_add(struct pg_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void pg_buf_str(struct pg_buf *b, const char *s)
{
    pg_buf_add(b, s, strlen(s));
}

void pg_buf_free(struct pg_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void pg_copy_text(struct pg_buf *b, const char *t, size_t n)
{
    size_t start = 0;
    for (size_t k = 0; k < n; k++) {
        const char *esc = NULL;
        switch (t[k]) {
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
        if (esc) {
            pg_buf_add(b, t + start, k - start);
            pg_buf_str(b, esc);
            start = k + 1;
        }
    }
    pg_buf_add(b, t + start, n - start);
}

void pg_copy_bytea(struct pg_buf *b, const void *v, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = v;
    pg_buf_str(b, "\\\\x");
    for (size_t k = 0; k < n; k++) {
        char h[2] = {hex[p[k] >> 4], hex[p[k] & 15]};
        pg_buf_add(b, h, 2);
    }
}

void pg_copy_int(struct pg_buf *b, long long v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", v);
    pg_buf_str(b, num);
}

void pg_copy_null(struct pg_buf *b)
{
    pg_buf_str(b, "\\N");
}

int pg_copy(PGconn *c, const char *table, const char *cols, const struct pg_buf *b,
            const char *what)
{
    if (b->oom)
        return sc_error_set(SC_ERR_NOMEM, "district %s: COPY buffer", what);
    if (b->len == 0)
        return 0;
    size_t n = strlen(table) + strlen(cols) + 40;
    char *sql = malloc(n);
    if (!sql)
        return sc_error_set(SC_ERR_NOMEM, NULL);
    snprintf(sql, n, "COPY %s (%s) FROM STDIN", table, cols);
    PGresult *r = PQexec(c, sql);
    free(sql);
    if (PQresultStatus(r) != PGRES_COPY_IN)
        return pg_fail(c, r, what);
    PQclear(r);
    if (PQputCopyData(c, b->p, (int)b->len) != 1 || PQputCopyEnd(c, NULL) != 1)
        return pg_fail(c, NULL, what);
    r = PQgetResult(c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return pg_fail(c, r, what);
    PQclear(r);
    while ((r = PQgetResult(c)) != NULL)
        PQclear(r);
    return 0;
}
