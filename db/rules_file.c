#include "db/rules_file.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/internal.h"

struct reader {
    struct rules *rules;
    int code;                 /* the first error's code */
    char why[256];            /* and its reason */
};

/* libinih calls this per key; returning 0 makes ini_parse report the line. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct reader *rd = user;
    int rc = rules_set(rd->rules, section, name, value);
    if (rc < 0 && rd->code == 0) {
        rd->code = rc;
        snprintf(rd->why, sizeof rd->why, "[%s] %s: %s", section, name, sc_error_message());
    }
    return rc < 0 ? 0 : 1;
}

static int finish(const char *name, int line, struct reader *rd, struct rules *out,
                  const struct rules *parsed)
{
    if (line > 0) {
        if (rd->code != 0)
            return sc_error_set(rd->code, "%s:%d: %s", name, line, rd->why);
        return sc_error_set(SC_ERR_PARSE, "%s:%d: not a [section] or key = value line "
                            "(or longer than 200 bytes)", name, line);
    }
    if (line == -2)
        return sc_error_set(SC_ERR_NOMEM, "%s: out of memory", name);
    if (rules_check(parsed) < 0)
        return sc_error_set(SC_ERR_INCONSISTENT, "%s: %s", name, sc_error_message());
    *out = *parsed;
    return 0;
}

int rules_file_parse(const char *name, const char *text, struct rules *out)
{
    struct rules parsed;
    rules_default(&parsed);
    struct reader rd = {.rules = &parsed};
    int line = ini_parse_string(text, on_key, &rd);
    return finish(name, line, &rd, out, &parsed);
}

int rules_file_load(const char *path, struct rules *out)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    struct rules parsed;
    rules_default(&parsed);
    struct reader rd = {.rules = &parsed};
    int line = ini_parse_file(f, on_key, &rd);
    fclose(f);
    return finish(path, line, &rd, out, &parsed);
}

int rules_file_resolve(const char *path, struct rules *out)
{
    if (path == NULL || *path == '\0') {
        rules_default(out);
        return 0;
    }
    return rules_file_load(path, out);
}

int rules_in_force(struct db *db, struct rules *out, char sha[65], char *source, size_t size)
{
    if (sha)
        sha[0] = '\0';
    if (source && size)
        snprintf(source, size, "built-in");
    sqlite3_stmt *st = db_stmt(db, "SELECT source, sha256, text FROM rules_in_force "
                                   "WHERE key = 'in-force'");
    if (!st)
        return SC_ERR_DB;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        db_done(st);
        if (rc != SQLITE_DONE)
            return db_fail(db, "rules");
        rules_default(out);
        return 0;
    }
    char name[300];
    snprintf(name, sizeof name, "%s (adopted)", (const char *)sqlite3_column_text(st, 0));
    if (source && size)
        snprintf(source, size, "%s", (const char *)sqlite3_column_text(st, 0));
    if (sha)
        db_col_text(st, 1, sha, 65);
    rc = rules_file_parse(name, (const char *)sqlite3_column_text(st, 2), out);
    db_done(st);
    return rc;
}

int rules_adopt(struct db *db, const char *path, const char *actor, char sha[65])
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *p = realloc(text, cap);
            if (!p) {
                free(text);
                fclose(f);
                return sc_error_set(SC_ERR_NOMEM, NULL);
            }
            text = p;
        }
        memcpy(text + len, chunk, n);
        len += n;
    }
    fclose(f);
    if (!text)
        return sc_error_set(SC_ERR_PARSE, "%s: empty", path);
    text[len] = '\0';
    struct rules r;
    int rc = strlen(text) != len ? sc_error_set(SC_ERR_PARSE, "%s: a NUL byte in the file", path)
                                 : rules_file_parse(path, text, &r);
    if (rc < 0) {
        free(text);
        return rc;
    }
    audit_sha256_hex(text, len, sha);
    char now[24];
    db_now(now, sizeof now);
    if ((rc = db_begin(db)) < 0) {
        free(text);
        return rc;
    }
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO rules_in_force (key, source, sha256, text, "
                                   "adopted_at, adopted_by) VALUES ('in-force', ?1, ?2, ?3, ?4, "
                                   "?5) ON CONFLICT (key) DO UPDATE SET source = ?1, sha256 = ?2, "
                                   "text = ?3, adopted_at = ?4, adopted_by = ?5 "
                                   "WHERE sha256 <> ?2");
    if (!st) {
        free(text);
        db_rollback(db);
        return SC_ERR_DB;
    }
    db_bind_text(st, 1, path);
    db_bind_text(st, 2, sha);
    db_bind_text(st, 3, text);
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, actor && *actor ? actor : "(no officer yet)");
    rc = db_step_done(db, st, "rules");
    free(text);
    int changed = rc >= 0 && sqlite3_changes(db_sqlite(db)) > 0;
    if (rc >= 0 && changed) {
        int64_t seq = audit_append(db, "rules", "in-force");
        rc = seq < 0 ? (int)seq : 0;
    }
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0)
        return rc;
    return changed;
}
