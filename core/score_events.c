/* Score events from stored records (core/score_events.h). */
#include "core/score_events.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"

void score_events_init(struct score_events *b)
{
    memset(b, 0, sizeof *b);
}

void score_events_clear(struct score_events *b)
{
    b->n = 0;
    b->nf = 0;
}

void score_events_free(struct score_events *b)
{
    free(b->ev);
    free(b->f);
    free(b->fstart);
    free(b->nfair);
    free(b->ids);
    free(b->started);
    memset(b, 0, sizeof *b);
}

static int grow(void **p, size_t cap, size_t size)
{
    void *q = realloc(*p, cap * size);
    if (q == NULL)
        return sc_error_set(SC_ERR_NOMEM, "score: %zu events", cap);
    *p = q;
    return 0;
}

/* Points the events at their ids and findings; tells fair-scale checks
 * from inspections. */
static void repoint(struct score_events *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct score_event *e = &b->ev[i];
        e->id = b->ids[i];
        e->findings = e->n_findings ? b->f + b->fstart[i] : NULL;
        e->kind = e->n_findings == 0 && e->reweighs > 0 && b->nfair[i] == e->reweighs
                      ? SCORE_EVENT_FAIRSCALE
                      : SCORE_EVENT_INSPECTION;
    }
}

int score_events_reserve(struct score_events *b)
{
    if (b->n + 1 <= b->cap)
        return 0;
    size_t c = b->cap ? b->cap * 2 : 16;
    if (grow((void **)&b->ev, c, sizeof *b->ev) < 0 ||
        grow((void **)&b->fstart, c, sizeof *b->fstart) < 0 ||
        grow((void **)&b->nfair, c, sizeof *b->nfair) < 0 ||
        grow((void **)&b->ids, c, sizeof *b->ids) < 0 ||
        grow((void **)&b->started, c, sizeof *b->started) < 0)
        return SC_ERR_NOMEM;
    b->cap = c;
    repoint(b); /* a finished set's pointers moved with it */
    return 0;
}

int score_events_add_day(struct score_events *b, const char *id, const char *started_at,
                         day_t day, int reweighs, int shorts, int fair)
{
    if (score_events_reserve(b) < 0)
        return SC_ERR_NOMEM;
    size_t i = b->n++;
    utf8_copy(b->ids[i], sizeof b->ids[i], id);
    utf8_copy(b->started[i], sizeof b->started[i], started_at);
    b->ev[i] = (struct score_event){b->ids[i], day, SCORE_EVENT_INSPECTION, NULL, 0,
                                    reweighs, shorts};
    b->nfair[i] = fair;
    b->fstart[i] = b->nf;
    return 0;
}

int score_events_finding_decoded(struct score_events *b, enum checklist_item item,
                                 enum checklist_answer answer, day_t deadline)
{
    if (b->n == 0)
        return sc_error_set(SC_ERR_ARG, "score: a finding before its inspection");
    if (b->nf + 1 > b->capf) {
        size_t c = b->capf ? b->capf * 2 : 64;
        if (grow((void **)&b->f, c, sizeof *b->f) < 0)
            return SC_ERR_NOMEM;
        b->capf = c;
    }
    b->f[b->nf++] = (struct score_finding){item, answer, deadline};
    b->ev[b->n - 1].n_findings++;
    return 0;
}

int score_events_finding(struct score_events *b, const char *item, const char *answer,
                         const char *deadline)
{
    const struct checklist_item_info *info = checklist_item_by_id(item);
    enum checklist_answer a = checklist_answer_from_id(answer);
    if (info == NULL || a == ANSWER_NONE)
        return 0; /* an item or answer this build does not know: not scored */
    day_t d = 0;
    if (deadline != NULL && *deadline != '\0' && day_parse(deadline, &d) < 0)
        d = 0;
    return score_events_finding_decoded(b, info->item, a, d);
}

/* Events of one day in the order of their started_at, then id: the order
 * the score engine applies them in (a failure and its fix on one day). */
static int before(const struct score_events *b, size_t x, size_t y)
{
    if (b->ev[x].day != b->ev[y].day)
        return b->ev[x].day < b->ev[y].day;
    int c = strcmp(b->started[x], b->started[y]);
    return c != 0 ? c < 0 : strcmp(b->ids[x], b->ids[y]) < 0;
}

static void swap_event(struct score_events *b, size_t x, size_t y)
{
    struct score_event e = b->ev[x];
    b->ev[x] = b->ev[y];
    b->ev[y] = e;
    size_t fs = b->fstart[x];
    b->fstart[x] = b->fstart[y];
    b->fstart[y] = fs;
    int nf = b->nfair[x];
    b->nfair[x] = b->nfair[y];
    b->nfair[y] = nf;
    char id[SCORE_EVENTS_ID], st[SCORE_EVENTS_STARTED];
    memcpy(id, b->ids[x], sizeof id);
    memcpy(b->ids[x], b->ids[y], sizeof id);
    memcpy(b->ids[y], id, sizeof id);
    memcpy(st, b->started[x], sizeof st);
    memcpy(b->started[x], b->started[y], sizeof st);
    memcpy(b->started[y], st, sizeof st);
}

const struct score_event *score_events_finish(struct score_events *b)
{
    /* Insertion sort: rows mostly arrive in order, and a stall has few. */
    for (size_t i = 1; i < b->n; i++)
        for (size_t j = i; j > 0 && before(b, j, j - 1); j--)
            swap_event(b, j, j - 1);
    repoint(b);
    return b->ev;
}

const char *score_events_last(const struct score_events *b, day_t as_of)
{
    for (size_t i = b->n; i-- > 0;)
        if (b->ev[i].day <= as_of)
            return b->ids[i];
    return NULL;
}
