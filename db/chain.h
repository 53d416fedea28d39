/* Verifying the audit chain (执法全过程记录: the whole enforcement record,
 * tamper-evident).  db/audit.h appends the entries; this walks them.
 *
 * In the order of the chain, the first of:
 *   - an entry deleted: a gap in seq (or the first entry is not seq 1);
 *   - an entry altered: its hash is not the hash of its fields;
 *   - an entry inserted: it does not link to the entry before it (its
 *     prev_hash is not that entry's hash);
 *   - a record altered or deleted: for the newest entry of each record, the
 *     record as stored now does not hash to the entry's content_hash;
 *   - an entry not signed by its device: its device has a key in the chain
 *     (device_keys, audit kind "device") and the signature is missing or
 *     not that key's, or it is signed and its device has no key;
 * and after the walk, a record inserted: a committed record (inspection,
 * calibration, draw) or a registry record with no entry at all; and the
 * database's device id (settings) not the device whose key the chain made
 * last.  Every field of an entry is compared as the bytes stored: one byte
 * more, a NUL inside or a field that is not text is an altered entry.
 *
 * Someone who rewrites every entry after the one they changed, hashes and
 * all, leaves a chain that checks locally; the district's copy of this
 * device's entries (sync pushes them) is the anchor then: sync refuses to
 * push over it and verify --remote compares with it. */
#ifndef STALLCHECK_DB_CHAIN_H
#define STALLCHECK_DB_CHAIN_H

#include <stdint.h>

#include "db/db.h"

enum chain_fault {
    CHAIN_OK = 0,
    CHAIN_ENTRY_DELETED,
    CHAIN_ENTRY_ALTERED,
    CHAIN_ENTRY_INSERTED,
    CHAIN_RECORD_ALTERED,
    CHAIN_RECORD_DELETED,
    CHAIN_RECORD_INSERTED,
    CHAIN_SIGNATURE_BAD,
    CHAIN_DEVICE_CHANGED,
};

struct chain_report {
    int64_t entries;          /* entries walked */
    int64_t records;          /* records whose content was checked */
    enum chain_fault fault;
    int64_t seq;              /* the entry at fault; 0 for a record with none */
    char kind[24];            /* the record at fault: kind and key */
    char record[72];
    char message[320];        /* one sentence naming it */
};

/* "ok", "entry-deleted", "entry-altered", "entry-inserted",
 * "record-altered", "record-deleted", "record-inserted", "signature-bad",
 * "device-changed". */
const char *chain_fault_id(enum chain_fault f);

/* Walks the chain.  0 when it is whole (report->fault CHAIN_OK), 1 when
 * broken (the report names the first fault), SC_ERR_* when it could not be
 * read. */
int chain_verify(struct db *db, struct chain_report *report);

#endif
