/* What every screen shares: the events it is given, the effects it asks for
 * and the session it reads.  A screen is a state struct and a pure update
 * function (STYLE.md 1): state and event in, reaction and effects out; no
 * curses, no SQL, no port.  The main loop (tui/app.c) performs the effects,
 * feeds their results back as events, and redraws (htop's Htop_Reaction). */
#ifndef STALLCHECK_TUI_SCREEN_H
#define STALLCHECK_TUI_SCREEN_H

#include <stdint.h>

#include "tui/keys.h"
#include "tui/verify.h"
#include "tui/visit.h"

enum tui_screen_id {
    SCR_SIGNIN,
    SCR_RESUME,
    SCR_PICK,
    SCR_STALL,
    SCR_CHECKLIST,
    SCR_SCALE,
    SCR_REWEIGH,
    SCR_GHOST,
    SCR_SUMMARY,
    SCR_HISTORY,
    SCR_OFFICER2,
    SCR_HELP,
    SCR_MANAGERS,       /* the market's red/black list (tui/managers.h) */
    SCR_VERIFY_PICK,    /* metrology: the instrument to verify (tui/verify_screens.h) */
    SCR_VERIFY_SETUP,   /* metrology: weight set, temperature, display */
    SCR_VERIFY_STEP,    /* metrology: the procedure, step by step */
    SCR_VERIFY_DONE,    /* metrology: the verdict and the certificate */
    SCR_COUNT
};

/* A reading as screens see it (the main loop converts devices' readings). */
struct tui_reading {
    int has_value;
    int stable;
    int overload;
    int net;
    int64_t ug;               /* the value in µg when it is a mass */
    char text[32];            /* as the device printed it: "1.235" */
    char unit[12];
    uint64_t seq;             /* counts readings, so a screen sees a new one */
    unsigned char raw[48];    /* the frame's bytes as read (evidence) */
    size_t raw_len;
};

/* The two scales an officer deals with. */
enum { SCALE_STALL, SCALE_REFERENCE, SCALE_COUNT };

struct tui_scale {
    int configured;           /* a connection is known for it */
    int online;
    char name[48];            /* "kern-fkb @ /dev/pts/7" */
    char error[96];           /* why it is offline */
    struct tui_reading last;
};

enum tui_event_kind {
    EV_ACTION,   /* a key, through the key table */
    EV_CHAR,     /* a character typed into a field */
    EV_SCAN,     /* a code typed by the barcode scanner (or by hand) + Enter */
    EV_READING,  /* a new reading on scale `which` (session has it) */
    EV_DEVICE,   /* scale `which` went on- or offline */
    EV_RESULT,   /* the result of an effect: status 0 or SC_ERR_* */
    EV_ENTER,    /* the screen came to the top of the stack */
};

struct tui_event {
    enum tui_event_kind kind;
    enum tui_action action;
    unsigned ch;
    const char *text;
    int which;
    int status;
    int effect;               /* EV_RESULT: the enum tui_effect_kind */
};

enum tui_effect_kind {
    EFF_NONE,
    EFF_SIGN_IN,        /* text badge, text2 PIN -> session.officer */
    EFF_LOAD_STALL,     /* text stall code -> session.stall */
    EFF_START_VISIT,    /* a new visit of session.stall (made by the loop) */
    EFF_SAVE_DRAFT,     /* session.visit to the draft */
    EFF_DISCARD_DRAFT,
    EFF_RESUME_DRAFT,   /* session.draft -> session.visit, stall loaded */
    EFF_COMMIT,         /* session.visit in one transaction */
    EFF_OFFICER2,       /* text badge, text2 PIN: the second officer */
    EFF_DEVICE_ZERO,    /* arg: which scale */
    EFF_DEVICE_TARE,
    EFF_DEVICE_RETRY,
    EFF_DRAW,           /* today's draw for session.market */
    EFF_LOAD_HISTORY,   /* text: stall code, "" = the officer's own */
    EFF_SCORE_PREVIEW,  /* session.summary for session.visit */
    EFF_LOAD_LISTS,     /* text market ("" = district) -> session.lists; arg 1: recompute */
    EFF_VERIFY_LIST,    /* instruments and weight sets -> session.verify */
    EFF_VERIFY_LOAD,    /* text: instrument code, serial or mark number; resumes a draft */
    EFF_VERIFY_START,   /* text weight set, text2 "TEMPERATURE;DISPLAY" ("" = e) */
    EFF_VERIFY_FEED,    /* text indication in µg, text2 ΔL in µg or "direct" */
    EFF_VERIFY_COMMIT,  /* the verdict, steps, dates and the certificate PDF */
    EFF_VERIFY_DISCARD, /* drops the unfinished verification */
};

struct tui_effect {
    enum tui_effect_kind kind;
    int arg;
    char text[64];
    char text2[64];
};

enum {
    RX_REDRAW = 1,
    RX_PUSH = 2,       /* push reaction.screen */
    RX_POP = 4,
    RX_QUIT = 8,
    RX_REPLACE = 16,   /* replace the top with reaction.screen */
    RX_HOME = 32,      /* the stack becomes [pick]; then RX_PUSH applies */
    RX_UNHANDLED = 64, /* the screen did not use the event (scans, global keys) */
};

#define TUI_MAX_EFFECTS 4
struct tui_reaction {
    unsigned flags;
    enum tui_screen_id screen;
    int n_effects;
    struct tui_effect effects[TUI_MAX_EFFECTS];
};

void reaction_effect(struct tui_reaction *rx, enum tui_effect_kind kind, int arg,
                     const char *text, const char *text2);
void reaction_push(struct tui_reaction *rx, enum tui_screen_id screen);

/* Data loaded by the main loop for the screens to show. */
#define SESSION_MAX_STALLS 512
#define SESSION_MAX_INSTRUMENTS 6
#define SESSION_MAX_HISTORY 12

struct session_stall_row {
    char code[VISIT_CODE_MAX];
    char name[64];
    int followup;    /* added for a correction deadline (限期整改) */
    int done;        /* inspected today */
};

/* A stall's line of the red/black list (the managers' screen). */
#define SESSION_MAX_LISTS 512
struct session_list_row {
    char code[VISIT_CODE_MAX];
    char name[64];
    int score;
    char list[8];       /* "red", "black", "none" */
    char grade[8];      /* star: "red", "green", "yellow", "black" */
    char reason[96];    /* black: "2026-02-01 a serious violation" */
    int followups;      /* open follow-ups (限期整改) */
};

struct session_instrument {
    char code[VISIT_CODE_MAX];
    char kind[20];
    char cls[8];
    char due[12];
    int overdue;
    int64_t max_ug, min_ug, e_ug, d_ug;   /* its plate (R76) */
};

struct session_history_row {
    char id[40];
    char date[24];
    char stall[VISIT_CODE_MAX];
    char officer[VISIT_CODE_MAX];
    int failures;
    int reweigh_fail;
};

struct session {
    /* Signed in */
    char badge[VISIT_CODE_MAX];
    char officer_name[128];
    char today[12];
    char demo_badge[VISIT_CODE_MAX];  /* the demo shows its officer's badge/PIN */
    char demo_pin[16];
    char demo_stall[VISIT_CODE_MAX];  /* a stall code to try, for newcomers */

    /* The market and today's stalls (drawn, follow-ups, picked) */
    char market[VISIT_CODE_MAX];
    char market_name[160];
    char draw_id[40];
    char draw_seed[72];          /* 64 hex digits: anyone can replay the draw */
    char draw_officers[80];      /* the officers drawn */
    int n_stalls;
    struct session_stall_row stalls[SESSION_MAX_STALLS];
    /* The market's reference scale (the cheating-scale check names it) */
    char reference_id[VISIT_CODE_MAX];
    char reference_due[12];

    /* The stall card */
    int stall_loaded;
    char stall[VISIT_CODE_MAX];
    char stall_name[160];
    char stall_category[24];
    char operator_name[160];
    char licence[24];
    int n_instruments;
    struct session_instrument instruments[SESSION_MAX_INSTRUMENTS];
    int score;          /* -1 unknown */
    char list[8];       /* "red", "black", "none", "" unknown */
    int n_history;
    struct session_history_row history[SESSION_MAX_HISTORY];

    /* The inspection in progress; visit.id[0] == 0 when none */
    struct visit visit;
    char officer2_name[48];
    int draft_pending;   /* a draft from an earlier run awaits resume/discard */
    struct visit draft;

    /* The summary the score engine computed for the visit */
    int summary_ready;
    int new_score;       /* -1 unknown */
    int deduction;
    char new_list[8];
    char committed_id[40];

    /* The market's red/black list (EFF_LOAD_LISTS) */
    int n_lists, lists_red, lists_black;
    struct session_list_row lists[SESSION_MAX_LISTS];

    struct tui_scale scales[SCALE_COUNT];

    /* The signed-in officer's role ("officer", "metrology", ...) and, for
     * metrology staff, the verification in hand */
    char role[16];
    struct verify_data verify;

    /* The status line: a msgid or an already-formatted text */
    char message[160];
    int message_is_error;
};

/* The status line.  session_set_message takes a msgid or finished text as it
 * is (screens); session_message formats it first (the backends). */
void session_set_message(struct session *ses, const char *text, int error);
void session_message(struct session *ses, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
