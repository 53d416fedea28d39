/* A judged batch written to the district, each part by COPY: the accepted
 * entries into audit_log (a refused record's entry too, as a link of its
 * device's chain, status refused), the accepted records into their kinds'
 * tables in foreign-key order, the refusals into refusals for the
 * handheld's next sync, and the rows dealt with deleted from the inbox
 * (those left wait for a later run). */
#ifndef STALLCHECK_DB_INGEST_STORE_H
#define STALLCHECK_DB_INGEST_STORE_H

#include <stddef.h>

#include "db/ingest_rows.h"

/* Inside the caller's transaction: 0 or SC_ERR_*. */
int ingest_store(struct ingest_run *run, struct ingest_row *rows, size_t n);

#endif
