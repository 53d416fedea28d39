/* The audit chain: canonical content per kind, SHA-256, the append. */
#include "db/audit.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/device.h"
#include "db/internal.h"

/* Each kind's canonical content: its queries, ?1 bound to the record key.
 * Order rows by their keys so the content does not depend on insertion
 * order.  Adding a column to a table means deciding here whether it is part
 * of the record (and adding a migration that re-audits nothing: older entries
 * keep their hash only as chain links).  Queries starting with '?' are a
 * later tail of sections: all of them are written (headers numbered on, a
 * section possibly without rows) when the first returns a row, none when it
 * returns none.  So content added later (the first tail query selecting
 * with a condition older rows do not meet) leaves the content, and the
 * hash, of older records as they were, and the district stores each tail
 * section in a table of its own (audit_shape). */
static const char *const q_market[] = {
    "SELECT code, name, district, address, organiser FROM markets WHERE code = ?1", NULL};
static const char *const q_operator[] = {
    "SELECT licence, name, phone FROM operators WHERE licence = ?1", NULL};
static const char *const q_stall[] = {
    "SELECT code, market, name, category, operator, active FROM stalls WHERE code = ?1", NULL};
static const char *const q_instrument[] = {
    "SELECT code, kind, market, stall, maker, model, serial, class, max_ug, min_ug, e_ug, "
    "d_ug, mark_no, seal_no, last_verified, due, protocol, conn, active "
    "FROM instruments WHERE code = ?1",
    NULL};
static const char *const q_weight_set[] = {
    "SELECT code, name, class, market, certificate_no, calibration_due FROM weight_sets "
    "WHERE code = ?1",
    "SELECT nominal_ug, count, error_ug FROM weight_set_items WHERE weight_set = ?1 "
    "ORDER BY nominal_ug",
    NULL};
static const char *const q_officer[] = {
    "SELECT badge, name, role, pin_hash, market, active FROM officers WHERE badge = ?1",
    "SELECT market, reason FROM officer_recusals WHERE badge = ?1 ORDER BY market", NULL};
static const char *const q_inspection[] = {
    "SELECT id, stall, market, officer1, officer2, draw, started_at, ended_at, status, "
    "device, place, note FROM inspections WHERE id = ?1",
    "SELECT item, answer, note, deadline FROM findings WHERE inspection = ?1 ORDER BY item",
    "SELECT id, instrument, taken_at, driver, raw, value, unit, value_ug, stable "
    "FROM measurements WHERE inspection = ?1 ORDER BY id",
    "SELECT id, seq, goods, category, declared_ug, measured_ug, unit_price_fen, allowed_ug, "
    "shortfall_ug, money_short_fen, verdict, method, reference_instrument, weight_set, "
    "measurement FROM reweighs WHERE inspection = ?1 ORDER BY seq, id",
    NULL};
static const char *const q_calibration[] = {
    "SELECT id, instrument, weight_set, officer, started_at, ended_at, status, temperature, "
    "verdict, certificate_no, next_due, device, note FROM calibrations WHERE id = ?1",
    "SELECT seq, test, position, load_ug, indication_ug, added_ug, error_ug, mpe_ug, pass, "
    "measurement FROM calibration_steps WHERE calibration = ?1 ORDER BY seq",
    "SELECT id, instrument, taken_at, driver, raw, value, unit, value_ug, stable "
    "FROM measurements WHERE calibration = ?1 ORDER BY id",
    /* The certificate's content (schema 11): rows committed with canon 2. */
    "?SELECT kind, regulation, verified_on, humidity, place, record_no, mark_no, seal_no, "
    "abandoned, paper FROM calibration_certificates WHERE calibration = ?1",
    "?SELECT seq, note FROM calibration_step_notes WHERE calibration = ?1 ORDER BY seq",
    "?SELECT role, officer, signed_at FROM calibration_signatures WHERE calibration = ?1 "
    "ORDER BY role",
    NULL};
static const char *const q_nawi_calibration[] = {
    "SELECT id, instrument, weight_set, officer, started_at, ended_at, status, temperature, "
    "humidity, place, calibrated_on, certificate_no, record_no, repeat_s_ug, ecc_max_ug, "
    "abandoned, paper, device FROM nawi_calibrations WHERE id = ?1",
    "SELECT seq, test, position, load_ug, indication_ug, error_ug, u_ug, expanded_ug, k "
    "FROM nawi_calibration_rows WHERE calibration = ?1 ORDER BY seq",
    NULL};
static const char *const q_draw[] = {
    "SELECT id, made_at, made_by, market, seed, inputs, result, device FROM draws "
    "WHERE id = ?1",
    "SELECT seq, stall, followup FROM draw_stalls WHERE draw = ?1 ORDER BY seq",
    "SELECT seq, badge FROM draw_officers WHERE draw = ?1 ORDER BY seq",
    /* Its kind and day as the day's rule reads them (schema 13): draws
     * made with canon 2 have them, older ones none. */
    "?SELECT kind, day FROM draw_days WHERE draw = ?1", NULL};

static const char *const q_device[] = {
    "SELECT device, public_key, predecessor, made_at FROM device_keys WHERE device = ?1", NULL};
/* A follow-up's state (限期整改), keyed "INSPECTION/ITEM": it decides which
 * stalls the draw adds, so a change of it is audited. */
static const char *const q_followup[] = {
    "SELECT inspection, item, followup, followup_inspection FROM findings "
    "WHERE inspection = substr(?1, 1, 36) AND item = substr(?1, 38)",
    NULL};
static const char *const q_rules[] = {
    "SELECT key, source, sha256, text, adopted_at, adopted_by FROM rules_in_force "
    "WHERE key = ?1",
    NULL};
static const char *const q_district_key[] = {
    "SELECT district, public_key, trusted_at, trusted_by FROM district_keys WHERE district = ?1",
    NULL};

static const struct {
    const char *kind;
    const char *const *queries;
} kinds[] = {
    {"market", q_market},         {"operator", q_operator},       {"stall", q_stall},
    {"instrument", q_instrument}, {"weight_set", q_weight_set},   {"officer", q_officer},
    {"inspection", q_inspection}, {"calibration", q_calibration}, {"draw", q_draw},
    {"device", q_device},         {"district_key", q_district_key},
    {"followup", q_followup},     {"rules", q_rules},
    {"nawi_calibration", q_nawi_calibration},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *const *audit_kinds(size_t *count)
{
    static const char *names[NKINDS + 1];
    for (size_t i = 0; i < NKINDS; i++)
        names[i] = kinds[i].kind;
    *count = NKINDS;
    return names;
}

int audit_shape(const char *kind, int q, struct audit_shape *out)
{
    memset(out, 0, sizeof *out);
    const char *const *queries = NULL;
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            queries = kinds[i].queries;
    if (!queries)
        return sc_error_set(SC_ERR_NOTFOUND, "audit: unknown record kind '%s'", kind);
    for (int i = 0; i < q; i++)
        if (!queries[i])
            return SC_ERR_NOTFOUND;
    const char *sql = queries[q];
    if (!sql)
        return SC_ERR_NOTFOUND;
    if (*sql == '?') { /* a tail section: older records do not have it */
        out->optional = 1;
        sql++;
    }
    /* "SELECT a, b, c FROM table WHERE key = ?1 ..." */
    const char *p = sql + strlen("SELECT "), *from = strstr(sql, " FROM ");
    while (p < from && out->ncols < AUDIT_SHAPE_COLS) {
        size_t n = strcspn(p, ",");
        if (p + n > from)
            n = (size_t)(from - p);
        snprintf(out->cols[out->ncols++], sizeof out->cols[0], "%.*s", (int)n, p);
        p += n;
        while (p < from && (*p == ',' || *p == ' '))
            p++;
    }
    p = from + strlen(" FROM ");
    snprintf(out->table, sizeof out->table, "%.*s", (int)strcspn(p, " "), p);
    const char *where = strstr(p, " WHERE ");
    if (where) {
        where += strlen(" WHERE ");
        snprintf(out->key, sizeof out->key, "%.*s", (int)strcspn(where, " "), where);
    }
    return 0;
}

#define buf audit_canon

static void put_named(struct buf *b, const char *name, sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        canon_null(b, name);
        return;
    case SQLITE_INTEGER:
        canon_int(b, name, sqlite3_column_int64(st, i));
        return;
    case SQLITE_BLOB:
        canon_blob(b, name, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i));
        return;
    default: /* text (no REAL in the schema; a stray one is kept as text) */
        canon_text(b, name, (const char *)sqlite3_column_text(st, i),
                   (size_t)sqlite3_column_bytes(st, i));
        return;
    }
}

static void put_column(struct buf *b, sqlite3_stmt *st, int i)
{
    put_named(b, sqlite3_column_name(st, i), st, i);
}

void audit_canon_query(struct audit_canon *c, int n)
{
    canon_query(c, n);
}

void audit_canon_row(struct audit_canon *c)
{
    canon_row(c);
}

void audit_canon_text(struct audit_canon *c, const char *name, const char *v)
{
    if (v == NULL)
        canon_null(c, name);
    else
        canon_text(c, name, v, strlen(v));
}

void audit_canon_int(struct audit_canon *c, const char *name, int64_t v)
{
    canon_int(c, name, v);
}

void audit_canon_blob(struct audit_canon *c, const char *name, const void *v, size_t n)
{
    if (v == NULL)
        canon_null(c, name);
    else
        canon_blob(c, name, v, n);
}

void audit_canon_free(struct audit_canon *c)
{
    canon_buf_free(c);
}

static int canonical(struct db *db, const char *kind, const char *record, struct buf *b)
{
    const char *const *queries = NULL;
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            queries = kinds[i].queries;
    if (queries == NULL)
        return sc_error_set(SC_ERR_ARG, "audit: unknown record kind '%s'", kind);
    for (int q = 0; queries[q] != NULL; q++) {
        int optional = queries[q][0] == '?';
        /* The tail's first query decides whether the tail is there. */
        int tail_first = optional && (q == 0 || queries[q - 1][0] != '?');
        sqlite3_stmt *st = db_stmt(db, queries[q] + optional);
        if (st == NULL)
            return SC_ERR_DB;
        db_bind_static(st, 1, record);
        if (!tail_first)
            audit_canon_query(b, q + 1);
        int rc, rows = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (tail_first && rows == 0)
                audit_canon_query(b, q + 1);
            rows++;
            canon_row(b);
            for (int c = 0; c < sqlite3_column_count(st); c++)
                put_column(b, st, c);
        }
        db_done(st);
        if (rc != SQLITE_DONE)
            return db_fail(db, "audit");
        if (tail_first && rows == 0)
            break; /* an older record: no tail */
    }
    if (b->oom)
        return sc_error_set(SC_ERR_NOMEM, NULL);
    return 0;
}

/* ---- many records of one kind at once ---------------------------------
 * The push sends the canonical text of thousands of records.  One by one,
 * each record costs a statement run per section (cursors opened and
 * closed, the statement halted: a fifth of the push's reading).  Here each
 * section is one statement for a chunk of records, "WHERE key IN (SELECT
 * value FROM json_each(?1)) ORDER BY key, <the section's own order>", read
 * in key order, and its rows are dealt to the records in that order (which
 * also keeps the reads near each other in the file).  The text is the one
 * canonical() writes, byte for byte: the same select list (so the same
 * names and types), the same rows in the same order within a record, the
 * same headers and tail rule.  A kind with a query not of the plain form
 * "SELECT cols FROM t WHERE k = ?1 [ORDER BY o]" is read one by one. */

#define MANY_CHUNK 500 /* keys per statement (a push batch's worth) */

/* A query of the plain form "SELECT cols FROM t WHERE k = ?1 [ORDER BY o]":
 * its parts (0), or -1. */
struct many_form {
    const char *body;   /* "cols FROM t" */
    size_t blen;
    const char *key;
    size_t klen;
    const char *order;  /* "o", or NULL */
};

static int many_form(const char *q, struct many_form *f)
{
    const char *from = strstr(q, " FROM "), *where = from ? strstr(from, " WHERE ") : NULL;
    if (strncmp(q, "SELECT ", 7) != 0 || where == NULL)
        return -1;
    f->body = q + 7;
    f->blen = (size_t)(where - f->body);
    f->key = where + strlen(" WHERE ");
    f->klen = strcspn(f->key, " ");
    const char *rest = f->key + f->klen;
    if (strncmp(rest, " = ?1", 5) != 0)
        return -1;
    rest += 5;
    f->order = NULL;
    if (*rest != '\0') {
        if (strncmp(rest, " ORDER BY ", 10) != 0)
            return -1;
        f->order = rest + 10;
    }
    return 0;
}

/* SQLite's BINARY collation: bytes, then the shorter first. */
static int key_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    return c != 0 ? c : (na > nb) - (na < nb);
}

struct many_key {
    const char *key;
    size_t len;
    size_t at;  /* its index in the caller's array */
};

static int many_key_cmp(const void *x, const void *y)
{
    const struct many_key *a = x, *b = y;
    return key_cmp(a->key, a->len, b->key, b->len);
}

/* The batched form of every plain query, made once: "SELECT k, cols FROM t
 * WHERE k IN (SELECT value FROM json_each(?1)) ORDER BY k[, o]" (the keys
 * as one JSON array: one statement prepared once, not one per key count).
 * Fixed addresses: db_stmt caches them. */
#define MANY_QUERIES 8
static char many_text[NKINDS][MANY_QUERIES][640];
static pthread_once_t many_once = PTHREAD_ONCE_INIT;

static void many_make(void)
{
    for (size_t k = 0; k < NKINDS; k++)
        for (int q = 0; q < MANY_QUERIES && kinds[k].queries[q]; q++) {
            const char *sql = kinds[k].queries[q];
            struct many_form f;
            if (many_form(sql + (*sql == '?'), &f) < 0)
                continue;
            int n = snprintf(many_text[k][q], sizeof many_text[k][q],
                             "SELECT %.*s, %.*s WHERE %.*s IN (SELECT value FROM json_each(?1))"
                             " ORDER BY %.*s%s%s",
                             (int)f.klen, f.key, (int)f.blen, f.body, (int)f.klen, f.key,
                             (int)f.klen, f.key, f.order ? ", " : "", f.order ? f.order : "");
            if (n < 0 || (size_t)n >= sizeof many_text[k][q])
                many_text[k][q][0] = '\0'; /* too long: read one by one */
        }
}

/* The keys k[0..n) as a JSON array of strings. */
static char *many_json(const struct many_key *k, size_t n)
{
    size_t cap = 3;
    for (size_t i = 0; i < n; i++)
        cap += k[i].len * 6 + 3;
    char *j = malloc(cap), *p = j;
    if (j == NULL)
        return NULL;
    *p++ = '[';
    for (size_t i = 0; i < n; i++) {
        if (i)
            *p++ = ',';
        *p++ = '"';
        for (size_t c = 0; c < k[i].len; c++) {
            unsigned char ch = (unsigned char)k[i].key[c];
            if (ch == '"' || ch == '\\') {
                *p++ = '\\';
                *p++ = (char)ch;
            } else if (ch < 0x20) {
                p += sprintf(p, "\\u%04x", ch);
            } else {
                *p++ = (char)ch;
            }
        }
        *p++ = '"';
    }
    *p++ = ']';
    *p = '\0';
    return j;
}

/* One section (query q, batched text sql) for keys k[0..n) (sorted,
 * distinct): its rows dealt to out[k[i].at]; stopped[i] set for a record
 * without the tail. */
static int many_section(struct db *db, const char *sql, int qn, int tail_first,
                        const struct many_key *k, size_t n, unsigned char *stopped,
                        struct buf *out)
{
    char *json = many_json(k, n);
    unsigned char *seen = calloc(n ? n : 1, 1);
    sqlite3_stmt *st = json && seen ? db_stmt(db, sql) : NULL;
    if (st == NULL) {
        free(json);
        free(seen);
        return json && seen ? SC_ERR_DB : sc_error_set(SC_ERR_NOMEM, NULL);
    }
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    if (!tail_first)
        for (size_t i = 0; i < n; i++)
            if (!stopped[i])
                audit_canon_query(&out[k[i].at], qn);
    /* The names are the statement's: read once, not per row. */
    int ncols = sqlite3_column_count(st);
    const char *names[64];
    for (int c = 1; c < ncols && c < 64; c++)
        names[c] = sqlite3_column_name(st, c);
    size_t i = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rk = (const char *)sqlite3_column_text(st, 0);
        size_t rl = (size_t)sqlite3_column_bytes(st, 0);
        while (i < n && key_cmp(k[i].key, k[i].len, rk ? rk : "", rl) < 0)
            i++;
        if (i == n || stopped[i] || key_cmp(k[i].key, k[i].len, rk ? rk : "", rl) != 0)
            continue; /* cannot happen: the rows are those of the keys, in their order */
        struct buf *b = &out[k[i].at];
        if (tail_first && !seen[i])
            audit_canon_query(b, qn);
        seen[i] = 1;
        canon_row(b);
        for (int c = 1; c < ncols; c++)
            put_named(b, c < 64 ? names[c] : sqlite3_column_name(st, c), st, c);
    }
    db_done(st);
    free(json);
    if (rc != SQLITE_DONE) {
        free(seen);
        return db_fail(db, "audit");
    }
    if (tail_first)
        for (size_t j = 0; j < n; j++)
            stopped[j] |= !seen[j]; /* an older record: no tail */
    free(seen);
    return 0;
}

/* Keys k[0..n) sorted and distinct: every section of the kind. */
static int many_chunk(struct db *db, size_t kind, const struct many_key *k, size_t n,
                      struct buf *out)
{
    const char *const *queries = kinds[kind].queries;
    unsigned char *stopped = calloc(n ? n : 1, 1);
    if (stopped == NULL)
        return sc_error_set(SC_ERR_NOMEM, NULL);
    int rc = 0;
    for (int q = 0; queries[q] != NULL && rc == 0; q++) {
        int optional = queries[q][0] == '?';
        int tail_first = optional && (q == 0 || queries[q - 1][0] != '?');
        rc = many_section(db, many_text[kind][q], q + 1, tail_first, k, n, stopped, out);
    }
    free(stopped);
    return rc;
}

int audit_canonical_many(struct db *db, const char *kind, const char *const *records,
                         size_t n, struct audit_canon *out)
{
    memset(out, 0, n * sizeof *out);
    size_t kn = NKINDS;
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            kn = i;
    if (kn == NKINDS)
        return sc_error_set(SC_ERR_ARG, "audit: unknown record kind '%s'", kind);
    pthread_once(&many_once, many_make);
    int plain = 1, q = 0;
    for (; kinds[kn].queries[q] != NULL; q++)
        plain &= q < MANY_QUERIES && many_text[kn][q][0] != '\0';
    int rc = 0;
    if (!plain) {
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = canonical(db, kind, records[i], &out[i]);
    } else {
        struct many_key *k = malloc((n ? n : 1) * sizeof *k);
        size_t *same = malloc((n ? n : 1) * sizeof *same); /* the key's first holder */
        if (k == NULL || same == NULL) {
            free(k);
            free(same);
            return sc_error_set(SC_ERR_NOMEM, NULL);
        }
        for (size_t i = 0; i < n; i++) {
            k[i] = (struct many_key){records[i], strlen(records[i]), i};
            same[i] = i;
        }
        qsort(k, n, sizeof *k, many_key_cmp);
        /* One text per distinct key; a key given twice gets a copy. */
        size_t d = 0;
        for (size_t i = 0; i < n; i++) {
            if (d > 0 && many_key_cmp(&k[d - 1], &k[i]) == 0)
                same[k[i].at] = k[d - 1].at;
            else
                k[d++] = k[i];
        }
        for (size_t at = 0; at < d && rc == 0; at += MANY_CHUNK)
            rc = many_chunk(db, kn, k + at, d - at < MANY_CHUNK ? d - at : MANY_CHUNK, out);
        for (size_t i = 0; i < n && rc == 0; i++) {
            const struct buf *src = &out[same[i]];
            if (same[i] == i || src->len == 0)
                continue;
            if ((out[i].p = malloc(src->len + 1)) == NULL) {
                rc = sc_error_set(SC_ERR_NOMEM, NULL);
                break;
            }
            memcpy(out[i].p, src->p, src->len + 1);
            out[i].len = src->len;
            out[i].cap = src->len + 1;
        }
        free(same);
        free(k);
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (out[i].oom)
            rc = sc_error_set(SC_ERR_NOMEM, NULL);
        else if (out[i].p == NULL && (out[i].p = calloc(1, 1)) == NULL)
            rc = sc_error_set(SC_ERR_NOMEM, NULL);
    }
    if (rc < 0)
        for (size_t i = 0; i < n; i++)
            canon_buf_free(&out[i]);
    return rc;
}

int audit_canonical(struct db *db, const char *kind, const char *record, char **out,
                    size_t *len)
{
    struct buf b = {0};
    int rc = canonical(db, kind, record, &b);
    if (rc < 0) {
        free(b.p);
        return rc;
    }
    if (b.p == NULL) {
        b.p = calloc(1, 1);
        if (b.p == NULL)
            return sc_error_set(SC_ERR_NOMEM, NULL);
    }
    *out = b.p;
    if (len)
        *len = b.len;
    return 0;
}

/* SHA-256 by OpenSSL's libcrypto: it uses the CPU's SHA extensions, about
 * ten times libsodium's portable code, and a generator hashes two texts per
 * record for a million records.  The digest is SHA-256 either way; should
 * libcrypto fail, libsodium computes the same bytes. */
static _Thread_local EVP_MD *sha256_md;
static _Thread_local EVP_MD_CTX *sha256_ctx;

static int sha256_openssl(const void *data, size_t n, unsigned char h[32])
{
    if (sha256_md == NULL && (sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
        return -1;
    if (sha256_ctx == NULL && (sha256_ctx = EVP_MD_CTX_new()) == NULL)
        return -1;
    unsigned int len = 0;
    if (EVP_DigestInit_ex(sha256_ctx, sha256_md, NULL) != 1 ||
        EVP_DigestUpdate(sha256_ctx, data, n) != 1 ||
        EVP_DigestFinal_ex(sha256_ctx, h, &len) != 1 || len != 32)
        return -1;
    return 0;
}

static void sha256_hex(const void *data, size_t n, char out[AUDIT_HASH_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    if (sha256_openssl(data, n, h) < 0)
        crypto_hash_sha256(h, data, n);
    sodium_bin2hex(out, AUDIT_HASH_HEX, h, sizeof h);
}

void audit_sha256_hex(const void *data, size_t n, char out[AUDIT_HASH_HEX])
{
    sha256_hex(data, n, out);
}

/* One buffer reused: canonicalising a million demo inspections should not
 * be a million mallocs. */
static _Thread_local struct buf scratch;

int audit_content_hash(struct db *db, const char *kind, const char *record,
                       char out[AUDIT_HASH_HEX])
{
    scratch.len = 0;
    scratch.oom = 0;
    int rc = canonical(db, kind, record, &scratch);
    if (rc < 0)
        return rc;
    sha256_hex(scratch.p ? scratch.p : "", scratch.len, out);
    return 0;
}

int audit_entry_text(const struct audit_entry *e, char *out, size_t size)
{
    /* "%lld\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n" by hand: a push and a generator
     * write one per entry, and snprintf was a visible share of both. */
    char num[24], *d = num + sizeof num;
    uint64_t u = e->seq < 0 ? (uint64_t)0 - (uint64_t)e->seq : (uint64_t)e->seq;
    do {
        *--d = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (e->seq < 0)
        *--d = '-';
    const char *field[8] = {d, e->id, e->at, e->device, e->kind, e->record,
                            e->content_hash, e->prev_hash};
    size_t len[8] = {(size_t)(num + sizeof num - d)}, n = 0;
    for (int i = 0; i < 8; i++) {
        if (i > 0)
            len[i] = strlen(field[i]);
        n += len[i] + 1;
    }
    if (n >= size)
        return -1;
    char *p = out;
    for (int i = 0; i < 8; i++) {
        memcpy(p, field[i], len[i]);
        p += len[i];
        *p++ = '\n';
    }
    *p = '\0';
    return (int)n;
}

void audit_chain_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX])
{
    char text[1024];
    int n = audit_entry_text(e, text, sizeof text);
    sha256_hex(text, n < 0 ? sizeof text - 1 : (size_t)n, out);
}

/* Copies column i into buf when it is exactly text that fits: any byte
 * beyond the field, a NUL inside or another type marks the entry
 * malformed (naming the field) instead of being cut off unseen.  exact:
 * the text must be that long (hashes, ids); null_ok: NULL reads as "". */
static void col_exact(sqlite3_stmt *st, int i, char *buf, size_t size, size_t exact,
                      int null_ok, const char *name, struct audit_entry *e)
{
    int type = sqlite3_column_type(st, i);
    buf[0] = '\0';
    if (type == SQLITE_NULL && null_ok)
        return;
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    int ok = type == SQLITE_TEXT && t != NULL && n < size && memchr(t, '\0', n) == NULL &&
             (exact == 0 || n == exact);
    if (ok) {
        memcpy(buf, t, n);
        buf[n] = '\0';
    } else {
        if (t)
            snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), (const char *)t);
        if (!e->malformed)
            e->malformed = name;
    }
}

static void read_entry(sqlite3_stmt *st, struct audit_entry *e)
{
    e->malformed = NULL;
    if (sqlite3_column_type(st, 0) != SQLITE_INTEGER)
        e->malformed = "seq";
    e->seq = sqlite3_column_int64(st, 0);
    col_exact(st, 1, e->id, sizeof e->id, DB_UUID_LEN - 1, 0, "id", e);
    col_exact(st, 2, e->at, sizeof e->at, 0, 0, "at", e);
    col_exact(st, 3, e->device, sizeof e->device, 0, 0, "device", e);
    col_exact(st, 4, e->kind, sizeof e->kind, 0, 0, "kind", e);
    col_exact(st, 5, e->record, sizeof e->record, 0, 0, "record", e);
    col_exact(st, 6, e->content_hash, sizeof e->content_hash, 64, 0, "content_hash", e);
    col_exact(st, 7, e->prev_hash, sizeof e->prev_hash, 64, 0, "prev_hash", e);
    col_exact(st, 8, e->hash, sizeof e->hash, 64, 0, "hash", e);
    col_exact(st, 9, e->sig, sizeof e->sig, 128, 1, "sig", e);
}

#define ENTRY_COLUMNS "seq, id, at, device, kind, record, content_hash, prev_hash, hash, sig"

/* The seq and prev_hash of the entry to append: after the transaction's
 * remembered tail, else after the chain's last entry (or the first). */
static int chain_tail(struct db *db, const struct db_audit_tail *tail, struct audit_entry *e)
{
    if (tail->valid) {
        e->seq = tail->seq + 1;
        memcpy(e->prev_hash, tail->hash, sizeof e->prev_hash);
        return 0;
    }
    sqlite3_stmt *st = db_stmt(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (st == NULL)
        return SC_ERR_DB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        e->seq = sqlite3_column_int64(st, 0) + 1;
        db_col_text(st, 1, e->prev_hash, sizeof e->prev_hash);
    } else if (rc == SQLITE_DONE) {
        e->seq = 1;
        memset(e->prev_hash, '0', 64);
        e->prev_hash[64] = '\0';
    }
    db_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "audit");
}

static int adopt_unaudited(struct db *db);

/* Signs the entries this device wrote before it had a key (a database made
 * by an older stallcheck).  Inside the caller's transaction. */
static int sign_unsigned(struct db *db)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db), "SELECT seq, hash FROM audit_log WHERE sig IS NULL "
                                          "AND device = ?1 ORDER BY seq",
                           -1, &q, NULL) != SQLITE_OK)
        return db_fail(db, "device key");
    sqlite3_bind_text(q, 1, db_device_id(db), -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *hash = (const char *)sqlite3_column_text(q, 1);
        if (!hash || strlen(hash) != 64)
            continue; /* verify names it; a signature would not mend it */
        char sig[DEVICE_SIG_HEX];
        sqlite3_stmt *st;
        if ((rc = device_sign_entry(db, hash, sig)) < 0 ||
            (st = db_stmt(db, "UPDATE audit_log SET sig = ?2 WHERE seq = ?1")) == NULL) {
            sqlite3_finalize(q);
            return rc < 0 ? rc : SC_ERR_DB;
        }
        sqlite3_bind_int64(st, 1, sqlite3_column_int64(q, 0));
        db_bind_text(st, 2, sig);
        if ((rc = db_step_done(db, st, "device key")) < 0) {
            sqlite3_finalize(q);
            return rc;
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "device key");
}

int audit_key_ensure(struct db *db)
{
    int made = 0;
    int rc = device_key_ensure(db, NULL, &made);
    if (rc < 0 || !made)
        return rc;
    /* A new key: the entries written before it are signed, its "device"
     * entry enters the chain, and what an older stallcheck changed
     * unaudited is adopted. */
    if ((rc = sign_unsigned(db)) < 0)
        return rc;
    int64_t seq = audit_append(db, "device", db_device_id(db));
    if (seq < 0)
        return (int)seq;
    int n = adopt_unaudited(db);
    return n < 0 ? n : 0;
}

static int64_t append(struct db *db, const char *kind, const char *record,
                      const struct audit_canon *given);

int64_t audit_append(struct db *db, const char *kind, const char *record)
{
    return append(db, kind, record, NULL);
}

int64_t audit_append_canonical(struct db *db, const char *kind, const char *record,
                               const struct audit_canon *c)
{
    return append(db, kind, record, c);
}

static int64_t append(struct db *db, const char *kind, const char *record,
                      const struct audit_canon *given)
{
    if (db_depth(db) == 0)
        return sc_error_set(SC_ERR_ARG, "audit: append outside a transaction");
    struct audit_entry e = {0};
    if (strlen(kind) >= sizeof e.kind || strlen(record) >= sizeof e.record)
        return sc_error_set(SC_ERR_RANGE, "audit: key too long: %s %s", kind, record);
    int rc = 0;
    if (given == NULL)
        rc = audit_content_hash(db, kind, record, e.content_hash);
    else if (given->oom)
        rc = sc_error_set(SC_ERR_NOMEM, NULL);
    else
        sha256_hex(given->p ? given->p : "", given->len, e.content_hash);
    if (rc < 0)
        return rc;
    db_uuid_new(e.id);
    db_now(e.at, sizeof e.at);
    snprintf(e.device, sizeof e.device, "%s", db_device_id(db));
    snprintf(e.kind, sizeof e.kind, "%s", kind);
    snprintf(e.record, sizeof e.record, "%s", record);
    /* This device's first entry: its key's own entries go first, and this
     * one follows them. */
    if ((rc = audit_key_ensure(db)) < 0)
        return rc;
    struct db_audit_tail *tail = db_audit_tail(db);
    if ((rc = chain_tail(db, tail, &e)) < 0)
        return rc;
    audit_chain_hash(&e, e.hash);
    if ((rc = device_sign_entry(db, e.hash, e.sig)) < 0)
        return rc;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO audit_log (" ENTRY_COLUMNS ") "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (st == NULL)
        return SC_ERR_DB;
    /* Bound without copies: e outlives the step below. */
    sqlite3_bind_int64(st, 1, e.seq);
    db_bind_static(st, 2, e.id);
    db_bind_static(st, 3, e.at);
    db_bind_static(st, 4, e.device);
    db_bind_static(st, 5, e.kind);
    db_bind_static(st, 6, e.record);
    db_bind_static(st, 7, e.content_hash);
    db_bind_static(st, 8, e.prev_hash);
    db_bind_static(st, 9, e.hash);
    db_bind_static(st, 10, e.sig);
    if ((rc = db_step_done(db, st, "audit")) < 0)
        return rc;
    tail->valid = 1;
    tail->seq = e.seq;
    memcpy(tail->hash, e.hash, sizeof tail->hash);
    return e.seq;
}

int audit_each(struct db *db, int64_t after, int (*fn)(const struct audit_entry *, void *),
               void *arg)
{
    /* Not the cached statement: fn may itself use the database. */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db),
                           "SELECT " ENTRY_COLUMNS " FROM audit_log WHERE seq > ?1 ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "audit");
    sqlite3_bind_int64(st, 1, after);
    int rc, ret = 0;
    struct audit_entry e;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_entry(st, &e);
        if ((ret = fn(&e, arg)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = db_fail(db, "audit");
    sqlite3_finalize(st);
    return ret;
}

/* Appends entries for records an older stallcheck changed without one
 * (follow-up states it closed): once, when the device's key is first made.
 * The count appended. */
static int adopt_unaudited(struct db *db)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db),
                           "SELECT f.inspection || '/' || f.item FROM findings f "
                           "WHERE f.followup_inspection IS NOT NULL AND NOT EXISTS "
                           "(SELECT 1 FROM audit_log a WHERE a.kind = 'followup' "
                           "AND a.record = f.inspection || '/' || f.item) ORDER BY 1",
                           -1, &q, NULL) != SQLITE_OK)
        return db_fail(db, "audit");
    int rc, n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char record[72];
        db_col_text(q, 0, record, sizeof record);
        int64_t seq = audit_append(db, "followup", record);
        if (seq < 0) {
            sqlite3_finalize(q);
            return (int)seq;
        }
        n++;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? n : db_fail(db, "audit");
}

int audit_entry_at(struct db *db, int64_t seq, struct audit_entry *out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ENTRY_COLUMNS " FROM audit_log WHERE seq = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_entry(st, out);
    db_done(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return db_fail(db, "audit");
    return sc_error_set(SC_ERR_NOTFOUND, "no audit entry %lld", (long long)seq);
}

int audit_latest(struct db *db, const char *kind, const char *record, struct audit_entry *out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ENTRY_COLUMNS " FROM audit_log "
                                   "WHERE kind = ?1 AND record = ?2 ORDER BY seq DESC LIMIT 1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, record);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_entry(st, out);
        db_done(st);
        return 0;
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, "audit");
    return sc_error_set(SC_ERR_NOTFOUND, "no audit entry for %s %s", kind, record);
}

int64_t audit_count(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM audit_log");
    if (st == NULL)
        return SC_ERR_DB;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : SC_ERR_DB;
    db_done(st);
    return n;
}
