/* The fair-scale station's ticket (公平秤复秤单: what the customer takes
 * home, text or receipt through report/output.h) and the same check as one
 * JSON object. */
#ifndef STALLCHECK_REPORT_FAIRSCALE_H
#define STALLCHECK_REPORT_FAIRSCALE_H

#include <stdint.h>
#include <stdio.h>

#include "core/reweigh.h"
#include "core/score.h"
#include "core/visit.h"
#include "db/officer.h"
#include "db/registry.h"
#include "report/card.h"

struct fair_ticket {
    const struct stall *stall;
    const char *market_name;             /* the stall's market's name (NULL: its code) */
    const struct officer *checker;       /* who checked */
    const struct visit *visit;           /* the check: one re-weigh at the fair scale */
    const struct reweigh_verdict *verdict;
    int64_t owed_fen;                    /* what the stall makes good */
    int multiple;                        /* [fairscale] compensation_multiple (缺一补二: 2) */
    const char *scale;                   /* the fair scale's code, "" if unknown */
    int read;                            /* the mass was read from the scale */
    const char *record;                  /* the inspection's id */
    int has_score;
    int score;                           /* the stall's score and list after it */
    enum score_list list;
    const char *base_url;                /* public_base_url: the QR opens the stall's page */
};

/* NULL when out of memory. */
struct card *fair_ticket_card(const struct fair_ticket *t);
void fair_ticket_json(FILE *out, const struct fair_ticket *t);

#endif
