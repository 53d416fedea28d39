/* The district's copy of this handheld's audit entries against the local
 * ones (stallcheck verify --remote): each entry by its own device id and
 * seq, every field as bytes. */
#ifndef STALLCHECK_DB_SYNC_COMPARE_H
#define STALLCHECK_DB_SYNC_COMPARE_H

#include "db/db.h"

/* The number of entries compared (>= 0), or SC_ERR_INCONSISTENT naming
 * the first entry that differs or that the district holds and this
 * database lacks. */
int sync_compare_chain(struct db *db, const char *url);

#endif
