/* Drafts: an inspection in progress, kept whole as one text (the TUI's
 * visit form, opaque here) and replaced on every answer in one statement, so
 * after kill -9 or a dead battery the last answer is there and nothing is
 * half-written.  Confirming commits the inspection (db/inspection.h) and
 * deletes its draft in the same transaction (draft_delete inside it). */
#ifndef STALLCHECK_DB_DRAFT_H
#define STALLCHECK_DB_DRAFT_H

#include <stdint.h>

#include "db/db.h"

struct draft_info {
    char id[DB_UUID_LEN];     /* the inspection's id */
    char officer[24];         /* badge */
    char stall[48];
    char updated_at[24];
};

/* Inserts or replaces the draft id. */
int draft_save(struct db *db, const char *id, const char *officer, const char *stall,
               const char *body);

/* The body of draft id, malloc'd (free it); SC_ERR_NOTFOUND. */
int draft_load(struct db *db, const char *id, char **body);

/* The newest draft of an officer (officer NULL: of anyone), or of one stall
 * when stall is given.  0 or SC_ERR_NOTFOUND. */
int draft_latest(struct db *db, const char *officer, const char *stall, struct draft_info *out);

/* Deletes the draft id (none is no error). */
int draft_delete(struct db *db, const char *id);

/* Drafts stored. */
int64_t draft_count(struct db *db);

#endif
