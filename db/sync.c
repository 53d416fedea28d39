/* One sync of a handheld with the district PostgreSQL: see sync.h for the
 * protocol.  Here the steps in their order and the handheld's marks of
 * where they stand; the batch (db/sync_batch.h), its sending
 * (db/sync_send.h) and the pull (db/sync_pull.h) have their own files. */
#include "db/sync.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/device.h"
#include "db/internal.h"
#include "db/pg.h"
#include "db/sync_batch.h"
#include "db/sync_pull.h"
#include "db/sync_send.h"

/* ---- push ---------------------------------------------------------------- */

static int remote_get(struct db *db, const char *name, const char *where, int64_t *pushed)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO sync_remotes (name, conninfo) VALUES (?1, ?2) "
                                   "ON CONFLICT (name) DO UPDATE SET conninfo = ?2");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, where);
    int rc = db_step_done(db, st, "sync");
    if (rc < 0)
        return rc;
    st = db_stmt(db, "SELECT pushed_seq FROM sync_remotes WHERE name = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, name);
    rc = sqlite3_step(st);
    *pushed = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, "sync");
}

static int remote_set_pushed(struct db *db, const char *name, int64_t seq)
{
    char now[24];
    db_now(now, sizeof now);
    /* max(): two syncs of one handheld at once never move the mark back. */
    sqlite3_stmt *st = db_stmt(db, "UPDATE sync_remotes SET pushed_seq = max(pushed_seq, ?2), "
                                   "pushed_at = ?3 WHERE name = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, seq);
    db_bind_text(st, 3, now);
    return db_step_done(db, st, "sync");
}

static int push(struct db *db, PGconn *c, const char *remote, int batch_size,
                struct sync_stats *stats)
{
    int64_t pushed;
    int rc;
    if ((rc = db_begin(db)) < 0)
        return rc;
    char where[200];
    snprintf(where, sizeof where, "%s:%s/%s", PQhost(c), PQport(c), PQdb(c));
    if ((rc = remote_get(db, remote, where, &pushed)) < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0)
        return rc;
    struct sync_batch *b = sync_batch_new();
    struct sync_sender *snd = sync_sender_new();
    rc = b && snd ? 0 : SC_ERR_NOMEM;
    while (rc == 0) {
        int n = sync_batch_fill(db, b, pushed, batch_size);
        if (n <= 0) {
            rc = n;
            break;
        }
        if ((rc = sync_send(c, sync_batch_rows(b), snd)) < 0)
            break;
        const struct sync_batch_counts *k = sync_batch_counts(b);
        stats->batches++;
        /* The district has committed: now, and only now, move the mark. */
        if ((rc = db_begin(db)) < 0)
            break;
        if ((rc = remote_set_pushed(db, remote, k->last_seq)) < 0) {
            db_rollback(db);
            break;
        }
        if ((rc = db_commit(db)) < 0)
            break;
        pushed = k->last_seq;
        stats->entries += k->entries;
        stats->inspections_sent += k->inspections;
        stats->verifications_sent += k->verifications;
        stats->calibrations_sent += k->calibrations;
        stats->draws_sent += k->draws;
    }
    stats->pushed_seq = pushed;
    sync_batch_free(b);
    sync_sender_free(snd);
    return rc;
}

/* ---- push the registry (admin) ------------------------------------------
 * Each registry record's newest entry, if this device wrote it, with the
 * record as it is now: the district takes it only from a device enrolled
 * with the registry right, signs it and hands it to every handheld. */

static int push_registry(struct db *db, PGconn *c, struct sync_stats *stats)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db),
                           "SELECT max(seq) FROM audit_log WHERE kind IN ('market', 'operator', "
                           "'stall', 'instrument', 'weight_set', 'officer') "
                           "GROUP BY kind, record ORDER BY 1",
                           -1, &q, NULL) != SQLITE_OK)
        return db_fail(db, "sync");
    struct inbox_rows rows = {0};
    int rc, step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        struct audit_entry e;
        if ((rc = audit_entry_at(db, sqlite3_column_int64(q, 0), &e)) < 0)
            goto out;
        if (strcmp(e.device, db_device_id(db)) != 0)
            continue; /* pulled from the district, or a predecessor's */
        char *payload = NULL;
        size_t plen = 0;
        if ((rc = audit_canonical(db, e.kind, e.record, &payload, &plen)) < 0)
            goto out;
        if ((rc = inbox_rows_add(&rows, &e, payload, plen, 1)) < 0)
            goto out;
        stats->registry_pushed++;
    }
    rc = step == SQLITE_DONE ? 0 : db_fail(db, "sync");
    struct sync_sender *snd = rc == 0 ? sync_sender_new() : NULL;
    if (rc == 0)
        rc = snd ? sync_send(c, &rows, snd) : SC_ERR_NOMEM;
    sync_sender_free(snd);
out:
    sqlite3_finalize(q);
    inbox_rows_free(&rows);
    return rc;
}

/* What the district refused of this device since the last sync: kept in
 * sync_refusals for the command to show (db_sync_refusals). */
static int pull_refusals(struct db *db, PGconn *c, const char *remote, struct sync_stats *stats)
{
    char key[96], since[32] = "0";
    snprintf(key, sizeof key, "sync.%s.refusal_id", remote);
    if (db_setting_get(db, key, since, sizeof since) < 0)
        snprintf(since, sizeof since, "0");
    stats->refusals_after = atoll(since);
    const char *p[2] = {db_device_id(db), since};
    int rc;
    PGresult *r = pg_query(c,
                           "SELECT id, device, seq, hash, kind, record, reason, hint, "
                           "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                           "FROM refusals WHERE device = $1 AND id > $2::bigint ORDER BY id",
                           2, p, "refusals", &rc);
    if (!r)
        return rc;
    if ((rc = db_begin(db)) < 0) {
        PQclear(r);
        return rc;
    }
    for (int i = 0; i < PQntuples(r) && rc >= 0; i++) {
        sqlite3_stmt *st = db_stmt(db, "INSERT OR IGNORE INTO sync_refusals (remote, id, device, "
                                       "seq, hash, kind, record, reason, hint, at) VALUES "
                                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
        if (!st) {
            rc = SC_ERR_DB;
            break;
        }
        db_bind_text(st, 1, remote);
        sqlite3_bind_int64(st, 2, atoll(PQgetvalue(r, i, 0)));
        for (int k = 1; k < 9; k++) {
            if (k == 2)
                sqlite3_bind_int64(st, 4, atoll(PQgetvalue(r, i, 2)));
            else
                db_bind_text(st, k + 2, PQgetvalue(r, i, k));
        }
        rc = db_step_done(db, st, "sync: refusals");
        if (rc >= 0) {
            stats->refusals_new++;
            rc = db_setting_set(db, key, PQgetvalue(r, i, 0));
        }
    }
    PQclear(r);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0)
        return rc;
    /* How far the district has taken this device's entries. */
    r = pg_query(c, "SELECT count(*), coalesce(max(seq), 0) FROM audit_log WHERE device = $1", 1,
                 p, "refusals", &rc);
    if (!r)
        return rc;
    stats->held_entries = atoll(PQgetvalue(r, 0, 0));
    stats->held_seq = atoll(PQgetvalue(r, 0, 1));
    PQclear(r);
    return 0;
}

int sync_refusals_each(struct db *db, const char *remote, int64_t after,
                       int (*fn)(const struct sync_refusal *, void *), void *arg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db),
                           "SELECT r.id, r.device, r.seq, r.kind, r.record, r.reason, r.hint, "
                           "r.at, EXISTS (SELECT 1 FROM audit_log a WHERE a.device = r.device "
                           "AND a.seq = r.seq AND a.hash = r.hash) FROM sync_refusals r "
                           "WHERE r.remote = ?1 AND r.id > ?2 ORDER BY r.id",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "sync");
    sqlite3_bind_text(st, 1, remote, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, after);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sync_refusal f;
        memset(&f, 0, sizeof f);
        f.id = sqlite3_column_int64(st, 0);
        db_col_text(st, 1, f.device, sizeof f.device);
        f.seq = sqlite3_column_int64(st, 2);
        db_col_text(st, 3, f.kind, sizeof f.kind);
        db_col_text(st, 4, f.record, sizeof f.record);
        db_col_text(st, 5, f.reason, sizeof f.reason);
        db_col_text(st, 6, f.hint, sizeof f.hint);
        db_col_text(st, 7, f.at, sizeof f.at);
        f.ours = sqlite3_column_int(st, 8);
        if ((ret = fn(&f, arg)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = db_fail(db, "sync");
    sqlite3_finalize(st);
    return ret;
}

int sync_run(struct db *db, const char *url, const struct sync_options *opt,
             struct sync_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct sync_options none = {0};
    if (!opt)
        opt = &none;
    /* A copy of another handheld's database pushes nothing as that device. */
    int rc = device_check(db);
    if (rc < 0)
        return rc;
    PGconn *c;
    if ((rc = pg_connect(url, &c)) < 0)
        return rc;
    if ((rc = pg_district_id(c, stats->district, sizeof stats->district)) < 0)
        goto out;
    if ((rc = push(db, c, stats->district, opt->batch > 0 ? opt->batch : SYNC_BATCH_DEFAULT,
                   stats)) < 0)
        goto out;
    if (opt->push_registry && (rc = push_registry(db, c, stats)) < 0)
        goto out;
    if ((rc = pull_refusals(db, c, stats->district, stats)) < 0)
        goto out;
    if (!opt->no_pull) {
        struct sync_pull_result pr = {0};
        rc = sync_pull_registry(db, c, stats->district, stats->district, &pr);
        stats->registry_pulled = pr.pulled;
        stats->registry_refused = pr.refused;
        snprintf(stats->registry_refusal, sizeof stats->registry_refusal, "%s", pr.refusal);
        if (rc < 0)
            goto out;
        rc = sync_pull_lists(db, c, &stats->lists_pulled);
    }
out:
    PQfinish(c);
    return rc;
}
