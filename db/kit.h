/* What a verification (检定, db/calibration.h) and a calibration (校准,
 * db/nawical.h) share: the weight set they are run with, as their engines
 * take it (its OIML R111 class, its reference standard in date, its
 * weights one entry each), and the checks before either record is
 * committed (still a draft, its instrument, its legal date). */
#ifndef STALLCHECK_DB_KIT_H
#define STALLCHECK_DB_KIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/day.h"
#include "core/r111.h"
#include "core/reference.h"
#include "db/db.h"
#include "db/registry.h"

/* The weight set ws as an engine's kit: its class into *cls, its reference
 * (kind REFERENCE_WEIGHTS) into *ref, checked in date on today, and its
 * weights into weights_ug (at most max; *n of them).  SC_ERR_EXPIRED when
 * it has no calibration date on record or is out of it. */
int kit_weights(const struct weight_set *ws, day_t today, size_t max, enum r111_class *cls,
                struct reference *ref, int64_t *weights_ug, size_t *n);

/* Before a record of status_sql's table is committed (in the caller's
 * transaction): it is still a draft (db_still_draft), its instrument is
 * read into in, and the legal date of ended_at (the bureau's, not UTC's:
 * db/zone.h) goes into day. */
int kit_commit_check(struct db *db, const char *status_sql, const char *id,
                     const char *instrument, struct instrument *in, const char *ended_at,
                     char *day, size_t size);

#endif
