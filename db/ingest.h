/* The district takes what handhelds pushed into its inbox (db/enrol.h)
 * only after checking it (stallcheck district ingest, run by the office
 * after syncs or on a timer).  Per row, in each device's order:
 *
 *   - the device is enrolled and active (a device not yet enrolled: its
 *     rows wait; a retired one: refused);
 *   - the entry text hashes to the row's hash, names the row's device and
 *     seq, and is signed by the device's enrolled key;
 *   - it is new (the same entry again is dropped quietly: a batch sent
 *     twice; another entry at that place is refused: altered or restored)
 *     and links to the device's previous entry (an earlier one missing:
 *     the row waits);
 *   - its record, when the district keeps that kind (inspection,
 *     calibration, draw): the payload hashes to the entry's content hash,
 *     is valid UTF-8 and canonical (core/canon.h), has the kind's shape
 *     (db/audit.h audit_shape) and the district's column types, names the
 *     entry's record and device, and no id in it is another device's
 *     (db_record_id_owner) or already held on the district;
 *   - a registry record (pushed by an admin's handheld with
 *     --push-registry) only from a device enrolled with the registry right,
 *     for an entry already held; it is then applied and signed by the
 *     district key (registry_sigs) for handhelds to check when they pull.
 *
 * A refused record stops only itself: its entry is kept as a link of the
 * device's chain (status refused, with why), a row goes to refusals for
 * the handheld's next sync to report, and later entries go on. */
#ifndef STALLCHECK_DB_INGEST_H
#define STALLCHECK_DB_INGEST_H

struct ingest_stats {
    long long rows;        /* inbox rows looked at */
    long long entries;     /* audit entries newly held */
    long long duplicates;  /* rows the district held already */
    long long records;     /* records stored in the district's tables */
    long long registry;    /* registry records applied and signed */
    long long refused;     /* refusals recorded */
    long long waiting;     /* rows left in the inbox for a later run */
};

struct ingest_refusal {
    const char *device;
    long long seq;
    const char *kind, *record;
    const char *reason, *hint;
};

/* One pass over the inbox (url: the office's connection), batch rows per
 * transaction (0: a default).  on_refusal (may be NULL) hears each
 * refusal as it is recorded.  0 or SC_ERR_*. */
int ingest_run(const char *url, int batch, struct ingest_stats *stats,
               void (*on_refusal)(const struct ingest_refusal *, void *), void *arg);

#endif
