/* Registry records pushed by an admin's handheld (sync --push-registry):
 * taken only from an active device enrolled with the registry right, for
 * an entry the district already holds, signed by that device.  Applied
 * (the parent upserted, its children replaced) and signed by the
 * district's key (registry_sigs) for handhelds to check when they pull
 * (db/sync_pull.h); without the district's key here they wait. */
#ifndef STALLCHECK_DB_INGEST_REGISTRY_H
#define STALLCHECK_DB_INGEST_REGISTRY_H

#include "db/ingest_rows.h"

/* The row's verdict (V_WAIT, V_REFUSE with why, V_ACCEPT).  0 or SC_ERR_*. */
int ingest_judge_registry(struct ingest_run *run, struct ingest_row *r);

/* Applies and signs an accepted row, in a savepoint: one the database
 * refuses is refused alone (V_REFUSE, why in the row).  >= 0 or SC_ERR_*. */
int ingest_registry_apply(struct ingest_run *run, struct ingest_row *r);

#endif
