/* The visit: one inspection of one stall in progress, as the domain knows
 * it.  The stall and its market, both officers, the draw it came from,
 * every checklist answer with its note and correction deadline (限期整改),
 * the re-weighs (复秤) with the reading each was judged on (the frame's
 * bytes, as the device sent them), and the cheating-scale check (鬼秤,
 * guǐchèng) with its observations so far.  Pure data and rules, no I/O: the
 * TUI and the command line fill it, db/visit.h commits it whole.
 *
 * Its text form (visit_encode / visit_decode) is the draft the database
 * keeps after every key, so kill -9 or a dead battery loses at most the key
 * being pressed; decoding what was encoded gives the same visit back, and
 * the first text form (written by builds before this object) still
 * decodes, so an unfinished inspection survives an upgrade. */
#ifndef STALLCHECK_CORE_VISIT_H
#define STALLCHECK_CORE_VISIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/checklist.h"
#include "core/ghost.h"
#include "core/reweigh.h"

#define VISIT_MAX_REWEIGH 6
#define VISIT_NOTE_MAX 256      /* as a finding's note in the database */
#define VISIT_CODE_MAX 48       /* stall, market, instrument codes; badges */
#define VISIT_ID_MAX 40         /* a UUID and its NUL */
#define VISIT_TIME_MAX 24       /* "YYYY-MM-DDTHH:MM:SSZ" */
#define VISIT_DATE_MAX 11       /* "YYYY-MM-DD" */
#define VISIT_RAW_MAX 272       /* a frame's bytes: as devices/reading.h keeps them */
#define VISIT_GHOST_MAX_OBS 48  /* 3 loads x 2 phases x 8 rounds */
/* visit_encode never needs more than this (tested with every field full). */
#define VISIT_TEXT_MAX 24576

/* The reading a mass came from, kept as evidence (全过程记录). */
struct visit_reading {
    unsigned char raw[VISIT_RAW_MAX]; /* the frame exactly as read */
    size_t raw_len;
    char value[32];          /* the exact decimal as decoded: "470.0" */
    char unit[12];           /* "g", "kg", ... */
    char driver[32];         /* the protocol driver that decoded it */
    char instrument[VISIT_CODE_MAX]; /* registry code, "" when unknown */
    char taken_at[VISIT_TIME_MAX];   /* "" -> the commit's time */
    int stable;
};

/* One re-weigh: goods charged at declared_ug, put back on a scale. */
struct visit_reweigh {
    char goods[64];                  /* what was bought: "猪肉", may be "" */
    enum reweigh_category category;  /* the retail table's row applied */
    int64_t declared_ug;             /* 结算重量 */
    int64_t unit_price_fen;          /* 分 per kg, 0 when not given */
    int64_t measured_ug;             /* 0 until captured */
    int captured;                    /* judged: the fields below hold */
    enum reweigh_outcome verdict;
    int64_t allowed_ug;              /* meaningless when REWEIGH_OUTSIDE */
    int64_t shortfall_ug;            /* declared - measured */
    int64_t money_short_fen;
    enum reweigh_at method;       /* where it was re-weighed */
    char reference[VISIT_CODE_MAX];  /* the instrument re-weighed on, "" if not known */
    int has_reading;                 /* measured_ug came from reading (else typed) */
    struct visit_reading reading;
};

/* The cheating-scale check's result so far. */
enum visit_ghost {
    VISIT_GHOST_NOT_RUN = 0,
    VISIT_GHOST_CLEAR,       /* the whole protocol run, nothing found */
    VISIT_GHOST_SUSPECT,     /* core/ghost.h flagged the scale */
    VISIT_GHOST_DEVICE_SEEN, /* a remote, a pen, a key code seen: no protocol needed */
    VISIT_GHOST_COUNT
};
const char *visit_ghost_id(enum visit_ghost g);   /* "not-run", "clear", ... */
int visit_ghost_parse(const char *text, enum visit_ghost *out);

/* The protocol of core/ghost.h in progress: the loads chosen when it
 * started and every observation recorded, in protocol order (round by
 * round; each round "before" at every load, the vendor's turn, "after"). */
struct visit_ghost_check {
    enum visit_ghost result;
    int nloads;                      /* 0: not started */
    int64_t loads_ug[3];
    int vendor_turn;                 /* between before and after: the vendor's keys */
    int n_obs;
    struct ghost_obs obs[VISIT_GHOST_MAX_OBS];
};

struct visit {
    char id[VISIT_ID_MAX];           /* the inspection's UUID, made when it starts */
    char stall[VISIT_CODE_MAX];
    char market[VISIT_CODE_MAX];     /* "" -> the stall's market at commit */
    char officer1[VISIT_CODE_MAX];   /* badges */
    char officer2[VISIT_CODE_MAX];   /* the second officer (enforcement needs two), or "" */
    char draw[VISIT_ID_MAX];         /* the draw it came from (双随机), or "" */
    char started_at[VISIT_TIME_MAX];
    char ended_at[VISIT_TIME_MAX];   /* "" -> the commit's time */
    char place[128];
    char note[256];
    enum checklist_answer answers[CHECK_ITEM_COUNT];
    char notes[CHECK_ITEM_COUNT][VISIT_NOTE_MAX];
    char deadlines[CHECK_ITEM_COUNT][VISIT_DATE_MAX]; /* "YYYY-MM-DD" or "" */
    int n_reweigh;
    struct visit_reweigh reweigh[VISIT_MAX_REWEIGH];
    struct visit_ghost_check ghost;
};

void visit_clear(struct visit *v);

/* Items answered; whether all are; failed items (checklist_answer_failed). */
int visit_answered(const struct visit *v);
int visit_complete(const struct visit *v);
int visit_failures(const struct visit *v);

/* Answers item (its note and deadline kept); SC_ERR_ARG when the answer is
 * not one for the item.  A deadline only stands on a failed item: any
 * other answer clears it.  The re-weigh item is answered by re-weighing:
 * pass or fail only as the re-weighs say (visit_reweigh_answer), n/a only
 * when none was judged and its note says why. */
int visit_answer(struct visit *v, enum checklist_item item, enum checklist_answer a);
/* Sets the correction deadline ("YYYY-MM-DD", "" clears) of a failed item:
 * SC_ERR_ARG when the item has not failed, SC_ERR_PARSE for a bad date. */
int visit_set_deadline(struct visit *v, enum checklist_item item, const char *date);

/* Judges a re-weigh (core/reweigh.h) and records it in w: the input, the
 * verdict, where it was weighed.  w's reading (has_reading, reading) is the
 * caller's and is left alone.  Returns as reweigh_judge; *out may be NULL. */
int visit_reweigh_judge(struct visit_reweigh *w, const struct reweigh_input *in,
                        enum reweigh_at where, struct reweigh_verdict *out);
/* The checklist's re-weigh item follows the verdicts: failed when any
 * captured re-weigh failed, passed when every judged one passed, left as it
 * is when none was judged (outside the table is no verdict). */
void visit_reweigh_answer(struct visit *v);

/* The cheating-scale check: where the next observation goes (round from 1,
 * phase, index into loads_ug), from the observations so far. */
void visit_ghost_position(const struct visit_ghost_check *g, int *round, enum ghost_phase *phase,
                          int *load);
/* Records an observation at the next position; SC_ERR_RANGE when full or
 * the loads are not set. */
int visit_ghost_record(struct visit *v, int64_t stall_ug, int64_t reference_ug);
/* Copies the observations into c (its instrument, reference and day are
 * the caller's). */
void visit_ghost_fill(const struct visit *v, struct ghost_check *c);
/* The verdict answers the "no cheating device" item: passed when clear,
 * failed with the verdict's reason as its note when suspect.  An
 * incomplete verdict changes nothing (SC_ERR_AGAIN). */
int visit_ghost_conclude(struct visit *v, const struct ghost_verdict *vd);
/* A device seen on the stall: the item fails at once. */
void visit_ghost_device_seen(struct visit *v);

/* The text form: "key value" lines, values escaped (\n, \r, \\).  Returns
 * the length written (excluding NUL) or SC_ERR_RANGE if buf is too small. */
int visit_encode(const struct visit *v, char *buf, size_t size);
/* Parses visit_encode's text, or the first form ("reweigh" lines of eleven
 * fields, "ghost 0|1|2"); unknown keys are skipped (a newer build's draft
 * opens in an older one).  SC_ERR_PARSE naming the line if bad. */
int visit_decode(const char *text, struct visit *v);

#endif
