/* An accepted entry's record judged before the district stores it: the
 * payload hashes to the entry's content hash, is valid UTF-8 and canonical
 * (core/canon.h), has its kind's shape (db/audit.h audit_shape) and the
 * district's column types, names the entry's record and device, and no id
 * in it is another device's (db_record_id_owner) or already held on the
 * district or taken by another record of the batch.  A draw's kind and
 * day agree with its audited inputs; a device's key entry names its
 * enrolled key; a follow-up's state is read for db/ingest_followup.h. */
#ifndef STALLCHECK_DB_INGEST_RECORD_H
#define STALLCHECK_DB_INGEST_RECORD_H

#include <stddef.h>

#include "db/ingest_rows.h"

enum record_verdict {
    RECORD_REFUSED,   /* why in the row */
    RECORD_ENTRY,     /* the entry only (registry kinds, rules, a device key...) */
    RECORD_STORED,    /* the record goes into the district's tables */
    RECORD_FOLLOWUP,  /* a follow-up state, applied after the batch's records */
};

/* The record of an accepted entry row. */
enum record_verdict ingest_judge_record(struct ingest_run *run, struct ingest_row *r);

/* A record's payload and its shape: 1 good, 0 refused (why in r).
 * device: the device whose ids it may hold (NULL: a registry record). */
int ingest_judge_payload(struct ingest_run *run, struct ingest_row *r, const char *device);

/* Refuses the records (record_ok) with an id the district holds already,
 * or that another record of this batch took first.  0 or SC_ERR_*. */
int ingest_ids_check(struct ingest_run *run, struct ingest_row *rows, size_t n);

#endif
