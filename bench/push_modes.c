/* How sync's push is best sent to PostgreSQL, measured on the rows it sends
 * (bench/sync.sh dumps a push's inbox rows, COPY text, to FILE):
 *   push_modes URL FILE [BATCH]
 * Each way loads every row into an empty copy of the inbox (its columns
 * and key) in transactions of BATCH rows (500, sync's default), the way a
 * push must (a batch sent twice changes nothing):
 *   staging   COPY into a temporary table, then INSERT ... SELECT ... ON
 *             CONFLICT DO NOTHING (the inbox's row-level security applies
 *             to INSERT, not to COPY: a handheld's role cannot COPY into it)
 *   pipeline  libpq's pipeline mode: one prepared INSERT ... ON CONFLICT DO
 *             NOTHING per row, the batch's statements sent without waiting
 *             for each answer
 *   arrays    one INSERT ... SELECT FROM unnest($1::text[], ...) ON
 *             CONFLICT DO NOTHING per batch, the batch's columns as seven
 *             arrays in binary (what sync sends)
 * and, for scale, a plain COPY of the same rows into the same table (no
 * idempotence).  Prints "bench: push-MODE SECONDS s" lines (wall time, the
 * server and this client on one machine).  Not part of stallcheck. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rows {
    char **line;              /* COPY text lines, with their newline */
    size_t n;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int die(PGconn *c, const char *what)
{
    fprintf(stderr, "push_modes: %s: %s", what, c ? PQerrorMessage(c) : "\n");
    return 1;
}

static int exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "push_modes: %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    return ok ? 0 : -1;
}

static int read_rows(const char *path, struct rows *out)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t cap = 0;
    char *line = NULL;
    size_t len = 0;
    ssize_t n;
    while ((n = getline(&line, &len, f)) > 0) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 1024;
            char **v = realloc(out->line, cap * sizeof *v);
            if (v == NULL)
                return -1;
            out->line = v;
        }
        out->line[out->n++] = strdup(line);
    }
    free(line);
    fclose(f);
    return 0;
}

static int copy_batch(PGconn *c, const char *table, const struct rows *r, size_t from,
                      size_t to)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "COPY %s (device, seq, hash, sig, entry, payload, registry) FROM STDIN", table);
    PGresult *res = PQexec(c, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        fprintf(stderr, "push_modes: %s", PQresultErrorMessage(res));
        PQclear(res);
        return -1;
    }
    PQclear(res);
    for (size_t i = from; i < to; i++)
        if (PQputCopyData(c, r->line[i], (int)strlen(r->line[i])) != 1)
            return -1;
    if (PQputCopyEnd(c, NULL) != 1)
        return -1;
    res = PQgetResult(c);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "push_modes: COPY: %s", PQresultErrorMessage(res));
    PQclear(res);
    while ((res = PQgetResult(c)) != NULL)
        PQclear(res);
    return ok ? 0 : -1;
}

static int staging(PGconn *c, const struct rows *r, size_t batch)
{
    if (exec(c, "CREATE TEMP TABLE IF NOT EXISTS pm_stage (device text, seq bigint, hash text,"
                " sig text, entry bytea, payload bytea, registry boolean)"
                " ON COMMIT DELETE ROWS") < 0)
        return -1;
    for (size_t from = 0; from < r->n; from += batch) {
        size_t to = from + batch < r->n ? from + batch : r->n;
        if (exec(c, "BEGIN") < 0 || copy_batch(c, "pm_stage", r, from, to) < 0 ||
            exec(c, "INSERT INTO pm_inbox (device, seq, hash, sig, entry, payload, registry)"
                    " SELECT * FROM pm_stage ON CONFLICT DO NOTHING") < 0 ||
            exec(c, "COMMIT") < 0)
            return -1;
    }
    return 0;
}

/* One COPY text field (backslash escapes undone) into out; NULL for \N. */
static char *field(char **p, char *buf, size_t size, int *null)
{
    char *s = *p, *o = buf;
    *null = s[0] == '\\' && s[1] == 'N' && (s[2] == '\t' || s[2] == '\n');
    while (*s && *s != '\t' && *s != '\n') {
        if (*s == '\\' && s[1]) {
            s++;
            char c = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s == 'r' ? '\r' : *s;
            if ((size_t)(o - buf) + 1 < size)
                *o++ = c;
            s++;
            continue;
        }
        if ((size_t)(o - buf) + 1 < size)
            *o++ = *s;
        s++;
    }
    *o = '\0';
    *p = *s == '\t' ? s + 1 : s;
    return buf;
}

static int pipeline(PGconn *c, const struct rows *r, size_t batch)
{
    PGresult *res = PQprepare(c, "pm_insert",
                              "INSERT INTO pm_inbox (device, seq, hash, sig, entry, payload,"
                              " registry) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                              " ON CONFLICT DO NOTHING",
                              7, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        return PQclear(res), -1;
    PQclear(res);
    static char f[7][1 << 20];
    for (size_t from = 0; from < r->n; from += batch) {
        size_t to = from + batch < r->n ? from + batch : r->n;
        if (PQenterPipelineMode(c) != 1)
            return -1;
        PQsendQueryParams(c, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
        for (size_t i = from; i < to; i++) {
            char *p = r->line[i];
            const char *v[7];
            for (int k = 0; k < 7; k++) {
                int null;
                field(&p, f[k], sizeof f[k], &null);
                v[k] = null ? NULL : f[k];
            }
            if (PQsendQueryPrepared(c, "pm_insert", 7, v, NULL, NULL, 0) != 1)
                return -1;
        }
        PQsendQueryParams(c, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
        if (PQpipelineSync(c) != 1)
            return -1;
        /* Every statement's result, then the sync point's. */
        for (;;) {
            res = PQgetResult(c);
            if (res == NULL)
                continue; /* the end of one statement's results */
            ExecStatusType s = PQresultStatus(res);
            PQclear(res);
            if (s == PGRES_PIPELINE_SYNC)
                break;
            if (s != PGRES_COMMAND_OK) {
                fprintf(stderr, "push_modes: pipeline: %s", PQerrorMessage(c));
                return -1;
            }
        }
        if (PQexitPipelineMode(c) != 1)
            return -1;
    }
    return 0;
}

/* PostgreSQL's binary array (array_recv), one dimension: a header, then
 * each element's length (-1: NULL) and bytes. */
struct bin {
    unsigned char *p;
    size_t len, cap;
};

static void put(struct bin *b, const void *d, size_t n)
{
    if (b->len + n > b->cap) {
        while (b->cap < b->len + n)
            b->cap = b->cap ? b->cap * 2 : 1 << 16;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void put32(struct bin *b, unsigned v)
{
    unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    put(b, x, 4);
}

static int hexval(char c)
{
    return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0';
}

/* One COPY text field as the binary element of a column of type oid. */
static void put_field(struct bin *b, unsigned oid, const char *f, int null)
{
    unsigned char x[8];
    size_t n = strlen(f);
    if (null) {
        put32(b, 0xffffffffu);
    } else if (oid == 20) { /* int8 */
        unsigned long long v = strtoull(f, NULL, 10);
        for (int i = 0; i < 8; i++)
            x[i] = (unsigned char)(v >> (56 - 8 * i));
        put32(b, 8);
        put(b, x, 8);
    } else if (oid == 16) { /* bool */
        x[0] = f[0] == 't';
        put32(b, 1);
        put(b, x, 1);
    } else if (oid == 17) { /* bytea, "\x" hex in COPY text */
        put32(b, (unsigned)(n - 2) / 2);
        for (size_t i = 2; i + 1 < n; i += 2) {
            x[0] = (unsigned char)(hexval(f[i]) << 4 | hexval(f[i + 1]));
            put(b, x, 1);
        }
    } else {
        put32(b, (unsigned)n);
        put(b, f, n);
    }
}

static int arrays(PGconn *c, const struct rows *r, size_t batch)
{
    static const unsigned oid[7] = {25, 20, 25, 25, 17, 17, 16};
    static char f[1 << 20];
    struct bin a[7] = {{0}};
    int rc = 0;
    for (size_t from = 0; from < r->n && rc == 0; from += batch) {
        size_t to = from + batch < r->n ? from + batch : r->n;
        for (int k = 0; k < 7; k++) {
            a[k].len = 0;
            put32(&a[k], 1);
            put32(&a[k], 1); /* may hold NULLs */
            put32(&a[k], oid[k]);
            put32(&a[k], (unsigned)(to - from));
            put32(&a[k], 1);
        }
        for (size_t i = from; i < to; i++) {
            char *p = r->line[i];
            for (int k = 0; k < 7; k++) {
                int null;
                field(&p, f, sizeof f, &null);
                put_field(&a[k], oid[k], f, null);
            }
        }
        const char *v[7];
        int len[7], fmt[7];
        for (int k = 0; k < 7; k++) {
            v[k] = (const char *)a[k].p;
            len[k] = (int)a[k].len;
            fmt[k] = 1;
        }
        PGresult *res = PQexecParams(c, "INSERT INTO pm_inbox (device, seq, hash, sig, entry,"
                                        " payload, registry) SELECT * FROM unnest($1::text[],"
                                        " $2::bigint[], $3::text[], $4::text[], $5::bytea[],"
                                        " $6::bytea[], $7::boolean[]) ON CONFLICT DO NOTHING",
                                     7, NULL, v, len, fmt, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            fprintf(stderr, "push_modes: arrays: %s", PQresultErrorMessage(res));
            rc = -1;
        }
        PQclear(res);
    }
    for (int k = 0; k < 7; k++)
        free(a[k].p);
    return rc;
}

static int plain_copy(PGconn *c, const struct rows *r, size_t batch)
{
    for (size_t from = 0; from < r->n; from += batch) {
        size_t to = from + batch < r->n ? from + batch : r->n;
        if (exec(c, "BEGIN") < 0 || copy_batch(c, "pm_inbox", r, from, to) < 0 ||
            exec(c, "COMMIT") < 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: push_modes URL FILE [BATCH]\n");
        return 2;
    }
    size_t batch = argc > 3 ? (size_t)atol(argv[3]) : 500;
    struct rows r = {0};
    if (read_rows(argv[2], &r) < 0 || r.n == 0)
        return die(NULL, argv[2]);
    PGconn *c = PQconnectdb(argv[1]);
    if (PQstatus(c) != CONNECTION_OK)
        return die(c, "connect");
    static const struct {
        const char *name;
        int (*run)(PGconn *, const struct rows *, size_t);
    } modes[] = {{"staging", staging}, {"pipeline", pipeline}, {"arrays", arrays},
                 {"copy", plain_copy}};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        if (exec(c, "DROP TABLE IF EXISTS pm_inbox") < 0 ||
            exec(c, "CREATE TABLE pm_inbox (LIKE inbox INCLUDING ALL)") < 0)
            return die(c, "table");
        double t0 = now();
        if (modes[m].run(c, &r, batch) < 0)
            return die(c, modes[m].name);
        double t1 = now();
        PGresult *res = PQexec(c, "SELECT count(*) FROM pm_inbox");
        long got = PQresultStatus(res) == PGRES_TUPLES_OK ? atol(PQgetvalue(res, 0, 0)) : -1;
        PQclear(res);
        printf("bench: push-%s %.2f s (%zu rows in batches of %zu, %ld stored)\n",
               modes[m].name, t1 - t0, r.n, batch, got);
    }
    exec(c, "DROP TABLE IF EXISTS pm_inbox");
    PQfinish(c);
    return 0;
}
