/* Follow-ups pushed by a handheld: a finding's state (corrected or not)
 * after a later inspection of the stall.  It goes onto the district's
 * finding only when the district holds the finding's inspection and the
 * one that closed it, both from this device and of one stall, and that
 * inspection's answer to the item says what the state says.  Otherwise
 * the entry stays a link, refused, and the handheld hears why. */
#ifndef STALLCHECK_DB_INGEST_FOLLOWUP_H
#define STALLCHECK_DB_INGEST_FOLLOWUP_H

#include <libpq-fe.h>
#include <stddef.h>

#include "db/ingest_rows.h"

/* Prepares the follow-up's UPDATE: once per connection, outside any
 * transaction. */
int ingest_followups_prepare(PGconn *c);

/* The batch's accepted follow-up rows applied, after its records are in,
 * in the caller's transaction; those that apply nothing are refused. */
int ingest_followups_apply(struct ingest_run *run, struct ingest_row *rows, size_t n);

#endif
