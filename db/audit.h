/* The audit chain (全过程记录, tamper evidence): every committed record
 * (an inspection with its findings, measurements and re-weighs; a
 * calibration; a draw; each registry or officer change) appends one entry in
 * the same transaction that commits it.
 *
 *   content_hash = SHA-256 of the record's canonical content, rebuilt from
 *                  the database rows by audit_canonical() (so verify can
 *                  recompute it from what is stored now);
 *   hash         = SHA-256 of the text
 *                  "<seq>\n<id>\n<at>\n<device>\n<kind>\n<record>\n<content_hash>\n<prev_hash>\n"
 *   prev_hash    = the previous entry's hash; 64 zeros for the first.
 * Hashes are lower-case hex (64 chars).  libsodium's crypto_hash_sha256.
 *   sig          = the device's Ed25519 signature of the entry (db/device.h):
 *                  of the text "stallcheck audit entry v1\n<hash>", in hex.
 *                  The hash covers every other field, so the signature does.
 *
 * A record changed later (a registry row updated by a new import, a PIN
 * changed) gets a new entry: only the newest entry for a (kind, record) must
 * match the record's current content; older ones are checked for the chain.
 *
 * Canonical content: for each of the kind's queries (in order), a line
 * "#N", then per row the line "--", then per column "name:TYPE=value" with
 * TYPE i (integer), t (text, "\\" and newline escaped as \\\\ and \\n), b (blob
 * in hex) or "name:null".  Mutable bookkeeping (updated_at, sign-in
 * failures, follow-up state) is left out on purpose. */
#ifndef STALLCHECK_DB_AUDIT_H
#define STALLCHECK_DB_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/canon.h"
#include "db/db.h"

#define AUDIT_HASH_HEX 65 /* 64 hex digits + NUL */

/* The kinds audited, each with the queries that make its canonical content:
 * "market", "operator", "stall", "instrument", "weight_set", "officer",
 * "inspection", "calibration", "draw", "device" (a device's signing key),
 * "district_key" (the district's key as an admin trusted it here). */
const char *const *audit_kinds(size_t *count);

/* Appends an entry for (kind, record) to the chain, signed by this
 * device's key.  Must run inside the caller's transaction (SC_ERR_ARG
 * otherwise), after the record's rows are written.  Returns the new entry's
 * seq (> 0); SC_ERR_DENIED when this database is a copy (db/device.h). */
int64_t audit_append(struct db *db, const char *kind, const char *record);

/* Building canonical content in memory, for a writer that has the record
 * at hand (inspection_commit) instead of reading back what it just wrote.
 * The text must be exactly what audit_canonical() would rebuild from the
 * rows: same queries in order, same rows in order, same column names and
 * types.  The tests compare the two on every kind written this way. */
#define audit_canon canon_buf /* core/canon.h: the writer of the text */
void audit_canon_query(struct audit_canon *c, int n);  /* "#n" */
void audit_canon_row(struct audit_canon *c);           /* "--" */
void audit_canon_text(struct audit_canon *c, const char *name, const char *v); /* NULL: null */
void audit_canon_int(struct audit_canon *c, const char *name, int64_t v);
void audit_canon_blob(struct audit_canon *c, const char *name, const void *v, size_t n);
void audit_canon_free(struct audit_canon *c);
/* audit_append with the content given instead of rebuilt. */
int64_t audit_append_canonical(struct db *db, const char *kind, const char *record,
                               const struct audit_canon *c);

/* The canonical content of a record as stored now (malloc'd, NUL-ended;
 * free it).  SC_ERR_ARG for an unknown kind. */
int audit_canonical(struct db *db, const char *kind, const char *record, char **out,
                    size_t *len);
/* The canonical contents of n records of one kind, out[i] for records[i]
 * (the same bytes as audit_canonical gives each; a record given twice gets
 * the text twice): one statement per section for up to 500 records at once,
 * not one per record.  On success each out[i].p is NUL-ended text of
 * out[i].len bytes (free with audit_canon_free); on an error none is left. */
int audit_canonical_many(struct db *db, const char *kind, const char *const *records,
                         size_t n, struct audit_canon *out);
/* Its SHA-256 in hex. */
int audit_content_hash(struct db *db, const char *kind, const char *record,
                       char out[AUDIT_HASH_HEX]);

struct audit_entry {
    int64_t seq;
    char id[DB_UUID_LEN];
    char at[24];
    char device[DB_UUID_LEN];
    char kind[24];
    char record[72];
    char content_hash[AUDIT_HASH_HEX];
    char prev_hash[AUDIT_HASH_HEX];
    char hash[AUDIT_HASH_HEX];
    char sig[129];            /* "" when unsigned */
    /* Set by audit_each when a stored field is not exactly text of its
     * form (longer than its field, a NUL inside, not text at all): the
     * field's name.  The fields above then hold what fitted. */
    const char *malformed;
};

/* The shape of a kind's canonical content, read off its queries: query q
 * (0-based) selects cols from table, for the record whose key column is
 * key (the record's own key for the first query, its parent's for the
 * others).  SC_ERR_NOTFOUND past the last query or for an unknown kind.
 * The district stores a pushed record by this shape; a record may end
 * before its optional sections (made before they were added). */
#define AUDIT_SHAPE_COLS 24
struct audit_shape {
    char table[32];
    char key[32];
    int optional;        /* a later section: a record may end before it */
    int ncols;
    char cols[AUDIT_SHAPE_COLS][32];
};
int audit_shape(const char *kind, int q, struct audit_shape *out);

/* SHA-256 of n bytes in lower-case hex (the chain's hash function). */
void audit_sha256_hex(const void *data, size_t n, char out[AUDIT_HASH_HEX]);

/* The chain hash of an entry from its other fields (pure). */
void audit_chain_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX]);

/* Calls fn for each entry with seq > after, in order; stops early when fn
 * returns non-zero and returns that value. */
int audit_each(struct db *db, int64_t after, int (*fn)(const struct audit_entry *, void *),
               void *arg);

/* This device's signing key (db/device.h), made when the database has none
 * yet and then entered in the chain: the entries this device wrote before
 * it had a key are signed, its "device" entry appended, and the records an
 * older stallcheck changed without an entry (follow-up states it closed)
 * get theirs.  audit_append calls it first; so does whoever shows the key
 * before any entry is written.  Inside the caller's transaction;
 * SC_ERR_DENIED when this database is a copy. */
int audit_key_ensure(struct db *db);

/* The entry at seq; SC_ERR_NOTFOUND when none. */
int audit_entry_at(struct db *db, int64_t seq, struct audit_entry *out);

/* The exact text an entry's chain hash is of (what the district is sent
 * and rehashes): "<seq>\n<id>\n<at>\n<device>\n<kind>\n<record>\n
 * <content_hash>\n<prev_hash>\n".  Its length, or -1 when size is short. */
int audit_entry_text(const struct audit_entry *e, char *out, size_t size);

/* The newest entry for (kind, record); SC_ERR_NOTFOUND when none. */
int audit_latest(struct db *db, const char *kind, const char *record, struct audit_entry *out);

/* Number of entries. */
int64_t audit_count(struct db *db);

#endif
