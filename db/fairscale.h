/* A fair-scale check (公平秤): a customer's complaint re-weighed on the
 * market's fair scale, recorded against the stall, the one way the command
 * line (`stallcheck fairscale`) and the TUI's fair-scale station both do
 * it: the check as a visit (core/visit.h) with one re-weigh at the fair
 * scale (《零售商品称重计量监督管理办法》Art. 6 (二)) and no checklist, the
 * amount the stall makes good under the market's rule ([fairscale]
 * compensation_multiple, 缺一补二), committed whole (db/visit.h), and the
 * stall's score after it. */
#ifndef STALLCHECK_DB_FAIRSCALE_H
#define STALLCHECK_DB_FAIRSCALE_H

#include <stdint.h>

#include "core/day.h"
#include "core/reweigh.h"
#include "core/rules.h"
#include "core/score.h"
#include "core/visit.h"
#include "db/db.h"
#include "db/registry.h"

struct fairscale_check {
    const struct stall *stall;
    const char *badge;                     /* who checked: a signed-in officer */
    const char *goods;                     /* what was bought ("" unknown) */
    const char *scale;                     /* the fair scale's code ("" unknown) */
    struct reweigh_input in;               /* charged, measured, row or price */
    const struct visit_reading *reading;   /* the frame read from the scale; NULL: typed */
};

struct fairscale_result {
    struct visit visit;                    /* as committed */
    struct reweigh_verdict verdict;
    int64_t owed_fen;                      /* 0 when within the allowed deviation */
    char record[DB_UUID_LEN];              /* the inspection's id */
    int has_score;
    int score;                             /* the stall's score and list after it */
    enum score_list list;
};

/* Judges, commits and scores the check into *out (large: keep it off the
 * stack of a small thread).  SC_ERR_* with the reason; nothing stored when
 * the judge refuses or the commit fails. */
int fairscale_record(struct db *db, const struct rules *rules, day_t today,
                     const struct fairscale_check *c, struct fairscale_result *out);

#endif
