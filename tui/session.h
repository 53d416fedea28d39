/* What the screens read: the data the effects loaded, one part per area.
 * Each part is written by one effect area (tui/fx_*.c) and read by the
 * screens named beside it; the screens write only the visit in progress and
 * the status line.  Plain data, so the screens stay pure and testable. */
#ifndef STALLCHECK_TUI_SESSION_H
#define STALLCHECK_TUI_SESSION_H

#include <stdint.h>

#include "core/roles.h"
#include "core/score.h"
#include "tui/cal.h"
#include "tui/verify.h"
#include "core/visit.h"
#include "devices/reading.h"
#include "tui/keys.h"

/* A reading as screens see it (tui/scales.c converts devices' readings). */
struct tui_reading {
    int has_value;
    int stable;
    int overload;
    int underload;            /* below the weighing range (a negative out of range) */
    int error;                /* the device says its value is not valid (KERN o-Err/u-Err) */
    char why[64];             /* the device's words for overload or error */
    int net;
    int64_t ug;               /* the value in µg when it is a mass */
    char text[32];            /* as the device printed it: "1.235" */
    char unit[12];
    uint64_t seq;             /* counts readings, so a screen sees a new one */
    unsigned char raw[READING_RAW_MAX]; /* the frame's bytes as read (evidence) */
    size_t raw_len;
};

/* The scales an officer deals with: the stall's, the officer's reference
 * scale, and the market's fair scale (公平秤) at the fair-scale station. */
enum { SCALE_STALL, SCALE_REFERENCE, SCALE_FAIR, SCALE_COUNT };

/* One scale's link as tui/scales.c keeps it (scale, re-weigh, ghost,
 * verification screens). */
struct tui_scale {
    int configured;           /* a connection is known for it */
    int online;
    char name[48];            /* "kern-fkb @ /dev/pts/7" */
    char driver[32];          /* its protocol driver: what a reading records */
    char error[96];           /* why it is offline */
    struct tui_reading last;
};

/* The market and today's stalls: drawn, follow-ups, picked (fx_session;
 * the pick and cheating-scale screens). */
#define SESSION_MAX_STALLS 512

struct session_stall_row {
    char code[VISIT_CODE_MAX];
    char name[64];
    int followup;    /* added for a correction deadline (限期整改) */
    int done;        /* inspected today */
};

struct session_day {
    char market[VISIT_CODE_MAX];
    char market_name[160];
    char draw_seed[72];          /* 64 hex digits: anyone can replay the draw */
    char draw_officers[80];      /* the officers drawn */
    int n_stalls;
    struct session_stall_row stalls[SESSION_MAX_STALLS];
    /* The market's reference scale (the cheating-scale check names it) */
    char reference_id[VISIT_CODE_MAX];
    char reference_due[12];
};

/* The stall card (fx_inspection; the stall, history, checklist and summary
 * screens). */
#define SESSION_MAX_INSTRUMENTS 6
#define SESSION_MAX_HISTORY 12

struct session_instrument {
    char code[VISIT_CODE_MAX];
    char kind[20];
    char cls[8];
    char due[12];
    int overdue;
    int64_t max_ug, min_ug, e_ug, d_ug;   /* its plate (R76) */
};

struct session_history_row {
    char date[24];
    char stall[VISIT_CODE_MAX];
    char officer[VISIT_CODE_MAX];
    int failures;
    int reweigh_fail;
};

/* A correction the stall is under (限期整改 xianqi zhenggai: a failed item
 * with a deadline), as the card shows it: what is followed up. */
#define SESSION_MAX_FOLLOWUPS 4

struct session_followup {
    enum checklist_item item;
    char opened[12];         /* the day it was found failing */
    char due[12];            /* the deadline in force */
    char note[VISIT_NOTE_MAX]; /* the officer's note when it was found */
    int overdue;             /* the deadline is past */
    int unfixed;             /* re-inspections since that found it not fixed */
};

struct session_card {
    char stall[VISIT_CODE_MAX];
    char name[160];
    char category[24];       /* registered (core/category.h): the re-weigh's row */
    char operator_name[160];
    char licence[24];
    int n_instruments;
    struct session_instrument instruments[SESSION_MAX_INSTRUMENTS];
    int score;               /* -1: not scored yet */
    enum score_list list;    /* when scored */
    int n_history;
    struct session_history_row history[SESSION_MAX_HISTORY];
    int n_followups;         /* open on the card's day (more than the max: counted) */
    struct session_followup followups[SESSION_MAX_FOLLOWUPS];
};

/* The score engine's preview of the visit (fx_inspection; summary). */
struct session_summary {
    int ready;
    int new_score;           /* -1 unknown */
    int deduction;
    enum score_list new_list;
};

/* The fair-scale station (公平秤; fx_fair, the fair-scale screen): the
 * market's fair scale, the stall complained about, the last check. */
struct session_fair {
    char scale[VISIT_CODE_MAX];      /* the fair scale's code; "" none registered */
    char stall[VISIT_CODE_MAX];      /* the stall found */
    char stall_name[160];
    char category[24];               /* its registered category: the row */
    int recorded;                    /* a check recorded: the fields below */
    char record[40];
    char recorded_stall[VISIT_CODE_MAX];
    enum reweigh_outcome verdict;
    int64_t declared_ug, measured_ug, shortfall_ug, allowed_ug, money_short_fen, owed_fen;
    int multiple;                    /* 缺一补二: 2 */
    int printed;                     /* 1 printed, 0 no printer set, -1 it failed */
    char printer[160];               /* where it printed, or why not */
};

/* The market's red/black list (fx_lists; the managers' screen). */
#define SESSION_MAX_LISTS 512

struct session_list_row {
    char code[VISIT_CODE_MAX];
    char name[64];
    int score;
    enum score_list list;
    enum score_grade grade;  /* the star */
    char reason[96];         /* black: "2026-02-01 a serious violation" */
    int followups;           /* open follow-ups (限期整改) */
};

struct session_lists {
    int n, red, black;
    struct session_list_row rows[SESSION_MAX_LISTS];
};

struct session {
    /* The day's team (fx_session): the first officer, signed in first,
     * whose role the screens follow (badge "" until then), and the second
     * (enforcement needs two; "" when working alone).  Both named on every
     * inspection; either swapped with the incoming officer's PIN. */
    char badge[VISIT_CODE_MAX];
    char officer_name[128];
    char badge2[VISIT_CODE_MAX];
    char officer2_name[128];
    enum roles_role role;
    /* Idle this long, the handheld locks (the setting lock_minutes) */
    int lock_minutes;
    int lock_idle;           /* the lock being pushed came from idleness, not F9 */
    char today[12];
    /* The demo tells a newcomer what to type (sign-in, today's list) */
    struct {
        char badge[VISIT_CODE_MAX];
        char badge2[VISIT_CODE_MAX];
        char pin[16];
        char stall[VISIT_CODE_MAX];
    } demo;

    struct session_day day;
    struct session_card card;

    /* The inspection in progress; visit.id[0] == 0 when none */
    struct visit visit;
    /* A draft from an earlier run that awaits resume or discard (resume) */
    int draft_pending;
    struct visit draft;

    struct session_summary summary;
    struct session_fair fair;
    struct session_lists lists;
    struct tui_scale scales[SCALE_COUNT];
    /* Metrology staff: the verification in hand (fx_verify) */
    struct verify_data verify;
    /* and the calibration (校准) in hand (fx_cal) */
    struct cal_data cal;

    /* The terminal's rows (a page of the help), and the keys of the
     * screen F1 was pressed on: the help opens at them (the loop sets
     * both) */
    int rows;
    enum tui_scope help_scope;

    /* The status line: a msgid or an already-formatted text */
    char message[160];
    int message_is_error;
};

/* The status line.  session_set_message takes a msgid or finished text as it
 * is (screens); session_message formats it first (the effects). */
void session_set_message(struct session *ses, const char *text, int error);
void session_message(struct session *ses, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
