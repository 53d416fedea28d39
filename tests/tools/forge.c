/* The hostile suite's attacker: what someone who edits a handheld's SQLite
 * file can compute with the documented formulas (db/audit.h).
 *   forge DB append KIND RECORD   append a correctly hashed entry for a record
 *                                 written behind stallcheck's back
 *   forge DB rechain              recompute every entry's content hash (the
 *                                 newest of each record) and chain hash, and
 *                                 sign each again with the device's key from
 *                                 the key store, so the local verify says
 *                                 whole (the strongest attacker: one who has
 *                                 the handheld's key file too)
 * Built by tests/tools/build.sh against the library; not part of stallcheck. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/device.h"

static int die(const char *what)
{
    fprintf(stderr, "forge: %s: %s\n", what, sc_error_message());
    return 1;
}

struct entries {
    struct audit_entry *v;
    size_t n, cap;
};

static int collect(const struct audit_entry *e, void *arg)
{
    struct entries *es = arg;
    if (es->n == es->cap) {
        es->cap = es->cap ? es->cap * 2 : 256;
        es->v = realloc(es->v, es->cap * sizeof *es->v);
        if (!es->v)
            return -1;
    }
    es->v[es->n++] = *e;
    return 0;
}

static int rechain(struct db *db, const char *path)
{
    struct entries es = {0};
    if (audit_each(db, 0, collect, &es) != 0)
        return die("read");
    sqlite3 *s;
    if (sqlite3_open(path, &s) != SQLITE_OK)
        return die("open");
    sqlite3_exec(s, "BEGIN", NULL, NULL, NULL);
    char prev[AUDIT_HASH_HEX];
    memset(prev, '0', 64);
    prev[64] = '\0';
    for (size_t i = 0; i < es.n; i++) {
        struct audit_entry *e = &es.v[i];
        int newest = 1;
        for (size_t k = i + 1; k < es.n; k++)
            if (strcmp(es.v[k].kind, e->kind) == 0 && strcmp(es.v[k].record, e->record) == 0)
                newest = 0;
        if (newest && audit_content_hash(db, e->kind, e->record, e->content_hash) < 0)
            return die("content hash");
        memcpy(e->prev_hash, prev, sizeof prev);
        audit_chain_hash(e, e->hash);
        memcpy(prev, e->hash, sizeof prev);
        /* Entries of this device signed again; a predecessor's keep theirs. */
        if (strcmp(e->device, db_device_id(db)) == 0 && device_sign_entry(db, e->hash, e->sig) < 0)
            return die("sign");
        sqlite3_stmt *st;
        sqlite3_prepare_v2(s, "UPDATE audit_log SET content_hash = ?1, prev_hash = ?2, "
                              "hash = ?3, sig = ?5 WHERE seq = ?4", -1, &st, NULL);
        sqlite3_bind_text(st, 1, e->content_hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, e->prev_hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, e->hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, e->seq);
        sqlite3_bind_text(st, 5, e->sig, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            return die("update");
        sqlite3_finalize(st);
    }
    sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(s);
    free(es.v);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: forge DB append KIND RECORD | forge DB rechain\n");
        return 2;
    }
    struct db *db;
    if (db_open(argv[1], &db) < 0)
        return die(argv[1]);
    int rc = 0;
    if (strcmp(argv[2], "append") == 0 && argc == 5) {
        if (db_begin(db) < 0 || audit_append(db, argv[3], argv[4]) < 0 || db_commit(db) < 0)
            rc = die("append");
    } else if (strcmp(argv[2], "rechain") == 0) {
        rc = rechain(db, argv[1]);
    } else {
        fprintf(stderr, "forge: unknown command %s\n", argv[2]);
        rc = 2;
    }
    db_close(db);
    return rc;
}
