/* What a screen asks of the world: an effect, a tagged union whose payload
 * is typed by its kind (integers stay integers, masses in µg).  The main
 * loop performs each through tui/fx.c's table and hands the screen back an
 * EV_RESULT with the status; the data it loaded is in the session. */
#ifndef STALLCHECK_TUI_EFFECT_H
#define STALLCHECK_TUI_EFFECT_H

#include <stdint.h>

#include "core/decimal.h"

#include "tui/session.h"

/* The numbers are in traces (bench/tui.sh reads some): append, never
 * reorder. */
enum tui_effect_kind {
    EFF_NONE,
    EFF_SIGN_IN,        /* who -> session.badge, role, today's market */
    EFF_LOAD_STALL,     /* stall -> session.card, and a visit of it */
    EFF_START_VISIT,    /* a new visit of session.card.stall */
    EFF_SAVE_DRAFT,     /* session.visit to the draft */
    EFF_DISCARD_DRAFT,  /* session.draft dropped */
    EFF_RESUME_DRAFT,   /* session.draft -> session.visit, its stall loaded */
    EFF_COMMIT,         /* session.visit in one transaction */
    EFF_SWAP_OFFICER,   /* who (badge, PIN, slot 1 or 2): an officer of the team */
    EFF_DEVICE_ZERO,    /* scale */
    EFF_DEVICE_TARE,    /* scale */
    EFF_DEVICE_RETRY,   /* scale */
    EFF_DRAW,           /* today's draw for session.day.market */
    EFF_LOAD_HISTORY,   /* stall ("" = the stall on the card) -> session.card.history */
    EFF_SCORE_PREVIEW,  /* session.summary for session.visit */
    EFF_LOAD_LISTS,     /* lists -> session.lists */
    EFF_VERIFY_LIST,    /* instruments and weight sets -> session.verify */
    EFF_VERIFY_LOAD,    /* instrument: code, serial or mark number; resumes a draft */
    EFF_VERIFY_START,   /* start: the weight set, temperature and display */
    EFF_VERIFY_FEED,    /* feed: the reading for the step */
    EFF_VERIFY_COMMIT,  /* the verdict, steps, dates and the certificate PDF */
    EFF_VERIFY_DISCARD, /* drops the unfinished verification */
    EFF_UNLOCK,         /* who: a team officer's PIN after the idle lock */
    EFF_COUNT
};

struct tui_effect {
    enum tui_effect_kind kind;
    union {
        /* EFF_SIGN_IN, EFF_SWAP_OFFICER, EFF_UNLOCK: a badge and its PIN
         * as typed; which officer of the team (EFF_SWAP_OFFICER) */
        struct {
            char badge[VISIT_CODE_MAX];
            char pin[16];
            int slot;
        } who;
        /* EFF_LOAD_STALL, EFF_LOAD_HISTORY: a stall code */
        char stall[VISIT_CODE_MAX];
        /* EFF_DEVICE_*: SCALE_STALL or SCALE_REFERENCE */
        int scale;
        /* EFF_LOAD_LISTS */
        struct {
            char market[VISIT_CODE_MAX];   /* "" = the district */
            int recompute;                 /* store every stall's status first */
        } lists;
        /* EFF_VERIFY_LOAD */
        char instrument[VERIFY_CODE];
        /* EFF_VERIFY_START */
        struct {
            char weight_set[VERIFY_CODE];
            struct decimal temperature;    /* °C, every digit typed kept */
            int64_t display_ug;            /* a test mode's interval; 0: the scale's e */
        } start;
        /* EFF_VERIFY_FEED */
        struct {
            int64_t indication_ug;
            int direct;                    /* the indication is judged as it is */
            int64_t added_ug;              /* else ΔL, the small weights added (R76-1 A.4.4.3) */
        } feed;
    };
};

#endif
