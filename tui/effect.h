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
    EFF_VERIFY_COMMIT,  /* commit: the verdict, steps, dates, mark and seal, the paper's PDF */
    EFF_VERIFY_DISCARD, /* reason: ends the run without a verdict (abandoned, or deleted
                           when nothing was recorded) */
    EFF_CAL_START,      /* start: a calibration (校准) of session.verify.in, or its draft resumed */
    EFF_CAL_FEED,       /* feed: the reading for the step (indication_ug, digit_ug) */
    EFF_CAL_COMMIT,     /* the results, their uncertainty and the calibration certificate */
    EFF_CAL_END,        /* reason: ends it without results (deleted when nothing was read) */
    EFF_UNLOCK,         /* who: a team officer's PIN after the idle lock */
    EFF_FAIR_OPEN,      /* the market's fair scale -> session.fair, connected */
    EFF_FAIR_STALL,     /* stall -> session.fair (the stall complained about) */
    EFF_FAIR_RECORD,    /* fair: the complaint judged, recorded, its ticket printed */
    EFF_FAIR_PRINT,     /* the last check's ticket printed again */
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
        /* EFF_LOAD_STALL, EFF_LOAD_HISTORY, EFF_FAIR_STALL: a stall code */
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
            struct decimal humidity;       /* %RH, likewise */
            int64_t display_ug;            /* a test mode's interval; 0: the scale's e */
            int kind;                      /* enum proc_kind: first, subsequent, in-service */
            int zero_tracking;             /* E0 found at about 10 e */
        } start;
        /* EFF_FAIR_RECORD: the complaint as typed (the measured mass is the
         * fair scale's reading in session.scales) */
        struct {
            char stall[VISIT_CODE_MAX];
            char goods[64];
            int64_t declared_ug;
            int64_t price_fen;             /* per kg; 0 = not given */
            int cat;                       /* enum reweigh_category */
            int chosen;                    /* the officer chose the row */
        } fair;
        /* EFF_VERIFY_FEED */
        struct {
            int64_t indication_ug;
            int direct;                    /* the indication is judged as it is */
            int64_t added_ug;              /* else ΔL, the small weights added (R76-1 A.4.4.3) */
            int64_t digit_ug;              /* its last digit as the scale gave it; 0 unknown */
            int answer;                    /* a check step: PROC_YES or PROC_NO */
            int64_t amount_fen;            /* a price step: the price to pay shown */
            char text[PROC_TEXT_MAX];      /* a check step: what was read (software id) */
        } feed;
        /* EFF_VERIFY_COMMIT: a passed scale's new verification mark and seal */
        struct {
            char mark[48];
            char seal[48];
        } commit;
        /* EFF_VERIFY_DISCARD: why the run ends without a verdict (a run with
         * readings is kept, abandoned with this reason) */
        char reason[128];
    };
};

#endif
