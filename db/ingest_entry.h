/* An inbox row's audit entry judged: its signature by the device's
 * enrolled key (verified for the whole batch at once, on two threads), its
 * text against its hash, the row's device and seq, and its place in the
 * device's chain as the district holds it (new, the same again, another
 * at that place, or an earlier one missing). */
#ifndef STALLCHECK_DB_INGEST_ENTRY_H
#define STALLCHECK_DB_INGEST_ENTRY_H

#include <stddef.h>

#include "db/ingest_rows.h"

/* Sets each row's signed_ok. */
void ingest_sigs_verify(struct ingest_run *run, struct ingest_row *rows, size_t n);

/* Reads the entry text into the row's fields, each checked for its form,
 * naming the row's seq and device: 1, else 0. */
int ingest_entry_parse(struct ingest_row *r);

/* The row's verdict: V_WAIT, V_DUP, V_REFUSE (with why) or V_ACCEPT (and
 * then held).  0 or SC_ERR_*. */
int ingest_judge_entry(struct ingest_run *run, struct ingest_row *r);

#endif
