/* The district's trust schema, its key and log, enrolment of devices. */
#include "db/enrol.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/pg.h"

#define LOG_DOMAIN "stallcheck district log v1"
/* One office command at a time changes devices or ingests (db/ingest.c). */
#define OFFICE_LOCK "SELECT pg_advisory_xact_lock(7400053)"

/* Created by sync --init after the district's tables exist: idempotent. */
static const char *const trust_ddl[] = {
    /* Roles are the cluster's: a second district database on the same
     * server finds them made. */
    "DO $$ BEGIN CREATE ROLE stallcheck_handheld NOLOGIN;"
    " EXCEPTION WHEN duplicate_object THEN NULL; END $$",

    /* Enrolled devices.  status: active, retired (may no longer push),
     * replaced (retired for the device named in replaced_by). */
    "CREATE TABLE IF NOT EXISTS devices ("
    "  device text PRIMARY KEY,"
    "  public_key text NOT NULL UNIQUE CHECK (public_key ~ '^[0-9a-f]{64}$'),"
    "  pg_role text UNIQUE, registry boolean NOT NULL DEFAULT false,"
    "  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'replaced')),"
    "  predecessor text, replaced_by text,"
    "  enrolled_at timestamptz NOT NULL DEFAULT now(), enrolled_by text NOT NULL,"
    "  retired_at timestamptz, note text NOT NULL DEFAULT '')",
    /* The district's own chain, each entry signed by the district key. */
    "CREATE TABLE IF NOT EXISTS district_log ("
    "  seq bigint PRIMARY KEY, at text NOT NULL, actor text NOT NULL, action text NOT NULL,"
    "  subject text NOT NULL, detail text NOT NULL DEFAULT '', prev_hash text NOT NULL,"
    "  hash text NOT NULL, sig text NOT NULL)",
    /* What handhelds push: one row per audit entry (entry = the exact text
     * its hash is of; payload = the record's canonical text), as bytes so
     * that no byte can fail a whole batch.  registry: a registry record
     * pushed by an admin's handheld.  Another row for the same (device,
     * seq) with another hash never blocks the genuine one. */
    "CREATE TABLE IF NOT EXISTS inbox ("
    "  device text NOT NULL, seq bigint NOT NULL, hash text NOT NULL,"
    "  sig text NOT NULL DEFAULT '', entry bytea NOT NULL, payload bytea,"
    "  registry boolean NOT NULL DEFAULT false,"
    "  pushed_at timestamptz NOT NULL DEFAULT now(), pushed_by text NOT NULL DEFAULT session_user,"
    "  PRIMARY KEY (device, seq, hash, registry))",
    /* The district's verdicts on what it refused, for the handheld to read
     * at its next sync (hash: whose entry it was). */
    "CREATE TABLE IF NOT EXISTS refusals ("
    "  id bigserial PRIMARY KEY, device text NOT NULL, seq bigint NOT NULL,"
    "  hash text NOT NULL DEFAULT '', kind text NOT NULL DEFAULT '',"
    "  record text NOT NULL DEFAULT '', reason text NOT NULL, hint text NOT NULL DEFAULT '',"
    "  at timestamptz NOT NULL DEFAULT now())",
    "CREATE INDEX IF NOT EXISTS refusals_by_device ON refusals (device, id)",
    /* Each registry record's signature by the district key, with a version
     * that only grows (a handheld never goes back to an older one). */
    "CREATE SEQUENCE IF NOT EXISTS registry_version",
    "CREATE TABLE IF NOT EXISTS registry_sigs ("
    "  kind text NOT NULL, record text NOT NULL, version bigint NOT NULL,"
    "  content_hash text NOT NULL, sig text NOT NULL,"
    "  source_device text NOT NULL DEFAULT '', source_seq bigint NOT NULL DEFAULT 0,"
    "  signed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (kind, record))",
    "ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS sig text NOT NULL DEFAULT ''",
    /* accepted: its record is in the district's tables (or it had none);
     * refused: held as a link of the device's chain only, with why. */
    "ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'accepted'",
    "ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS reason text",
    /* A follow-up's state, from the handheld's audited "followup" records,
     * each checked against the inspection that closed it. */
    "ALTER TABLE findings ADD COLUMN IF NOT EXISTS followup text NOT NULL DEFAULT 'none'",
    "ALTER TABLE findings ADD COLUMN IF NOT EXISTS followup_inspection text",

    /* current_user inside a SECURITY DEFINER function is its owner: the
     * login role is session_user. */
    "CREATE OR REPLACE FUNCTION stallcheck_my_device() RETURNS text"
    " LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS"
    " $$ SELECT device FROM devices WHERE pg_role = session_user AND status = 'active' $$",
    "REVOKE ALL ON FUNCTION stallcheck_my_device() FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION stallcheck_my_device() TO stallcheck_handheld",

    "ALTER TABLE inbox ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS inbox_own ON inbox",
    /* The device as a sub-select: worked out once per statement (a push
     * inserts a batch in one), not called once per row. */
    "CREATE POLICY inbox_own ON inbox FOR INSERT TO stallcheck_handheld"
    " WITH CHECK (device = (SELECT stallcheck_my_device()) AND pushed_by = session_user)",
    "ALTER TABLE refusals ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS refusals_own ON refusals",
    "CREATE POLICY refusals_own ON refusals FOR SELECT TO stallcheck_handheld"
    " USING (device = stallcheck_my_device())",

    "GRANT USAGE ON SCHEMA public TO stallcheck_handheld",
    "GRANT INSERT ON inbox TO stallcheck_handheld",
    "GRANT SELECT ON refusals, registry_sigs, district_info, audit_log, markets, operators,"
    " stalls, instruments, weight_sets, weight_set_items, officers, officer_recusals,"
    " district_status TO stallcheck_handheld",
    NULL};

int enrol_schema(struct pg_conn *c)
{
    for (int i = 0; trust_ddl[i]; i++) {
        int rc = pg_exec(c, trust_ddl[i], "init");
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int info_get(PGconn *c, const char *key, char *out, size_t size)
{
    int rc;
    const char *p[1] = {key};
    PGresult *r = pg_query(c, "SELECT value FROM district_info WHERE key = $1", 1, p, "key",
                           &rc);
    if (!r)
        return rc;
    int found = PQntuples(r) == 1;
    if (found)
        snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return found;
}

int enrol_district_key(struct pg_conn *c, int make, char pk[DEVICE_KEY_HEX],
                       unsigned char sk[64])
{
    char id[64], recorded[DEVICE_KEY_HEX + 8] = "";
    int rc = pg_district_id(c, id, sizeof id);
    if (rc < 0)
        return rc;
    int have = info_get(c, "district_key", recorded, sizeof recorded);
    if (have < 0)
        return have;
    if (!have && !make)
        return sc_error_set(SC_ERR_NOTFOUND, "the district has no signing key yet: an admin "
                                             "makes it with sync --init on the office machine");
    if ((rc = device_office_key(id, !have, pk, sk)) < 0)
        return rc;
    if (have && strcmp(recorded, pk) != 0) {
        sodium_memzero(sk, 64);
        return sc_error_set(SC_ERR_DENIED, "the district key in this machine's key store is "
                                           "not the one the district recorded (%.16s...)",
                            recorded);
    }
    if (!have) {
        const char *p[1] = {pk};
        PGresult *r = pg_query(c, "INSERT INTO district_info VALUES ('district_key', $1)", 1, p,
                               "key", &rc);
        if (!r)
            return rc;
        PQclear(r);
    }
    return 0;
}

long long enrol_log(struct pg_conn *c, const unsigned char sk[64], const char *actor,
                    const char *action, const char *subject, const char *detail)
{
    int rc = pg_exec(c, "LOCK TABLE district_log IN EXCLUSIVE MODE", "log");
    if (rc < 0)
        return rc;
    PGresult *r = pg_query(c, "SELECT seq, hash FROM district_log ORDER BY seq DESC LIMIT 1", 0,
                           NULL, "log", &rc);
    if (!r)
        return rc;
    long long seq = 1;
    char prev[AUDIT_HASH_HEX];
    memset(prev, '0', 64);
    prev[64] = '\0';
    if (PQntuples(r) == 1) {
        seq = atoll(PQgetvalue(r, 0, 0)) + 1;
        snprintf(prev, sizeof prev, "%s", PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    char at[24], seqs[24], hash[AUDIT_HASH_HEX], sig[DEVICE_SIG_HEX];
    db_now(at, sizeof at);
    snprintf(seqs, sizeof seqs, "%lld", seq);
    size_t n = strlen(seqs) + strlen(at) + strlen(actor) + strlen(action) + strlen(subject) +
               strlen(detail) + 64 + 8;
    char *text = malloc(n);
    if (!text)
        return sc_error_set(SC_ERR_NOMEM, NULL);
    int len = snprintf(text, n, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n", seqs, at, actor, action, subject,
                       detail, prev);
    audit_sha256_hex(text, (size_t)len, hash);
    free(text);
    device_sign_text(sk, LOG_DOMAIN, hash, 64, sig);
    const char *p[9] = {seqs, at, actor, action, subject, detail, prev, hash, sig};
    r = pg_query(c, "INSERT INTO district_log VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9)",
                 9, p, "log", &rc);
    if (!r)
        return rc;
    PQclear(r);
    return seq;
}

/* ---- enrolment ------------------------------------------------------------ */

static int is_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int is_uuid(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        char ch = s[i];
        if (dash ? ch != '-' : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return 0;
    }
    return 1;
}

static void role_of(const char *device, char out[40])
{
    /* sc_ + the id's first 12 hex digits: short, and unique enough that a
     * clash is refused rather than expected. */
    snprintf(out, 40, "sc_%.8s%.4s", device, device + 9);
}

int enrol_device_in(struct pg_conn *c, const unsigned char sk[64],
                    const struct enrol_request *rq, struct enrol_result *out)
{
    memset(out, 0, sizeof *out);
    if (!rq->device || !is_uuid(rq->device))
        return sc_error_set(SC_ERR_ARG, "device %s: a device id is a UUID in lower-case hex "
                                        "(stallcheck device show on the handheld)",
                            rq->device ? rq->device : "");
    if (!rq->public_key || !is_hex(rq->public_key, 64))
        return sc_error_set(SC_ERR_ARG, "key: a public key is 64 lower-case hex digits "
                                        "(stallcheck device show on the handheld)");
    int rc = pg_exec(c, OFFICE_LOCK, "enrol");
    if (rc < 0)
        return rc;
    PGresult *r = pg_query(c, "SELECT device, public_key, status FROM devices", 0, NULL,
                           "enrol", &rc);
    if (!r)
        return rc;
    char tag[13];
    db_device_tag(rq->device, tag);
    int found_replaced = 0;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        const char *d = PQgetvalue(r, i, 0), *k = PQgetvalue(r, i, 1);
        char t[13];
        db_device_tag(d, t);
        if (strcmp(d, rq->device) == 0)
            rc = sc_error_set(SC_ERR_EXISTS, "device %s is enrolled already (%s)", d,
                              PQgetvalue(r, i, 2));
        else if (strcmp(k, rq->public_key) == 0)
            rc = sc_error_set(SC_ERR_EXISTS, "that key is enrolled already, for device %s: "
                                             "one key, one device",
                              d);
        else if (strcmp(t, tag) == 0)
            rc = sc_error_set(SC_ERR_EXISTS, "device %s's record ids would look like device "
                                             "%s's: give the handheld a new identity "
                                             "(stallcheck device new-identity) and enrol that",
                              rq->device, d);
        if (rq->replaces && strcmp(d, rq->replaces) == 0) {
            found_replaced = 1;
            if (strcmp(PQgetvalue(r, i, 2), "active") != 0)
                rc = sc_error_set(SC_ERR_INCONSISTENT, "device %s is %s already", d,
                                  PQgetvalue(r, i, 2));
        }
    }
    PQclear(r);
    if (rc < 0)
        return rc;
    if (rq->replaces && !found_replaced)
        return sc_error_set(SC_ERR_NOTFOUND, "device %s (to replace) is not enrolled",
                            rq->replaces);
    role_of(rq->device, out->role);
    unsigned char pw[12];
    randombytes_buf(pw, sizeof pw);
    sodium_bin2hex(out->password, sizeof out->password, pw, sizeof pw);
    char sql[600];
    /* Names and password are hex: nothing to quote. */
    snprintf(sql, sizeof sql,
             "DO $$ BEGIN CREATE ROLE %s LOGIN PASSWORD '%s' IN ROLE stallcheck_handheld;"
             " EXCEPTION WHEN duplicate_object THEN"
             " ALTER ROLE %s LOGIN PASSWORD '%s'; GRANT stallcheck_handheld TO %s; END $$",
             out->role, out->password, out->role, out->password, out->role);
    if ((rc = pg_exec(c, sql, "enrol")) < 0)
        return rc;
    if (rq->replaces) {
        const char *p[2] = {rq->replaces, rq->device};
        r = pg_query(c, "UPDATE devices SET status = 'replaced', replaced_by = $2, "
                        "retired_at = now() WHERE device = $1 RETURNING pg_role",
                     2, p, "enrol", &rc);
        if (!r)
            return rc;
        if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
            snprintf(sql, sizeof sql, "ALTER ROLE %s NOLOGIN", PQgetvalue(r, 0, 0));
            rc = pg_exec(c, sql, "enrol");
        }
        PQclear(r);
        if (rc < 0)
            return rc;
    }
    const char *p[7] = {rq->device, rq->public_key, out->role, rq->registry ? "t" : "f",
                        rq->replaces, rq->actor, rq->note ? rq->note : ""};
    r = pg_query(c, "INSERT INTO devices (device, public_key, pg_role, registry, predecessor, "
                    "enrolled_by, note) VALUES ($1, $2, $3, $4::boolean, $5, $6, $7)",
                 7, p, "enrol", &rc);
    if (!r)
        return rc;
    PQclear(r);
    char detail[400];
    snprintf(detail, sizeof detail, "key %s; role %s; registry %s%s%s%s%s", rq->public_key,
             out->role, rq->registry ? "yes" : "no", rq->replaces ? "; replaces " : "",
             rq->replaces ? rq->replaces : "", rq->note && *rq->note ? "; " : "",
             rq->note ? rq->note : "");
    out->log_seq = enrol_log(c, sk, rq->actor, "enrol", rq->device, detail);
    return out->log_seq < 0 ? (int)out->log_seq : 0;
}

/* Connects as the office, locks, loads the district key: the prologue of
 * every office act. */
static int office_begin(const char *url, PGconn **c, unsigned char sk[64])
{
    int rc = pg_connect(url, c);
    if (rc < 0)
        return rc;
    char pk[DEVICE_KEY_HEX];
    if ((rc = pg_exec(*c, "BEGIN", "district")) < 0 ||
        (rc = enrol_district_key(*c, 0, pk, sk)) < 0) {
        PQfinish(*c);
        *c = NULL;
    }
    return rc;
}

static int office_end(PGconn *c, int rc, unsigned char sk[64])
{
    sodium_memzero(sk, 64);
    if (rc >= 0)
        rc = pg_exec(c, "COMMIT", "district");
    PQfinish(c);
    return rc;
}

int enrol_device(const char *url, const struct enrol_request *rq, struct enrol_result *out)
{
    PGconn *c;
    unsigned char sk[64];
    int rc = office_begin(url, &c, sk);
    if (rc < 0)
        return rc;
    rc = enrol_device_in(c, sk, rq, out);
    return office_end(c, rc, sk);
}

int enrol_retire(const char *url, const char *device, const char *actor, const char *why)
{
    PGconn *c;
    unsigned char sk[64];
    int rc = office_begin(url, &c, sk);
    if (rc < 0)
        return rc;
    if ((rc = pg_exec(c, OFFICE_LOCK, "retire")) < 0)
        return office_end(c, rc, sk);
    const char *p[1] = {device};
    PGresult *r = pg_query(c, "UPDATE devices SET status = 'retired', retired_at = now() "
                              "WHERE device = $1 AND status = 'active' RETURNING pg_role",
                           1, p, "retire", &rc);
    if (r && PQntuples(r) != 1) {
        PQclear(r);
        r = NULL;
        rc = sc_error_set(SC_ERR_NOTFOUND, "device %s is not an active enrolled device",
                          device);
    }
    if (r) {
        char sql[120];
        snprintf(sql, sizeof sql, "ALTER ROLE %s NOLOGIN", PQgetvalue(r, 0, 0));
        PQclear(r);
        if ((rc = pg_exec(c, sql, "retire")) >= 0) {
            long long seq = enrol_log(c, sk, actor, "retire", device, why ? why : "");
            rc = seq < 0 ? (int)seq : 0;
        }
    }
    return office_end(c, rc, sk);
}

int enrol_sign_in(const char *url, const char *badge, const char *pin, char *actor,
                  size_t size)
{
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    PGresult *r = pg_query(c, "SELECT count(*) FROM officers", 0, NULL, "sign-in", &rc);
    if (!r)
        goto out;
    long long n = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    if (n == 0) {
        r = pg_query(c, "SELECT session_user", 0, NULL, "sign-in", &rc);
        if (!r)
            goto out;
        snprintf(actor, size, "bootstrap (%s)", PQgetvalue(r, 0, 0));
        PQclear(r);
        goto out;
    }
    if (!badge || !*badge) {
        rc = sc_error_set(SC_ERR_DENIED, "sign in first: --as BADGE (an admin of the district)");
        goto out;
    }
    const char *p[1] = {badge};
    r = pg_query(c, "SELECT name, pin_hash, role, active FROM officers WHERE badge = $1", 1, p,
                 "sign-in", &rc);
    if (!r)
        goto out;
    int ok = PQntuples(r) == 1 && pin &&
             crypto_pwhash_str_verify(PQgetvalue(r, 0, 1), pin, strlen(pin)) == 0;
    if (!ok)
        rc = sc_error_set(SC_ERR_DENIED, "wrong badge or PIN (the district's officers)");
    else if (strcmp(PQgetvalue(r, 0, 2), "admin") != 0 || atoi(PQgetvalue(r, 0, 3)) != 1)
        rc = sc_error_set(SC_ERR_DENIED, "%s is not an active admin of the district", badge);
    else
        snprintf(actor, size, "%s %s", badge, PQgetvalue(r, 0, 0));
    PQclear(r);
out:
    PQfinish(c);
    return rc;
}

int enrol_list(const char *url, int (*fn)(const struct enrol_device_info *, void *), void *arg)
{
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    PGresult *r = pg_query(
        c,
        "SELECT d.device, d.public_key, coalesce(d.pg_role, ''), d.status, "
        "to_char(d.enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
        "d.enrolled_by, coalesce(d.predecessor, ''), d.registry::int, "
        "(SELECT count(*) FROM audit_log a WHERE a.device = d.device), "
        "(SELECT count(*) FROM inbox i WHERE i.device = d.device), "
        "(SELECT count(*) FROM refusals f WHERE f.device = d.device) "
        "FROM devices d ORDER BY d.enrolled_at, d.device",
        0, NULL, "devices", &rc);
    if (r) {
        for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
            struct enrol_device_info d;
            memset(&d, 0, sizeof d);
            snprintf(d.device, sizeof d.device, "%s", PQgetvalue(r, i, 0));
            snprintf(d.public_key, sizeof d.public_key, "%s", PQgetvalue(r, i, 1));
            snprintf(d.role, sizeof d.role, "%s", PQgetvalue(r, i, 2));
            snprintf(d.status, sizeof d.status, "%s", PQgetvalue(r, i, 3));
            snprintf(d.enrolled_at, sizeof d.enrolled_at, "%s", PQgetvalue(r, i, 4));
            snprintf(d.enrolled_by, sizeof d.enrolled_by, "%s", PQgetvalue(r, i, 5));
            snprintf(d.predecessor, sizeof d.predecessor, "%s", PQgetvalue(r, i, 6));
            d.registry = atoi(PQgetvalue(r, i, 7));
            d.entries = atoll(PQgetvalue(r, i, 8));
            d.waiting = atoll(PQgetvalue(r, i, 9));
            d.refused = atoll(PQgetvalue(r, i, 10));
            rc = fn(&d, arg);
        }
        PQclear(r);
    }
    PQfinish(c);
    return rc;
}

int enrol_show_key(const char *url, char district_id[40], char pk[DEVICE_KEY_HEX])
{
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    if ((rc = pg_district_id(c, district_id, 40)) >= 0) {
        int have = info_get(c, "district_key", pk, DEVICE_KEY_HEX);
        rc = have < 0 ? have
           : have ? 0
                  : sc_error_set(SC_ERR_NOTFOUND, "the district has no signing key yet: "
                                                  "sync --init makes it");
    }
    PQfinish(c);
    return rc;
}
