/* The push's batch: the next run of the handheld's audit log read into
 * inbox rows (db/ingest.h reads them on the district), each the entry's
 * text, hash and signature, and for the kinds the district keeps, the
 * record's canonical text as it is now (db/audit.h), carried by the
 * record's newest entry only.  As bytes: nothing in a record can fail the
 * insert of a whole batch; the district judges each record on its own.
 * db/sync_send.h sends the rows. */
#ifndef STALLCHECK_DB_SYNC_BATCH_H
#define STALLCHECK_DB_SYNC_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "db/audit.h"
#include "db/db.h"

/* An inbox row as it is sent: the entry's text and the record's canonical
 * text as bytes (binary parameters: no encoding). */
struct inbox_row {
    char device[DB_UUID_LEN + 8], seq[24], hash[AUDIT_HASH_HEX], sig[160];
    char *entry, *payload;    /* payload NULL for none */
    int elen, plen, registry;
};

struct inbox_rows {
    struct inbox_row *v;
    size_t n, cap;
};

/* Appends the row of entry e; payload NULL for none (taken: freed with the
 * rows, or at once on an error).  registry: a registry record's row. */
int inbox_rows_add(struct inbox_rows *rows, const struct audit_entry *e, char *payload,
                   size_t plen, int registry);
void inbox_rows_free(struct inbox_rows *rows);

/* What a batch read: the last entry's seq (the push's mark once it is
 * committed), the entries of this device in it, and those by kind. */
struct sync_batch_counts {
    int64_t last_seq, entries;
    int64_t inspections, verifications, calibrations, draws;
};

struct sync_batch;

struct sync_batch *sync_batch_new(void);
void sync_batch_free(struct sync_batch *b);

/* Reads up to limit audit entries after the seq after, in one read
 * transaction (the entries, which are their record's newest and the
 * records' texts are one moment's): the number of entries read (0: none
 * left), or SC_ERR_*.  A predecessor's entries (before this database got
 * its own identity) are counted as read and not sent. */
int sync_batch_fill(struct db *db, struct sync_batch *b, int64_t after, int limit);

const struct inbox_rows *sync_batch_rows(const struct sync_batch *b);
const struct sync_batch_counts *sync_batch_counts(const struct sync_batch *b);

#endif
