/* A push's batch sent to the district's inbox (db/ingest.h): one
 * PostgreSQL transaction, in libpq's pipeline mode (all sent before any
 * answer is read), of one INSERT ... ON CONFLICT DO NOTHING of the whole
 * batch, so a batch sent twice changes nothing.  The entries the district
 * already holds at those places are read in the same transaction: one
 * held with another hash stops the push, nothing committed (this database
 * was altered or restored after it pushed). */
#ifndef STALLCHECK_DB_SYNC_SEND_H
#define STALLCHECK_DB_SYNC_SEND_H

#include <libpq-fe.h>

#include "db/sync_batch.h"

/* What one connection's pushes keep between batches (the prepared
 * statement, the arrays' memory). */
struct sync_sender;

struct sync_sender *sync_sender_new(void);
void sync_sender_free(struct sync_sender *s);

/* Sends rows and commits them: 0 once the server has committed (nothing to
 * send: 0 at once), else SC_ERR_* with nothing committed (SC_ERR_IO: the
 * server went away; SC_ERR_INCONSISTENT: a held entry differs). */
int sync_send(PGconn *c, const struct inbox_rows *rows, struct sync_sender *snd);

#endif
