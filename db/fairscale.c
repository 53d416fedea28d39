#include "db/fairscale.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "db/lists.h"
#include "db/visit.h"

/* The check as a visit: the stall, the one who checked, one re-weigh at
 * the fair scale with the reading behind it, no checklist (db/lists.h
 * counts it as a fair-scale check, not an inspection). */
static void fair_visit(struct visit *v, const struct fairscale_check *c)
{
    visit_clear(v);
    utf8_copy(v->stall, sizeof v->stall, c->stall->code);
    utf8_copy(v->officer1, sizeof v->officer1, c->badge);
    db_now(v->started_at, sizeof v->started_at);
    snprintf(v->place, sizeof v->place, "公平秤 fair scale %s", c->scale ? c->scale : "");
    snprintf(v->note, sizeof v->note, "fair-scale complaint");
    struct visit_reweigh *w = &v->reweigh[v->n_reweigh++];
    utf8_copy(w->goods, sizeof w->goods, c->goods ? c->goods : "");
    utf8_copy(w->reference, sizeof w->reference, c->scale ? c->scale : "");
    if (c->reading != NULL) {
        w->has_reading = 1;
        w->reading = *c->reading;
        utf8_copy(w->reading.instrument, sizeof w->reading.instrument, c->scale ? c->scale : "");
        if (w->reading.taken_at[0] == '\0')
            utf8_copy(w->reading.taken_at, sizeof w->reading.taken_at, v->started_at);
    }
}

int fairscale_record(struct db *db, const struct rules *rules, day_t today,
                     const struct fairscale_check *c, struct fairscale_result *out)
{
    memset(out, 0, sizeof *out);
    fair_visit(&out->visit, c);
    struct reweigh_input in = c->in;
    in.method = REWEIGH_HIGHER; /* the fair scale: 核称法 (二) */
    int rc = visit_reweigh_judge(&out->visit.reweigh[0], &in, REWEIGH_AT_FAIR, &out->verdict);
    if (rc < 0)
        return rc;
    if ((rc = rules_fairscale_owed(rules, in.price_fen_per_kg, out->verdict.shortfall_ug,
                                   &out->owed_fen)) < 0)
        return rc;
    if (out->verdict.outcome != REWEIGH_FAIL)
        out->owed_fen = 0; /* within the allowed deviation: nothing to make good */
    struct visit_committed done;
    if ((rc = visit_commit(db, rules, &out->visit, today, &done)) < 0)
        return rc;
    snprintf(out->record, sizeof out->record, "%s", done.id);
    struct lists_stall after;
    if (lists_stall_score(db, rules, c->stall->code, today, &after) == 0) {
        out->has_score = 1;
        out->score = after.res.score;
        out->list = after.res.list;
        lists_stall_free(&after);
    }
    return 0;
}
