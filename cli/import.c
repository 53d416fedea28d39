/* The registry import (see cli/import.h).  libcsv parses; this file checks
 * every field, then every record across rows, then writes in one
 * transaction. */
#include "cli/import.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/category.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/r76.h"
#include "core/termsafe.h"
#include "core/uscc.h"
#include "core/utf8.h"
#include "db/registry.h"

#define MAX_ERRORS 200 /* reported; the count goes on */

#define COLUMNS(X)                                                                             \
    X(MARKET, "market") X(MARKET_NAME, "market_name") X(DISTRICT, "district")                  \
    X(ADDRESS, "address") X(ORGANISER, "organiser") X(STALL, "stall")                          \
    X(STALL_NAME, "stall_name") X(CATEGORY, "category") X(LICENCE, "licence")                  \
    X(OPERATOR, "operator") X(PHONE, "phone") X(INSTRUMENT, "instrument") X(KIND, "kind")      \
    X(MAKER, "maker") X(MODEL, "model") X(SERIAL, "serial") X(CLASS, "class")                  \
    X(MAX, "max") X(MIN, "min") X(E, "e") X(D, "d") X(MARK_NO, "mark_no")                      \
    X(SEAL_NO, "seal_no") X(LAST_VERIFIED, "last_verified") X(DUE, "due")                      \
    X(PROTOCOL, "protocol") X(CONN, "conn")

enum column {
#define COL_ENUM(id, name) COL_##id,
    COLUMNS(COL_ENUM)
#undef COL_ENUM
    NCOL
};

static const char *const column_names[NCOL] = {
#define COL_NAME(id, name) name,
    COLUMNS(COL_NAME)
#undef COL_NAME
};

struct message {
    int line;
    int seq;
    char *text;
};

struct row {
    int line;
    char *buf;               /* the fields, NUL-separated */
    const char *f[NCOL];
};

struct import {
    const char *path;
    const struct import_options *opt;
    struct import_result *res;
    /* parsing */
    int line;                /* the line being fed */
    int rec_line;            /* where the current record began */
    int have_header;
    int ncols_file;
    int colmap[64];          /* file column -> enum column, -1 unknown */
    char *fbuf;              /* current record's fields */
    size_t flen, fcap;
    size_t fstart[64];
    unsigned char fnul[64];  /* the field held a NUL byte */
    int nfields;
    int too_many;
    struct row *rows;
    size_t nrows, cap;
    int oom;
    struct message *msgs;    /* reported at the end, in line order */
    size_t nmsgs;
};

__attribute__((format(printf, 4, 5)))
static void report(struct import *im, int line, const char *field, const char *fmt, ...)
{
    im->res->errors++;
    if (im->res->errors > MAX_ERRORS)
        return;
    char why[600], msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (field)
        snprintf(msg, sizeof msg, "%s:%d: %s: %s", im->path, line, field, why);
    else
        snprintf(msg, sizeof msg, "%s:%d: %s", im->path, line, why);
    struct message *m = realloc(im->msgs, (im->nmsgs + 1) * sizeof *m);
    if (m == NULL)
        return;
    im->msgs = m;
    m[im->nmsgs].line = line;
    m[im->nmsgs].seq = (int)im->nmsgs;
    m[im->nmsgs].text = strdup(msg);
    if (m[im->nmsgs].text != NULL)
        im->nmsgs++;
}

static int by_line(const void *a, const void *b)
{
    const struct message *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void flush_messages(struct import *im)
{
    if (im->nmsgs > 1)
        qsort(im->msgs, im->nmsgs, sizeof *im->msgs, by_line);
    for (size_t i = 0; i < im->nmsgs; i++) {
        if (im->opt->error)
            im->opt->error(im->opt->arg, im->msgs[i].text);
        free(im->msgs[i].text);
    }
    free(im->msgs);
    im->msgs = NULL;
    im->nmsgs = 0;
}

static void on_field(void *data, size_t len, void *arg)
{
    struct import *im = arg;
    if (im->nfields >= 64) {
        im->too_many = 1;
        return;
    }
    if (im->flen + len + 1 > im->fcap) {
        size_t cap = im->fcap ? im->fcap : 1024;
        while (cap < im->flen + len + 1)
            cap *= 2;
        char *p = realloc(im->fbuf, cap);
        if (p == NULL) {
            im->oom = 1;
            return;
        }
        im->fbuf = p;
        im->fcap = cap;
    }
    /* A NUL would end the text early wherever it is read as a C string:
     * the field is refused, not silently cut. */
    im->fnul[im->nfields] = len > 0 && memchr(data, '\0', len) != NULL;
    im->fstart[im->nfields++] = im->flen;
    if (len)
        memcpy(im->fbuf + im->flen, data, len);
    im->flen += len;
    im->fbuf[im->flen++] = '\0';
}

static void header(struct import *im)
{
    int seen[NCOL] = {0};
    im->ncols_file = im->nfields;
    for (int i = 0; i < im->nfields; i++) {
        const char *name = im->fbuf + im->fstart[i];
        im->colmap[i] = -1;
        for (int c = 0; c < NCOL; c++)
            if (strcmp(name, column_names[c]) == 0)
                im->colmap[i] = c;
        if (im->colmap[i] < 0) {
            report(im, im->rec_line, name[0] ? name : "(empty)",
                   "unknown column (the columns are listed in README.md)");
        } else if (seen[im->colmap[i]]++) {
            report(im, im->rec_line, name, "column given twice");
            im->colmap[i] = -1;
        }
    }
    if (!seen[COL_MARKET])
        report(im, im->rec_line, "market", "the header has no market column");
    im->have_header = 1;
}

static void on_record(int term, void *arg)
{
    struct import *im = arg;
    (void)term;
    if (im->oom)
        return;
    int line = im->rec_line;
    if (!im->have_header) {
        header(im);
    } else if (im->too_many || im->nfields != im->ncols_file) {
        report(im, line, NULL, "%d fields where the header has %d%s",
               im->too_many ? 64 : im->nfields, im->ncols_file,
               im->nfields < im->ncols_file ? " (a truncated line?)" : "");
    } else {
        if (im->nrows == im->cap) {
            size_t cap = im->cap ? im->cap * 2 : 256;
            struct row *p = realloc(im->rows, cap * sizeof *p);
            if (p == NULL) {
                im->oom = 1;
                return;
            }
            im->rows = p;
            im->cap = cap;
        }
        struct row *r = &im->rows[im->nrows];
        r->line = line;
        r->buf = malloc(im->flen ? im->flen : 1);
        if (r->buf == NULL) {
            im->oom = 1;
            return;
        }
        memcpy(r->buf, im->fbuf, im->flen);
        for (int c = 0; c < NCOL; c++)
            r->f[c] = "";
        for (int i = 0; i < im->nfields; i++) {
            const char *v = r->buf + im->fstart[i];
            size_t bad = 0;
            int utf8 = utf8_valid(v, strlen(v), &bad); /* RFC 3629, strict */
            const char *col = im->colmap[i] >= 0 ? column_names[im->colmap[i]] : "?";
            if (im->fnul[i])
                report(im, line, col, "a NUL byte after '%s' (nothing may follow unseen)", v);
            else if (!utf8)
                report(im, line, col, "not valid UTF-8 (byte 0x%02X at offset %zu)",
                       (unsigned char)v[bad], bad);
            else if (!term_clean(v))
                report(im, line, col, "a control character in '%s' (a name or code is one "
                                      "line of text)", v);
            else if (im->colmap[i] >= 0)
                r->f[im->colmap[i]] = v;
        }
        im->nrows++;
        im->res->rows++;
    }
    im->nfields = 0;
    im->flen = 0;
    im->too_many = 0;
    /* The next record starts on the line after this one ends. */
    im->rec_line = im->line + 1;
}

static void progress(const struct import *im, const char *what, double done)
{
    if (!im->opt->progress)
        return;
    int width = 30, fill = (int)(done * width);
    fprintf(stderr, "\rimport: %-8s [", what);
    for (int i = 0; i < width; i++)
        fputc(i < fill ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%%", (int)(done * 100));
    fflush(stderr);
}

static int parse_file(struct import *im)
{
    FILE *fp = fopen(im->path, "rb");
    if (fp == NULL)
        return sc_error_set(SC_ERR_IO, "%s: %s", im->path, strerror(errno));
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    if (size <= 0) {
        fclose(fp);
        report(im, 1, NULL, "empty file (a header line and at least one row are needed)");
        return 0;
    }
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long done = 0;
    int bad = 0;
    im->line = 0;
    im->rec_line = 1;
    while ((n = getline(&line, &cap, fp)) > 0) {
        im->line++;
        const char *s = line;
        size_t len = (size_t)n;
        /* A byte-order mark, as spreadsheets write. */
        if (im->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3, len -= 3;
        if (!bad && csv_parse(&p, s, len, on_field, on_record, im) != len) {
            report(im, im->line, NULL, "malformed CSV: %s", csv_strerror(csv_error(&p)));
            bad = 1; /* the parser cannot resynchronise; later lines are not read */
        }
        done += n;
        if ((im->line & 1023) == 0)
            progress(im, "reading", (double)done / (double)size);
    }
    free(line);
    fclose(fp);
    if (!bad && csv_fini(&p, on_field, on_record, im) != 0)
        report(im, im->line, NULL, "unterminated quoted field at the end of the file "
                                   "(a truncated line?)");
    /* A last line without its newline but with every field is accepted
     * (editors leave it off); one with fields missing was reported by
     * on_record as a truncated line. */
    csv_free(&p);
    if (im->oom)
        return sc_error_set(SC_ERR_NOMEM, "%s: out of memory", im->path);
    if (!im->have_header)
        report(im, 1, NULL, "empty file (a header line and at least one row are needed)");
    else if (im->nrows == 0 && im->res->errors == 0)
        report(im, im->line, NULL, "no rows after the header");
    progress(im, "reading", 1.0);
    return 0;
}

/* ---- field checks ---- */

int import_code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= REG_CODE)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '-' || c == '_' || c == '.' || c == '/'))
            return 0;
    }
    return 1;
}

/* "YYYY-MM-DD", a real calendar day. */
static int date_ok(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static int text_fits(struct import *im, const struct row *r, enum column c, size_t size)
{
    if (strlen(r->f[c]) < size)
        return 1;
    report(im, r->line, column_names[c], "too long (at most %zu bytes)", size - 1);
    return 0;
}

static void check_mass(struct import *im, const struct row *r, enum column c, int64_t *out)
{
    *out = 0;
    if (r->f[c][0] == '\0')
        return;
    if (mass_parse(r->f[c], 0, out) < 0 || *out <= 0) {
        report(im, r->line, column_names[c], "'%s' is not a mass with its unit (15kg, 5g)",
               r->f[c]);
        *out = -1;
    }
}

static void check_row(struct import *im, const struct row *r)
{
    int L = r->line;
    if (r->f[COL_MARKET][0] == '\0')
        report(im, L, "market", "missing (every row names its market)");
    else if (!import_code_ok(r->f[COL_MARKET]))
        report(im, L, "market", "'%s' is not a code (letters, digits, - _ . /)", r->f[COL_MARKET]);
    if (r->f[COL_STALL][0] && !import_code_ok(r->f[COL_STALL]))
        report(im, L, "stall", "'%s' is not a code (letters, digits, - _ . /)", r->f[COL_STALL]);
    if (r->f[COL_INSTRUMENT][0] && !import_code_ok(r->f[COL_INSTRUMENT]))
        report(im, L, "instrument", "'%s' is not a code (letters, digits, - _ . /)",
               r->f[COL_INSTRUMENT]);
    if (r->f[COL_CATEGORY][0] && category_find(r->f[COL_CATEGORY]) == NULL)
        report(im, L, "category", "unknown category '%s' (蔬菜 肉类 水产 禽蛋 豆制品 熟食 干货 "
                                  "水果 粮油 调味品 其他, or their ids)",
               r->f[COL_CATEGORY]);
    if (r->f[COL_CATEGORY][0] && !r->f[COL_STALL][0])
        report(im, L, "category", "given without a stall");
    if (r->f[COL_LICENCE][0]) {
        if (uscc_validate(r->f[COL_LICENCE]) < 0)
            report(im, L, "licence", "%s", sc_error_message());
        if (!r->f[COL_STALL][0])
            report(im, L, "licence", "given without a stall");
    }
    if ((r->f[COL_OPERATOR][0] || r->f[COL_PHONE][0]) && !r->f[COL_LICENCE][0])
        report(im, L, r->f[COL_OPERATOR][0] ? "operator" : "phone",
               "given without the operator's licence");
    if (r->f[COL_STALL_NAME][0] && !r->f[COL_STALL][0])
        report(im, L, "stall_name", "given without a stall");
    static const enum column text_cols[] = {COL_MARKET_NAME, COL_DISTRICT, COL_ADDRESS,
                                            COL_ORGANISER,   COL_STALL_NAME, COL_OPERATOR,
                                            COL_MAKER};
    for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++)
        text_fits(im, r, text_cols[i], REG_NAME);
    text_fits(im, r, COL_PHONE, 32);
    text_fits(im, r, COL_MODEL, 64);
    text_fits(im, r, COL_SERIAL, 64);
    text_fits(im, r, COL_MARK_NO, 64);
    text_fits(im, r, COL_SEAL_NO, 64);
    text_fits(im, r, COL_PROTOCOL, 32);
    text_fits(im, r, COL_CONN, 256);

    /* The instrument columns. */
    if (!r->f[COL_INSTRUMENT][0]) {
        for (int c = COL_KIND; c < NCOL; c++)
            if (r->f[c][0]) {
                report(im, L, column_names[c], "given without an instrument code");
                break;
            }
        return;
    }
    const char *kind = r->f[COL_KIND];
    if (!kind[0]) {
        report(im, L, "kind", "missing (" INSTRUMENT_KINDS ")");
        return;
    }
    if (!instrument_kind_valid(kind)) {
        report(im, L, "kind", "unknown kind '%s' (" INSTRUMENT_KINDS ")", kind);
        return;
    }
    if (strcmp(kind, "price-computing") == 0 && !r->f[COL_STALL][0])
        report(im, L, "stall", "a price-computing scale belongs to a stall");
    for (int c = COL_LAST_VERIFIED; c <= COL_DUE; c++)
        if (r->f[c][0] && !date_ok(r->f[c]))
            report(im, L, column_names[c], "'%s' is not a date (YYYY-MM-DD)", r->f[c]);
    if (date_ok(r->f[COL_LAST_VERIFIED]) && date_ok(r->f[COL_DUE]) &&
        strcmp(r->f[COL_LAST_VERIFIED], r->f[COL_DUE]) > 0)
        report(im, L, "due", "%s is before last_verified %s", r->f[COL_DUE],
               r->f[COL_LAST_VERIFIED]);
    if (strcmp(kind, "meter") == 0) {
        for (int c = COL_CLASS; c <= COL_D; c++)
            if (r->f[c][0])
                report(im, L, column_names[c], "a meter has no weighing class or intervals");
        return;
    }
    enum r76_class cls = 0;
    int64_t max, min, e, d;
    if (!r->f[COL_CLASS][0])
        report(im, L, "class", "missing (I, II, III, IIII) for a weighing instrument");
    else if (r76_class_parse(r->f[COL_CLASS], &cls) < 0)
        report(im, L, "class", "%s", sc_error_message());
    if (!r->f[COL_MAX][0])
        report(im, L, "max", "missing for a weighing instrument");
    if (!r->f[COL_E][0])
        report(im, L, "e", "missing for a weighing instrument");
    check_mass(im, r, COL_MAX, &max);
    check_mass(im, r, COL_MIN, &min);
    check_mass(im, r, COL_E, &e);
    check_mass(im, r, COL_D, &d);
    if (cls == 0 || max <= 0 || e <= 0 || min < 0 || d < 0)
        return;
    /* OIML R76-1 3.1.2, 3.2, 3.4.2, Table 3: class, Max, Min, e, d and n =
     * Max / e must agree (core/r76.h). */
    int64_t n;
    if (r76_check(cls, max, min, e, d, &n) < 0)
        report(im, L, "class", "%s", sc_error_message());
}

/* ---- across rows ---- */

static struct import *sort_im;
static enum column sort_key;

static int by_key(const void *a, const void *b)
{
    const struct row *ra = &sort_im->rows[*(const size_t *)a];
    const struct row *rb = &sort_im->rows[*(const size_t *)b];
    int c = strcmp(ra->f[sort_key], rb->f[sort_key]);
    return c ? c : (ra->line > rb->line) - (ra->line < rb->line);
}

/* Groups the rows with a non-empty key; for each group calls fn with the
 * row indexes in line order.  The first non-empty value of each attribute
 * defines it; a later different one is an error. */
typedef int (*group_fn)(struct import *im, const size_t *idx, size_t n, void *arg);

static int groups(struct import *im, enum column key, const enum column *attrs, size_t nattrs,
                  const char *what, group_fn fn, void *arg)
{
    size_t *idx = malloc((im->nrows ? im->nrows : 1) * sizeof *idx);
    if (idx == NULL)
        return sc_error_set(SC_ERR_NOMEM, NULL);
    size_t n = 0;
    for (size_t i = 0; i < im->nrows; i++)
        if (im->rows[i].f[key][0])
            idx[n++] = i;
    sort_im = im;
    sort_key = key;
    qsort(idx, n, sizeof *idx, by_key);
    int rc = 0;
    for (size_t g = 0; g < n && rc >= 0;) {
        size_t end = g + 1;
        const char *k = im->rows[idx[g]].f[key];
        while (end < n && strcmp(im->rows[idx[end]].f[key], k) == 0)
            end++;
        for (size_t a = 0; a < nattrs; a++) {
            const struct row *first = NULL;
            for (size_t i = g; i < end; i++) {
                const struct row *r = &im->rows[idx[i]];
                const char *v = r->f[attrs[a]];
                if (!v[0])
                    continue;
                if (first == NULL)
                    first = r;
                else if (strcmp(first->f[attrs[a]], v) != 0)
                    report(im, r->line, column_names[attrs[a]],
                           "%s %s is '%s' on line %d, not '%s'", what, k,
                           first->f[attrs[a]], first->line, v);
            }
        }
        if (fn)
            rc = fn(im, idx + g, end - g, arg);
        g = end;
    }
    free(idx);
    return rc;
}

/* The merged value of an attribute over a group: its first non-empty. */
static const char *merged(struct import *im, const size_t *idx, size_t n, enum column c)
{
    for (size_t i = 0; i < n; i++)
        if (im->rows[idx[i]].f[c][0])
            return im->rows[idx[i]].f[c];
    return "";
}

struct writer {
    struct db *db;
    int write;                /* 0: only check and count */
    int64_t *count;
    int64_t done, total;
};

static int put(struct import *im, struct writer *w, int rc)
{
    if (rc < 0)
        return rc;
    im->res->changed += rc;
    w->done++;
    if ((w->done & 1023) == 0)
        progress(im, "writing", (double)w->done / (double)(w->total ? w->total : 1));
    return 0;
}

static int market_group(struct import *im, const size_t *idx, size_t n, void *arg)
{
    struct writer *w = arg;
    (*w->count)++;
    const char *name = merged(im, idx, n, COL_MARKET_NAME);
    if (!name[0]) {
        report(im, im->rows[idx[0]].line, "market_name", "market %s has no name on any row",
               im->rows[idx[0]].f[COL_MARKET]);
        return 0;
    }
    if (!w->write)
        return 0;
    struct market m = {0};
    snprintf(m.code, sizeof m.code, "%s", im->rows[idx[0]].f[COL_MARKET]);
    snprintf(m.name, sizeof m.name, "%s", name);
    snprintf(m.district, sizeof m.district, "%s", merged(im, idx, n, COL_DISTRICT));
    snprintf(m.address, sizeof m.address, "%s", merged(im, idx, n, COL_ADDRESS));
    snprintf(m.organiser, sizeof m.organiser, "%s", merged(im, idx, n, COL_ORGANISER));
    return put(im, w, registry_put_market(w->db, &m));
}

static int operator_group(struct import *im, const size_t *idx, size_t n, void *arg)
{
    struct writer *w = arg;
    (*w->count)++;
    const char *name = merged(im, idx, n, COL_OPERATOR);
    if (!name[0]) {
        report(im, im->rows[idx[0]].line, "operator", "licence %s has no operator name on "
                                                      "any row",
               im->rows[idx[0]].f[COL_LICENCE]);
        return 0;
    }
    if (!w->write)
        return 0;
    struct stall_operator o = {0};
    snprintf(o.licence, sizeof o.licence, "%s", im->rows[idx[0]].f[COL_LICENCE]);
    snprintf(o.name, sizeof o.name, "%s", name);
    snprintf(o.phone, sizeof o.phone, "%s", merged(im, idx, n, COL_PHONE));
    return put(im, w, registry_put_operator(w->db, &o));
}

static int stall_group(struct import *im, const size_t *idx, size_t n, void *arg)
{
    struct writer *w = arg;
    (*w->count)++;
    const struct row *first = &im->rows[idx[0]];
    const char *cat = merged(im, idx, n, COL_CATEGORY);
    if (!cat[0]) {
        report(im, first->line, "category", "stall %s has no category on any row",
               first->f[COL_STALL]);
        return 0;
    }
    /* The same stall on two rows without instruments is a duplicate row. */
    const struct row *bare = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &im->rows[idx[i]];
        if (r->f[COL_INSTRUMENT][0])
            continue;
        if (bare)
            report(im, r->line, "stall", "stall %s is already on line %d", r->f[COL_STALL],
                   bare->line);
        else
            bare = r;
    }
    if (!w->write)
        return 0;
    const struct category_info *ci = category_find(cat);
    struct stall s = {0};
    snprintf(s.code, sizeof s.code, "%s", first->f[COL_STALL]);
    snprintf(s.market, sizeof s.market, "%s", merged(im, idx, n, COL_MARKET));
    snprintf(s.name, sizeof s.name, "%s", merged(im, idx, n, COL_STALL_NAME));
    snprintf(s.category, sizeof s.category, "%s", ci ? ci->id : cat);
    snprintf(s.operator_licence, sizeof s.operator_licence, "%s",
             merged(im, idx, n, COL_LICENCE));
    s.active = 1;
    return put(im, w, registry_put_stall(w->db, &s));
}

static int instrument_group(struct import *im, const size_t *idx, size_t n, void *arg)
{
    struct writer *w = arg;
    (*w->count)++;
    for (size_t i = 1; i < n; i++)
        report(im, im->rows[idx[i]].line, "instrument", "instrument %s is already on line %d",
               im->rows[idx[i]].f[COL_INSTRUMENT], im->rows[idx[0]].line);
    if (!w->write)
        return 0;
    const struct row *r = &im->rows[idx[0]];
    struct instrument in = {0};
    snprintf(in.code, sizeof in.code, "%s", r->f[COL_INSTRUMENT]);
    snprintf(in.kind, sizeof in.kind, "%s", r->f[COL_KIND]);
    snprintf(in.market, sizeof in.market, "%s", r->f[COL_MARKET]);
    snprintf(in.stall, sizeof in.stall, "%s", r->f[COL_STALL]);
    snprintf(in.maker, sizeof in.maker, "%s", r->f[COL_MAKER]);
    snprintf(in.model, sizeof in.model, "%s", r->f[COL_MODEL]);
    snprintf(in.serial, sizeof in.serial, "%s", r->f[COL_SERIAL]);
    enum r76_class cls;
    if (r->f[COL_CLASS][0] && r76_class_parse(r->f[COL_CLASS], &cls) == 0)
        snprintf(in.cls, sizeof in.cls, "%s", r76_class_name(cls));
    if (r->f[COL_MAX][0])
        mass_parse(r->f[COL_MAX], 0, &in.max_ug);
    if (r->f[COL_MIN][0])
        mass_parse(r->f[COL_MIN], 0, &in.min_ug);
    if (r->f[COL_E][0])
        mass_parse(r->f[COL_E], 0, &in.e_ug);
    /* d = e when not given (R76-1 3.1.2: d = e unless stated otherwise). */
    if (r->f[COL_D][0])
        mass_parse(r->f[COL_D], 0, &in.d_ug);
    else
        in.d_ug = in.e_ug;
    snprintf(in.mark_no, sizeof in.mark_no, "%s", r->f[COL_MARK_NO]);
    snprintf(in.seal_no, sizeof in.seal_no, "%s", r->f[COL_SEAL_NO]);
    snprintf(in.last_verified, sizeof in.last_verified, "%s", r->f[COL_LAST_VERIFIED]);
    snprintf(in.due, sizeof in.due, "%s", r->f[COL_DUE]);
    snprintf(in.protocol, sizeof in.protocol, "%s", r->f[COL_PROTOCOL]);
    snprintf(in.conn, sizeof in.conn, "%s", r->f[COL_CONN]);
    in.active = 1;
    return put(im, w, registry_put_instrument(w->db, &in));
}

static const enum column market_attrs[] = {COL_MARKET_NAME, COL_DISTRICT, COL_ADDRESS,
                                           COL_ORGANISER};
static const enum column operator_attrs[] = {COL_OPERATOR, COL_PHONE};
static const enum column stall_attrs[] = {COL_MARKET, COL_STALL_NAME, COL_CATEGORY,
                                          COL_LICENCE};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int pass(struct import *im, struct db *db, int write)
{
    struct writer w = {.db = db, .write = write};
    w.total = im->res->markets + im->res->operators + im->res->stalls + im->res->instruments;
    int rc;
    w.count = &im->res->markets;
    if ((rc = groups(im, COL_MARKET, market_attrs, write ? 0 : N(market_attrs), "market",
                     market_group, &w)) < 0)
        return rc;
    w.count = &im->res->operators;
    if ((rc = groups(im, COL_LICENCE, operator_attrs, write ? 0 : N(operator_attrs),
                     "operator", operator_group, &w)) < 0)
        return rc;
    w.count = &im->res->stalls;
    if ((rc = groups(im, COL_STALL, stall_attrs, write ? 0 : N(stall_attrs), "stall",
                     stall_group, &w)) < 0)
        return rc;
    w.count = &im->res->instruments;
    return groups(im, COL_INSTRUMENT, NULL, 0, "instrument", instrument_group, &w);
}

int import_registry(struct db *db, const char *path, const struct import_options *opt,
                    struct import_result *res)
{
    memset(res, 0, sizeof *res);
    struct import im = {.path = path, .opt = opt, .res = res};
    int rc = parse_file(&im);
    if (rc == 0) {
        for (size_t i = 0; i < im.nrows; i++)
            check_row(&im, &im.rows[i]);
        rc = pass(&im, db, 0);
    }
    if (opt->progress && res->errors > 0)
        fputc('\n', stderr);
    flush_messages(&im);
    if (rc == 0 && res->errors > 0) {
        if (res->errors > MAX_ERRORS && opt->error) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s: ... and %lld more errors", path,
                     (long long)(res->errors - MAX_ERRORS));
            opt->error(opt->arg, msg);
        }
        rc = sc_error_set(SC_ERR_PARSE, "%s: %lld error%s; nothing imported", path,
                          (long long)res->errors, res->errors == 1 ? "" : "s");
    } else if (rc == 0 && !opt->dry_run) {
        /* Counted again by the writing pass. */
        if ((rc = db_begin(db)) == 0) {
            res->markets = res->operators = res->stalls = res->instruments = 0;
            rc = pass(&im, db, 1);
            if (rc < 0) {
                char keep[600];
                snprintf(keep, sizeof keep, "%s: %s; nothing imported", path,
                         sc_error_message());
                db_rollback(db);
                res->changed = 0;
                rc = sc_error_set(rc, "%s", keep);
            } else {
                rc = db_commit(db);
            }
        }
        progress(&im, "writing", 1.0);
    }
    if (opt->progress && res->errors == 0)
        fputc('\n', stderr);
    for (size_t i = 0; i < im.nrows; i++)
        free(im.rows[i].buf);
    free(im.rows);
    free(im.fbuf);
    return rc;
}
