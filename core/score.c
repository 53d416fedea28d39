#include "core/score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/names.h"

/* Events sorted by day, keeping the caller's order within a day. */
struct order {
    const struct score_event *e;
    size_t pos;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->e->day != y->e->day)
        return x->e->day < y->e->day ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

day_t score_followup_due(const struct rules *r, day_t day, day_t deadline)
{
    /* The officer's correction deadline (限期整改) when set, else the
     * rules' default; none (0) opens no follow-up. */
    return deadline > day                   ? deadline
           : r->followup_deadline_days > 0 ? day + r->followup_deadline_days
                                           : 0;
}

int score_answer_passes(enum checklist_answer a)
{
    return a == ANSWER_PASS || a == ANSWER_SEAL_INTACT || a == ANSWER_SEAL_NOT_SEALABLE;
}

/* An event's failed and passed items; a short re-weigh fails the re-weigh
 * item once however the finding was recorded (no double deduction). */
static void event_items(const struct score_event *e, int failed[CHECK_ITEM_COUNT],
                        int passed[CHECK_ITEM_COUNT], day_t deadline[CHECK_ITEM_COUNT])
{
    memset(failed, 0, sizeof(int) * CHECK_ITEM_COUNT);
    memset(passed, 0, sizeof(int) * CHECK_ITEM_COUNT);
    if (deadline != NULL)
        memset(deadline, 0, sizeof(day_t) * CHECK_ITEM_COUNT);
    for (size_t i = 0; i < e->n_findings; i++) {
        unsigned item = (unsigned)e->findings[i].item;
        if (item >= CHECK_ITEM_COUNT)
            continue;
        if (checklist_answer_failed(e->findings[i].answer)) {
            failed[item] = 1;
            if (deadline != NULL)
                deadline[item] = e->findings[i].deadline;
        }
        else if (score_answer_passes(e->findings[i].answer))
            passed[item] = 1;
    }
    if (e->reweighs_short > 0)
        failed[CHECK_REWEIGH] = 1;
    else if (e->reweighs > 0)
        passed[CHECK_REWEIGH] = 1;
    for (int i = 0; i < CHECK_ITEM_COUNT; i++)
        if (failed[i])
            passed[i] = 0;
}

int score_event_clean(const struct score_event *e)
{
    int failed[CHECK_ITEM_COUNT], passed[CHECK_ITEM_COUNT];
    event_items(e, failed, passed, NULL);
    for (int i = 0; i < CHECK_ITEM_COUNT; i++)
        if (failed[i])
            return 0;
    return 1;
}

enum score_grade score_grade_of(const struct rules *rules, int score)
{
    if (score >= rules->grade_red)
        return SCORE_GRADE_RED;
    if (score >= rules->grade_green)
        return SCORE_GRADE_GREEN;
    if (score >= rules->grade_yellow)
        return SCORE_GRADE_YELLOW;
    return SCORE_GRADE_BLACK;
}

/* The score on day `day`: base minus the deductions of the window ending
 * that day (day - window_months, day], never below zero. */
static int score_on(const struct rules *r, const struct score_deduction *d, size_t n, day_t day)
{
    day_t from = day_add_months(day, -r->window_months);
    long sum = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i].day > from && d[i].day <= day)
            sum += d[i].points;
    long s = r->base - sum;
    return s < 0 ? 0 : (int)s;
}

struct state {
    const struct rules *r;
    struct score_result *res;
    struct score_deduction *all;  /* every deduction up to as_of */
    size_t n_all;
    int black;
    int open[CHECK_ITEM_COUNT];
    struct score_followup fu[CHECK_ITEM_COUNT];
};

static struct score_deduction *deduct(struct state *st, const struct score_event *e,
                                      enum score_rule rule, enum checklist_item item, int points)
{
    struct score_deduction *d = &st->all[st->n_all++];
    *d = (struct score_deduction){e->id, e->day, rule, item, points, 0};
    return d;
}

/* Puts the stall on the black list, or keeps it there longer: a new
 * violation restarts the [black] months; a low score alone does not. */
static void enter_black(struct state *st, const struct score_event *e,
                        enum score_black_reason why, enum checklist_item item)
{
    struct score_result *res = st->res;
    day_t until = day_add_months(e->day, st->r->black_months);
    if (st->black) {
        if (why == SCORE_BLACK_BELOW)
            return;
        if (until > res->black_until)
            res->black_until = until;
        return;
    }
    st->black = 1;
    res->black_reason = why;
    res->black_event = e->id;
    res->black_item = item;
    res->black_since = e->day;
    res->black_until = until;
}

static void apply_event(struct state *st, const struct score_event *e)
{
    const struct rules *r = st->r;
    int failed[CHECK_ITEM_COUNT], passed[CHECK_ITEM_COUNT];
    day_t deadline[CHECK_ITEM_COUNT];
    event_items(e, failed, passed, deadline);
    int clean = 1;
    for (int i = 0; i < CHECK_ITEM_COUNT; i++)
        if (failed[i])
            clean = 0;

    if (e->kind == SCORE_EVENT_INSPECTION) {
        for (int i = 0; i < CHECK_ITEM_COUNT; i++) {
            if (passed[i])
                st->open[i] = 0; /* the re-inspection found it fixed */
            if (!failed[i])
                continue;
            struct score_deduction *d =
                deduct(st, e, SCORE_RULE_ITEM, (enum checklist_item)i, rules_item_deduction(r, i));
            if (rules_item_black(r, i)) {
                d->black = 1;
                enter_black(st, e, SCORE_BLACK_ITEM, (enum checklist_item)i);
            }
            struct score_followup *f = &st->fu[i];
            day_t due = score_followup_due(r, e->day, deadline[i]);
            if (!st->open[i]) {
                if (due == 0)
                    continue;
                st->open[i] = 1;
                *f = (struct score_followup){(enum checklist_item)i, e->id, e->day, due, 0};
            } else if (e->day > f->due) {
                /* Not fixed by the deadline: escalate, and set a new one. */
                f->unfixed++;
                struct score_deduction *u = deduct(st, e, SCORE_RULE_FOLLOWUP_UNFIXED,
                                                   (enum checklist_item)i,
                                                   r->followup_unfixed_deduction);
                if (r->followup_black_after > 0 && f->unfixed >= r->followup_black_after) {
                    u->black = 1;
                    enter_black(st, e, SCORE_BLACK_FOLLOWUP, (enum checklist_item)i);
                }
                if (due != 0)
                    f->due = due; /* a new deadline; else still overdue */
            }
        }
    } else if (e->reweighs_short > 0) {
        struct score_deduction *d =
            deduct(st, e, SCORE_RULE_FAIRSCALE_SHORT, CHECK_REWEIGH, r->fairscale_short_deduction);
        day_t from = day_add_months(e->day, -r->window_months);
        int shorts = 0;
        for (size_t i = 0; i < st->n_all; i++)
            if (st->all[i].rule == SCORE_RULE_FAIRSCALE_SHORT && st->all[i].day > from)
                shorts++;
        if (r->fairscale_black_after > 0 && shorts >= r->fairscale_black_after) {
            d->black = 1;
            enter_black(st, e, SCORE_BLACK_FAIRSCALE, CHECK_REWEIGH);
        }
    }

    int now = score_on(r, st->all, st->n_all, e->day);
    if (now < r->black_below)
        enter_black(st, e, SCORE_BLACK_BELOW, CHECK_ITEM_COUNT);
    /* Leaving: only a clean re-inspection on or after the end of the
     * listing, with the score back at or above the line. */
    if (st->black && clean && e->kind == SCORE_EVENT_INSPECTION &&
        e->day >= st->res->black_until && now >= r->black_below) {
        st->black = 0;
        st->res->black_reason = SCORE_BLACK_NONE;
        st->res->black_event = NULL;
    }
}

int score_compute(const struct rules *rules, const struct score_event *events, size_t n,
                  day_t as_of, struct score_result *out)
{
    if (rules == NULL || out == NULL || (n > 0 && events == NULL))
        return sc_error_set(SC_ERR_ARG, "score_compute: missing argument");
    memset(out, 0, sizeof *out);
    out->as_of = as_of;
    out->black_item = CHECK_ITEM_COUNT;
    struct order *ord = malloc((n ? n : 1) * sizeof *ord);
    /* At most: each item and its escalation per inspection, one per check. */
    struct score_deduction *all = malloc((n ? n : 1) * (2 * CHECK_ITEM_COUNT + 1) * sizeof *all);
    if (ord == NULL || all == NULL) {
        free(ord);
        free(all);
        return sc_error_set(SC_ERR_NOMEM, "score: %zu events", n);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (events[i].day <= as_of)
            ord[m++] = (struct order){&events[i], i};
    /* Callers mostly give the events in order already (core/score_events.h):
     * insertion sort is linear then; qsort for long unordered lists. */
    if (m > 64)
        qsort(ord, m, sizeof *ord, order_cmp);
    else
        for (size_t i = 1; i < m; i++)
            for (size_t j = i; j > 0 && order_cmp(&ord[j], &ord[j - 1]) < 0; j--) {
                struct order t = ord[j];
                ord[j] = ord[j - 1];
                ord[j - 1] = t;
            }

    struct state st = {.r = rules, .res = out, .all = all};
    for (size_t i = 0; i < m; i++)
        apply_event(&st, ord[i].e);

    /* The score on as_of and the deductions that make it. */
    out->score = score_on(rules, all, st.n_all, as_of);
    out->grade = score_grade_of(rules, out->score);
    day_t from = day_add_months(as_of, -rules->window_months);
    size_t k = 0;
    for (size_t i = 0; i < st.n_all; i++)
        if (all[i].day > from)
            all[k++] = all[i];
    out->deductions = all;
    out->n_deductions = k;

    day_t red_from = day_add_months(as_of, -rules->red_months);
    for (size_t i = 0; i < m; i++) {
        const struct score_event *e = ord[i].e;
        if (e->kind == SCORE_EVENT_INSPECTION && e->day > from)
            out->inspections++;
        if (e->day <= red_from)
            continue;
        if (e->kind == SCORE_EVENT_INSPECTION)
            out->red_inspections++;
        if (!score_event_clean(e))
            out->red_failures++;
    }

    for (int i = 0; i < CHECK_ITEM_COUNT; i++)
        if (st.open[i])
            out->followups[out->n_followups++] = st.fu[i];
    /* Oldest first. */
    for (size_t i = 1; i < out->n_followups; i++)
        for (size_t j = i; j > 0 && out->followups[j].opened < out->followups[j - 1].opened; j--) {
            struct score_followup t = out->followups[j];
            out->followups[j] = out->followups[j - 1];
            out->followups[j - 1] = t;
        }

    /* How long this result stands: until the oldest event inside a window
     * leaves it (a later one leaves later), or a later event comes into
     * force. */
    out->valid_until = 0;
    day_t oldest = 0, oldest_red = 0;
    for (size_t i = 0; i < m; i++) {
        day_t d = ord[i].e->day;
        if (d > from && oldest == 0)
            oldest = d;
        if (d > red_from && oldest_red == 0)
            oldest_red = d;
    }
    if (oldest != 0)
        out->valid_until = score_window_leaves(oldest, rules->window_months);
    if (oldest_red != 0) {
        day_t r = score_window_leaves(oldest_red, rules->red_months);
        if (out->valid_until == 0 || r < out->valid_until)
            out->valid_until = r;
    }
    for (size_t i = 0; i < n; i++)
        if (events[i].day > as_of && (out->valid_until == 0 || events[i].day < out->valid_until))
            out->valid_until = events[i].day;
    free(ord);

    if (st.black)
        out->list = SCORE_LIST_BLACK;
    else if (out->score >= rules->red_min_score &&
             out->red_inspections >= rules->red_min_inspections && out->red_failures == 0 &&
             out->n_followups == 0)
        out->list = SCORE_LIST_RED;
    else
        out->list = SCORE_LIST_NONE;
    return 0;
}

void score_result_free(struct score_result *res)
{
    if (res == NULL)
        return;
    free(res->deductions);
    res->deductions = NULL;
    res->n_deductions = 0;
}

static const char *const list_names[SCORE_LIST_COUNT] = {
    [SCORE_LIST_NONE] = "none",
    [SCORE_LIST_RED] = "red",
    [SCORE_LIST_BLACK] = "black",
};

static const char *const grade_names[SCORE_GRADE_COUNT] = {
    [SCORE_GRADE_RED] = "red",
    [SCORE_GRADE_GREEN] = "green",
    [SCORE_GRADE_YELLOW] = "yellow",
    [SCORE_GRADE_BLACK] = "black",
};

const char *score_list_name(enum score_list list)
{
    return (unsigned)list < SCORE_LIST_COUNT ? list_names[list] : "none";
}

const char *score_grade_name(enum score_grade grade)
{
    return (unsigned)grade < SCORE_GRADE_COUNT ? grade_names[grade] : "black";
}

int score_list_parse(const char *name, enum score_list *out)
{
    int i = names_index(list_names, SCORE_LIST_COUNT, name);
    if (i < 0)
        return sc_error_set(SC_ERR_PARSE, "'%s': no such list (red, black, none)",
                            name != NULL ? name : "");
    *out = (enum score_list)i;
    return SC_OK;
}

int score_grade_parse(const char *name, enum score_grade *out)
{
    int i = names_index(grade_names, SCORE_GRADE_COUNT, name);
    if (i < 0)
        return sc_error_set(SC_ERR_PARSE, "'%s': no such grade (red, green, yellow, black)",
                            name != NULL ? name : "");
    *out = (enum score_grade)i;
    return SC_OK;
}

const char *score_black_reason_text(enum score_black_reason reason)
{
    switch (reason) {
    case SCORE_BLACK_ITEM: return "a serious violation";
    case SCORE_BLACK_BELOW: return "score below the black line";
    case SCORE_BLACK_FOLLOWUP: return "an item not fixed after repeated deadlines";
    case SCORE_BLACK_FAIRSCALE: return "repeated short weight at the fair scale";
    case SCORE_BLACK_NONE: break;
    }
    return "";
}

static const char *const reason_keys[] = {
    [SCORE_BLACK_NONE] = "",           [SCORE_BLACK_ITEM] = "item",
    [SCORE_BLACK_BELOW] = "below",     [SCORE_BLACK_FOLLOWUP] = "followup",
    [SCORE_BLACK_FAIRSCALE] = "fairscale",
};

const char *score_black_reason_key(enum score_black_reason reason)
{
    return (unsigned)reason <= SCORE_BLACK_FAIRSCALE ? reason_keys[reason] : "";
}

enum score_black_reason score_black_reason_from_key(const char *key)
{
    for (int i = SCORE_BLACK_ITEM; key != NULL && i <= SCORE_BLACK_FAIRSCALE; i++)
        if (strcmp(reason_keys[i], key) == 0)
            return (enum score_black_reason)i;
    return SCORE_BLACK_NONE;
}

day_t score_window_leaves(day_t d, int months)
{
    /* day_add_months clamps to the month's end, so step from the estimate
     * to the first day whose window starts on or after d. */
    day_t t = day_add_months(d, months);
    while (day_add_months(t, -months) < d)
        t++;
    while (day_add_months(t - 1, -months) >= d)
        t--;
    return t;
}

const char *score_rule_key(const struct rules *rules, const struct score_deduction *d,
                           char *buf, size_t size)
{
    static const char *const sev[] = {"minor", "major", "serious"};
    switch (d->rule) {
    case SCORE_RULE_ITEM:
        if ((unsigned)d->item < CHECK_ITEM_COUNT && rules->deduct_item[d->item] >= 0)
            snprintf(buf, size, "deduction.%s", checklist_items(NULL)[d->item].id);
        else if ((unsigned)d->item < CHECK_ITEM_COUNT)
            snprintf(buf, size, "deduction.%s", sev[checklist_items(NULL)[d->item].severity]);
        else
            snprintf(buf, size, "deduction");
        break;
    case SCORE_RULE_FOLLOWUP_UNFIXED:
        snprintf(buf, size, "followup.unfixed_deduction");
        break;
    case SCORE_RULE_FAIRSCALE_SHORT:
        snprintf(buf, size, "fairscale.short_deduction");
        break;
    }
    return buf;
}
