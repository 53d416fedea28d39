/* A stall's integrity (诚信) score and its place on the red/black list
 * (红黑榜), computed from its inspections and fair-scale (公平秤) checks under
 * the rules (core/rules.h).  Pure: the caller gives the events as plain
 * structs; the result explains itself (every deduction with its event, date
 * and rule; why the stall is black or not red).
 *
 * The model, in the rules file's words:
 *  - 百分制: [score] base minus the deductions of the last window_months;
 *  - a failed item deducts [deduction] points (by item id, else severity);
 *  - a failed item marked [black] (by default the serious ones: cheating
 *    device, broken or missing seal, overdue verification, short weight)
 *    puts the stall on the black list at once, and so does a score below
 *    [black] below; the listing lasts [black] months and ends only at a clean
 *    re-inspection after that;
 *  - a failed item with a correction deadline (限期整改: the officer's, else
 *    [followup] deadline_days when not 0) opens a follow-up; a
 *    re-inspection that finds the item passing closes it; one after
 *    the deadline that finds it failing again deducts unfixed_deduction, and
 *    the black_after-th such finding puts the stall on the black list;
 *  - a fair-scale complaint found short deducts [fairscale] short_deduction;
 *    black_after of them inside the window put the stall on the black list;
 *  - red: not black, score >= [red] min_score, at least min_inspections
 *    inspections in the last [red] months, none of them (nor any fair-scale
 *    check) with a failure, and no open follow-up. */
#ifndef STALLCHECK_CORE_SCORE_H
#define STALLCHECK_CORE_SCORE_H

#include <stddef.h>

#include "core/checklist.h"
#include "core/day.h"
#include "core/rules.h"

enum score_event_kind {
    SCORE_EVENT_INSPECTION, /* an officer's inspection (or re-inspection) */
    SCORE_EVENT_FAIRSCALE,  /* a customer's complaint re-weighed at the fair scale */
};

struct score_finding {
    enum checklist_item item;
    enum checklist_answer answer;
    day_t deadline;          /* 限期整改 set by the officer; 0: [followup] deadline_days */
};

struct score_event {
    const char *id;          /* quoted in explanations; not copied */
    day_t day;
    enum score_event_kind kind;
    const struct score_finding *findings;
    size_t n_findings;
    int reweighs;            /* re-weighs made */
    int reweighs_short;      /* of those, short beyond the allowed deviation */
};

enum score_list { SCORE_LIST_NONE, SCORE_LIST_RED, SCORE_LIST_BLACK, SCORE_LIST_COUNT };
/* Star bands (辉县): red, green, yellow, black star. */
enum score_grade {
    SCORE_GRADE_RED,
    SCORE_GRADE_GREEN,
    SCORE_GRADE_YELLOW,
    SCORE_GRADE_BLACK,
    SCORE_GRADE_COUNT
};

enum score_rule {
    SCORE_RULE_ITEM,             /* [deduction] a failed item */
    SCORE_RULE_FOLLOWUP_UNFIXED, /* [followup] unfixed_deduction */
    SCORE_RULE_FAIRSCALE_SHORT,  /* [fairscale] short_deduction */
};

enum score_black_reason {
    SCORE_BLACK_NONE,
    SCORE_BLACK_ITEM,             /* [black] a failed item that is black */
    SCORE_BLACK_BELOW,            /* [black] below */
    SCORE_BLACK_FOLLOWUP,         /* [followup] black_after */
    SCORE_BLACK_FAIRSCALE,        /* [fairscale] black_after */
};

struct score_deduction {
    const char *event_id;
    day_t day;
    enum score_rule rule;
    enum checklist_item item;     /* SCORE_RULE_ITEM, SCORE_RULE_FOLLOWUP_UNFIXED */
    int points;
    int black;                    /* this finding also put the stall on the black list */
};

struct score_followup {
    enum checklist_item item;
    const char *event_id;         /* the inspection that found it failing first */
    day_t opened, due;            /* due: the current deadline */
    int unfixed;                  /* re-inspections after a deadline that found it failing */
};

struct score_result {
    day_t as_of;
    int score;
    enum score_grade grade;
    enum score_list list;
    /* The black listing in force (list == SCORE_LIST_BLACK). */
    enum score_black_reason black_reason;
    const char *black_event;
    enum checklist_item black_item;
    day_t black_since;
    day_t black_until;            /* the first day a clean re-inspection can end it */
    /* The red test. */
    int red_inspections;          /* inspections in the last [red] months */
    int red_failures;             /* events with a failure in that time */
    int inspections;              /* inspections in the score window */
    /* The deductions counted in the score, oldest first. */
    struct score_deduction *deductions;
    size_t n_deductions;
    /* Follow-ups still open on as_of, oldest first. */
    struct score_followup followups[CHECK_ITEM_COUNT];
    size_t n_followups;
    /* The first day after as_of on which this result can change with no new
     * event: an event (so a deduction) leaves the score window or the red
     * window, or an event dated after as_of comes into force.  0: never.
     * A result stored on as_of stands on every day before it. */
    day_t valid_until;
};

/* Computes a stall's score and list on day as_of from its events (any order;
 * events after as_of are ignored).  The result owns its deductions: free
 * with score_result_free.  SC_ERR_NOMEM, SC_ERR_ARG. */
int score_compute(const struct rules *rules, const struct score_event *events, size_t n,
                  day_t as_of, struct score_result *out);
void score_result_free(struct score_result *res);

enum score_grade score_grade_of(const struct rules *rules, int score);

/* "red", "black", "none"; "red", "green", "yellow", "black"; the reasons as
 * short English phrases (msgids). */
const char *score_list_name(enum score_list list);
const char *score_grade_name(enum score_grade grade);
/* The names back (one table each): 0, or SC_ERR_PARSE. */
int score_list_parse(const char *name, enum score_list *out);
int score_grade_parse(const char *name, enum score_grade *out);
const char *score_black_reason_text(enum score_black_reason reason);
/* The black listing's reason as stored: "item", "below", "followup",
 * "fairscale" ("" for none); unknown text gives NONE. */
const char *score_black_reason_key(enum score_black_reason reason);
enum score_black_reason score_black_reason_from_key(const char *key);

/* The first day t on which day d is no longer inside "the last months
 * months" of t (d > t - months): the day an event leaves a window. */
day_t score_window_leaves(day_t d, int months);
/* The rules file key a deduction was made under: "deduction.seal",
 * "deduction.serious", "followup.unfixed_deduction", ... */
const char *score_rule_key(const struct rules *rules, const struct score_deduction *d,
                           char *buf, size_t size);

/* The deadline of a follow-up opened by an item failed on day with the
 * officer's deadline (0: none): that one when after day, else [followup]
 * deadline_days after day; 0 when the failure opens no follow-up. */
day_t score_followup_due(const struct rules *r, day_t day, day_t deadline);

/* Whether an answer finds the item passing (pass, seal intact, not
 * sealable): what closes a follow-up.  A passing answer matters for
 * nothing else: a failed one (checklist_answer_failed) counts against the
 * stall, n/a and no answer count for nothing. */
int score_answer_passes(enum checklist_answer a);

/* Whether an event is clean: no failed item and no short re-weigh. */
int score_event_clean(const struct score_event *e);

#endif
