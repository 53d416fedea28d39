/* The inspection in progress (a visit to one stall): what the officer has
 * answered, typed and measured so far.  Pure data, with a line-based text
 * form that the draft in the database keeps, so that kill -9 or a dead
 * battery loses at most the key being pressed. */
#ifndef STALLCHECK_TUI_VISIT_H
#define STALLCHECK_TUI_VISIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/checklist.h"

/* core/visit.h has these names now; this copy goes when the TUI moves to it. */
#define visit_clear tui_visit_clear
#define visit_complete tui_visit_complete
#define visit_answered tui_visit_answered
#define visit_failures tui_visit_failures
#define visit_encode tui_visit_encode
#define visit_decode tui_visit_decode

#define VISIT_MAX_REWEIGH 6
#define VISIT_NOTE_MAX 96
#define VISIT_CODE_MAX 40

/* One re-weigh (复秤): goods charged at declared, put on the reference scale.
 * The verdict is core's; the visit only remembers it. */
struct visit_reweigh {
    char category[24];       /* the retail table's id: "grain-veg-fruit", ... */
    int64_t declared_ug;
    int64_t unit_price_fen;  /* 分 per kg */
    int64_t measured_ug;     /* 0 until captured */
    int captured;
    char raw[48];            /* the reading as the scale printed it */
    char frame[97];          /* the frame's bytes in hex, "" if typed */
    int verdict;             /* enum visit_verdict */
    int64_t allowed_ug;
    int64_t shortfall_ug;
    int64_t money_short_fen;
};

enum visit_verdict { VERDICT_NONE, VERDICT_PASS, VERDICT_FAIL, VERDICT_OUTSIDE };

struct visit {
    char id[40];             /* the inspection's UUID, made when it starts */
    char stall[VISIT_CODE_MAX];
    char market[VISIT_CODE_MAX];
    char officer1[VISIT_CODE_MAX];   /* badges */
    char officer2[VISIT_CODE_MAX];
    char draw[40];           /* the draw it came from, or "" */
    char started_at[24];
    enum checklist_answer answers[CHECK_ITEM_COUNT];
    char notes[CHECK_ITEM_COUNT][VISIT_NOTE_MAX];
    char deadlines[CHECK_ITEM_COUNT][12];    /* 限期整改: "YYYY-MM-DD" or "" */
    int n_reweigh;
    struct visit_reweigh reweigh[VISIT_MAX_REWEIGH];
    int ghost_done;          /* the cheating-scale check: 0 not run, 1 pass, 2 fail */
};

void visit_clear(struct visit *v);

/* Whether every checklist item has an answer. */
int visit_complete(const struct visit *v);
/* Items answered. */
int visit_answered(const struct visit *v);
/* Failed items (checklist_answer_failed). */
int visit_failures(const struct visit *v);

/* The text form: "key value" lines, values escaped (\n, \\).  Returns the
 * length written (excluding NUL) or SC_ERR_RANGE if buf is too small. */
int visit_encode(const struct visit *v, char *buf, size_t size);
/* Parses visit_encode's text; unknown keys are skipped (a newer build's
 * draft opens in an older one).  SC_ERR_PARSE naming the line if bad. */
int visit_decode(const char *text, struct visit *v);

#endif
