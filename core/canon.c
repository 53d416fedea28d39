/* The canonical text of an audited record: writer and strict parser. */
#include "core/canon.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* ---- writing -------------------------------------------------------------- */

/* Room for n more bytes and the NUL: the place to write them, or NULL
 * (out of memory, remembered in oom). */
static char *reserve(struct canon_buf *b, size_t n)
{
    if (b->oom)
        return NULL;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->oom = 1;
            return NULL;
        }
        b->p = p;
        b->cap = cap;
    }
    return b->p + b->len;
}

/* The bytes written since reserve(), up to end. */
static void commit(struct canon_buf *b, char *end)
{
    b->len = (size_t)(end - b->p);
    *end = '\0';
}

static void add(struct canon_buf *b, const void *data, size_t n)
{
    char *p = reserve(b, n);
    if (p == NULL)
        return;
    memcpy(p, data, n);
    commit(b, p + n);
}

static void add_str(struct canon_buf *b, const char *s)
{
    add(b, s, strlen(s));
}

void canon_query(struct canon_buf *b, int n)
{
    /* "#%d\n" by hand, like canon_int */
    char head[24], *p = head + sizeof head;
    unsigned u = n < 0 ? 0u - (unsigned)n : (unsigned)n;
    *--p = '\n';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (n < 0)
        *--p = '-';
    *--p = '#';
    add(b, p, (size_t)(head + sizeof head - p));
}

void canon_row(struct canon_buf *b)
{
    add(b, "--\n", 3);
}

void canon_text(struct canon_buf *b, const char *name, const char *v, size_t n)
{
    /* One reservation for the worst case (every byte escaped): a push
     * writes hundreds of thousands of these. */
    size_t nl = strlen(name);
    char *p = reserve(b, nl + 3 + 2 * n + 1);
    if (p == NULL)
        return;
    memcpy(p, name, nl);
    p += nl;
    memcpy(p, ":t=", 3);
    p += 3;
    for (size_t k = 0; k < n; k++) {
        char c = v[k];
        if (c == '\\' || c == '\n') {
            *p++ = '\\';
            *p++ = c == '\\' ? '\\' : 'n';
        } else {
            *p++ = c;
        }
    }
    *p++ = '\n';
    commit(b, p);
}

void canon_int(struct canon_buf *b, const char *name, int64_t v)
{
    /* ":i=%lld\n" by hand: a push writes several per record, 100,000s. */
    char num[32], *p = num + sizeof num;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    *--p = '\n';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--p = '-';
    *--p = '=';
    *--p = 'i';
    *--p = ':';
    add_str(b, name);
    add(b, p, (size_t)(num + sizeof num - p));
}

void canon_blob(struct canon_buf *b, const char *name, const void *v, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = v;
    add_str(b, name);
    add_str(b, ":b=");
    char h[256];
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        h[m++] = hex[p[k] >> 4];
        h[m++] = hex[p[k] & 15];
        if (m == sizeof h) {
            add(b, h, m);
            m = 0;
        }
    }
    add(b, h, m);
    add_str(b, "\n");
}

void canon_null(struct canon_buf *b, const char *name)
{
    add_str(b, name);
    add_str(b, ":null\n");
}

void canon_buf_free(struct canon_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void canon_write(const struct canon_doc *doc, struct canon_buf *out)
{
    for (size_t q = 0; q < doc->nqueries; q++) {
        canon_query(out, (int)q + 1);
        const struct canon_query *cq = &doc->queries[q];
        for (size_t r = 0; r < cq->nrows; r++) {
            canon_row(out);
            for (size_t c = 0; c < cq->rows[r].ncols; c++) {
                const struct canon_col *col = &cq->rows[r].cols[c];
                switch (col->type) {
                case CANON_NULL: canon_null(out, col->name); break;
                case CANON_INT: canon_int(out, col->name, col->i); break;
                case CANON_TEXT: canon_text(out, col->name, col->data, col->len); break;
                case CANON_BLOB: canon_blob(out, col->name, col->data, col->len); break;
                }
            }
        }
    }
}

/* ---- parsing -------------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return sc_error_set(SC_ERR_NOMEM, NULL);
    *p = q;
    *cap = n;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1; /* upper case is not what the writer writes */
}

/* A %lld integer exactly: no '+', no leading zeros, no "-0", in range. */
static int parse_int(const char *s, size_t n, int64_t *out)
{
    size_t k = 0;
    int neg = 0;
    if (n > 0 && s[0] == '-') {
        neg = 1;
        k = 1;
    }
    if (k == n || (s[k] == '0' && n - k > 1) || (neg && s[k] == '0'))
        return -1;
    uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; k < n; k++) {
        if (s[k] < '0' || s[k] > '9')
            return -1;
        uint64_t d = (uint64_t)(s[k] - '0');
        if (v > (lim - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return 0;
}

static int bad(size_t line, const char *why)
{
    return sc_error_set(SC_ERR_PARSE, "line %zu: %s", line, why);
}

/* One column line (without its '\n', NUL at end) into col, in place. */
static int parse_col(char *s, size_t n, size_t line, struct canon_col *col)
{
    char *colon = memchr(s, ':', n);
    if (!colon || colon == s)
        return bad(line, "a column is name:TYPE=value");
    for (char *p = s; p < colon; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return bad(line, "a column name is lower-case letters, digits and '_'");
    *colon = '\0';
    col->name = s;
    char *v = colon + 1;
    size_t vn = n - (size_t)(v - s);
    if (vn == 4 && memcmp(v, "null", 4) == 0) {
        col->type = CANON_NULL;
        return 0;
    }
    if (vn < 2 || v[1] != '=')
        return bad(line, "a column's type is i=, t=, b= or null");
    char *d = v + 2;
    size_t dn = vn - 2;
    switch (v[0]) {
    case 'i':
        col->type = CANON_INT;
        if (parse_int(d, dn, &col->i) < 0)
            return bad(line, "not an integer as the writer writes one");
        return 0;
    case 't': {
        col->type = CANON_TEXT;
        size_t o = 0;
        for (size_t k = 0; k < dn; k++) {
            if (d[k] != '\\') {
                d[o++] = d[k];
                continue;
            }
            if (k + 1 == dn || (d[k + 1] != '\\' && d[k + 1] != 'n'))
                return bad(line, "a backslash in text is \\\\ or \\n");
            d[o++] = d[k + 1] == 'n' ? '\n' : '\\';
            k++;
        }
        d[o] = '\0';
        col->data = d;
        col->len = o;
        return 0;
    }
    case 'b': {
        col->type = CANON_BLOB;
        if (dn % 2)
            return bad(line, "a blob is pairs of hex digits");
        for (size_t k = 0; k < dn; k += 2) {
            int hi = hexval(d[k]), lo = hexval(d[k + 1]);
            if (hi < 0 || lo < 0)
                return bad(line, "a blob is lower-case hex digits");
            d[k / 2] = (char)(hi << 4 | lo);
        }
        col->data = d;
        col->len = dn / 2;
        return 0;
    }
    default:
        return bad(line, "a column's type is i=, t=, b= or null");
    }
}

int canon_parse(const char *text, size_t len, struct canon_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    doc->arena = malloc(len + 1);
    if (!doc->arena)
        return sc_error_set(SC_ERR_NOMEM, NULL);
    memcpy(doc->arena, text, len);
    doc->arena[len] = '\0';
    size_t qcap = 0, line = 0, rcap = 0, ccap = 0;
    struct canon_query *q = NULL;
    struct canon_row *r = NULL;
    char *p = doc->arena, *end = doc->arena + len;
    int rc = 0;
    while (p < end && rc == 0) {
        line++;
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            rc = bad(line, "the last line does not end with a newline");
            break;
        }
        *nl = '\0';
        size_t n = (size_t)(nl - p);
        if (n > 0 && p[0] == '#') {
            int64_t num;
            if (parse_int(p + 1, n - 1, &num) < 0 || num != (int64_t)doc->nqueries + 1) {
                rc = bad(line, "queries are numbered #1, #2, ... in order");
                break;
            }
            if ((rc = grow((void **)&doc->queries, &qcap, doc->nqueries + 1, sizeof *q)) < 0)
                break;
            q = &doc->queries[doc->nqueries++];
            memset(q, 0, sizeof *q);
            rcap = 0;
            r = NULL;
        } else if (n == 2 && p[0] == '-' && p[1] == '-') {
            if (!q) {
                rc = bad(line, "a row before the first query");
                break;
            }
            if ((rc = grow((void **)&q->rows, &rcap, q->nrows + 1, sizeof *r)) < 0)
                break;
            r = &q->rows[q->nrows++];
            memset(r, 0, sizeof *r);
            ccap = 0;
        } else {
            if (!r) {
                rc = bad(line, "a column outside a row");
                break;
            }
            if ((rc = grow((void **)&r->cols, &ccap, r->ncols + 1, sizeof *r->cols)) < 0)
                break;
            struct canon_col *col = &r->cols[r->ncols++];
            memset(col, 0, sizeof *col);
            rc = parse_col(p, n, line, col);
        }
        p = nl + 1;
    }
    if (rc == 0) {
        /* One text per record: what we read must be what we would write. */
        struct canon_buf again = {0};
        canon_write(doc, &again);
        if (again.oom)
            rc = sc_error_set(SC_ERR_NOMEM, NULL);
        else if (again.len != len || memcmp(again.p ? again.p : "", text, len) != 0)
            rc = sc_error_set(SC_ERR_PARSE, "not in canonical form");
        canon_buf_free(&again);
    }
    return rc;
}

void canon_free(struct canon_doc *doc)
{
    for (size_t q = 0; q < doc->nqueries; q++) {
        for (size_t r = 0; r < doc->queries[q].nrows; r++)
            free(doc->queries[q].rows[r].cols);
        free(doc->queries[q].rows);
    }
    free(doc->queries);
    free(doc->arena);
    memset(doc, 0, sizeof *doc);
}

const struct canon_col *canon_get(const struct canon_row *row, const char *name)
{
    for (size_t c = 0; c < row->ncols; c++)
        if (strcmp(row->cols[c].name, name) == 0)
            return &row->cols[c];
    return NULL;
}
