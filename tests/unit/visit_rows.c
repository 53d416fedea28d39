#include "tests/unit/visit_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db/audit.h"
#include "db/internal.h"

struct dump {
    FILE *out;
    char uuids[64][DB_UUID_LEN];
    int nuuids;
    int failed;
};

static int is_uuid(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
            return 0;
    }
    return 1;
}

static void put_text(struct dump *d, const char *s)
{
    if (is_uuid(s)) {
        int k = 0;
        while (k < d->nuuids && strcmp(d->uuids[k], s) != 0)
            k++;
        if (k == d->nuuids && k < 64)
            snprintf(d->uuids[d->nuuids++], DB_UUID_LEN, "%s", s);
        fprintf(d->out, "<uuid %d>", k + 1);
        return;
    }
    fputc('\'', d->out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n')
            fputs("\\n", d->out);
        else if (*p == '\\' || *p == '\'')
            fprintf(d->out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(d->out, "\\x%02x", *p);
        else
            fputc(*p, d->out);
    }
    fputc('\'', d->out);
}

static void put_value(struct dump *d, sqlite3_stmt *st, int col)
{
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL:
        fputs("NULL", d->out);
        break;
    case SQLITE_INTEGER:
        fprintf(d->out, "%lld", (long long)sqlite3_column_int64(st, col));
        break;
    case SQLITE_BLOB: {
        const unsigned char *b = sqlite3_column_blob(st, col);
        int n = sqlite3_column_bytes(st, col);
        fputs("x'", d->out);
        for (int i = 0; i < n; i++)
            fprintf(d->out, "%02x", b[i]);
        fputc('\'', d->out);
        break;
    }
    default:
        put_text(d, (const char *)sqlite3_column_text(st, col));
        break;
    }
}

/* Every row of sql (bound to id) as "name: col=value ...". */
static void rows(struct dump *d, struct db *db, const char *name, const char *sql, const char *id)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(d->out, "%s: ERROR %s\n", name, sqlite3_errmsg(db_sqlite(db)));
        d->failed = 1;
        return;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fprintf(d->out, "%s:", name);
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            fprintf(d->out, " %s=", sqlite3_column_name(st, c));
            put_value(d, st, c);
        }
        fputc('\n', d->out);
    }
    if (rc != SQLITE_DONE)
        d->failed = 1;
    sqlite3_finalize(st);
}

static void audit(struct dump *d, struct db *db, const char *id)
{
    rows(d, db, "audit",
         "SELECT at, device, kind, record FROM audit_log WHERE kind = 'inspection' AND record = ?1",
         id);
    struct audit_entry e;
    char rebuilt[AUDIT_HASH_HEX];
    if (audit_latest(db, "inspection", id, &e) == 0 &&
        audit_content_hash(db, "inspection", id, rebuilt) == 0)
        fprintf(d->out, "audit: content %s the rows\n",
                strcmp(e.content_hash, rebuilt) == 0 ? "matches" : "DOES NOT MATCH");
}

char *visit_rows(struct db *db, const char *id)
{
    struct dump d;
    memset(&d, 0, sizeof d);
    char *text = NULL;
    size_t len = 0;
    d.out = open_memstream(&text, &len);
    if (d.out == NULL)
        return NULL;
    rows(&d, db, "inspection", "SELECT * FROM inspections WHERE id = ?1", id);
    rows(&d, db, "finding",
         "SELECT * FROM findings WHERE inspection = ?1 ORDER BY item", id);
    rows(&d, db, "reweigh", "SELECT * FROM reweighs WHERE inspection = ?1 ORDER BY seq", id);
    rows(&d, db, "measurement",
         "SELECT m.* FROM measurements m LEFT JOIN reweighs r ON r.measurement = m.id "
         "WHERE m.inspection = ?1 ORDER BY r.seq, m.value", id);
    rows(&d, db, "closed",
         "SELECT inspection, item, followup FROM findings WHERE followup_inspection = ?1 "
         "ORDER BY item", id);
    audit(&d, db, id);
    rows(&d, db, "draft", "SELECT count(*) AS drafts FROM drafts WHERE id = ?1", id);
    rows(&d, db, "stall_status",
         "SELECT * FROM stall_status WHERE stall = (SELECT stall FROM inspections WHERE id = ?1)",
         id);
    rows(&d, db, "list_entry",
         "SELECT * FROM list_entries WHERE inspection = ?1 ORDER BY since, list", id);
    fclose(d.out);
    if (d.failed) {
        free(text);
        return NULL;
    }
    return text;
}
