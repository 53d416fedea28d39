/* An ingest run's state: its connection and the district's tables
 * (db/ingest_schema.h), the inbox rows of the batch being judged, the
 * devices they come from and what the district holds of each device's
 * chain (this batch's accepted entries included).  The judges
 * (db/ingest_entry.h, ingest_record.h, ingest_registry.h) set a row's
 * verdict and why; db/ingest_store.h and ingest_followup.h write it. */
#ifndef STALLCHECK_DB_INGEST_ROWS_H
#define STALLCHECK_DB_INGEST_ROWS_H

#include <libpq-fe.h>
#include <stddef.h>

#include "core/canon.h"
#include "db/device.h"
#include "db/ingest_schema.h"

enum verdict { V_WAIT, V_DUP, V_REFUSE, V_ACCEPT };

struct ingest_row {
    char device[40], hash[72], sig[136];
    long long seq;
    int registry;
    unsigned char *entry, *payload;
    size_t entry_len, payload_len;
    int has_payload;
    /* the entry's fields */
    char id[40], at[40], kind[32], record[80], content_hash[72], prev_hash[72];
    enum verdict entry_v;
    int signed_ok;               /* its signature verifies (ingest_sigs_verify) */
    int record_ok;               /* its record goes into the district's tables */
    int followup;                /* a follow-up state to apply after them */
    int refused_record;          /* the entry is held, its record refused */
    char reason[400], hint[300];
    struct canon_doc doc;
    int parsed;
};

struct ingest_device {
    char device[40], pk[DEVICE_KEY_HEX], status[16], replaced_by[40];
    int registry;
    /* entries held, this batch's accepted ones appended (seq ascending) */
    long long *seqs;
    char (*hashes)[65];
    size_t n, cap;
    int loaded;
};

struct ingest_stats;
struct ingest_refusal;

struct ingest_run {
    PGconn *c;
    struct ingest_schema schema;
    struct ingest_device *devices;
    size_t ndevices;
    unsigned char sk[64];
    int have_key;
    char district[64];
    struct ingest_stats *st;
    void (*on_refusal)(const struct ingest_refusal *, void *);
    void *arg;
};

/* Where a run stands in the inbox: the last row read, in (device, seq,
 * registry, hash) order. */
struct ingest_key {
    char device[40], hash[72];
    long long seq;
    int registry;
    int set;
};

/* Reads up to limit inbox rows after *after into *out (n of them). */
int ingest_rows_read(struct ingest_run *run, const struct ingest_key *after, int limit,
                     struct ingest_row **out, size_t *n);
void ingest_row_free(struct ingest_row *r);

/* The row's record refused (or its entry, as the verdict says): why and
 * what to do, for the handheld's next sync to report. */
void ingest_refuse(struct ingest_row *r, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A canonical column's text, "" when it is none or not text. */
const char *ingest_text_of(const struct canon_col *c);

/* The enrolled devices, read at each batch's start (under the office's
 * lock), and freed at its end. */
int ingest_devices_load(struct ingest_run *run);
void ingest_devices_free(struct ingest_run *run);
struct ingest_device *ingest_device_find(struct ingest_run *run, const char *id);

/* What the district holds of d from seq from - 1 on, and its last entry
 * (read once a batch). */
int ingest_held_load(struct ingest_run *run, struct ingest_device *d, long long from);
/* The hash the district holds for (d, seq), or NULL. */
const char *ingest_held_hash(const struct ingest_device *d, long long seq);
/* Notes an entry accepted in this batch as held. */
int ingest_held_push(struct ingest_device *d, long long seq, const char *hash);

#endif
