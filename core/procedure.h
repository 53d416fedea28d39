/* The verification procedure engine: a pure state machine that guides a
 * scale verification (OIML R76-1 Annex A.4; JJG 539-2016 for digital
 * indicating scales) one reading at a time.  It reads no port and no clock:
 * the caller (the TUI's calibration screens, a guided CLI) shows the current
 * step, reads the scale, and feeds the reading in.
 *
 * Life of a procedure
 *
 *     struct proc_config cfg = {0};
 *     r76_instrument_single(&cfg.instrument, R76_CLASS_III, 15 kg, 100 g, 5 g, 0);
 *     reference_init(&cfg.reference, REFERENCE_WEIGHTS, "M1-2026-017", until, 0);
 *     cfg.weights_ug[...] = ...; cfg.n_weights = ...;   // the set, one entry per weight
 *     cfg.today = today;
 *     struct proc *p;
 *     proc_new(&cfg, &p);                  // plans every step, or refuses (see below)
 *     struct proc_step step;
 *     while (proc_current(p, &step) == 1) {
 *         show(step.instruction);          // what to place, where, and how to read
 *         struct proc_reading r = read_scale();
 *         proc_feed(p, &r, &result);       // judges it, advances
 *     }
 *     proc_verdict_get(p, &verdict);       // pass / fail with the reason
 *
 * At any point proc_save() gives a text blob (the declared inputs and the
 * readings so far) that db/ stores; proc_load() rebuilds the same procedure
 * from it and replays the readings, so a later session resumes where the
 * last one stopped (a flat battery loses nothing).
 *
 * The steps, in order (the clause of R76-1 beside each rule in procedure.c)
 *
 *  1. zero      1 reading at no load: the zero error E0 within ±¼ e
 *               (R76-1 4.5.2).  E0 corrects every later error.
 *  2. weighing  at least 5 loads from Min to Max, including Min, the loads
 *               where the MPE changes (500 e and 2 000 e for class III)
 *               below Max, 50 % Max and Max; loading up, then unloading
 *               down (Max not repeated).  Each corrected error Ec = E − E0
 *               within the MPE for that load (R76-1 A.4.4, Table 6).
 *  3. eccentricity  about 1/3 Max (Max/(n−1) with n > 4 support points) on
 *               each segment; each Ec within the MPE for the load (3.6.2,
 *               A.4.7).
 *  4. repeatability  two series, about 50 % Max and near Max, 10 readings
 *               each (3 when Max >= 1 000 kg); in each series the largest
 *               minus the smallest error no more than the MPE for the load,
 *               and each single error within it (3.6, 3.6.1, A.4.10).
 *  5. tare      a tare (about 1/3 Max, else another fraction that leaves the
 *               set able to make the net loads), tared: the net zero error within
 *               ±¼ e (4.6.3); then the weighing test's loads (at least 5,
 *               loading only) on net loads up to what is left to Max, each
 *               Ec (against the net zero) within the MPE of the net load
 *               (3.5.3.3, A.4.6.1).
 *  6. discrimination  at Min, ½ Max and Max: the indication I with the load
 *               and ten 0.1 d weights, then the one after those are taken off
 *               until I − d, one put back and 1.4 d added gently: it must
 *               reach I + d (3.8, A.4.8.2).  Planned only where d >= 5 mg
 *               (3.8.2: the digital test's lower limit).
 *
 * Loads and the weight set.  Every load a step asks for is one the declared
 * weight set can make: the engine picks the combination of the set's
 * weights closest to the rule's load within a window (Min: Min to 2 Min; a
 * change point: up to 10 % below it, so the load stays in the stricter
 * band; 50 % Max, 1/3 Max: ±10 %; Max and near Max: up to 5 % below), and
 * a step shows both the load asked for (target_ug) and the load made
 * (load_ug) with the weights to use.  When no combination falls in a
 * window, proc_new() refuses with SC_ERR_RANGE naming the test and the
 * window: substitution loads are not supported.  The small error weights
 * (0.1 e) and the 1.4 d extra load are accessories and are not drawn from
 * the set.
 *
 * Readings.  A reading is the indication (exact µg) and the error weights
 * ΔL added before the indication stepped up (the error-point method,
 * core/errpoint.h), or PROC_DIRECT when the scale is in a test mode that
 * shows an interval of at most 0.2 e (proc_config.resolution_ug; R76-1
 * 3.5.3.2: rounding must be eliminated where d > 0.2 e).  An
 * unstable reading is refused (SC_ERR_AGAIN) and the step stays.
 *
 * The reference.  The weight set's id and calibration date are part of the
 * procedure and of every verdict; proc_new() and proc_load() refuse a set
 * whose calibration expired before `today` (SC_ERR_EXPIRED).
 *
 * Masses are int64 µg, dates day_t (core/day.h). */
#ifndef STALLCHECK_CORE_PROCEDURE_H
#define STALLCHECK_CORE_PROCEDURE_H

#include <stddef.h>
#include <stdint.h>

#include "core/day.h"
#include "core/r76.h"
#include "core/reference.h"

#define PROC_MAX_WEIGHTS 64
#define PROC_MAX_STEPS 160
#define PROC_DIRECT (-1) /* proc_reading.added_ug: the direct method */

enum proc_test {
    PROC_ZERO = 0,
    PROC_WEIGHING,
    PROC_ECCENTRICITY,
    PROC_REPEATABILITY,
    PROC_TARE,
    PROC_DISCRIMINATION,
    PROC_TEST_COUNT
};

struct proc_config {
    struct r76_instrument instrument; /* single-interval; checked by proc_new */
    enum r76_stage stage;             /* verification, or an in-service check (MPE ×2) */
    int64_t resolution_ug;            /* the interval of the display read: 0 = the
                                         scale's d; a test mode's finer one (<= 0.2 e)
                                         allows PROC_DIRECT readings */
    int segments;                     /* eccentricity segments (support points); 0 = 4 */
    struct reference reference;       /* the weight set: kind REFERENCE_WEIGHTS */
    size_t n_weights;
    int64_t weights_ug[PROC_MAX_WEIGHTS]; /* nominal values, one entry per weight */
    day_t today;
};

struct proc_step {
    int index;             /* 0-based position in the whole procedure */
    enum proc_test test;
    int k, of;             /* this is reading k (1-based) of `of` in its test */
    int64_t load_ug;       /* the total load on the receptor */
    int64_t target_ug;     /* the load the rule asked for (load_ug is the set's nearest) */
    int64_t tare_ug;       /* tare test: the tare within load_ug; else 0 */
    int64_t net_ug;        /* load_ug − tare_ug: the MPE is the net load's */
    int segment;           /* eccentricity: 1..segments; else 0 */
    int series;            /* repeatability: 1 (about 50 % Max) or 2 (near Max); else 0 */
    int unloading;         /* weighing: 1 on the way down */
    int after_extra;       /* discrimination: 1 for the reading with the extra load */
    int64_t extra_ug;      /* discrimination: 1.4 d */
    char weights[160];     /* the set's weights that make load_ug: "10 kg + 5 kg" */
    char instruction[640]; /* one line for the screen */
};

struct proc_reading {
    int64_t indication_ug;
    int64_t added_ug;      /* ΔL (error-point method) or PROC_DIRECT */
    int stable;            /* 0 = refused, the step stays */
};

struct proc_result {
    int index;
    enum proc_test test;
    int64_t indication_ug, added_ug;
    int64_t error_ug;      /* E */
    int64_t corrected_ug;  /* Ec = E − E0 (E0 of the zero step, or the tare's net zero);
                              discrimination: the rise of the indication */
    int64_t limit_ug;      /* the bound it was judged against (MPE, ¼ e, d) */
    int judged;            /* 0: recorded only (discrimination's first reading) */
    int pass;
    char reason[240];      /* one line: what was found, against which rule */
};

enum proc_outcome { PROC_INCOMPLETE = 0, PROC_PASS, PROC_FAIL };

struct proc_verdict {
    enum proc_outcome outcome; /* FAIL as soon as one step fails */
    int done, total, failures;
    int first_failure;         /* step index, -1 for none */
    enum proc_test failed_test;
    char reason[400];
    char reference_id[REFERENCE_ID_MAX];
    day_t reference_valid_until;
};

struct proc;

/* Checks the instrument (r76_instrument_check), the reference (in date on
 * cfg->today) and the weight set, and plans every step.  SC_ERR_RANGE when
 * the set cannot make a load a test needs; SC_ERR_EXPIRED for an expired
 * set; SC_ERR_UNSUPPORTED for a multi-interval instrument. */
int proc_new(const struct proc_config *cfg, struct proc **out);
void proc_free(struct proc *p);

const struct proc_config *proc_config_get(const struct proc *p);
int proc_total(const struct proc *p); /* steps planned */
int proc_done(const struct proc *p);  /* readings accepted = the current step's index */

/* The step at index (0 <= index < proc_total). */
int proc_step_get(const struct proc *p, int index, struct proc_step *out);
/* The step waiting for a reading: 1 and *out, or 0 when every step is done. */
int proc_current(const struct proc *p, struct proc_step *out);

/* Judges a reading for the current step and advances.  SC_ERR_AGAIN for an
 * unstable reading, SC_ERR_ARG for one the method cannot use (see
 * core/errpoint.h), SC_ERR_RANGE when the procedure is finished; the step
 * stays in all of these.  *out (may be NULL) gets the judgement. */
int proc_feed(struct proc *p, const struct proc_reading *r, struct proc_result *out);

/* The judgement of an accepted reading (index < proc_done). */
int proc_result_get(const struct proc *p, int index, struct proc_result *out);

/* The instrument's verdict so far, with its reason and the reference used. */
int proc_verdict_get(const struct proc *p, struct proc_verdict *out);

/* The state as text (like snprintf: returns the length it needs, writes at
 * most size bytes, NUL-terminated).  Versioned, one "key value" a line. */
int proc_save(const struct proc *p, char *buf, size_t size);

/* Rebuilds a procedure from proc_save()'s text and replays its readings;
 * the reference is checked again against `today`.  SC_ERR_PARSE with the
 * line for malformed text; any error from proc_new or proc_feed. */
int proc_load(const char *text, day_t today, struct proc **out);

/* "zero", "weighing", "eccentricity", "repeatability", "tare",
 * "discrimination". */
const char *proc_test_name(enum proc_test t);

#endif
