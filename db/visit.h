/* Committing a visit (core/visit.h) whole: the inspection with its
 * findings, re-weighs and the readings behind them (raw frames), its audit
 * entry, the draft's deletion and the stall's score and list, in ONE
 * transaction.  After a power cut all of it is there, or none.  Every path
 * that records an inspection (the TUI, the fair-scale station, the demo
 * generator) comes through here, so they write the same rows. */
#ifndef STALLCHECK_DB_VISIT_H
#define STALLCHECK_DB_VISIT_H

#include "core/day.h"
#include "core/rules.h"
#include "core/visit.h"
#include "db/db.h"
#include "db/inspection.h"

/* The record a visit makes, built in one place (visit_record_build): every
 * answered item a finding, every captured re-weigh a re-weigh row, and the
 * reading it was judged on, when it was read, a measurement linked to it.
 * The arrays are the struct's own. */
struct visit_record {
    struct inspection in;
    struct finding findings[CHECK_ITEM_COUNT];
    struct reweigh reweighs[VISIT_MAX_REWEIGH];
    struct measurement measurements[VISIT_MAX_REWEIGH];
};

/* Builds rec from v (new ids for the measurements).  SC_ERR_ARG naming
 * what is missing (no stall, no officer, a captured re-weigh with no
 * category). */
int visit_record_build(const struct visit *v, struct visit_record *rec);

struct visit_committed {
    char id[DB_UUID_LEN];     /* the inspection's id */
    int list_changed;         /* the stall's list changed (lists_update_stall) */
};

/* Commits v: the record, its audit entry, the draft v->id deleted, and the
 * stall's score and list on day today under rules (already loaded; NULL
 * leaves the stored list to the next lists_recompute).  Inside a caller's
 * transaction it becomes part of it.  0, or SC_ERR_* with nothing written.
 * out may be NULL. */
int visit_commit(struct db *db, const struct rules *rules, const struct visit *v, day_t today,
                 struct visit_committed *out);

/* The generator's bulk path (db_bulk on, inside its one transaction): the
 * same record through the same builder, no draft to delete, and the lists
 * left to one lists_recompute at the end. */
int visit_commit_bulk(struct db *db, const struct visit *v, struct visit_committed *out);

#endif
