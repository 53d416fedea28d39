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
 *     cfg.weight_class = R111_M1;
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
 * The regulation.  A price-computing scale (电子计价秤, dianzi jijiacheng)
 * verified on or after 2027-01-08 is verified under JJG 1204-2025 《电子计价秤
 * 检定规程》; any other scale, and a price-computing one before that day,
 * under JJG 539-2016 《数字指示秤检定规程》 (digital indicating scales).  Both
 * take OIML R76-1's MPE table; they differ in the general technical check
 * and the price test (proc_regulation_for).
 *
 * The steps, in order (the clause beside each rule in procedure.c)
 *
 *  1. general   the general technical check (通用技术要求), one answer per
 *               item: JJG 539-2016 appearance, markings, metrological
 *               security (seals), no cheating function; JJG 1204-2025 6.1
 *               type approval, 6.2 identity marks, 6.3 software
 *               identification (its text recorded), 6.4 self-lock, 6.5
 *               security, 6.13 legal marks.  A "fail" answer fails the scale.
 *  2. levelling levelled by its level indicator (R76-1 3.9.1.1; JJG 1204-2025
 *               6.7): an answer.
 *  3. pre-load  Max once before the tests (R76-1 A.4.3): an acknowledgement.
 *  4. zero      1 reading at no load: the zero error E0 within ±¼ e
 *               (R76-1 4.5.2).  E0 corrects every later error.  A scale with
 *               automatic zero-tracking would track small weights at zero
 *               away: with proc_config.zero_tracking the reading is taken
 *               at or near 10 e, which takes it out of the tracking range,
 *               and E0 is the error there (R76-1 A.4.2.3.2).
 *  5. weighing  at least 5 loads from Min to Max, including Min, the loads
 *               where the MPE changes (500 e and 2 000 e for class III)
 *               below Max, 50 % Max and Max; loading up, then unloading
 *               down (Max not repeated), ending with the return to zero
 *               (R76-1 A.4.4.1: "back to zero").  Each corrected error
 *               Ec = E − E0 within the MPE for that load (A.4.4, Table 6).
 *  6. eccentricity  about 1/3 Max (Max/(n−1) with n > 4 support points) at
 *               the centre and then on each segment; each Ec within the MPE
 *               for the load (3.6.2, A.4.7; JJG 539's positions 1 to 5).
 *  7. repeatability  two series, about 50 % Max and near Max, 10 readings
 *               each (3 when Max >= 1 000 kg); in each series the largest
 *               minus the smallest error no more than the MPE for the load,
 *               and each single error within it (3.6, 3.6.1, A.4.10).
 *  8. tare      a tare (about 1/3 Max, else another fraction that leaves the
 *               set able to make the net loads), tared: the net zero error within
 *               ±¼ e (4.6.3); then the weighing test's loads (at least 5,
 *               loading only) on net loads up to what is left to Max, each
 *               Ec (against the net zero) within the MPE of the net load
 *               (3.5.3.3, A.4.6.1).
 *  9. discrimination  at Min, ½ Max and Max: the indication I with the load
 *               and ten 0.1 d weights, then the one after those are taken off
 *               until I − d, one put back and 1.4 d added gently: it must
 *               reach I + d (3.8, A.4.8.2).  Planned only where d >= 5 mg
 *               (3.8.2: the digital test's lower limit).
 * 10. price     price-computing scales only (JJG 1204-2025 6.9; R76-1 4.14):
 *               at 50 % Max and Max, with a unit price keyed in, the price to
 *               pay shown must be the weight shown times the unit price,
 *               rounded to the nearest price interval (halves up).
 *
 * Loads and the weight set.  Every load a step asks for is one the declared
 * weight set can make: the engine picks the combination of the set's
 * weights closest to the rule's load within a window (Min: Min to 2 Min; a
 * change point: up to 10 % below it, so the load stays in the stricter
 * band; 50 % Max, 1/3 Max: ±10 %; Max and near Max: up to 5 % below; 10 e:
 * 10 e to 20 e), and a step shows both the load asked for (target_ug) and
 * the load made (load_ug) with the weights to use.  Weights heavier than Max
 * (the 10 kg of a kit on a 6 kg scale) are left aside.  When no combination
 * falls in a window, proc_new() refuses with SC_ERR_RANGE naming the test
 * and the window: substitution loads are not supported.  The small error
 * weights (0.1 e) and the 1.4 d extra load are accessories and are not drawn
 * from the set.
 *
 * The weights must be fit for the scale: for every load they make and a
 * reading is judged at, the sum of their R111 MPEs (the set's class,
 * core/r111.h) is no more than one third of the scale's MPE for that load
 * (R76-1 3.7.1).  proc_new() refuses a set that is not, naming the first
 * load and the least accurate class that would do (SC_ERR_RANGE).
 *
 * Readings.  A reading is the indication (exact µg) and the error weights
 * ΔL added before the indication stepped up (the error-point method,
 * core/errpoint.h), or PROC_DIRECT when the scale is in a test mode that
 * shows an interval of at most 0.2 e (proc_config.resolution_ug; R76-1
 * 3.5.3.2: rounding must be eliminated where d > 0.2 e).  A reading carries
 * the value of its last digit as the scale gave it (digit_ug: "10005.0 g"
 * is 0.1 g): a reading coarser than the interval the run declared is
 * refused, and with a declared test-mode interval a reading whose digits are
 * not known is refused too, so a scale still showing whole e steps cannot
 * pass as direct readings (SC_ERR_ARG).  Check steps (general, levelling,
 * pre-load) take an answer (PROC_YES / PROC_NO) instead; price steps take the
 * weight and the price to pay shown.  An unstable reading is refused
 * (SC_ERR_AGAIN) and the step stays.
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
#include "core/r111.h"
#include "core/reference.h"

#define PROC_MAX_WEIGHTS 64
#define PROC_MAX_STEPS 160
#define PROC_DIRECT (-1) /* proc_reading.added_ug: the direct method */
#define PROC_TEXT_MAX 64
#define PROC_YES 1       /* proc_reading.answer */
#define PROC_NO 2

enum proc_test {
    PROC_ZERO = 0,
    PROC_WEIGHING,
    PROC_ECCENTRICITY,
    PROC_REPEATABILITY,
    PROC_TARE,
    PROC_DISCRIMINATION,
    PROC_GENERAL,       /* the general technical check, one item a step */
    PROC_LEVELLING,
    PROC_PRELOAD,
    PROC_PRICE,
    PROC_TEST_COUNT
};

/* What the verification is (JJG 539-2016 and JJG 1204-2025: 首次检定 first
 * verification, 后续检定 subsequent verification, 使用中检查 in-service
 * inspection, whose MPE is twice the verification MPE). */
enum proc_kind {
    PROC_SUBSEQUENT = 0,
    PROC_FIRST,
    PROC_IN_SERVICE,
};

/* The regulation a verification follows, printed on its papers. */
struct proc_regulation {
    const char *code;     /* "JJG 539-2016" */
    const char *title_zh; /* "数字指示秤检定规程" */
    const char *title_en; /* "Digital Indicating Scales" */
};

/* The regulation for a scale on a verification day: JJG 1204-2025 for a
 * price-computing scale from its entry into force (2027-01-08), else
 * JJG 539-2016. */
const struct proc_regulation *proc_regulation_for(int price_computing, day_t day);

struct proc_config {
    struct r76_instrument instrument; /* single-interval; checked by proc_new */
    enum r76_stage stage;             /* verification, or an in-service check (MPE ×2);
                                         must be R76_IN_SERVICE exactly when kind is
                                         PROC_IN_SERVICE */
    enum proc_kind kind;              /* first, subsequent (the default), in-service */
    enum r111_class weight_class;     /* the set's OIML R111 class: required */
    int zero_tracking;                /* the scale tracks zero: E0 at or near 10 e */
    int price_computing;              /* 电子计价秤: the price test, and JJG 1204-2025
                                         from 2027-01-08 */
    int64_t unit_price_fen;           /* the price test's unit price, 分 per kg; 0 = 1234 */
    int64_t price_step_fen;           /* the scale's price-to-pay interval, 分; 0 = 1 */
    char regulation[16];              /* "" = proc_regulation_for(price_computing, today);
                                         else that code: a resumed run keeps the
                                         regulation it started under */
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
    int segment;           /* eccentricity: 1..segments, 0 at the centre; else 0 */
    int centre;            /* eccentricity: 1 at the centre */
    int zero_return;       /* weighing: 1 for the return to zero at the end */
    int series;            /* repeatability: 1 (about 50 % Max) or 2 (near Max); else 0 */
    int unloading;         /* weighing: 1 on the way down */
    int after_extra;       /* discrimination: 1 for the reading with the extra load */
    int64_t extra_ug;      /* discrimination: 1.4 d */
    int answer_step;       /* 1: takes an answer (general, levelling, pre-load) */
    char item[24];         /* general: the item's code ("appearance", "software", ...) */
    int needs_text;        /* general: the answer must carry the text read (software id) */
    int64_t unit_price_fen; /* price: the unit price to key in, 分 per kg */
    char weights[160];     /* the set's weights that make load_ug: "10 kg + 5 kg" */
    char instruction[640]; /* one line for the screen */
};

struct proc_reading {
    int64_t indication_ug;
    int64_t added_ug;      /* ΔL (error-point method) or PROC_DIRECT */
    int stable;            /* 0 = refused, the step stays */
    int64_t digit_ug;      /* the value of the indication's last digit as the scale
                              gave it ("10005.0 g": 0.1 g); 0 = not known */
    int answer;            /* check steps: PROC_YES or PROC_NO; 0 for a reading */
    int64_t amount_fen;    /* price steps: the price to pay shown, 分 */
    char text[PROC_TEXT_MAX]; /* general: what was read (the software identification) */
};

struct proc_result {
    int index;
    enum proc_test test;
    int64_t indication_ug, added_ug;
    int64_t error_ug;      /* E */
    int64_t corrected_ug;  /* Ec = E − E0 (E0 of the zero step, or the tare's net zero);
                              discrimination: the rise of the indication */
    int64_t limit_ug;      /* the bound it was judged against (MPE, ¼ e, d) */
    int judged;            /* 0: recorded only (discrimination's first reading,
                              the pre-load) */
    int pass;
    int answer;            /* check steps: PROC_YES / PROC_NO */
    char text[PROC_TEXT_MAX];
    int64_t amount_fen, expected_fen; /* price steps: shown, and as it must be */
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
    const struct proc_regulation *regulation;
};

struct proc;

/* Checks the instrument (r76_instrument_check), the reference (in date on
 * cfg->today) and the weight set, and plans every step.  SC_ERR_RANGE when
 * the set cannot make a load a test needs or its weights are not within a
 * third of the scale's MPE; SC_ERR_EXPIRED for an expired set;
 * SC_ERR_UNSUPPORTED for a multi-interval instrument. */
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
 * "discrimination", "general", "levelling", "pre-load", "price". */
const char *proc_test_name(enum proc_test t);

/* "subsequent", "first", "in-service"; proc_kind_parse takes the same
 * (SC_ERR_PARSE otherwise). */
const char *proc_kind_name(enum proc_kind k);
int proc_kind_parse(const char *text, enum proc_kind *out);

/* The regulation this procedure follows (chosen by proc_new). */
const struct proc_regulation *proc_regulation(const struct proc *p);

/* The value of the last digit of a decimal reading as a device or a person
 * gave it, in µg: ("10005.0", MASS_G) -> 100 000; ("10.005", MASS_KG) ->
 * 1 000 000.  SC_ERR_PARSE when text is not a plain decimal number. */
int proc_digit_of(const char *text, int64_t unit_ug, int64_t *digit_ug);

#endif
