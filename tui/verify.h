/* What the verification screens (metrology staff, 计量检定人员) read from
 * the session: the instruments to pick from, the weight sets, and the
 * procedure in progress as the effects last left it (tui/fx_verify*.c
 * run core/procedure.h and store its state in the database after every
 * accepted reading).  Plain data: the screens stay pure. */
#ifndef STALLCHECK_TUI_VERIFY_H
#define STALLCHECK_TUI_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "core/procedure.h"
#include "devices/reading.h"

#define VERIFY_MAX_INSTRUMENTS 96
#define VERIFY_MAX_SETS 12
#define VERIFY_CODE 40

struct verify_instrument_row {
    char code[VERIFY_CODE];
    char market[VERIFY_CODE];
    char stall[VERIFY_CODE];
    char serial[64];
    char mark_no[64];
    char kind[20];
    char cls[8];
    char due[12];
    int overdue;      /* due before today, or never verified */
    int draft;        /* an unfinished verification waits */
};

struct verify_set_row {
    char code[VERIFY_CODE];
    char cls[8];      /* OIML R111 class */
    char due[12];     /* its own calibration's last valid day */
    int expired;
};

struct verify_data {
    int n_instruments;
    struct verify_instrument_row instruments[VERIFY_MAX_INSTRUMENTS];
    int n_sets;
    struct verify_set_row sets[VERIFY_MAX_SETS];

    /* The instrument picked */
    int loaded;
    struct verify_instrument_row in;
    char plate[128];            /* "III  Max 15 kg  Min 100 g  e = 5 g" */
    int64_t e_ug, d_ug;

    /* The procedure in progress (started or resumed) */
    int running;
    char id[40];                /* the calibration's id */
    char weight_set[VERIFY_CODE];
    char temperature[16];
    char humidity[16];
    int kind;                   /* enum proc_kind */
    int direct;                 /* a test mode's display: readings taken as shown */
    int64_t display_ug;         /* the interval of the display read */
    int has_step;
    struct proc_step step;      /* the step waiting for a reading */
    int has_result;
    struct proc_result last;    /* the last reading's judgement */
    int64_t last_load_ug;       /* and its load */
    struct proc_verdict verdict;
    /* The first failing step and its judgement (verdict.first_failure):
     * the verdict screen says what failed in its own words (the verdict's
     * reason is core's English, for logs and the command line). */
    int has_failed;
    struct proc_step failed_step;
    struct proc_result failed;
    /* The reading captured for the step (the screen copies it from the
     * scale; the feed stores it with the frame as evidence) */
    int has_capture;
    char cap_text[32], cap_unit[12], cap_driver[32];
    unsigned char cap_raw[READING_RAW_MAX];
    size_t cap_raw_len;

    /* After the commit */
    int committed;
    char certificate_no[48];
    char certificate_path[256];
    char next_due[12];
};

/* A general-check item (core/procedure.c's codes: "markings") in the
 * screen's language; the code itself when unknown. */
const char *verify_item_label(const char *code);
/* The verdict's grounds in the screen's language, for the verdict screen:
 * "Fails the weighing test: at 3 kg the error +2 g is beyond +-1 g; weight
 * set W1". */
void verify_verdict_words(const struct verify_data *v, char *buf, size_t size);

/* The MPE bar: width columns showing -limit .. +limit with the error's mark
 * ('|' centre, '*' the error; '<' or '>' at the edge when beyond).  Writes
 * a NUL-terminated ASCII string of exactly width chars (width >= 5).  Pure,
 * for the screens and their tests. */
void verify_bar(int64_t error_ug, int64_t limit_ug, int width, char *buf, size_t size);

/* "2.5 g" style text of a mass in g (or kg from 1 kg up when whole). */
void verify_mass(int64_t ug, char *buf, size_t size);
/* "+1.5 g" / "-0.5 g" / "0 g". */
void verify_signed(int64_t ug, char *buf, size_t size);
/* A test's name in the screen's language ("general", "zero", ...). */
const char *verify_test_label(enum proc_test t);
/* A step's result in the screen's language, for the status line and the
 * "Last" line: "general FAIL [text]", "pre-load recorded".  The engine's
 * reason (English, with its clause) stays on the certificate. */
void verify_result_words(const struct proc_result *r, char *buf, size_t size);

#endif
